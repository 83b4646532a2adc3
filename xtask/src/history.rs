//! `cargo xtask history`: `xtask diff` judged against real API history.
//!
//! The table (`xtask/tests/history/twilio-oai.tsv`) lists consecutive release pairs of one spec
//! from Twilio's public spec repository, each judged on the spec change itself by
//! `xtask/tests/history/judge.py`, a comparer that shares no code with the diff and whose
//! disagreements with Twilio's release notes were read by hand: `breaking`, `potential` (callers
//! fail only with some values) or `compatible`, with why. The specs are not copied into this
//! repository: they are read from the git bundle in `../shared/history` (`git cat-file`), by
//! tag and path.
//!
//! The check fails when a judged break is not reported as breaking (or a judged potential
//! break as at least potentially breaking), or when more than 2 % of the compatible pairs are
//! reported breaking for HTTP callers. Every false alarm is listed with the changes behind it.
//!
//! - `history [--bundle FILE] [--table FILE] [--only SPEC] [--show]`

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use codegen::diff::rules::Http;
use codegen::diff::{compare_lowered, Lowered, SpecReport};

use crate::regen::root;

const USAGE: &str =
    "usage: cargo xtask history [--bundle FILE] [--table FILE] [--only SPEC] [--show]";

/// At most this share of the compatible pairs may be reported breaking (issue #16).
const FALSE_ALARM_LIMIT: f64 = 0.02;

/// A verdict as the table writes it (`potential` for potentially breaking).
fn parse_verdict(s: &str) -> Option<Http> {
    match s {
        "compatible" => Some(Http::Compatible),
        "potential" => Some(Http::Potential),
        "breaking" => Some(Http::Breaking),
        _ => None,
    }
}

/// The worst of a report's changes for HTTP callers.
fn verdict_of(report: &SpecReport) -> Http {
    report
        .changes
        .iter()
        .map(|c| c.http)
        .max()
        .unwrap_or(Http::Compatible)
}

/// One row of the table.
#[derive(Clone, Debug)]
struct Pair {
    old_tag: String,
    new_tag: String,
    path: String,
    judged: Http,
    /// Whether Twilio's release notes call the change breaking (they miss many breaks).
    noted: bool,
    why: String,
    /// The table's line number, for messages.
    line: usize,
}

fn read_table(path: &Path) -> anyhow::Result<Vec<Pair>> {
    let text = fs::read_to_string(path)
        .with_context(|| format!("history: cannot read {}", path.display()))?;
    let mut pairs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [old_tag, new_tag, path_in_repo, verdict, noted, why @ ..] = cols.as_slice() else {
            bail!(
                "{}:{}: expected old_tag, new_tag, path, verdict, notes, why (tab-separated)",
                path.display(),
                i + 1
            );
        };
        let judged = parse_verdict(verdict).with_context(|| {
            format!(
                "{}:{}: verdict {verdict:?} is not breaking, potential or compatible",
                path.display(),
                i + 1
            )
        })?;
        pairs.push(Pair {
            old_tag: (*old_tag).to_owned(),
            new_tag: (*new_tag).to_owned(),
            path: (*path_in_repo).to_owned(),
            judged,
            noted: *noted == "breaking",
            why: why.join("\t"),
            line: i + 1,
        });
    }
    Ok(pairs)
}

/// Reads files at revisions of a repository through one `git cat-file --batch`.
struct Blobs {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Blobs {
    fn open(git_dir: &Path) -> anyhow::Result<Blobs> {
        let mut child = Command::new("git")
            .arg("--git-dir")
            .arg(git_dir)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("history: cannot run git cat-file")?;
        let input = child.stdin.take().expect("piped");
        let output = BufReader::new(child.stdout.take().expect("piped"));
        Ok(Blobs {
            child,
            input,
            output,
        })
    }

    fn read(&mut self, rev: &str, path: &str) -> anyhow::Result<Vec<u8>> {
        writeln!(self.input, "{rev}:{path}")?;
        self.input.flush()?;
        let mut header = String::new();
        self.output.read_line(&mut header)?;
        let size: usize = match header.split_whitespace().collect::<Vec<_>>().as_slice() {
            [_, "blob", size] => size.parse()?,
            _ => bail!(
                "history: {rev}:{path} is not in the bundle ({})",
                header.trim()
            ),
        };
        let mut bytes = vec![0; size + 1];
        self.output.read_exact(&mut bytes)?;
        bytes.pop(); // the newline cat-file writes after each object
        Ok(bytes)
    }
}

impl Drop for Blobs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the diff said about one pair.
struct Outcome {
    reported: Http,
    report: SpecReport,
    took: Duration,
}

/// Compares every pair, on two threads (the CI machine has two cores). The pairs of one spec
/// go to one thread in the table's order, so that a release compared with both its neighbours
/// is lowered once.
fn run(git_dir: &Path, pairs: &[Pair]) -> anyhow::Result<Vec<anyhow::Result<Outcome>>> {
    let mut by_spec: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, pair) in pairs.iter().enumerate() {
        by_spec.entry(&pair.path).or_default().push(i);
    }
    // Largest first, so that the last one to finish is small.
    let mut queue: Vec<Vec<usize>> = by_spec.into_values().collect();
    queue.sort_by_key(|g| std::cmp::Reverse(g.len()));
    let queue = Mutex::new(queue.into_iter());
    let results: Mutex<BTreeMap<usize, anyhow::Result<Outcome>>> = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| -> anyhow::Result<()> {
                    let mut blobs = Blobs::open(git_dir)?;
                    loop {
                        let Some(group) = queue.lock().expect("no worker panics").next() else {
                            return Ok(());
                        };
                        let mut previous: Option<(String, Side)> = None;
                        for i in group {
                            let pair = &pairs[i];
                            let outcome = compare(&mut blobs, pair, previous.take());
                            let outcome = outcome.map(|(o, new_side)| {
                                previous = Some((pair.new_tag.clone(), new_side));
                                o
                            });
                            results.lock().expect("no worker panics").insert(i, outcome);
                        }
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().expect("history worker panicked")?;
        }
        Ok(())
    })?;
    Ok(results
        .into_inner()
        .expect("no worker panics")
        .into_values()
        .collect())
}

/// One release of a spec, lowered, and how long lowering it took.
struct Side {
    lowered: Lowered,
    took: Duration,
}

fn lower(blobs: &mut Blobs, tag: &str, path: &str) -> anyhow::Result<Side> {
    let bytes = blobs.read(tag, path)?;
    let label = format!("{path}@{tag}");
    let started = Instant::now();
    let lowered = Lowered::new(codegen::diff::Side::plain(&label, &bytes))
        .map_err(|e| crate::spec_error(&e))?;
    Ok(Side {
        lowered,
        took: started.elapsed(),
    })
}

/// Compares one pair, reusing the old side when the previous pair ended with it; gives back
/// the new side for the next pair.
fn compare(
    blobs: &mut Blobs,
    pair: &Pair,
    previous: Option<(String, Side)>,
) -> anyhow::Result<(Outcome, Side)> {
    let old = match previous {
        Some((tag, side)) if tag == pair.old_tag => side,
        _ => lower(blobs, &pair.old_tag, &pair.path)?,
    };
    let new = lower(blobs, &pair.new_tag, &pair.path)?;
    let started = Instant::now();
    let report = compare_lowered(&old.lowered, &new.lowered);
    let outcome = Outcome {
        reported: verdict_of(&report),
        report,
        // What one `xtask diff` of the pair costs: both sides lowered, and compared.
        took: old.took + new.took + started.elapsed(),
    };
    Ok((outcome, new))
}

/// A bare clone of the bundle in a temporary folder, removed when dropped.
struct Repository(PathBuf);

impl Repository {
    fn clone_bundle(bundle: &Path) -> anyhow::Result<Repository> {
        let dir = std::env::temp_dir().join(format!("xtask-history-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let status = Command::new("git")
            .args(["clone", "--quiet", "--bare"])
            .arg(bundle)
            .arg(&dir)
            .stderr(Stdio::null())
            .status()
            .context("history: cannot run git clone")?;
        if !status.success() {
            bail!("history: cannot clone {}", bundle.display());
        }
        Ok(Repository(dir))
    }
}

impl Drop for Repository {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn default_bundle() -> PathBuf {
    root().join("../shared/history/twilio-oai-upto-2.0.3.bundle")
}

fn default_table() -> PathBuf {
    root().join("xtask/tests/history/twilio-oai.tsv")
}

/// The judged pairs against what the diff reported.
struct Score<'a> {
    pairs: usize,
    judged_breaking: usize,
    /// Judged breaking (or potential) and not reported at least that severely.
    missed: Vec<(&'a Pair, &'a Outcome)>,
    judged_not_breaking: usize,
    /// Judged not breaking (compatible or potential) and reported breaking.
    false_alarms: Vec<(&'a Pair, &'a Outcome)>,
    failed: Vec<(&'a Pair, String)>,
}

fn score<'a>(pairs: &'a [Pair], outcomes: &'a [anyhow::Result<Outcome>]) -> Score<'a> {
    let mut s = Score {
        pairs: pairs.len(),
        judged_breaking: 0,
        missed: Vec::new(),
        judged_not_breaking: 0,
        false_alarms: Vec::new(),
        failed: Vec::new(),
    };
    for (pair, outcome) in pairs.iter().zip(outcomes) {
        let outcome = match outcome {
            Ok(o) => o,
            Err(e) => {
                s.failed.push((pair, format!("{e:#}")));
                continue;
            }
        };
        if pair.judged == Http::Breaking {
            s.judged_breaking += 1;
        } else {
            s.judged_not_breaking += 1;
        }
        if outcome.reported < pair.judged {
            s.missed.push((pair, outcome));
        }
        if pair.judged != Http::Breaking && outcome.reported == Http::Breaking {
            s.false_alarms.push((pair, outcome));
        }
    }
    s
}

impl Score<'_> {
    fn false_alarm_rate(&self) -> f64 {
        self.false_alarms.len() as f64 / self.judged_not_breaking.max(1) as f64
    }

    fn passes(&self) -> bool {
        self.missed.is_empty()
            && self.failed.is_empty()
            && self.false_alarm_rate() <= FALSE_ALARM_LIMIT
    }
}

fn describe(pair: &Pair) -> String {
    format!(
        "{} {} -> {} (table line {})",
        pair.path, pair.old_tag, pair.new_tag, pair.line
    )
}

fn changes_at_least(outcome: &Outcome, http: Http) -> Vec<String> {
    outcome
        .report
        .changes
        .iter()
        .filter(|c| c.http >= http)
        .map(|c| {
            format!(
                "      {} {}: {}: {}",
                c.http.as_str(),
                c.kind.name(),
                c.subject,
                c.detail
            )
        })
        .collect()
}

pub(crate) fn command(args: &[String]) -> anyhow::Result<()> {
    let mut bundle = default_bundle();
    let mut table = default_table();
    let mut only = None;
    let mut show = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .with_context(|| format!("history: {name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--bundle" => bundle = PathBuf::from(value("--bundle")?),
            "--table" => table = PathBuf::from(value("--table")?),
            "--only" => only = Some(value("--only")?),
            "--show" => show = true,
            other => bail!("history: unexpected argument {other:?}\n{USAGE}"),
        }
    }
    let mut pairs = read_table(&table)?;
    if let Some(only) = &only {
        pairs.retain(|p| p.path.ends_with(only.as_str()));
    }
    let repo = Repository::clone_bundle(&bundle)?;
    let started = Instant::now();
    let outcomes = run(&repo.0, &pairs)?;
    let wall = started.elapsed();
    let score = score(&pairs, &outcomes);

    if show {
        for (pair, outcome) in pairs.iter().zip(&outcomes) {
            if let Ok(o) = outcome {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    pair.old_tag,
                    pair.new_tag,
                    pair.path,
                    pair.judged.as_str(),
                    o.reported.as_str()
                );
                for line in changes_at_least(o, Http::Potential) {
                    println!("{line}");
                }
            }
        }
    }
    for (pair, error) in &score.failed {
        println!("FAILED TO COMPARE {}: {error}", describe(pair));
    }
    for (pair, outcome) in &score.missed {
        println!(
            "MISSED {}: judged {} ({}), reported {}",
            describe(pair),
            pair.judged.as_str(),
            pair.why,
            outcome.reported.as_str()
        );
    }
    for (pair, outcome) in &score.false_alarms {
        println!(
            "FALSE ALARM {}: judged {} ({})",
            describe(pair),
            pair.judged.as_str(),
            pair.why
        );
        for line in changes_at_least(outcome, Http::Breaking) {
            println!("{line}");
        }
    }
    let slowest = pairs
        .iter()
        .zip(&outcomes)
        .filter_map(|(p, o)| o.as_ref().ok().map(|o| (o.took, p)))
        .max_by_key(|(t, _)| *t);
    println!(
        "\n{} pairs from {} in {:.1} s: {} judged breaking, {} caught ({} missed); {} judged not breaking, {} reported breaking ({:.2} %, limit {:.0} %); {} could not be compared",
        score.pairs,
        table.display(),
        wall.as_secs_f64(),
        score.judged_breaking,
        score.judged_breaking - score.missed.iter().filter(|(p, _)| p.judged == Http::Breaking).count(),
        score.missed.len(),
        score.judged_not_breaking,
        score.false_alarms.len(),
        score.false_alarm_rate() * 100.0,
        FALSE_ALARM_LIMIT * 100.0,
        score.failed.len(),
    );
    let noted: Vec<(&Pair, &anyhow::Result<Outcome>)> = pairs
        .iter()
        .zip(&outcomes)
        .filter(|(p, _)| p.noted)
        .collect();
    println!(
        "Twilio's release notes call {} of the pairs breaking: the table judges {} of those breaking, and {} more that the notes do not mark; the diff reports {} of the noted pairs breaking",
        noted.len(),
        noted.iter().filter(|(p, _)| p.judged == Http::Breaking).count(),
        pairs.iter().filter(|p| !p.noted && p.judged == Http::Breaking).count(),
        noted
            .iter()
            .filter(|(_, o)| o.as_ref().is_ok_and(|o| o.reported == Http::Breaking))
            .count(),
    );
    if let Some((took, pair)) = slowest {
        println!(
            "slowest pair: {} ({:.2} s)",
            describe(pair),
            took.as_secs_f64()
        );
    }
    if !score.passes() {
        bail!("history: the diff disagrees with the judged table (see above)");
    }
    Ok(())
}

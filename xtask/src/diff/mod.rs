//! `cargo xtask diff`: reviews an API change between two specs as a changelog, with a verdict
//! for HTTP callers and a semver verdict for the generated crate.
//!
//! - `diff <OLD_SPEC> <NEW_SPEC>`
//! - `diff --since <GIT_REV> [SPEC...]`: `specs/` at a revision against the working tree
//! - `--format text|markdown|json`, `--fail-on breaking|major`, `--rules` (print the table),
//!   `--deprecation-policy strict|lenient|ignore`, `--as-of YYYY-MM-DD`
//!
//! Specs are compared as lowered models and as schemas, keyword by keyword (see
//! [`codegen::diff`]): the report speaks about the generated crate and about the wire, and
//! spec edits that change neither (key order, examples, response headers) report nothing.
//! The classification table is in [`codegen::diff::rules`]; warnings from loading go to stderr.

#[cfg(test)]
mod catalogue_tests;
#[cfg(test)]
mod reverse_tests;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use codegen::diff::policy::{DeprecationPolicy, Options};
use codegen::diff::rules::{self, Kind, Semver};
use codegen::diff::{self as render, Change, Report, Side, SpecReport};
use codegen::Overlay;

use crate::regen::SpecInput;
use crate::spec_error;

const USAGE: &str = "usage:
  cargo xtask diff [OPTIONS] <OLD_SPEC> <NEW_SPEC>
  cargo xtask diff [OPTIONS] --since <GIT_REV> [SPEC...]
  cargo xtask diff --rules
options:
  --format text|markdown|json
  --fail-on breaking|major
  --deprecation-policy strict|lenient|ignore   when removing a deprecated operation or
      parameter is planned: strict (default) needs a sunset date (x-sunset) that has passed,
      lenient only the deprecation, ignore treats every removal as breaking
  --as-of YYYY-MM-DD   the day sunset dates are compared with (default: today, UTC)";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Markdown,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FailOn {
    Breaking,
    Major,
}

/// The command line, parsed.
struct Args {
    format: Format,
    fail_on: Option<FailOn>,
    since: Option<String>,
    rules_only: bool,
    options: Options,
    positional: Vec<String>,
}

/// `None` when the command line asked for help (already printed).
fn parse_args(args: &[String]) -> anyhow::Result<Option<Args>> {
    let mut out = Args {
        format: Format::Text,
        fail_on: None,
        since: None,
        rules_only: false,
        options: Options::default(),
        positional: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .with_context(|| format!("diff: {name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--format" => {
                out.format = match value("--format")?.as_str() {
                    "text" => Format::Text,
                    "markdown" | "md" => Format::Markdown,
                    "json" => Format::Json,
                    other => bail!("diff: unknown format {other:?} (text, markdown or json)"),
                }
            }
            "--fail-on" => {
                out.fail_on = Some(match value("--fail-on")?.as_str() {
                    "breaking" => FailOn::Breaking,
                    "major" => FailOn::Major,
                    other => bail!("diff: unknown --fail-on value {other:?} (breaking or major)"),
                })
            }
            "--since" => out.since = Some(value("--since")?),
            "--deprecation-policy" => {
                let v = value("--deprecation-policy")?;
                out.options.deprecation = DeprecationPolicy::parse(&v).with_context(|| {
                    format!("diff: unknown --deprecation-policy {v:?} (strict, lenient or ignore)")
                })?;
            }
            "--as-of" => out.options.today = date(&value("--as-of")?)?,
            "--rules" => out.rules_only = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            s if s.starts_with("--") => bail!("diff: unknown option {s:?}\n{USAGE}"),
            s => out.positional.push(s.to_owned()),
        }
    }
    Ok(Some(out))
}

/// A `YYYY-MM-DD` date, as sunset dates are compared (as text, which orders such dates).
fn date(v: &str) -> anyhow::Result<String> {
    let b = v.as_bytes();
    let ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if !ok {
        bail!("diff: --as-of wants a date like 2026-12-07, not {v:?}");
    }
    Ok(v.to_owned())
}

pub(crate) fn command(args: &[String]) -> anyhow::Result<()> {
    let Some(Args {
        format,
        fail_on,
        since,
        rules_only,
        options,
        positional,
    }) = parse_args(args)?
    else {
        return Ok(());
    };
    if rules_only {
        print!("{}", rules::markdown_table());
        return Ok(());
    }
    let report = match (since, positional.as_slice()) {
        (Some(rev), names) => Report {
            specs: since_rev_with(&crate::regen::root(), &rev, names, &options)?,
        },
        (None, [old, new]) => Report {
            specs: vec![files(Path::new(old), Path::new(new), &options)?],
        },
        _ => bail!("diff: give two spec files, or --since <GIT_REV>\n{USAGE}"),
    };
    // Repairs made while loading go to stderr, so the report itself stays clean to paste.
    for w in report.specs.iter().flat_map(|s| &s.warnings) {
        eprintln!("{w}");
    }
    let out = match format {
        Format::Text => render::text(&report),
        Format::Markdown => render::markdown(&report),
        Format::Json => render::json(&report),
    };
    print!("{out}");
    match fail_on {
        Some(FailOn::Breaking) if report.http_breaking() > 0 => bail!(
            "diff: failing (--fail-on breaking): {} change(s) break existing HTTP callers",
            report.http_breaking()
        ),
        Some(FailOn::Major) if report.semver() == Some(Semver::Major) => {
            bail!("diff: failing (--fail-on major): the generated crate needs a major version")
        }
        _ => Ok(()),
    }
}

/// Compares two specs given as bytes, without overlays.
pub(crate) fn spec_bytes(
    old_label: &str,
    old: &[u8],
    new_label: &str,
    new: &[u8],
) -> anyhow::Result<SpecReport> {
    compare(
        Side::plain(old_label, old),
        Side::plain(new_label, new),
        &Options::default(),
    )
}

fn compare(old: Side<'_>, new: Side<'_>, options: &Options) -> anyhow::Result<SpecReport> {
    codegen::diff::compare_specs_with(old, new, options).map_err(|e| spec_error(&e))
}

/// Two spec files, each with the overlay beside it, as `regen` would generate them.
fn files(old: &Path, new: &Path, options: &Options) -> anyhow::Result<SpecReport> {
    let (old, new) = (SpecInput::read(old, "")?, SpecInput::read(new, "")?);
    let (old_label, new_label) = (
        old.path.display().to_string(),
        new.path.display().to_string(),
    );
    compare(
        Side {
            label: &old_label,
            bytes: &old.bytes,
            overlays: &old.overlays,
        },
        Side {
            label: &new_label,
            bytes: &new.bytes,
            overlays: &new.overlays,
        },
        options,
    )
}

/// The overlay of `specs/<name>` at `rev`, by the naming convention, if it had one.
fn overlay_at(root: &Path, rev: &str, name: &str) -> anyhow::Result<Vec<Overlay>> {
    let stem = Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(name);
    for suffix in ["overlay.yaml", "overlay.yml", "overlay.json"] {
        let file = format!("specs/{stem}.{suffix}");
        let listed = git(root, &["ls-tree", "--name-only", rev, "--", &file])?;
        if !listed.is_empty() {
            let bytes = git(root, &["show", &format!("{rev}:./{file}")])?;
            return Ok(vec![Overlay {
                path: PathBuf::from(format!("{file}@{rev}")),
                bytes,
            }]);
        }
    }
    Ok(Vec::new())
}

fn git(root: &Path, args: &[&str]) -> anyhow::Result<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .context("cannot run git")?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        bail!(
            "git -C {} {} failed ({}){}",
            root.display(),
            args.join(" "),
            out.status,
            if stderr.trim().is_empty() {
                String::new()
            } else {
                format!(": {}", stderr.trim())
            }
        );
    }
    Ok(out.stdout)
}

fn is_spec(name: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "json" | "yaml" | "yml"))
        && !Overlay::is_overlay_file(Path::new(name))
}

/// `specs/` at `rev` against the working tree below `root`, for the named specs or all.
#[cfg(test)]
pub(crate) fn since_rev(
    root: &Path,
    rev: &str,
    names: &[String],
) -> anyhow::Result<Vec<SpecReport>> {
    since_rev_with(root, rev, names, &Options::default())
}

/// `specs/` at `rev` against the working tree below `root`, for the named specs or all, with
/// the comparison's options.
pub(crate) fn since_rev_with(
    root: &Path,
    rev: &str,
    names: &[String],
    options: &Options,
) -> anyhow::Result<Vec<SpecReport>> {
    // A mistyped revision would otherwise read as "every spec was added".
    git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .with_context(|| format!("{rev:?} is not a git revision here"))?;
    let listing = git(root, &["ls-tree", "--name-only", rev, "--", "specs/"])?;
    let before: BTreeSet<String> = String::from_utf8_lossy(&listing)
        .lines()
        .filter_map(|l| l.strip_prefix("specs/"))
        .filter(|n| !n.contains('/') && is_spec(n))
        .map(str::to_owned)
        .collect();
    let specs_dir = root.join("specs");
    let after: BTreeSet<String> = if specs_dir.is_dir() {
        crate::regen::spec_files(&specs_dir)?
            .iter()
            .filter_map(|p| p.file_name()?.to_str().map(str::to_owned))
            .collect()
    } else {
        BTreeSet::new()
    };
    let wanted: Vec<String> = if names.is_empty() {
        before.union(&after).cloned().collect()
    } else {
        let mut out = Vec::new();
        for n in names {
            // `specs/x.json`, `x.json` and a path to it all name the same spec.
            let name = PathBuf::from(n)
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or(n)
                .to_owned();
            if !before.contains(&name) && !after.contains(&name) {
                bail!("{n}: no such spec in specs/ at {rev} or in the working tree");
            }
            out.push(name);
        }
        out
    };
    let mut reports = Vec::new();
    for name in wanted {
        let sides = (before.contains(&name), after.contains(&name));
        reports.push(since_one(root, rev, &name, sides, options)?);
    }
    Ok(reports)
}

/// One spec of `--since`: on both sides (`sides`: at `rev`, in the working tree) it is
/// compared, else reported added or removed.
fn since_one(
    root: &Path,
    rev: &str,
    name: &str,
    sides: (bool, bool),
    options: &Options,
) -> anyhow::Result<SpecReport> {
    let old_label = format!("specs/{name}@{rev}");
    let new_label = format!("specs/{name}");
    let crate_name = codegen::package_name(Path::new(name));
    let whole = |kind, detail: String, (old, new): (String, String)| SpecReport {
        changes: vec![Change::new(kind, &new_label, detail)],
        old,
        new,
        versions: None,
        warnings: Vec::new(),
    };
    Ok(match sides {
        (true, true) => {
            // `./` keeps the path relative to `root`, like `ls-tree` above, even below the top level.
            let old = git(root, &["show", &format!("{rev}:./specs/{name}")])?;
            let old_overlays = overlay_at(root, rev, name)?;
            let new = SpecInput::read(&root.join("specs").join(name), "specs/")?;
            compare(
                Side {
                    label: &old_label,
                    bytes: &old,
                    overlays: &old_overlays,
                },
                Side {
                    label: &new_label,
                    bytes: &new.bytes,
                    overlays: &new.overlays,
                },
                options,
            )?
        }
        (false, true) => whole(
            Kind::SpecAdded,
            format!("spec added since {rev} (new crate {crate_name})"),
            ("(none)".into(), new_label.clone()),
        ),
        _ => whole(
            Kind::SpecRemoved,
            format!("spec removed since {rev} (crate {crate_name} goes away)"),
            (old_label.clone(), "(none)".into()),
        ),
    })
}

//! `cargo xtask bench [--smoke]`: whole-process and per-stage generation figures, scaling on
//! synthetic specs and the Twilio corpus, and what the generated code costs to compile.
//! Prints Markdown tables for BENCHMARKS.md. Statistical micro-benchmarks live in
//! `codegen/benches` and `codegen/sdk-tests/benches` (divan).
//!
//! `--smoke` runs every part once on small inputs, so CI proves the command still works; it
//! asserts nothing about time.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use codegen::{Generated, Options, StageTimes};

use crate::regen::SpecInput;
use crate::{regen, spec_error};

/// Sizes of the synthetic specs, in operations.
const SCALING_SIZES: [usize; 4] = [10, 100, 1_000, 10_000];
const SMOKE_SCALING_SIZES: [usize; 2] = [10, 100];

/// Where the public Twilio specs are kept, beside the repository (never copied into it).
const CORPUS: &str = "../shared/corpus/twilio-oai";

struct Settings {
    smoke: bool,
}

impl Settings {
    /// How many times to repeat a measurement whose single run takes about `one_run`.
    fn runs(&self, one_run: Duration) -> usize {
        if self.smoke {
            return 1;
        }
        // Enough runs for a stable median, within about ten seconds per figure.
        let budget = Duration::from_secs(10).as_secs_f64() / one_run.as_secs_f64().max(1e-6);
        (budget as usize).clamp(3, 31) | 1
    }
}

pub(crate) fn command(args: &[String]) -> anyhow::Result<()> {
    let mut smoke = false;
    for a in args {
        match a.as_str() {
            "--smoke" => smoke = true,
            other => bail!("bench: unknown argument {other:?}\nusage: cargo xtask bench [--smoke]"),
        }
    }
    if cfg!(debug_assertions) && !smoke {
        // Timings of an unoptimised generator mean nothing; hand over to a release build.
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(&cargo)
            .args([
                "run",
                "--release",
                "--quiet",
                "--package",
                "xtask",
                "--",
                "bench",
            ])
            .args(args)
            .status()
            .with_context(|| format!("bench: cannot run {cargo}"))?;
        if !status.success() {
            // The release build printed its own error above; this says which run it was.
            bail!(
                "bench: the release run (`cargo run --release -p xtask -- bench`) failed \
                 ({status}); see its output above"
            );
        }
        return Ok(());
    }
    let settings = Settings { smoke };
    let root = regen::root();
    println!(
        "# cargo xtask bench{}\n",
        if smoke {
            " --smoke (one run each, timings meaningless)"
        } else {
            ""
        }
    );
    println!("{}\n", machine());
    four_specs(&root, &settings)?;
    whole_process(&settings)?;
    scaling(&settings)?;
    corpus(&root, &settings)?;
    compile_cost(&root, &settings)?;
    Ok(())
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!(
        "Machine: {cores} cores, {cpu}, {rustc}, {} build.",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    )
}

/// Median, minimum and maximum of some durations.
struct Summary {
    median: Duration,
    min: Duration,
    max: Duration,
    runs: usize,
}

fn summarise(mut samples: Vec<Duration>) -> Summary {
    samples.sort();
    Summary {
        median: samples[samples.len() / 2],
        min: samples[0],
        max: samples[samples.len() - 1],
        runs: samples.len(),
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({} to {}, n={})",
            ms(self.median),
            ms(self.min),
            ms(self.max),
            self.runs
        )
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn options() -> Options {
    Options::new("../../codegen/runtime")
}

/// Generates one spec, failing on a generation error.
fn generate(spec: &SpecInput) -> anyhow::Result<(Generated, StageTimes)> {
    let options = Options {
        overlays: spec.overlays.clone(),
        ..options()
    };
    let (result, times) = codegen::generate_timed(&spec.path, &spec.name, &spec.bytes, &options);
    match result {
        Ok(generated) => Ok((generated, times)),
        Err(f) => {
            Err(spec_error(&f.error).context(format!("bench: {} does not generate", spec.name)))
        }
    }
}

/// What one figure took: wall-time summary, and mean CPU time per run (all threads).
struct Measured {
    stages: Vec<Duration>,
    wall: Summary,
    cpu: Option<Duration>,
}

/// Generates `specs` together as `regen` does (in parallel, one spec per thread), `runs`
/// times. Stages are per-stage medians of each run's sum over specs (so CPU time when specs
/// run in parallel); `wall` is the whole batch.
fn measure(specs: &[SpecInput], runs: usize) -> anyhow::Result<Measured> {
    let mut per_stage: Vec<Vec<Duration>> = vec![Vec::new(); StageTimes::NAMES.len()];
    let mut walls = Vec::new();
    let cpu_before = cpu_time(CpuOf::ThisProcess);
    for _ in 0..runs {
        let started = Instant::now();
        let results = regen::generate_all(specs, &options());
        walls.push(started.elapsed());
        let mut sums = [Duration::ZERO; StageTimes::NAMES.len()];
        for (spec, (result, times)) in specs.iter().zip(results) {
            if let Err(f) = result {
                return Err(
                    spec_error(&f.error).context(format!("bench: {} does not generate", spec.name))
                );
            }
            for (sum, t) in sums.iter_mut().zip(times.as_array()) {
                *sum += t;
            }
        }
        for (samples, sum) in per_stage.iter_mut().zip(sums) {
            samples.push(sum);
        }
    }
    let cpu = cpu_before
        .zip(cpu_time(CpuOf::ThisProcess))
        .map(|(before, after)| (after - before) / runs as u32);
    Ok(Measured {
        stages: per_stage.into_iter().map(|s| summarise(s).median).collect(),
        wall: summarise(walls),
        cpu,
    })
}

enum CpuOf {
    ThisProcess,
    /// Children that have exited and been waited for.
    Children,
}

/// User plus system CPU time from /proc (Linux; `None` elsewhere), in clock ticks of 10 ms,
/// so only totals over many runs are meaningful. On a machine shared with other work, CPU
/// time is steadier than wall time.
fn cpu_time(of: CpuOf) -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // utime, stime, cutime, cstime are fields 14 to 17 of proc(5); index 0 here is field 3.
    let (user, system) = match of {
        CpuOf::ThisProcess => (fields.get(11)?, fields.get(12)?),
        CpuOf::Children => (fields.get(13)?, fields.get(14)?),
    };
    let ticks: u64 = user.parse::<u64>().ok()? + system.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn cpu_text(cpu: Option<Duration>) -> String {
    cpu.map_or("n/a".into(), ms)
}

fn read_specs(dir: &Path, prefix: &str) -> anyhow::Result<Vec<SpecInput>> {
    regen::spec_files(dir)?
        .iter()
        .map(|path| SpecInput::read(path, prefix).context("bench"))
        .collect()
}

fn four_specs(root: &Path, settings: &Settings) -> anyhow::Result<()> {
    let specs = read_specs(&root.join("specs"), "specs/")?;
    println!("## Generation of specs/ in one process, per stage (medians)\n");
    println!(
        "| spec | ops | {} | total wall | CPU per run |",
        StageTimes::NAMES.join(" | ")
    );
    println!(
        "|---|---:|{}---:|---:|",
        "---:|".repeat(StageTimes::NAMES.len())
    );
    let mut one_run = Duration::ZERO;
    for spec in &specs {
        let started = Instant::now();
        let (generated, _) = generate(spec)?;
        one_run += started.elapsed();
        let m = measure(std::slice::from_ref(spec), settings.runs(started.elapsed()))?;
        println!(
            "| {} | {} | {} | {} | {} |",
            spec.name,
            generated.operations,
            m.stages
                .iter()
                .map(|d| ms(*d))
                .collect::<Vec<_>>()
                .join(" | "),
            m.wall,
            cpu_text(m.cpu)
        );
    }
    let m = measure(&specs, settings.runs(one_run))?;
    println!(
        "| all four, in parallel as `regen` runs them | | {} | {} | {} |",
        m.stages
            .iter()
            .map(|d| ms(*d))
            .collect::<Vec<_>>()
            .join(" | "),
        m.wall,
        cpu_text(m.cpu)
    );

    // The write stage: the whole planned tree, through the same atomic writer as `regen`.
    let files = regen::plan(root, false)?;
    let out = std::env::temp_dir().join(format!("xtask-bench-write-{}", std::process::id()));
    let mut samples = Vec::new();
    for _ in 0..settings.runs(Duration::from_millis(5)) {
        let started = Instant::now();
        regen::write_atomically(&out.join("generated"), &files)?;
        samples.push(started.elapsed());
    }
    let _ = std::fs::remove_dir_all(&out);
    println!(
        "\nwrite ({} files, atomic swap into a temporary folder): {}\n",
        files.len(),
        summarise(samples)
    );
    Ok(())
}

fn whole_process(settings: &Settings) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("bench: cannot find the xtask executable")?;
    // The first as a fresh clone or a developer runs it (unchanged files taken from disk by
    // generated/.rustfmt-record), the second trusting nothing (every file through
    // prettyplease and rustfmt), as the uncached test does.
    for (args, what) in [
        (&["regen", "--check"][..], "record used"),
        (
            &["regen", "--check", "--no-rustfmt-cache"][..],
            "every file through rustfmt",
        ),
    ] {
        let run = || -> anyhow::Result<Duration> {
            let started = Instant::now();
            let status = Command::new(&exe)
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .with_context(|| format!("bench: cannot run {}", exe.display()))?;
            let elapsed = started.elapsed();
            if !status.success() {
                bail!("bench: `regen --check` failed ({status}); run `cargo xtask regen` first");
            }
            Ok(elapsed)
        };
        let first = run()?;
        let runs = settings.runs(first);
        let cpu_before = cpu_time(CpuOf::Children);
        let samples = (0..runs)
            .map(|_| run())
            .collect::<anyhow::Result<Vec<_>>>()?;
        let cpu = cpu_before
            .zip(cpu_time(CpuOf::Children))
            .map(|(before, after)| (after - before) / runs as u32);
        println!(
            "## Whole process: `{} {}` (four specs, binary built; {what})\n",
            exe.display(),
            args.join(" ")
        );
        println!(
            "wall {}; CPU per run {}\n",
            summarise(samples),
            cpu_text(cpu)
        );
    }
    Ok(())
}

fn scaling(settings: &Settings) -> anyhow::Result<()> {
    let sizes: &[usize] = if settings.smoke {
        &SMOKE_SCALING_SIZES
    } else {
        &SCALING_SIZES
    };
    println!(
        "## Scaling: synthetic specs (codegen::synthetic), per-stage median time per operation\n"
    );
    println!("Wall times per stage; the last columns compare CPU time per operation between sizes, which");
    println!("other work on a shared machine disturbs less than wall time.\n");
    println!("| ops | spec bytes | {} | wall per op | wall total | CPU per op | CPU per op, ratio to previous size | generated lines per op |", StageTimes::NAMES.join(" | "));
    println!(
        "|---:|---:|{}---:|---:|---:|---:|---:|",
        "---:|".repeat(StageTimes::NAMES.len())
    );
    let mut previous: Option<f64> = None;
    for &n in sizes {
        let spec = [SpecInput {
            name: "synthetic.json".to_owned(),
            path: "synthetic.json".into(),
            bytes: codegen::synthetic::spec(n),
            overlays: Vec::new(),
        }];
        let started = Instant::now();
        let (generated, _) = generate(&spec[0])?;
        let Measured {
            stages,
            wall: total,
            cpu,
        } = measure(&spec, settings.runs(started.elapsed()))?;
        let per_op = |d: Duration| d.as_secs_f64() * 1e9 / n as f64;
        let cpu_per_op = cpu.map(per_op);
        let ratio = previous
            .zip(cpu_per_op)
            .map_or("".to_owned(), |(p, c)| format!("{:.2}", c / p));
        previous = cpu_per_op;
        println!(
            "| {n} | {} | {} | {:.0} ns | {} | {} | {ratio} | {:.1} |",
            spec[0].bytes.len(),
            stages
                .iter()
                .map(|d| format!("{:.0} ns", per_op(*d)))
                .collect::<Vec<_>>()
                .join(" | "),
            per_op(total.median),
            total,
            cpu_per_op.map_or("n/a".into(), |c| format!("{c:.0} ns")),
            rust_lines(&generated) as f64 / n as f64,
        );
    }
    println!();
    Ok(())
}

fn corpus(root: &Path, settings: &Settings) -> anyhow::Result<()> {
    let dir = root.join(CORPUS);
    if !dir.is_dir() {
        println!(
            "## Twilio corpus\n\nskipped: {} is not there.\n",
            dir.display()
        );
        return Ok(());
    }
    let mut specs = read_specs(&dir, "")?;
    if settings.smoke {
        // The smallest few keep CI short; the full run takes them all.
        specs.sort_by_key(|spec| spec.bytes.len());
        specs.truncate(3);
    }
    let started = Instant::now();
    let mut operations = 0;
    let mut lines = 0;
    for spec in &specs {
        let (generated, _) = generate(spec)?;
        operations += generated.operations;
        lines += rust_lines(&generated);
    }
    let Measured {
        stages,
        wall: total,
        cpu,
    } = measure(&specs, settings.runs(started.elapsed()))?;
    let bytes: usize = specs.iter().map(|spec| spec.bytes.len()).sum();
    println!("## Twilio corpus: {} specs, {operations} operations, {:.1} MB, all in one process, in parallel as `regen` runs specs\n", specs.len(), bytes as f64 / 1e6);
    println!("Stages are summed over specs (CPU time of the threads).\n");
    println!(
        "| {} | total wall | CPU per run | wall per op | generated lines per op |",
        StageTimes::NAMES.join(" | ")
    );
    println!(
        "|{}---:|---:|---:|---:|",
        "---:|".repeat(StageTimes::NAMES.len())
    );
    println!(
        "| {} | {} | {} | {:.0} µs | {:.1} |\n",
        stages
            .iter()
            .map(|d| ms(*d))
            .collect::<Vec<_>>()
            .join(" | "),
        total,
        cpu_text(cpu),
        total.median.as_secs_f64() * 1e6 / operations.max(1) as f64,
        lines as f64 / operations.max(1) as f64
    );
    Ok(())
}

/// Lines of Rust in a generated crate.
fn rust_lines(generated: &Generated) -> usize {
    generated
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(_, text)| text.lines().count())
        .sum()
}

fn compile_cost(root: &Path, settings: &Settings) -> anyhow::Result<()> {
    println!(
        "## Generated code: size, and `cargo check -p <crate>` after touching its src/lib.rs\n"
    );
    println!("Incremental is cargo's default for workspace members: an unchanged crate is mostly replayed from");
    println!("its cache. With `CARGO_INCREMENTAL=0` the crate is checked from scratch (dependencies stay built),");
    println!("which is what an edit to the spec costs.\n");
    println!("| crate | ops | Rust lines | lines per op | check after touch, incremental | check after touch, CARGO_INCREMENTAL=0 |");
    println!("|---|---:|---:|---:|---:|---:|");
    for spec in read_specs(&root.join("specs"), "specs/")? {
        let (generated, _) = generate(&spec)?;
        let figures = ["1", "0"].map(|incremental| {
            check_after_touch(root, &generated.package_name, incremental, settings)
        });
        let [incremental, full] = figures;
        let lines = rust_lines(&generated);
        println!(
            "| {} | {} | {lines} | {:.1} | {} | {} |",
            generated.package_name,
            generated.operations,
            lines as f64 / generated.operations.max(1) as f64,
            incremental?,
            full?
        );
    }
    println!();
    Ok(())
}

/// `cargo check -p <package>` after touching its lib.rs, `CARGO_INCREMENTAL` set as given.
fn check_after_touch(
    root: &Path,
    package: &str,
    incremental: &str,
    settings: &Settings,
) -> anyhow::Result<Summary> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let lib_rs = root.join("generated").join(package).join("src/lib.rs");
    let check = || -> anyhow::Result<Duration> {
        touch(&lib_rs)?;
        let mut command = Command::new(&cargo);
        command
            .current_dir(root)
            .args(["check", "--quiet", "--package", package])
            .env("CARGO_INCREMENTAL", incremental);
        // `cargo run` set these for xtask; passed on, they would make cargo rebuild
        // dependencies whose build scripts watch them (ring watches CARGO_MANIFEST_DIR).
        for (key, _) in std::env::vars() {
            if key.starts_with("CARGO_PKG_")
                || matches!(
                    key.as_str(),
                    "CARGO_MANIFEST_DIR"
                        | "CARGO_MANIFEST_PATH"
                        | "CARGO_CRATE_NAME"
                        | "CARGO_BIN_NAME"
                        | "CARGO_PRIMARY_PACKAGE"
                )
            {
                command.env_remove(key);
            }
        }
        let started = Instant::now();
        let status = command
            .status()
            .with_context(|| format!("bench: cannot run {cargo}"))?;
        if !status.success() {
            bail!("bench: cargo check of {package} failed ({status})");
        }
        Ok(started.elapsed())
    };
    // The first check may also build dependencies; it is not a figure, except in smoke mode.
    let first = check()?;
    let samples = if settings.smoke {
        vec![first]
    } else {
        (0..5)
            .map(|_| check())
            .collect::<anyhow::Result<Vec<_>>>()?
    };
    Ok(summarise(samples))
}

/// Sets a file's modification time to now, as `touch` does, so cargo rebuilds its crate.
fn touch(path: &Path) -> anyhow::Result<()> {
    let file = std::fs::File::options()
        .append(true)
        .open(path)
        .with_context(|| format!("bench: cannot open {}", path.display()))?;
    file.set_modified(std::time::SystemTime::now())
        .with_context(|| format!("bench: cannot touch {}", path.display()))
}

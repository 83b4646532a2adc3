//! `cargo xtask fuzz --seconds <N>`: runs the pipeline fuzzer in `codegen/tests/fuzz.rs` for N
//! seconds and prints its exec count, then the name functions' and parameter serialisers'
//! property tests with as many cases as that time buys. `cargo test` runs the same fuzzer and
//! properties for a bounded number of cases; this is the long run.
//!
//! Built optimised for more execs per second, but with debug assertions and overflow checks
//! kept, since those are findings too.

use std::process::Command;

use anyhow::{bail, Context};

const USAGE: &str = "usage: cargo xtask fuzz --seconds <N>";

pub(crate) fn command(args: &[String]) -> anyhow::Result<()> {
    let seconds: u64 = match args {
        [flag, n] if flag == "--seconds" => n
            .parse()
            .with_context(|| format!("fuzz: --seconds takes a whole number, not {n:?}\n{USAGE}"))?,
        [] => bail!("fuzz: --seconds <N> is needed\n{USAGE}"),
        _ => bail!("fuzz: unexpected arguments {args:?}\n{USAGE}"),
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .current_dir(crate::regen::root())
        .env("CODEGEN_FUZZ_SECONDS", seconds.to_string())
        .env("CARGO_PROFILE_RELEASE_DEBUG_ASSERTIONS", "true")
        .env("CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS", "true")
        .args([
            "test",
            "--release",
            "--package",
            "codegen",
            "--test",
            "fuzz",
            "--",
            "--exact",
            "the_pipeline_never_panics_and_emits_valid_rust",
            "--nocapture",
        ])
        .status()
        .with_context(|| format!("fuzz: cannot run {cargo}"))?;
    if !status.success() {
        bail!(
            "fuzz: a finding (or a crash; the input being run is in {}). Reproduce with\n  CODEGEN_FUZZ_INPUT=<file> cargo test -p codegen --test fuzz reproduce -- --ignored --nocapture",
            std::env::temp_dir().join("codegen-fuzz-current-input").display()
        );
    }
    properties(&cargo, seconds)
}

/// The name functions' and the parameter serialisers' property tests, with as many cases as
/// the pipeline fuzzer's time buys (about 2,000 a second each, optimised).
fn properties(cargo: &str, seconds: u64) -> anyhow::Result<()> {
    let cases = seconds
        .saturating_mul(2_000)
        .clamp(512, u64::from(u32::MAX))
        .to_string();
    for (package, filter, env) in [
        ("codegen", "model::names::tests", "CODEGEN_NAME_CASES"),
        (
            "contact-centre-sdk-runtime",
            "encoding::styles::tests",
            "SDK_STYLE_CASES",
        ),
    ] {
        println!("fuzz: {package} {filter} with {cases} cases per property");
        let status = Command::new(cargo)
            .current_dir(crate::regen::root())
            .env(env, &cases)
            .env("CARGO_PROFILE_RELEASE_DEBUG_ASSERTIONS", "true")
            .env("CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS", "true")
            .args([
                "test",
                "--release",
                "--package",
                package,
                "--lib",
                "--",
                filter,
            ])
            .status()
            .with_context(|| format!("fuzz: cannot run {cargo}"))?;
        if !status.success() {
            bail!("fuzz: a property of {filter} failed (proptest printed the minimal input)");
        }
    }
    Ok(())
}

//! `cargo xtask <command>`: the project's command line.
//!
//! - `regen [--check] [--deny-warnings] [--no-rustfmt-cache]`: generate `generated/` from
//!   `specs/`, or check it is current.
//! - `generate <SPEC> --out <DIR> [--deny-warnings] [--repository <URL>]`: generate one crate
//!   anywhere.
//! - `bench [--smoke]`: generation and compile-cost figures for BENCHMARKS.md.
//! - `corpus <DIR>... [--out <DIR>] [--keep] [--deny-warnings] [--doctests]`: generate and
//!   `cargo check` every spec in a folder, and compile their doc examples.
//! - `semver-checks [--only <CASE>] [--work-dir <DIR>]`: cargo-semver-checks on spec pairs, against our diff verdicts.
//! - `fuzz --seconds <N>`: run the pipeline fuzzer (codegen/tests/fuzz.rs) for N seconds.
//! - `diff [--format text|markdown|json] [--fail-on breaking|major]
//!   (<OLD_SPEC> <NEW_SPEC> | --since <GIT_REV> [SPEC...])`: an API change between two specs
//!   as a changelog, with verdicts for HTTP callers and for the crate's semver (xtask/DIFF.md);
//!   `diff --rules` prints the classification table.
//!
//! Every command returns an [`anyhow::Result`]; `main` prints a failure and its causes to
//! stderr and exits 1. A missing or unknown command prints the usage and exits 2.

mod bench;
mod config;
mod corpus;
mod diff;
mod fuzz;
mod history;
mod regen;
mod release;
mod rustfmt;
mod semver_checks;

use std::process::ExitCode;

use anyhow::anyhow;

const USAGE: &str = "usage:
  cargo xtask regen [--check] [--deny-warnings] [--no-rustfmt-cache]
  cargo xtask generate <SPEC> --out <DIR> [--deny-warnings] [--repository <URL>]
  cargo xtask bench [--smoke]
  cargo xtask corpus <DIR>... [--out <DIR>] [--keep] [--deny-warnings] [--doctests]
  cargo xtask fuzz --seconds <N>
  cargo xtask semver-checks [--only <CASE>] [--work-dir <DIR>]
  cargo xtask diff [--format text|markdown|json] [--fail-on breaking|major] (<OLD_SPEC> <NEW_SPEC> | --since <GIT_REV> [SPEC...])
  cargo xtask diff --rules
  cargo xtask history [--bundle FILE] [--table FILE] [--only SPEC] [--show]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regen") => regen::regen_command(&args[1..]),
        Some("generate") => regen::generate_command(&args[1..]),
        Some("diff") => diff::command(&args[1..]),
        Some("semver-checks") => semver_checks::command(&args[1..]),
        Some("bench") => bench::command(&args[1..]),
        Some("corpus") => corpus::command(&args[1..]),
        Some("fuzz") => fuzz::command(&args[1..]),
        Some("history") => history::command(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}", report(&error));
            ExitCode::FAILURE
        }
    }
}

/// A failure as printed: `error: <what failed>`, then one `caused by:` line per cause.
fn report(error: &anyhow::Error) -> String {
    let mut text = format!("error: {error}");
    for cause in error.chain().skip(1) {
        text.push_str(&format!("\n  caused by: {cause}"));
    }
    text
}

/// A codegen error (spec file, place in it, message) as an error of ours. Its own `Display`
/// starts with `error: `, which [`report`] prints already, so it is spelled from its parts.
pub(crate) fn spec_error(error: &codegen::Error) -> anyhow::Error {
    anyhow!(
        "{}{}: {}",
        error.file.display(),
        error.location,
        error.message
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;
    use std::path::Path;

    #[test]
    fn a_failure_is_printed_with_each_cause_on_its_own_line() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let error = Err::<(), _>(io)
            .context("cannot read specs/a.json")
            .context("diff: the old spec")
            .unwrap_err();
        assert_eq!(
            report(&error),
            "error: diff: the old spec\n  caused by: cannot read specs/a.json\n  caused by: no such file"
        );
    }

    #[test]
    fn a_codegen_error_names_its_file_and_place_once() {
        let error = codegen::Error::at(Path::new("specs/a.json"), "/paths", "bad");
        assert_eq!(
            report(&spec_error(&error)),
            "error: specs/a.json at #/paths: bad"
        );
    }
}

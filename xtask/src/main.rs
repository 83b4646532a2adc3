//! `cargo xtask <command>`: the project's command line.
//!
//! - `regen [--check] [--deny-warnings]`: generate `generated/` from `specs/`, or check it is current.
//! - `generate <SPEC> --out <DIR> [--deny-warnings]`: generate one crate anywhere.
//! - `bench [--smoke]`: generation and compile-cost figures for BENCHMARKS.md.
//! - `corpus <DIR> [--out <DIR>] [--keep] [--deny-warnings]`: generate and `cargo check` every spec in a folder.
//! - `semver-checks [--only <CASE>]`: cargo-semver-checks on spec pairs, against our diff verdicts.
//! - `fuzz --seconds <N>`: run the pipeline fuzzer (codegen/tests/fuzz.rs) for N seconds.

mod bench;
mod corpus;
mod diff;
mod fuzz;
mod regen;
mod semver_checks;

use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask regen [--check] [--deny-warnings]
  cargo xtask generate <SPEC> --out <DIR> [--deny-warnings]
  cargo xtask bench [--smoke]
  cargo xtask corpus <DIR> [--out <DIR>] [--keep] [--deny-warnings]
  cargo xtask fuzz --seconds <N>
  cargo xtask semver-checks [--only <CASE>] [--work-dir <DIR>]
  cargo xtask diff [--format text|markdown|json] [--fail-on breaking|major] (<OLD_SPEC> <NEW_SPEC> | --since <GIT_REV> [SPEC...])";

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
        Err(message) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            ExitCode::FAILURE
        }
    }
}

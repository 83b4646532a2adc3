//! rustfmt over the Rust files of generated crates before they are written or compared.
//!
//! codegen prints with prettyplease, which needs no toolchain and lays out any token stream
//! readably, but its layout is not rustfmt's. The crates in `generated/` are members of our
//! workspace and of users' workspaces, where `cargo fmt --all --check` must pass, so what is
//! checked in is rustfmt's layout: the same thing rust-analyzer's xtask does with its generated
//! files. rustfmt's stability guarantee (formatted code stays formatted across releases of one
//! style edition) keeps `regen --check` independent of the toolchain's version.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{bail, Context};

/// Generated crates' edition, which also selects rustfmt's style edition.
const EDITION: &str = "2024";

/// Formats every `.rs` file in `files` in place, with the workspace's rustfmt configuration
/// if `root` has one, as `cargo fmt` would use.
///
/// One rustfmt process formats them all, through a scratch folder: starting rustfmt costs
/// more than formatting one generated file, and a process per file (through stdin) took twice
/// as long (0.2 s against 0.1 s for the crates in `generated/`).
pub(crate) fn format_files(
    files: &mut BTreeMap<PathBuf, String>,
    root: &Path,
) -> anyhow::Result<()> {
    let rust: Vec<PathBuf> = files
        .keys()
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .cloned()
        .collect();
    if rust.is_empty() {
        return Ok(());
    }
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let scratch = std::env::temp_dir().join(format!(
        "xtask-rustfmt-{}-{}",
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    ));
    let result = format_in(&scratch, files, &rust, root);
    let _ = fs::remove_dir_all(&scratch);
    result
}

fn format_in(
    scratch: &Path,
    files: &mut BTreeMap<PathBuf, String>,
    rust: &[PathBuf],
    root: &Path,
) -> anyhow::Result<()> {
    let _ = fs::remove_dir_all(scratch);
    for path in rust {
        let file = scratch.join(path);
        fs::create_dir_all(file.parent().expect("a file has a folder"))
            .and_then(|()| fs::write(&file, &files[path]))
            .with_context(|| format!("cannot write {}", file.display()))?;
    }
    let mut rustfmt = Command::new("rustfmt");
    rustfmt.args(["--edition", EDITION]);
    // Files in the scratch folder would not find the workspace's configuration by themselves.
    if let Some(config) = ["rustfmt.toml", ".rustfmt.toml"]
        .iter()
        .map(|name| root.join(name))
        .find(|path| path.is_file())
    {
        rustfmt.arg("--config-path").arg(config);
    }
    let output = rustfmt
        .args(rust.iter().map(|path| scratch.join(path)))
        .output()
        .context("cannot run rustfmt (install it with `rustup component add rustfmt`)")?;
    if !output.status.success() {
        // prettyplease's output always parses, so this is a generator bug or a broken rustfmt.
        let prefix = format!("{}/", scratch.display());
        bail!(
            "rustfmt failed on the generated files ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
                .replace(&prefix, "")
                .trim_end()
        );
    }
    for path in rust {
        let file = scratch.join(path);
        let formatted =
            fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
        files.insert(path.clone(), formatted);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_files_get_rustfmt_layout_and_others_are_left_alone() {
        let mut files = BTreeMap::from([
            (
                PathBuf::from("a/src/lib.rs"),
                "pub fn f( x:u8 )->u8{x}\n".to_owned(),
            ),
            (
                PathBuf::from("a/Cargo.toml"),
                "[package]  \nname='a'\n".to_owned(),
            ),
        ]);
        format_files(&mut files, Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        assert_eq!(
            files[Path::new("a/src/lib.rs")],
            "pub fn f(x: u8) -> u8 {\n    x\n}\n"
        );
        assert_eq!(files[Path::new("a/Cargo.toml")], "[package]  \nname='a'\n");
    }

    #[test]
    fn a_file_rustfmt_cannot_parse_is_an_error_naming_it() {
        let mut files = BTreeMap::from([(PathBuf::from("b/src/lib.rs"), "fn (".to_owned())]);
        let error = format_files(&mut files, Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap_err();
        let message = format!("{error:#}");
        assert!(
            message.starts_with("rustfmt failed on the generated files")
                && message.contains(" b/src/lib.rs:1:")
                && !message.contains("xtask-rustfmt-"),
            "{message}"
        );
    }
}

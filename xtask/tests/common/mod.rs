//! What the xtask integration tests share: running the binary, and a scratch folder.

#![allow(dead_code, reason = "each test crate uses its own part of this module")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn xtask(args: &[&str]) -> Output {
    xtask_in(Path::new("."), args)
}

/// The xtask binary run from `dir` (relative paths in `args` are read from there).
pub(crate) fn xtask_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("xtask runs")
}

/// `cargo xtask generate SPEC --out OUT`, then any further arguments.
pub(crate) fn generate(spec: &Path, out: &Path, more: &[&str]) -> Output {
    let mut args = vec![
        "generate",
        spec.to_str().expect("UTF-8 path"),
        "--out",
        out.to_str().expect("UTF-8 path"),
    ];
    args.extend_from_slice(more);
    xtask(&args)
}

/// Fails the test with the command's stderr unless it succeeded.
pub(crate) fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An empty folder of the test's own under the temp folder, removed when dropped.
pub(crate) struct Scratch(PathBuf);

impl Scratch {
    pub(crate) fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        Scratch(dir)
    }

    pub(crate) fn join(&self, path: &str) -> PathBuf {
        self.0.join(path)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

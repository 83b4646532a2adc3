//! Records `rustfmt --version` for the formatting cache's key (src/rustfmt.rs), so that running
//! xtask never starts rustfmt just to ask. A new toolchain rebuilds xtask and reruns this.

use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=RUSTUP_TOOLCHAIN");
    let version = Command::new("rustfmt")
        .arg("--version")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        // Without rustfmt nothing is formatted, so nothing is cached under this key either.
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo::rustc-env=XTASK_RUSTFMT_VERSION={version}");
}

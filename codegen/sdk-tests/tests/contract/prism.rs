//! Runs the Prism mock server (`@stoplight/prism-cli`, pinned in
//! `.ci/tools/prism/package.json`) for one spec and collects what it logs.
//!
//! Prism is found at `.ci/tools/prism/node_modules/.bin/prism` under the workspace
//! root, or wherever the `PRISM` environment variable points. A missing Node.js or
//! Prism fails the test with the command that installs it: contract tests never skip.

use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Slow CI machines (2 shared cores) can take many seconds to start node.
const STARTUP_DEADLINE: Duration = Duration::from_secs(90);
const INSTALL_COMMAND: &str =
    "npm ci --prefix .ci/tools/prism --no-audit --no-fund --ignore-scripts";
const MIN_NODE: (u32, u32) = (20, 19);

/// Prism's two ways of answering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Answers with the spec's examples (or, without examples, a fixed sample).
    Static,
    /// `--dynamic`: answers with random data generated from the response schemas.
    Dynamic,
}

/// Everything Prism wrote to stdout and stderr so far, one entry per line.
#[derive(Clone, Default)]
pub(crate) struct Log {
    lines: Arc<(Mutex<Vec<String>>, Condvar)>,
}

impl Log {
    fn push(&self, line: String) {
        let (lines, changed) = &*self.lines;
        lines.lock().unwrap().push(line);
        changed.notify_all();
    }

    pub(crate) fn lines(&self) -> Vec<String> {
        self.lines.0.lock().unwrap().clone()
    }

    /// Waits until `done` holds for the lines so far; false if the deadline passed first.
    pub(crate) fn wait_until(&self, deadline: Duration, done: impl Fn(&[String]) -> bool) -> bool {
        let (lines, changed) = &*self.lines;
        let start = Instant::now();
        let mut guard = lines.lock().unwrap();
        while !done(&guard) {
            let Some(left) = deadline.checked_sub(start.elapsed()) else {
                return false;
            };
            guard = changed.wait_timeout(guard, left).unwrap().0;
        }
        true
    }

    fn collect_from(&self, stream: impl Read + Send + 'static) {
        let log = self.clone();
        thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                log.push(line);
            }
        });
    }
}

/// A running `prism mock`; killed when dropped, so a failing test never leaks it.
pub(crate) struct Prism {
    child: Child,
    pub url: String,
    pub log: Log,
}

impl Prism {
    /// Starts `prism mock <spec>` on a free loopback port and waits until it listens.
    pub(crate) fn start(spec: &Path, mode: Mode, seed: Option<&str>) -> Prism {
        let prism = prism_executable();
        // Another process can take the port between our probe and Prism's bind.
        for _ in 0..3 {
            match Prism::try_start(&prism, spec, mode, seed) {
                Ok(running) => return running,
                Err(log) if log.iter().any(|l| l.contains("EADDRINUSE")) => continue,
                Err(log) => panic!(
                    "prism mock {} exited before listening:\n{}",
                    spec.display(),
                    log.join("\n")
                ),
            }
        }
        panic!(
            "prism mock {}: no free port after 3 attempts",
            spec.display()
        );
    }

    /// `Err` with Prism's output if it exited before listening.
    fn try_start(
        prism: &Path,
        spec: &Path,
        mode: Mode,
        seed: Option<&str>,
    ) -> Result<Prism, Vec<String>> {
        let port = free_port();
        let mut command = Command::new(prism);
        command
            .arg("mock")
            .arg(spec)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            // Plain log lines: no colour codes to strip.
            .env("FORCE_COLOR", "0")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if mode == Mode::Dynamic {
            command.arg("--dynamic");
            if let Some(seed) = seed {
                command.args(["--seed", seed]);
            }
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", prism.display()));
        let log = Log::default();
        log.collect_from(child.stdout.take().unwrap());
        log.collect_from(child.stderr.take().unwrap());
        let mut running = Prism {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
        };
        running.wait_until_listening(spec)?;
        Ok(running)
    }

    fn wait_until_listening(&mut self, spec: &Path) -> Result<(), Vec<String>> {
        let start = Instant::now();
        loop {
            let listening = self.log.wait_until(Duration::from_millis(200), |lines| {
                lines.iter().any(|l| l.contains("Prism is listening on"))
            });
            if listening {
                return Ok(());
            }
            if self.child.try_wait().unwrap().is_some() {
                // Let the reader threads drain what Prism wrote before it exited.
                thread::sleep(Duration::from_millis(200));
                return Err(self.log.lines());
            }
            assert!(
                start.elapsed() < STARTUP_DEADLINE,
                "prism mock {} did not listen within {STARTUP_DEADLINE:?}:\n{}",
                spec.display(),
                self.log.lines().join("\n")
            );
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // Already exited is fine; there is nothing else to clean up.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Binds port 0 to let the OS pick a free port, then releases it for Prism.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("bind a loopback port")
        .port()
}

fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// `$PRISM` (any prism executable, used as is), or the one installed under
/// `.ci/tools/prism`, which needs Node.js; fails saying what to install.
fn prism_executable() -> PathBuf {
    if let Some(path) = std::env::var_os("PRISM") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "PRISM={} is not a file; unset it to use the one `{INSTALL_COMMAND}` installs",
            path.display()
        );
        return path;
    }
    require_node();
    let path = workspace_root().join(".ci/tools/prism/node_modules/.bin/prism");
    assert!(
        path.is_file(),
        "Prism is not installed at {}: run `{INSTALL_COMMAND}` in the repository root \
         (.ci/run does this), or point PRISM at a prism executable",
        path.display()
    );
    path
}

/// Prism 5.16 needs `require(esm)` for its faker dependency, which Node.js has
/// since 20.19 (its package.json asks for >= 24.18, but 20.19 runs it).
fn require_node() {
    let install = format!(
        "install Node.js (>= {}.{}) and npm, then run `{INSTALL_COMMAND}`",
        MIN_NODE.0, MIN_NODE.1
    );
    let output = Command::new("node")
        .arg("--version")
        .output()
        .unwrap_or_else(|e| {
            panic!("the contract tests run Prism on Node.js, and `node` cannot be run ({e}): {install}")
        });
    let version = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let mut numbers = version
        .trim_start_matches('v')
        .split('.')
        .map(|n| n.parse::<u32>().ok());
    let major_minor = (numbers.next().flatten(), numbers.next().flatten());
    match major_minor {
        (Some(major), Some(minor)) if output.status.success() && (major, minor) >= MIN_NODE => {}
        _ => panic!(
            "the contract tests run Prism on Node.js, and `node --version` says {version:?}: {install}"
        ),
    }
}

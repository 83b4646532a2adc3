//! rustfmt over the Rust files of generated crates before they are written or compared.
//!
//! codegen prints with prettyplease, which needs no toolchain and lays out any token stream
//! readably, but its layout is not rustfmt's. The crates in `generated/` are members of our
//! workspace and of users' workspaces, where `cargo fmt --all --check` must pass, so what is
//! checked in is rustfmt's layout: the same thing rust-analyzer's xtask does with its generated
//! files. rustfmt's stability guarantee (formatted code stays formatted across releases of one
//! style edition) keeps `regen --check` independent of the toolchain's version.
//!
//! rustfmt is most of `regen --check`'s time (about 0.1 s of 0.13 s for the four specs), and
//! its output is a pure function of its input, its version, the edition and the config. So
//! each formatted file's SHA-256 is remembered under target/, keyed by the SHA-256 of those
//! four; a file whose prettyplease text is unchanged and whose previous output is still on
//! disk with that hash is taken from disk without running rustfmt. The cache only ever
//! vouches for bytes rustfmt wrote once: it holds hashes, never text.
//!
//! A fresh clone (CI) has no target folder, so `regen` also checks in the same facts for the
//! files it writes, beside the crates: `generated/.rustfmt-record` ([`record`]). It is part of
//! the output, so `regen --check` fails when it is stale, and a test in `regen.rs` formats
//! every file without either (`uncached`) and compares the whole of `generated/`, the record
//! included, on every `cargo test`: what the record vouches for is proven, not trusted.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context};
use codegen::{Fingerprint, KnownLayout};
use sha2::{Digest, Sha256};

mod record;

use record::Record;
pub(crate) use record::RECORD;

/// Generated crates' edition, which also selects rustfmt's style edition.
const EDITION: &str = "2024";

/// `rustfmt --version` when xtask was built (build.rs): a new toolchain rebuilds xtask, so
/// this is the rustfmt `cargo xtask` runs, without starting it to ask (that takes 15 to 45 ms).
const RUSTFMT_VERSION: &str = env!("XTASK_RUSTFMT_VERSION");

/// More entries than this and those not used by the latest run are dropped: a bound on the
/// file's size that keeps every crate of a run, and `regen`'s and `generate`'s side by side.
const CACHE_LIMIT: usize = 4096;

/// How generated Rust files are formatted: which rustfmt, with which configuration, and where
/// it remembers what it formatted.
pub(crate) struct Rustfmt {
    program: OsString,
    /// The workspace's rustfmt configuration, as `cargo fmt` would use it.
    config: Option<PathBuf>,
    /// The cache file; `None` formats every file.
    cache: Option<PathBuf>,
    /// Whether the record of the folder written to is read (it never is without a cache) and
    /// a new one added to the output.
    record: bool,
}

impl Rustfmt {
    /// The workspace's rustfmt (its configuration from `root`, if it has one), with its cache
    /// in the target folder.
    pub(crate) fn for_workspace(root: &Path) -> Rustfmt {
        Rustfmt {
            program: "rustfmt".into(),
            config: ["rustfmt.toml", ".rustfmt.toml"]
                .iter()
                .map(|name| root.join(name))
                .find(|path| path.is_file()),
            cache: Some(crate::regen::target_dir().join("xtask-rustfmt-cache")),
            record: false,
        }
    }

    /// The same, reading and writing the [`RECORD`] of the folder written to (`regen`'s).
    pub(crate) fn recorded(self) -> Rustfmt {
        Rustfmt {
            record: true,
            ..self
        }
    }

    /// The same, formatting every file whatever the cache says.
    pub(crate) fn uncached(self) -> Rustfmt {
        Rustfmt {
            cache: None,
            ..self
        }
    }

    /// Formats every `.rs` file in `files` in place. `written` is where the files were written
    /// before (`generated/`, or `generate`'s `--out`): a file there that is rustfmt's output
    /// of the same text, by the record or the cache, is used as it is.
    pub(crate) fn format(
        &self,
        files: &mut BTreeMap<PathBuf, String>,
        written: &Path,
    ) -> anyhow::Result<()> {
        self.format_known(files, written, &BTreeMap::new())
    }

    /// What codegen may take from `written` instead of formatting: the record there, when
    /// this formatter reads one ([`recorded`](Self::recorded), with a cache).
    pub(crate) fn known_layout(&self, written: &Path) -> Option<Arc<dyn KnownLayout>> {
        (self.record && self.cache.is_some())
            .then(|| Arc::new(Record::read(written)) as Arc<dyn KnownLayout>)
    }

    /// [`format`](Self::format), where `fingerprints` holds codegen's fingerprint of each
    /// crate file (path under `written`): a file whose text codegen took from the record is
    /// final and left alone, and the record keeps each file under its tokens' fingerprint.
    pub(crate) fn format_known(
        &self,
        files: &mut BTreeMap<PathBuf, String>,
        written: &Path,
        fingerprints: &BTreeMap<PathBuf, Fingerprint>,
    ) -> anyhow::Result<()> {
        let config = match &self.config {
            Some(path) => fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?,
            None => String::new(),
        };
        let mut cache = self.cache.as_deref().map(Cache::read).unwrap_or_default();
        let record = match self.record && self.cache.is_some() {
            true => Record::read(written),
            false => Record::default(),
        };
        let mut keys = BTreeMap::new();
        let mut pending = Vec::new();
        for (path, text) in files.iter_mut() {
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            if let Some(fingerprint) = fingerprints.get(path) {
                keys.insert(path.clone(), fingerprint.tokens.clone());
                if fingerprint.known {
                    continue;
                }
            }
            let input = input_hash(&config, text);
            let key = hex(&Sha256::new()
                .chain_update(format!("{RUSTFMT_VERSION}\0"))
                .chain_update(&input)
                .finalize());
            let file = written.join(path);
            let known = record
                .formatted(path, &input, &file)
                .or_else(|| cache.formatted(&key, &file));
            match known {
                Some(formatted) => *text = formatted,
                None => pending.push((path.clone(), key)),
            }
            keys.entry(path.clone()).or_insert(input);
        }
        if !pending.is_empty() {
            let paths: Vec<PathBuf> = pending.iter().map(|(path, _)| path.clone()).collect();
            self.run(files, &paths)?;
            for (path, key) in pending {
                cache.insert(key, hex(&Sha256::digest(&files[&path])));
            }
        }
        self.save(&cache);
        if self.record {
            let record = Record::of(&keys, files);
            files.insert(PathBuf::from(RECORD), record);
        }
        Ok(())
    }

    fn save(&self, cache: &Cache) {
        if let Some(path) = &self.cache {
            // The cache only saves time: a target folder it cannot be written to (read-only,
            // full) costs the next run rustfmt's time, not its result.
            let _ = cache.write(path);
        }
    }

    /// Runs one rustfmt process over `rust` (of `files`), through a scratch folder: starting rustfmt costs
    /// more than formatting one generated file, and a process per file (through stdin) took
    /// twice as long (0.2 s against 0.1 s for the crates in `generated/`).
    fn run(&self, files: &mut BTreeMap<PathBuf, String>, rust: &[PathBuf]) -> anyhow::Result<()> {
        let scratch = std::env::temp_dir().join(format!("xtask-rustfmt-{}", unique()));
        let result = self.run_in(&scratch, files, rust);
        let _ = fs::remove_dir_all(&scratch);
        result
    }

    fn run_in(
        &self,
        scratch: &Path,
        files: &mut BTreeMap<PathBuf, String>,
        rust: &[PathBuf],
    ) -> anyhow::Result<()> {
        let _ = fs::remove_dir_all(scratch);
        // Every Rust file, not only those to format: rustfmt follows a `mod` to its file and
        // fails where there is none. (Files the cache gave are already formatted, so rustfmt
        // leaves them as they are.)
        let every = files
            .keys()
            .filter(|path| path.extension().is_some_and(|e| e == "rs"));
        for path in every {
            let file = scratch.join(path);
            fs::create_dir_all(file.parent().expect("a file has a folder"))
                .and_then(|()| fs::write(&file, &files[path]))
                .with_context(|| format!("cannot write {}", file.display()))?;
        }
        let mut rustfmt = Command::new(&self.program);
        rustfmt.args(["--edition", EDITION]);
        // Files in the scratch folder would not find the workspace's configuration by themselves.
        if let Some(config) = &self.config {
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
            let formatted = fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            files.insert(path.clone(), formatted);
        }
        Ok(())
    }
}

/// Formats every `.rs` file in `files` in place, as [`Rustfmt::for_workspace`] does for
/// `root`, taking files already formatted from `written`.
pub(crate) fn format_files(
    files: &mut BTreeMap<PathBuf, String>,
    root: &Path,
    written: &Path,
) -> anyhow::Result<()> {
    Rustfmt::for_workspace(root).format(files, written)
}

/// What rustfmt made of inputs it saw: the hash of the input (with version, edition and
/// configuration) to the hash of the output. One `key value` line per entry.
#[derive(Default)]
struct Cache {
    entries: HashMap<String, String>,
    /// Keys looked up or added by this run, which a full cache keeps.
    used: Vec<String>,
    changed: bool,
}

impl Cache {
    /// The cache at `path`; a missing or unreadable one is empty (it only saves time).
    fn read(path: &Path) -> Cache {
        let text = fs::read_to_string(path).unwrap_or_default();
        let entries = text
            .lines()
            .filter_map(|line| line.split_once(' '))
            .map(|(key, value)| (key.to_owned(), value.to_owned()))
            .collect();
        Cache {
            entries,
            ..Cache::default()
        }
    }

    /// The text of `file` if the cache says it is rustfmt's output for `key`.
    fn formatted(&mut self, key: &str, file: &Path) -> Option<String> {
        let expected = self.entries.get(key)?;
        let text = fs::read_to_string(file).ok()?;
        if hex(&Sha256::digest(&text)) != *expected {
            return None;
        }
        self.used.push(key.to_owned());
        Some(text)
    }

    fn insert(&mut self, key: String, formatted: String) {
        self.used.push(key.clone());
        self.entries.insert(key, formatted);
        self.changed = true;
    }

    /// Writes the cache if this run added to it, through a temporary file so that a reader
    /// never sees half of it.
    fn write(&self, path: &Path) -> anyhow::Result<()> {
        if !self.changed {
            return Ok(());
        }
        let mut kept: Vec<(&String, &String)> = if self.entries.len() > CACHE_LIMIT {
            self.used
                .iter()
                .filter_map(|key| self.entries.get_key_value(key))
                .collect()
        } else {
            self.entries.iter().collect()
        };
        kept.sort();
        kept.dedup();
        let text: String = kept
            .iter()
            .map(|(key, value)| format!("{key} {value}\n"))
            .collect();
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder)
                .with_context(|| format!("cannot create {}", folder.display()))?;
        }
        let tmp = path.with_extension(format!("tmp-{}", unique()));
        fs::write(&tmp, text)
            .and_then(|()| fs::rename(&tmp, path))
            .with_context(|| format!("cannot write the rustfmt cache {}", path.display()))
    }
}

/// A name no other call in any process uses at the same time: the process id and a count.
fn unique() -> String {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    )
}

/// The SHA-256 of what rustfmt's output depends on besides its version: the edition, the
/// configuration and the text. The version is left out of the record on purpose: rustfmt
/// promises that formatted code stays formatted across releases of one style edition, so a
/// new toolchain must not make a checked-in `generated/` stale.
fn input_hash(config: &str, text: &str) -> String {
    hex(&Sha256::new()
        .chain_update(format!("{EDITION}\0{}\0", config.len()))
        .chain_update(config)
        .chain_update(text)
        .finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch folder for one test: the cache file and the folder files are written to.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir = std::env::temp_dir()
                .join(format!("xtask-rustfmt-test-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        /// The workspace's rustfmt, or a program that does not exist (any attempt to run
        /// rustfmt then fails), with this folder's cache.
        fn rustfmt(&self, runs: bool) -> Rustfmt {
            Rustfmt {
                program: if runs {
                    "rustfmt".into()
                } else {
                    self.0.join("no-rustfmt-here").into()
                },
                cache: Some(self.0.join("cache")),
                record: false,
                ..Rustfmt::for_workspace(Path::new(env!("CARGO_MANIFEST_DIR")))
            }
        }

        fn written(&self) -> PathBuf {
            self.0.join("out")
        }

        /// Writes `files` where the next run finds its previous output.
        fn write(&self, files: &BTreeMap<PathBuf, String>) {
            for (path, text) in files {
                let file = self.written().join(path);
                fs::create_dir_all(file.parent().unwrap()).unwrap();
                fs::write(file, text).unwrap();
            }
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    const UNFORMATTED: &str = "pub fn f( x:u8 )->u8{x}\n";
    const FORMATTED: &str = "pub fn f(x: u8) -> u8 {\n    x\n}\n";

    fn lib(text: &str) -> BTreeMap<PathBuf, String> {
        BTreeMap::from([(PathBuf::from("a/src/lib.rs"), text.to_owned())])
    }

    #[test]
    fn rust_files_get_rustfmt_layout_and_others_are_left_alone() {
        let mut files = BTreeMap::from([
            (PathBuf::from("a/src/lib.rs"), UNFORMATTED.to_owned()),
            (
                PathBuf::from("a/Cargo.toml"),
                "[package]  \nname='a'\n".to_owned(),
            ),
        ]);
        let scratch = Scratch::new("layout");
        format_files(
            &mut files,
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &scratch.written(),
        )
        .unwrap();
        assert_eq!(files[Path::new("a/src/lib.rs")], FORMATTED);
        assert_eq!(files[Path::new("a/Cargo.toml")], "[package]  \nname='a'\n");
    }

    #[test]
    fn a_file_rustfmt_cannot_parse_is_an_error_naming_it() {
        let mut files = BTreeMap::from([(PathBuf::from("b/src/lib.rs"), "fn (".to_owned())]);
        let scratch = Scratch::new("parse");
        let error = scratch
            .rustfmt(true)
            .format(&mut files, &scratch.written())
            .unwrap_err();
        let message = format!("{error:#}");
        assert!(
            message.starts_with("rustfmt failed on the generated files")
                && message.contains(" b/src/lib.rs:1:")
                && !message.contains("xtask-rustfmt-"),
            "{message}"
        );
    }

    #[test]
    fn a_file_rustfmt_wrote_before_is_taken_from_disk_without_running_it() {
        let scratch = Scratch::new("hit");
        let mut files = lib(UNFORMATTED);
        scratch
            .rustfmt(true)
            .format(&mut files, &scratch.written())
            .unwrap();
        scratch.write(&files);
        let mut again = lib(UNFORMATTED);
        scratch
            .rustfmt(false)
            .format(&mut again, &scratch.written())
            .unwrap();
        assert_eq!(again, lib(FORMATTED));
    }

    /// The first run's output, record included, as `regen` writes it; the target cache then
    /// removed, as on a fresh clone.
    fn recorded_clone(scratch: &Scratch) -> BTreeMap<PathBuf, String> {
        let mut files = lib(UNFORMATTED);
        let rustfmt = scratch.rustfmt(true).recorded();
        rustfmt.format(&mut files, &scratch.written()).unwrap();
        scratch.write(&files);
        fs::remove_file(scratch.0.join("cache")).unwrap();
        files
    }

    #[test]
    fn a_fresh_clone_takes_recorded_files_from_disk_without_running_rustfmt() {
        let scratch = Scratch::new("record");
        let first = recorded_clone(&scratch);
        assert_eq!(first[Path::new("a/src/lib.rs")], FORMATTED);
        assert!(first[Path::new(RECORD)].contains("a/src/lib.rs\t"));
        let mut again = lib(UNFORMATTED);
        let rustfmt = scratch.rustfmt(false).recorded();
        rustfmt.format(&mut again, &scratch.written()).unwrap();
        assert_eq!(again, first, "the same files and the same record");
    }

    #[test]
    fn the_record_does_not_vouch_for_a_file_edited_on_disk_or_a_changed_input() {
        let scratch = Scratch::new("record-miss");
        recorded_clone(&scratch);
        scratch.write(&lib("pub fn f(x: u8) -> u8 { x }\n"));
        let rustfmt = scratch.rustfmt(false).recorded();
        let edited = rustfmt.format(&mut lib(UNFORMATTED), &scratch.written());
        let scratch = Scratch::new("record-input");
        recorded_clone(&scratch);
        let rustfmt = scratch.rustfmt(false).recorded();
        let changed = rustfmt.format(&mut lib("pub fn f( x:u16 )->u16{x}\n"), &scratch.written());
        for error in [edited.unwrap_err(), changed.unwrap_err()] {
            let error = format!("{error:#}");
            assert!(error.starts_with("cannot run rustfmt"), "{error}");
        }
    }

    #[test]
    fn without_a_cache_the_record_is_written_but_never_read() {
        let scratch = Scratch::new("record-uncached");
        let first = recorded_clone(&scratch);
        let mut again = lib(UNFORMATTED);
        let rustfmt = scratch.rustfmt(true).recorded().uncached();
        rustfmt.format(&mut again, &scratch.written()).unwrap();
        assert_eq!(again, first);
        let rustfmt = scratch.rustfmt(false).recorded().uncached();
        let error = rustfmt.format(&mut lib(UNFORMATTED), &scratch.written());
        assert!(format!("{:#}", error.unwrap_err()).starts_with("cannot run rustfmt"));
    }

    #[test]
    fn a_file_edited_on_disk_or_a_changed_input_is_formatted_again() {
        let scratch = Scratch::new("miss");
        let mut files = lib(UNFORMATTED);
        scratch
            .rustfmt(true)
            .format(&mut files, &scratch.written())
            .unwrap();
        // The output on disk edited by hand: the cache no longer vouches for it.
        scratch.write(&lib("pub fn f(x: u8) -> u8 { x }\n"));
        let error = scratch
            .rustfmt(false)
            .format(&mut lib(UNFORMATTED), &scratch.written())
            .unwrap_err();
        assert!(
            format!("{error:#}").starts_with("cannot run rustfmt"),
            "{error:#}"
        );
        let mut again = lib(UNFORMATTED);
        scratch
            .rustfmt(true)
            .format(&mut again, &scratch.written())
            .unwrap();
        assert_eq!(again, lib(FORMATTED));
        // The generator's output changed: formatted, whatever is on disk.
        scratch.write(&again);
        let error = scratch
            .rustfmt(false)
            .format(&mut lib("pub fn f( x:u16 )->u16{x}\n"), &scratch.written())
            .unwrap_err();
        assert!(
            format!("{error:#}").starts_with("cannot run rustfmt"),
            "{error:#}"
        );
    }

    #[test]
    fn a_changed_file_is_formatted_beside_the_cached_modules_it_declares() {
        let scratch = Scratch::new("modules");
        let crate_files = |lib: &str| {
            BTreeMap::from([
                (PathBuf::from("a/src/lib.rs"), lib.to_owned()),
                (PathBuf::from("a/src/types.rs"), UNFORMATTED.to_owned()),
            ])
        };
        let mut files = crate_files("mod types;\n");
        scratch
            .rustfmt(true)
            .format(&mut files, &scratch.written())
            .unwrap();
        scratch.write(&files);
        let mut again = crate_files("mod  types;\npub use types::f;\n");
        scratch
            .rustfmt(true)
            .format(&mut again, &scratch.written())
            .unwrap();
        assert_eq!(
            again[Path::new("a/src/lib.rs")],
            "mod types;\npub use types::f;\n"
        );
        assert_eq!(again[Path::new("a/src/types.rs")], FORMATTED);
    }

    #[test]
    fn without_a_cache_every_file_is_formatted() {
        let scratch = Scratch::new("uncached");
        let mut files = lib(UNFORMATTED);
        scratch
            .rustfmt(true)
            .format(&mut files, &scratch.written())
            .unwrap();
        scratch.write(&files);
        let error = scratch
            .rustfmt(false)
            .uncached()
            .format(&mut lib(UNFORMATTED), &scratch.written())
            .unwrap_err();
        assert!(
            format!("{error:#}").starts_with("cannot run rustfmt"),
            "{error:#}"
        );
    }
}

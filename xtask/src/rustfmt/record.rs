//! `generated/.rustfmt-record`: for each Rust file `regen` wrote, the hash of what went into
//! rustfmt and the hash of what came out.
//!
//! The target folder's cache does the same for a machine that has formatted before; the record
//! travels with the repository, so a fresh clone's `regen --check` (CI's, a reviewer's) runs
//! no rustfmt when nothing changed, and one that changed one spec formats that crate's files
//! only. It holds hashes, never text: a file is taken from disk only if its bytes hash to what
//! rustfmt once wrote for the same input.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use codegen::KnownLayout;
use sha2::{Digest, Sha256};

use super::hex;

/// The record's path below the folder `regen` writes.
pub(crate) const RECORD: &str = ".rustfmt-record";

const HEADER: &str =
    "# Written by `cargo xtask regen` (xtask/src/rustfmt/record.rs): per generated Rust file, \
the SHA-256 of rustfmt's input and of its output.\n";

/// The record as read: path -> (input hash, output hash), and the folder it describes.
///
/// The input hash is the fingerprint of the file's tokens for a crate's files (codegen asks
/// the record through [`KnownLayout`] before it formats them, `codegen/src/emit/layout.rs`),
/// and the hash of prettyplease's text for files codegen formats without asking (the tests'
/// driver crate), looked up before rustfmt runs.
#[derive(Debug, Default)]
pub(super) struct Record {
    entries: HashMap<PathBuf, (String, String)>,
    dir: PathBuf,
}

impl Record {
    /// The record at `path`; a missing or malformed one is empty (it only saves time:
    /// `regen --check` then formats and reports the record itself as stale).
    pub(super) fn read(dir: &Path) -> Record {
        let text = fs::read_to_string(dir.join(RECORD)).unwrap_or_default();
        let entries = text
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let mut fields = line.split('\t');
                let (path, input, output) = (fields.next()?, fields.next()?, fields.next()?);
                Some((PathBuf::from(path), (input.to_owned(), output.to_owned())))
            })
            .collect();
        Record {
            entries,
            dir: dir.to_path_buf(),
        }
    }

    /// The text of `file` if the record says it is rustfmt's output for `input` at `path`.
    pub(super) fn formatted(&self, path: &Path, input: &str, file: &Path) -> Option<String> {
        let (recorded_input, output) = self.entries.get(path)?;
        if recorded_input != input {
            return None;
        }
        let text = fs::read_to_string(file).ok()?;
        (hex(&Sha256::digest(&text)) == *output).then_some(text)
    }

    /// The record of `files` once formatted, `inputs` being the hash of each one's input.
    /// Sorted by path, one tab-separated line per file, so that it is byte-identical run to run.
    pub(super) fn of(
        inputs: &BTreeMap<PathBuf, String>,
        files: &BTreeMap<PathBuf, String>,
    ) -> String {
        let mut text = String::from(HEADER);
        for (path, input) in inputs {
            let output = hex(&Sha256::digest(&files[path]));
            // Generated paths are relative, ASCII and `/`-separated on every platform we run.
            let shown = path.to_string_lossy().replace('\\', "/");
            text.push_str(&format!("{shown}\t{input}\t{output}\n"));
        }
        text
    }
}

impl KnownLayout for Record {
    fn final_text(&self, package: &str, path: &str, fingerprint: &str) -> Option<String> {
        let path = Path::new(package).join(path);
        self.formatted(&path, fingerprint, &self.dir.join(&path))
    }
}

//! Errors and warnings that name the file and the place in it.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a spec file something is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// The whole file (e.g. it is empty).
    File,
    /// A 1-based line and column, from the YAML or JSON parser.
    LineColumn { line: usize, column: usize },
    /// An RFC 6901 JSON pointer into the document, e.g. `/paths/~1users/get`.
    Pointer(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => Ok(()),
            Location::LineColumn { line, column } => write!(f, ":{line}:{column}"),
            Location::Pointer(p) if p.is_empty() => f.write_str(" at #"),
            Location::Pointer(p) => write!(f, " at #{p}"),
        }
    }
}

/// What the message of an internal error (a generator bug caught as it panicked) starts with.
pub(crate) const INTERNAL: &str = "internal error (a generator bug)";

/// A problem that stops generation of one spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub file: PathBuf,
    pub location: Location,
    pub message: String,
}

impl Error {
    pub fn new(file: &Path, location: Location, message: impl Into<String>) -> Self {
        Error {
            file: file.to_path_buf(),
            location,
            message: message.into(),
        }
    }

    pub fn at(file: &Path, pointer: &str, message: impl Into<String>) -> Self {
        Self::new(file, Location::Pointer(pointer.to_owned()), message)
    }

    /// Whether this is a generator bug (a panic caught while generating), not a problem with
    /// the spec.
    pub fn is_internal(&self) -> bool {
        self.message.starts_with(INTERNAL)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error: {}{}: {}",
            self.file.display(),
            self.location,
            self.message
        )
    }
}

impl std::error::Error for Error {}

/// Something generation dropped or approximated. Printed, never silent; `--deny-warnings`
/// turns these into errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub file: PathBuf,
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "warning: {}{}: {}",
            self.file.display(),
            self.location,
            self.message
        )
    }
}

/// Collects warnings for one spec file.
#[derive(Debug)]
pub(crate) struct Diagnostics {
    file: PathBuf,
    warnings: Vec<Warning>,
}

impl Diagnostics {
    pub(crate) fn new(file: &Path) -> Self {
        Diagnostics {
            file: file.to_path_buf(),
            warnings: Vec::new(),
        }
    }

    pub(crate) fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            file: self.file.clone(),
            location: Location::Pointer(pointer.to_owned()),
            message: message.into(),
        });
    }

    pub(crate) fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::at(&self.file, pointer, message)
    }

    pub(crate) fn into_warnings(self) -> Vec<Warning> {
        self.warnings
    }
}

/// Escapes one JSON pointer token (RFC 6901).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `base` + `/token`, escaped.
pub(crate) fn pointer_join(base: &str, token: &str) -> String {
    format!("{base}/{}", pointer_token(token))
}

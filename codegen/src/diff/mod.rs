//! The API change between two specs, as a changelog with a verdict for HTTP callers and a
//! semver verdict for the generated crate (`cargo xtask diff` prints it).
//!
//! Specs are compared after lowering, so the report speaks about the generated crate, and
//! spec edits that change nothing there (key order, examples, response headers) report
//! nothing. The classification table is in [`rules`].

mod compare;
mod render;
pub mod rules;

use std::path::Path;

pub use compare::Change;
pub use render::{json, markdown, text, verdict};
use rules::Semver;

/// The comparison of one spec.
#[derive(Clone, Debug)]
pub struct SpecReport {
    /// How the old and new sides are named in the output.
    pub old: String,
    pub new: String,
    /// `info.version` before and after, when both sides exist.
    pub versions: Option<(String, String)>,
    pub changes: Vec<Change>,
}

/// Everything one run compared.
#[derive(Clone, Debug)]
pub struct Report {
    pub specs: Vec<SpecReport>,
}

impl Report {
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.specs.iter().flat_map(|s| &s.changes)
    }

    /// The crate verdict: `None` when nothing changed.
    pub fn semver(&self) -> Option<Semver> {
        self.changes().map(|c| c.semver).max()
    }

    pub fn http_breaking(&self) -> usize {
        self.changes().filter(|c| c.http_breaking).count()
    }
}

/// Loads a spec as far as the model; warnings are generation's business, not the diff's.
fn lower(label: &str, bytes: &[u8]) -> Result<crate::model::Api, crate::Error> {
    let path = Path::new(label);
    let mut diags = crate::Diagnostics::new(path);
    let mut value = crate::load::parse(path, bytes)?;
    crate::normalise::run(&mut value, &mut diags)?;
    let doc = crate::parse(path, &value)?;
    crate::lower(path, &doc, &mut diags)
}

/// Compares two specs given as bytes; the labels name them in the output and in errors.
pub fn compare_specs(
    old_label: &str,
    old: &[u8],
    new_label: &str,
    new: &[u8],
) -> Result<SpecReport, crate::Error> {
    let (a, b) = (lower(old_label, old)?, lower(new_label, new)?);
    Ok(SpecReport {
        old: old_label.to_owned(),
        new: new_label.to_owned(),
        versions: Some((a.version.clone(), b.version.clone())),
        changes: compare::compare(&a, &b),
    })
}

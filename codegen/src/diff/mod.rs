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

    /// Changes that break HTTP callers.
    pub fn http_breaking(&self) -> usize {
        self.count(rules::Http::Breaking)
    }

    /// Changes that may reject requests that passed before (tightened limits).
    pub fn http_potentially_breaking(&self) -> usize {
        self.count(rules::Http::Potential)
    }

    fn count(&self, http: rules::Http) -> usize {
        self.changes().filter(|c| c.http == http).count()
    }
}

/// One side of a diff: a spec's bytes, the label that names it in the output and in errors,
/// and the overlays the generator applies to it.
#[derive(Clone, Copy, Debug)]
pub struct Side<'a> {
    /// e.g. `specs/twilio_flex_v1.yaml@HEAD~1`.
    pub label: &'a str,
    pub bytes: &'a [u8],
    pub overlays: &'a [crate::Overlay],
}

impl<'a> Side<'a> {
    /// A spec without overlays.
    pub fn plain(label: &'a str, bytes: &'a [u8]) -> Self {
        Side {
            label,
            bytes,
            overlays: &[],
        }
    }
}

/// Loads a spec as far as the model, overlays applied; warnings are generation's business,
/// not the diff's.
fn lower(side: Side<'_>) -> Result<crate::model::Api, crate::Error> {
    let path = Path::new(side.label);
    let mut diags = crate::Diagnostics::new(path);
    let mut value = crate::overlaid_spec(path, side.bytes, side.overlays)?;
    crate::normalise::run(&mut value, &mut diags)?;
    let doc = crate::parse(path, &value)?;
    crate::lower(path, &doc, &mut diags)
}

/// A spec lowered for comparison: a release in the middle of a history is compared with both
/// its neighbours, and lowering it once is half the work.
pub struct Lowered {
    label: String,
    api: crate::model::Api,
}

impl Lowered {
    /// Lowers one side (overlays applied).
    pub fn new(side: Side<'_>) -> Result<Lowered, crate::Error> {
        Ok(Lowered {
            label: side.label.to_owned(),
            api: lower(side)?,
        })
    }
}

/// Compares two lowered specs.
pub fn compare_lowered(old: &Lowered, new: &Lowered) -> SpecReport {
    SpecReport {
        old: old.label.clone(),
        new: new.label.clone(),
        versions: Some((old.api.version.clone(), new.api.version.clone())),
        changes: compare::compare(&old.api, &new.api),
    }
}

/// Compares two specs as the generator reads them (the overlaid result, when a side has
/// overlays).
pub fn compare_specs(old: Side<'_>, new: Side<'_>) -> Result<SpecReport, crate::Error> {
    Ok(compare_lowered(&Lowered::new(old)?, &Lowered::new(new)?))
}

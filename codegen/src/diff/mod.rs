//! The API change between two specs, as a changelog with a verdict for HTTP callers and a
//! semver verdict for the generated crate (`cargo xtask diff` prints it).
//!
//! Each spec is compared twice. The lowered models (`model/`) give the semver verdict and
//! the HTTP verdict on what the crate expresses (operations, types, presence, enums), so
//! spec edits that change nothing there (key order, examples, response headers) report
//! nothing. The schemas themselves (`schema/`) give the HTTP verdict on what Rust types
//! cannot express (`const`, `not`, `if`, `contains`, `multipleOf`, response limits, media
//! types, webhooks...), keyword by keyword and by direction. The classification table (the
//! rule catalogue) is in [`rules`].

mod model;
pub mod policy;
mod render;
pub mod rules;
mod schema;

use std::path::Path;

pub use model::Change;
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
    /// What loading either side repaired (a response without a description, a null
    /// `content`), each naming its file and JSON pointer.
    pub warnings: Vec<crate::Warning>,
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

/// A spec read for comparison: the document as loaded (for the schema walk) and lowered (for
/// the model comparison). A release in the middle of a history is compared with both its
/// neighbours, and reading it once is half the work.
pub struct Lowered {
    label: String,
    /// Bundled and overlaid, not normalised: the 3.1 keywords are still there.
    document: serde_json::Value,
    api: crate::model::Api,
    warnings: Vec<crate::Warning>,
}

impl Lowered {
    /// Reads one side (overlays applied), as far as the model.
    pub fn new(side: Side<'_>) -> Result<Lowered, crate::Error> {
        let path = Path::new(side.label);
        let mut diags = crate::Diagnostics::new(path);
        let document = crate::overlaid_spec(path, side.bytes, side.overlays)?;
        let mut value = document.clone();
        crate::normalise::run(&mut value, &mut diags)?;
        let doc = crate::parse(path, &value)?;
        let api = crate::lower(path, &doc, &mut diags)?;
        Ok(Lowered {
            label: side.label.to_owned(),
            document,
            api,
            warnings: diags.into_warnings(),
        })
    }

    /// What loading the spec repaired or approximated, each with its file and JSON pointer
    /// (a spec without response descriptions loads, and says so).
    pub fn warnings(&self) -> &[crate::Warning] {
        &self.warnings
    }
}

/// Compares two read specs with the default options (strict deprecation policy, today).
pub fn compare_lowered(old: &Lowered, new: &Lowered) -> SpecReport {
    compare_lowered_with(old, new, &policy::Options::default())
}

/// Compares two read specs: the model's changes (removals judged by the deprecation policy),
/// then the schemas'.
pub fn compare_lowered_with(old: &Lowered, new: &Lowered, options: &policy::Options) -> SpecReport {
    let mut changes = model::compare(&old.api, &new.api);
    let auth_changed = changes.iter().any(|c| c.kind == rules::Kind::AuthChanged);
    // A scheme whose kind changed (basic to bearer) is the model's AuthChanged: the schema
    // walk's document-level requirement would say the same again.
    changes.extend(
        schema::compare(&old.document, &new.document)
            .into_iter()
            .filter(|c| {
                !(auth_changed
                    && c.kind == rules::Kind::SecurityRequirementTightened
                    && c.subject == "API")
            }),
    );
    policy::apply(&mut changes, &old.document, options);
    SpecReport {
        old: old.label.clone(),
        new: new.label.clone(),
        versions: Some((old.api.version.clone(), new.api.version.clone())),
        changes,
        warnings: Vec::new(),
    }
}

/// Compares two specs as the generator reads them (the overlaid result, when a side has
/// overlays).
pub fn compare_specs(old: Side<'_>, new: Side<'_>) -> Result<SpecReport, crate::Error> {
    compare_specs_with(old, new, &policy::Options::default())
}

/// [`compare_specs`] with options.
pub fn compare_specs_with(
    old: Side<'_>,
    new: Side<'_>,
    options: &policy::Options,
) -> Result<SpecReport, crate::Error> {
    let (old, new) = (Lowered::new(old)?, Lowered::new(new)?);
    let mut report = compare_lowered_with(&old, &new, options);
    report.warnings = old.warnings.into_iter().chain(new.warnings).collect();
    Ok(report)
}

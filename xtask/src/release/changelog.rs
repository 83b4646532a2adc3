//! `CHANGELOG.md` of a generated crate, in Keep a Changelog's layout: a preamble, then one
//! `## [version] - spec <info.version>` section per version, newest first, each with the
//! diff's changes under Added, Changed, Deprecated and Removed (a diff of two specs finds
//! no Fixed). Sections already written are kept as the checked-in file has them; only the
//! preamble and the newest section's heading are written again, so the file is the same on
//! every run until the spec changes.

use codegen::diff::rules::Semver;
use codegen::diff::{Change, SpecReport};

use super::Version;

const PREAMBLE: &str = "# Changelog

Every version of this crate, newest first, in the layout of
[Keep a Changelog](https://keepachangelog.com/en/1.1.0/). Versions follow
[Semantic Versioning](https://semver.org/) as Cargo reads it (in `0.x` a breaking change bumps
the minor number): `cargo xtask regen` bumps the version by the verdict of `cargo xtask diff`
between the spec the previous version was generated from and the new one, and writes its
changes here. **Breaking** marks a change that needs code written against the previous version
to change. The `+spec.` build metadata of a version is the spec's `info.version`.
";

/// The four sections a diff fills, in Keep a Changelog's order.
const KINDS: [&str; 4] = ["Added", "Changed", "Deprecated", "Removed"];

fn heading(version: Version, spec_version: &str) -> String {
    format!("## [{version}] - spec {spec_version}")
}

/// The sections of a checked-in changelog (everything from its first `## [`), if any.
fn sections(old: Option<&str>) -> Option<&str> {
    let old = old?;
    let start = if old.starts_with("## [") {
        0
    } else {
        old.find("\n## [")? + 1
    };
    Some(&old[start..])
}

/// The changelog when the spec did not change: the checked-in sections, the newest headed by
/// the current version (which may have been raised by hand); or, for a crate without one, its
/// first section.
pub(super) fn first_or_kept(old: Option<&str>, version: Version, spec_version: &str) -> String {
    match sections(old) {
        Some(kept) => {
            let rest = kept.split_once('\n').map_or("", |(_, rest)| rest);
            format!(
                "{PREAMBLE}\n{}\n{rest}",
                heading(version, spec_version)
            )
        }
        None => format!(
            "{PREAMBLE}\n{}\n\nThe first version, generated from the spec's release {spec_version}.\n",
            heading(version, spec_version)
        ),
    }
}

/// The changelog after a bump to `version`: the new section, then the checked-in ones.
pub(super) fn bumped(
    old: Option<&str>,
    version: Version,
    spec_version: &str,
    report: &SpecReport,
) -> String {
    let mut out = format!("{PREAMBLE}\n{}\n\n", heading(version, spec_version));
    out.push_str(&section_body(report));
    if let Some(kept) = sections(old) {
        out.push('\n');
        out.push_str(kept);
    }
    out
}

/// The verdict in one line, then the changes grouped by kind.
fn section_body(report: &SpecReport) -> String {
    let verdict = report.changes.iter().map(|c| c.semver).max();
    let from = report
        .versions
        .as_ref()
        .map(|(old, new)| format!("spec {old} to {new}"))
        .unwrap_or_else(|| "the previous spec".to_owned());
    let mut out = match verdict {
        Some(Semver::Major) => format!("Breaking changes ({from}): code written against the previous version may need to change.\n"),
        Some(Semver::Minor) => format!("Additions ({from}): code written against the previous version still compiles.\n"),
        Some(Semver::Patch) => format!("Fixes and documentation ({from}): the Rust API is the same.\n"),
        None => format!(
            "### Changed\n\n- The spec changed ({from}) in ways the crate's API and wire format do not show (examples, descriptions, key order).\n"
        ),
    };
    for kind in KINDS {
        let lines: Vec<String> = report
            .changes
            .iter()
            .filter(|c| section_of(c) == kind)
            .map(entry)
            .collect();
        if !lines.is_empty() {
            out.push_str(&format!("\n### {kind}\n\n{}\n", lines.join("\n")));
        }
    }
    out
}

/// Which Keep a Changelog section a change belongs in, from the name of its kind.
fn section_of(change: &Change) -> &'static str {
    let name = change.kind.name();
    if name.ends_with("Added") {
        "Added"
    } else if name.contains("Removed") || name.contains("Removal") {
        "Removed"
    } else if name.ends_with("Deprecated") && !name.ends_with("Undeprecated") {
        "Deprecated"
    } else {
        "Changed"
    }
}

fn entry(change: &Change) -> String {
    let breaking = if change.semver == Semver::Major {
        "**Breaking:** "
    } else {
        ""
    };
    let context = change
        .context
        .as_deref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    let wire = if change.http == codegen::diff::rules::Http::Breaking
        && change.semver != Semver::Major
    {
        " The Rust API is the same, but requests and responses change: callers see the new behaviour."
    } else {
        ""
    };
    format!(
        "- {breaking}`{}`{context}: {}.{wire}",
        change.subject,
        change.detail.trim_end_matches('.')
    )
}

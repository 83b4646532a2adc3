//! Versions and changelogs of the crates `regen` writes, from the diff's semver verdict.
//!
//! Each generated crate carries what its next release is judged against, so a fresh clone
//! needs nothing else (no git history, no registry):
//! - `openapi.json`: the spec it was generated from, as the generator read it (its files
//!   bundled, its overlays applied);
//! - `Cargo.toml`: its version, and in `[package.metadata.sdk]` the version before it and the
//!   diff's verdict between the two (`previous-version`, `verdict`);
//! - `CHANGELOG.md`: one section per version, newest first.
//!
//! When the spec differs from `openapi.json`, the version is bumped by the verdict of
//! `codegen::diff` as Cargo reads versions ([`Version::bump`]) and a changelog section is
//! added. A version edited by hand is kept if it is at least what the verdict asks of the
//! previous version (a larger bump is a choice), and refused otherwise.

mod changelog;

use std::fmt;
use std::fs;
use std::path::Path;

use anyhow::{bail, Context};
use codegen::diff::rules::Semver;
use codegen::diff::{Side, SpecReport};

use crate::regen::SpecInput;
use crate::spec_error;

/// The spec a crate was generated from, kept in the crate's folder.
pub(crate) const SPEC_FILE: &str = "openapi.json";
/// The crate's changelog.
pub(crate) const CHANGELOG: &str = "CHANGELOG.md";

/// `major.minor.patch`; pre-releases are not ours to make, build metadata is the spec's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Version {
    pub(crate) major: u64,
    pub(crate) minor: u64,
    pub(crate) patch: u64,
}

impl Version {
    pub(crate) const FIRST: Version = Version {
        major: 0,
        minor: 1,
        patch: 0,
    };

    /// Parses `1.2.3`, ignoring build metadata (`+spec.1.0`).
    pub(crate) fn parse(text: &str) -> anyhow::Result<Version> {
        let core = text.split('+').next().unwrap_or_default();
        let parts: Vec<&str> = core.split('.').collect();
        let number = |i: usize| -> anyhow::Result<u64> {
            parts.get(i).and_then(|p| p.parse().ok()).with_context(|| {
                format!(
                    "version {text:?} is not major.minor.patch (pre-releases are not supported)"
                )
            })
        };
        if parts.len() != 3 {
            bail!("version {text:?} is not major.minor.patch (pre-releases are not supported)");
        }
        Ok(Version {
            major: number(0)?,
            minor: number(1)?,
            patch: number(2)?,
        })
    }

    /// The smallest version after `self` that Cargo's caret requirements read the way the
    /// verdict says: a major change is incompatible with `self`, a minor one compatible and
    /// newer than every `self`-compatible patch. In `0.x` the minor number is the major one
    /// (`^0.2.1` is `>=0.2.1, <0.3.0`), so a breaking change bumps the minor and an additive
    /// one the patch; in `0.0.x` every release is incompatible, so every bump is a patch.
    pub(crate) fn bump(self, verdict: Semver) -> Version {
        let Version {
            major,
            minor,
            patch,
        } = self;
        let next = |major, minor, patch| Version {
            major,
            minor,
            patch,
        };
        match (verdict, major, minor) {
            (_, 0, 0) => next(0, 0, patch + 1),
            (Semver::Major, 0, _) => next(0, minor + 1, 0),
            (Semver::Major, _, _) => next(major + 1, 0, 0),
            (Semver::Minor, 0, _) | (Semver::Patch, _, _) => next(major, minor, patch + 1),
            (Semver::Minor, _, _) => next(major, minor + 1, 0),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

fn verdict_name(verdict: Semver) -> &'static str {
    verdict.as_str()
}

fn parse_verdict(text: &str) -> anyhow::Result<Semver> {
    match text {
        "major" => Ok(Semver::Major),
        "minor" => Ok(Semver::Minor),
        "patch" => Ok(Semver::Patch),
        other => bail!("verdict {other:?} is not major, minor or patch"),
    }
}

/// What a checked-in crate says about its release.
#[derive(Clone, Debug, Default)]
struct CheckedIn {
    version: Option<Version>,
    /// The version before it, and the verdict that led from it.
    previous: Option<(Version, Semver)>,
    spec: Option<String>,
    changelog: Option<String>,
}

impl CheckedIn {
    fn read(dir: &Path) -> anyhow::Result<CheckedIn> {
        let manifest = dir.join("Cargo.toml");
        let Some(text) = read_optional(&manifest)? else {
            return Ok(CheckedIn::default());
        };
        let (version, previous) =
            versions_of(&text).with_context(|| format!("in {}", manifest.display()))?;
        Ok(CheckedIn {
            version: Some(version),
            previous,
            spec: read_optional(&dir.join(SPEC_FILE))?,
            changelog: read_optional(&dir.join(CHANGELOG))?,
        })
    }
}

/// The version of a generated manifest, and its `[package.metadata.sdk]` record.
fn versions_of(manifest: &str) -> anyhow::Result<(Version, Option<(Version, Semver)>)> {
    let table: toml::Table = toml::from_str(manifest).map_err(|e| anyhow::anyhow!("{e}"))?;
    let package = table.get("package").and_then(|p| p.as_table());
    let version = package
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .context("[package] has no version")?;
    let sdk = package
        .and_then(|p| p.get("metadata"))
        .and_then(|m| m.get("sdk"));
    let field = |key: &str| sdk.and_then(|s| s.get(key)).and_then(|v| v.as_str());
    let previous = match (field("previous-version"), field("verdict")) {
        (Some(v), Some(d)) => Some((Version::parse(v)?, parse_verdict(d)?)),
        (None, None) => None,
        _ => bail!("[package.metadata.sdk] needs both previous-version and verdict"),
    };
    Ok((Version::parse(version)?, previous))
}

fn read_optional(path: &Path) -> anyhow::Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// One crate's release: its version, its record, and the files that keep it.
#[derive(Clone, Debug)]
pub(crate) struct Release {
    pub(crate) version: Version,
    previous: Option<(Version, Semver)>,
    /// `openapi.json`: the spec as read now.
    pub(crate) spec: String,
    pub(crate) changelog: String,
}

impl Release {
    /// `options` with this release's version and record in the manifest.
    pub(crate) fn applied(&self, options: &codegen::Options) -> codegen::Options {
        codegen::Options {
            package: codegen::Package {
                version: self.version.to_string(),
                metadata: self.metadata(),
                ..options.package.clone()
            },
            ..options.clone()
        }
    }

    /// Adds `openapi.json` and `CHANGELOG.md` to the files of the crate in `folder`.
    pub(crate) fn add_files(
        &self,
        files: &mut std::collections::BTreeMap<std::path::PathBuf, String>,
        folder: &str,
    ) {
        let dir = Path::new(folder);
        files.insert(dir.join(SPEC_FILE), self.spec.clone());
        files.insert(dir.join(CHANGELOG), self.changelog.clone());
    }

    /// `[package.metadata.sdk]` of the manifest.
    pub(crate) fn metadata(&self) -> Vec<(String, String)> {
        match self.previous {
            Some((version, verdict)) => vec![
                ("previous-version".to_owned(), version.to_string()),
                ("verdict".to_owned(), verdict_name(verdict).to_owned()),
            ],
            None => Vec::new(),
        }
    }

    /// Decides the release of the crate in `dir` (which may not exist yet) for `spec`.
    /// `shown` names the crate's folder in messages (`generated/twilio-flex-v2`).
    pub(crate) fn plan(dir: &Path, shown: &str, spec: &SpecInput) -> anyhow::Result<Release> {
        let checked = CheckedIn::read(dir)?;
        check_hand_edits(&checked, shown)?;
        let document = codegen::overlaid_spec(&spec.path, &spec.bytes, &spec.overlays)
            .map_err(|e| spec_error(&e))?;
        let spec_version = document
            .pointer("/info/version")
            .and_then(|v| v.as_str())
            .unwrap_or("?")
            .to_owned();
        let mut stored =
            serde_json::to_string_pretty(&document).context("a spec serialises as JSON")?;
        stored.push('\n');
        let version = checked.version.unwrap_or(Version::FIRST);
        let old_changelog = checked.changelog.as_deref();
        let Some(old_spec) = checked.spec.as_deref().filter(|old| *old != stored) else {
            // The first release, or the spec it was made from: the version stands.
            let changelog = changelog::first_or_kept(old_changelog, version, &spec_version);
            return Ok(Release {
                version,
                previous: checked.previous,
                spec: stored,
                changelog,
            });
        };
        let report = compare(old_spec, version, spec)?;
        // Spec edits the diff does not report (examples, key order) still change the crate's
        // files: a patch, with a changelog line that says so.
        let verdict = report.changes.iter().map(|c| c.semver).max();
        let next = version.bump(verdict.unwrap_or(Semver::Patch));
        let changelog = changelog::bumped(old_changelog, next, &spec_version, &report);
        Ok(Release {
            version: next,
            previous: Some((version, verdict.unwrap_or(Semver::Patch))),
            spec: stored,
            changelog,
        })
    }
}

/// The diff from the spec the crate was generated from to the one in `specs/`.
fn compare(old: &str, version: Version, spec: &SpecInput) -> anyhow::Result<SpecReport> {
    let old_label = format!("{}@{version}", spec.name);
    codegen::diff::compare_specs(
        Side::plain(&old_label, old.as_bytes()),
        Side {
            label: &spec.name,
            bytes: &spec.bytes,
            overlays: &spec.overlays,
        },
    )
    .map_err(|e| spec_error(&e))
    .with_context(|| {
        format!(
            "cannot compare {} with the spec its crate was generated from",
            spec.name
        )
    })
}

/// Refuses a checked-in version below what the verdict it records asks of the version
/// before it.
fn check_hand_edits(checked: &CheckedIn, shown: &str) -> anyhow::Result<()> {
    let (Some(version), Some((previous, verdict))) = (checked.version, checked.previous) else {
        return Ok(());
    };
    let least = previous.bump(verdict);
    if version < least {
        bail!(
            "{shown}/Cargo.toml: version {version} contradicts the diff's verdict: the spec change \
             from {previous} is {} (see {shown}/{CHANGELOG}), so the version must be at least \
             {least}. Set it to {least} (or higher) by hand, or restore it and run `cargo xtask regen`.",
            describe(verdict)
        );
    }
    Ok(())
}

fn describe(verdict: Semver) -> &'static str {
    match verdict {
        Semver::Major => "breaking (major)",
        Semver::Minor => "additive (minor)",
        Semver::Patch => "a fix or documentation (patch)",
    }
}

#[cfg(test)]
mod tests;

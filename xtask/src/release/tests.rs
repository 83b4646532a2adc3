use std::fs;
use std::path::{Path, PathBuf};

use super::*;

fn v(text: &str) -> Version {
    Version::parse(text).unwrap()
}

#[test]
fn bumps_follow_cargo_caret_rules() {
    let cases = [
        ("1.2.3", Semver::Major, "2.0.0"),
        ("1.2.3", Semver::Minor, "1.3.0"),
        ("1.2.3", Semver::Patch, "1.2.4"),
        // In 0.x the minor number is the breaking one, the patch the additive one.
        ("0.2.3", Semver::Major, "0.3.0"),
        ("0.2.3", Semver::Minor, "0.2.4"),
        ("0.2.3", Semver::Patch, "0.2.4"),
        // In 0.0.x every release is incompatible with the one before.
        ("0.0.3", Semver::Major, "0.0.4"),
        ("0.0.3", Semver::Minor, "0.0.4"),
    ];
    for (from, verdict, to) in cases {
        assert_eq!(v(from).bump(verdict), v(to), "{from} {verdict:?}");
    }
    assert_eq!(
        v("0.1.0+spec.1.42.0"),
        v("0.1.0"),
        "build metadata is ignored"
    );
    assert!(Version::parse("1.0.0-beta.1").is_err());
    assert!(Version::parse("1.0").is_err());
}

/// A folder with `specs/twilio_flex_v2.json`, regenerated as `cargo xtask regen` does.
struct Root(PathBuf);

impl Root {
    fn new(name: &str) -> Root {
        let dir = std::env::temp_dir().join(format!("xtask-release-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("specs")).unwrap();
        fs::write(dir.join("Cargo.toml"), "[workspace]\n").unwrap();
        Root(dir)
    }

    /// Puts `spec` (relative to the repository) in place of the spec and regenerates.
    fn regen_from(&self, spec: &str) -> anyhow::Result<()> {
        let bytes = fs::read(crate::regen::root().join(spec)).unwrap();
        fs::write(self.0.join("specs/twilio_flex_v2.json"), bytes).unwrap();
        let files = crate::regen::plan(&self.0, false)?;
        crate::regen::write_atomically(&self.0.join("generated"), &files)
    }

    fn read(&self, file: &str) -> String {
        fs::read_to_string(self.0.join("generated/twilio-flex-v2").join(file)).unwrap()
    }

    fn write(&self, file: &str, text: &str) {
        fs::write(self.0.join("generated/twilio-flex-v2").join(file), text).unwrap();
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

const OLD: &str = "xtask/tests/fixtures/diff/twilio_flex_v2@1.42.0.json";
const NEW: &str = "specs/twilio_flex_v2.json";

fn manifest_version(manifest: &str) -> &str {
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap()
}

/// The diff's own verdict on the pair, as `cargo xtask diff` gives it.
fn verdict(old: &str, new: &str) -> Semver {
    let root = crate::regen::root();
    let (a, b) = (
        fs::read(root.join(old)).unwrap(),
        fs::read(root.join(new)).unwrap(),
    );
    let report = codegen::diff::compare_specs(Side::plain(old, &a), Side::plain(new, &b)).unwrap();
    report.changes.iter().map(|c| c.semver).max().unwrap()
}

/// The end-to-end case of issue 27: an older Flex v2 spec, then the current one over it.
#[test]
fn regenerating_from_a_newer_spec_bumps_by_the_verdict_and_writes_a_changelog_section() {
    let root = Root::new("flex");
    root.regen_from(OLD).unwrap();
    assert_eq!(
        manifest_version(&root.read("Cargo.toml")),
        "0.1.0+spec.1.42.0"
    );
    let first = root.read(CHANGELOG);
    assert!(first.contains("## [0.1.0] - spec 1.42.0\n"), "{first}");

    root.regen_from(NEW).unwrap();
    let verdict = verdict(OLD, NEW);
    let wanted = Version::FIRST.bump(verdict);
    let manifest = root.read("Cargo.toml");
    assert_eq!(manifest_version(&manifest), format!("{wanted}+spec.1.0.0"));
    assert!(
        manifest.contains(&format!(
            "[package.metadata.sdk]\nprevious-version = \"0.1.0\"\nverdict = \"{}\"\n",
            verdict.as_str()
        )),
        "{manifest}"
    );
    let changelog = root.read(CHANGELOG);
    let new_section = changelog
        .find(&format!("## [{wanted}] - spec 1.0.0\n"))
        .unwrap();
    let old_section = changelog.find("## [0.1.0] - spec 1.42.0\n").unwrap();
    assert!(new_section < old_section, "newest first:\n{changelog}");
    assert!(
        changelog.ends_with(&first[first.find("## [0.1.0]").unwrap()..]),
        "the older section is kept as it was:\n{changelog}"
    );
    if verdict == Semver::Major {
        assert!(changelog.contains("**Breaking:**"), "{changelog}");
    }
    assert!(
        changelog.contains("\n### "),
        "the changes are listed:\n{changelog}"
    );

    // Nothing changes on a second run: the same files, the same version.
    let files = crate::regen::plan(&root.0, false).unwrap();
    let stale = crate::regen::differences(&files, &root.0.join("generated"), "generated");
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}

#[test]
fn a_version_edited_below_the_verdict_is_refused_and_a_larger_one_kept() {
    let root = Root::new("hand");
    root.regen_from(OLD).unwrap();
    root.regen_from(NEW).unwrap();
    let wanted = Version::FIRST.bump(verdict(OLD, NEW));
    let manifest = root.read("Cargo.toml");
    let edited = manifest.replace(&format!("version = \"{wanted}+"), "version = \"0.1.0+");
    root.write("Cargo.toml", &edited);
    let error = format!("{:#}", root.regen_from(NEW).unwrap_err());
    assert!(
        error.contains(
            "generated/twilio-flex-v2/Cargo.toml: version 0.1.0 contradicts the diff's verdict"
        ) && error.contains(&format!("must be at least {wanted}")),
        "{error}"
    );

    // A bigger bump than the verdict asks is the maintainer's choice: kept, and the newest
    // changelog section is headed by it.
    let larger = Version {
        major: wanted.major + 1,
        minor: 0,
        patch: 0,
    };
    root.write(
        "Cargo.toml",
        &manifest.replace(
            &format!("version = \"{wanted}+"),
            &format!("version = \"{larger}+"),
        ),
    );
    root.regen_from(NEW).unwrap();
    assert_eq!(
        manifest_version(&root.read("Cargo.toml")),
        format!("{larger}+spec.1.0.0")
    );
    assert!(root
        .read(CHANGELOG)
        .contains(&format!("## [{larger}] - spec 1.0.0\n")));
}

#[test]
fn a_spec_change_the_diff_does_not_see_is_a_patch() {
    let root = Root::new("patch");
    root.regen_from(NEW).unwrap();
    // The same spec with an example changed: the crate's docs change, its API does not.
    let spec = root.0.join("specs/twilio_flex_v2.json");
    let text = fs::read_to_string(&spec)
        .unwrap()
        .replace("LoquaciousLarry", "QuietLarry");
    fs::write(&spec, text).unwrap();
    let files = crate::regen::plan(&root.0, false).unwrap();
    let manifest = &files[Path::new("twilio-flex-v2/Cargo.toml")];
    assert_eq!(manifest_version(manifest), "0.1.1+spec.1.0.0");
    let changelog = &files[Path::new("twilio-flex-v2/CHANGELOG.md")];
    assert!(
        changelog.contains("## [0.1.1] - spec 1.0.0\n\n### Changed\n"),
        "{changelog}"
    );
}

/// Back from the current spec to the older one: operations go away, a major change, which in
/// 0.x bumps the minor number, and the changelog marks what breaks.
#[test]
fn a_breaking_spec_change_bumps_the_minor_in_0x_and_is_marked() {
    let root = Root::new("breaking");
    root.regen_from(NEW).unwrap();
    root.regen_from(OLD).unwrap();
    assert_eq!(verdict(NEW, OLD), Semver::Major);
    assert_eq!(
        manifest_version(&root.read("Cargo.toml")),
        "0.2.0+spec.1.42.0"
    );
    let changelog = root.read(CHANGELOG);
    assert!(
        changelog.contains("## [0.2.0] - spec 1.42.0\n\nBreaking changes (spec 1.0.0 to 1.42.0)"),
        "{changelog}"
    );
    assert!(
        changelog.contains("### Removed\n\n- **Breaking:** `FetchFlexUser`"),
        "{changelog}"
    );
}

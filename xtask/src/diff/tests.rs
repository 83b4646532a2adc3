use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::rules::{Http, Kind, Semver, RULES};
use super::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

pub(super) fn diff_files(old: &Path, new: &Path) -> SpecReport {
    files(old, new, &Options::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// `Kind breaking|potential|ok semver`, the form `expected.txt` uses.
fn summary(c: &Change) -> String {
    format!("{} {} {}", c.kind.name(), http(c.http), c.semver.as_str())
}

fn http(h: Http) -> &'static str {
    match h {
        Http::Breaking => "breaking",
        Http::Potential => "potential",
        Http::Compatible => "ok",
    }
}

pub(super) fn expected(case: &Path) -> Vec<String> {
    let text = fs::read_to_string(case.join("expected.txt")).expect("expected.txt");
    let mut lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    lines.sort();
    lines
}

pub(super) fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(fixtures())
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_fixture_reports_exactly_its_expected_changes() {
    let mut failures = Vec::new();
    for case in cases() {
        let report = diff_files(&case.join("old.yaml"), &case.join("new.yaml"));
        let mut got: Vec<String> = report.changes.iter().map(summary).collect();
        got.sort();
        let want = expected(&case);
        if got != want {
            let detail: Vec<String> = report
                .changes
                .iter()
                .map(|c| format!("    {}: {}: {}", c.kind.name(), c.subject, c.detail))
                .collect();
            failures.push(format!(
                "{}:\n  want {want:?}\n  got  {got:?}\n{}",
                case.display(),
                detail.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_rule_has_a_fixture() {
    let mut covered: BTreeSet<String> = cases()
        .iter()
        .flat_map(|c| expected(c))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect();
    // The schema keywords' pairs are generated from a table (catalogue_tests.rs).
    covered.extend(
        super::catalogue_tests::covered()
            .iter()
            .map(|k| k.name().to_owned()),
    );
    // Whole-spec changes only exist with --since; `since_reports_added_changed_and_removed_specs` covers them.
    let elsewhere = [Kind::SpecAdded, Kind::SpecRemoved];
    let missing: Vec<&str> = RULES
        .iter()
        .map(|r| r.kind)
        .filter(|k| !elsewhere.contains(k) && !covered.contains(k.name()))
        .map(Kind::name)
        .collect();
    assert!(
        missing.is_empty(),
        "kinds with no fixture in tests/fixtures/diff or catalogue_tests.rs: {missing:?}"
    );
}

#[test]
fn fixture_expectations_agree_with_the_table() {
    // Guards against an expected.txt that silently drifts from RULES: apart from the one
    // documented exception (same Rust type), each line must be its kind's row.
    for case in cases() {
        for line in expected(&case) {
            let parts: Vec<&str> = line.split_whitespace().collect();
            let rule = RULES
                .iter()
                .find(|r| r.kind.name() == parts[0])
                .unwrap_or_else(|| panic!("{}: unknown kind {}", case.display(), parts[0]));
            assert_eq!(parts[1], http(rule.http), "{}: {line}", case.display());
            if !case.ends_with("request_field_nullable_same_rust_type") {
                assert_eq!(parts[2], rule.semver.as_str(), "{}: {line}", case.display());
            }
        }
    }
}

#[test]
fn flex_v2_since_1_42_0() {
    let old = fixtures().join("twilio_flex_v2@1.42.0.json");
    let new = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/twilio_flex_v2.json");
    let report = diff_files(&old, &new);
    let find = |kind: Kind, subject: &str, needle: &str| -> &Change {
        report
            .changes
            .iter()
            .find(|c| c.kind == kind && c.subject == subject && c.detail.contains(needle))
            .unwrap_or_else(|| {
                panic!(
                    "no {kind:?} on {subject} mentioning {needle:?} in {:#?}",
                    report.changes
                )
            })
    };
    for op in ["FetchFlexUser", "UpdateFlexUser"] {
        let c = find(Kind::OperationAdded, op, "operation added");
        assert!(c.http == Http::Compatible);
        assert_eq!(c.semver, Semver::Minor);
    }
    let header = find(
        Kind::OptionalParamAdded,
        "CreateWebChannel",
        "header parameter `Ui-Version` added (optional",
    );
    assert!(header.http == Http::Compatible);
    assert_eq!(header.semver, Semver::Minor);
    let identity = find(
        Kind::OptionalRequestFieldAdded,
        "type CreateWebChannelRequest",
        "field `Identity` added (optional",
    );
    assert!(identity.http == Http::Compatible);
    assert_eq!(identity.semver, Semver::Minor);
    assert_eq!(
        identity.context.as_deref(),
        Some("request of CreateWebChannel")
    );
    let pii = find(
        Kind::FieldPiiChanged,
        "type WebChannel",
        "field `identity`: not PII -> PII (handling: standard, deleted within 30 days)",
    );
    assert!(pii.http == Http::Compatible);
    assert_eq!(pii.semver, Semver::Patch);
    assert_eq!(pii.context.as_deref(), Some("response of CreateWebChannel"));
    find(
        Kind::MaturityChanged,
        "CreateWebChannel",
        "maturity GA -> (none)",
    );
    find(Kind::TypeAdded, "type FlexUser", "flex.v2.flex_user");
    assert_eq!(report.changes.len(), 7, "{:#?}", report.changes);
    let whole = Report {
        specs: vec![report],
    };
    assert_eq!(whole.semver(), Some(Semver::Minor));
    assert_eq!(whole.http_breaking(), 0);
    assert!(
        render::text(&whole).ends_with("Verdict: minor (0 breaking changes for HTTP callers)\n")
    );
}

#[test]
fn the_same_spec_has_no_changes() {
    for spec in crate::regen::spec_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs"))
        .expect("specs")
    {
        let report = diff_files(&spec, &spec);
        assert!(
            report.changes.is_empty(),
            "{}: {:#?}",
            spec.display(),
            report.changes
        );
    }
}

#[test]
fn outputs_carry_the_verdict() {
    let case = fixtures().join("required_param_added");
    let report = Report {
        specs: vec![diff_files(&case.join("old.yaml"), &case.join("new.yaml"))],
    };
    assert!(render::text(&report).contains("Verdict: major (1 breaking change for HTTP callers)"));
    let md = render::markdown(&report);
    assert!(
        md.contains("**Verdict: major (1 breaking change for HTTP callers)**"),
        "{md}"
    );
    assert!(
        md.contains("| major | **GetPet**: header parameter `X-Tenant` added (required, String) |"),
        "{md}"
    );
    let json: serde_json::Value = serde_json::from_str(&render::json(&report)).expect("valid JSON");
    assert_eq!(json["verdict"]["semver"], "major");
    assert_eq!(json["verdict"]["http_breaking"], 1);
    assert_eq!(json["specs"][0]["changes"][0]["kind"], "RequiredParamAdded");
    let empty = Report { specs: vec![] };
    assert_eq!(render::verdict(&empty), "no API changes");
}

#[test]
fn markdown_puts_the_verdict_then_breaking_changes_then_the_rest_by_operation() {
    // One spec change of each kind of verdict, spread over operations and a type, listed in
    // the spec in the opposite order to the one the block must use.
    let base = fs::read_to_string(fixtures().join("success_status_added/old.yaml")).expect("base");
    let new = base
        .replace(
            "        tag: {type: string}\n        status:",
            "        tag: {type: string}\n        color: {type: string}\n        status:",
        )
        .replace("enum: [available, sold]", "enum: [available, sold, reserved]")
        .replace("                name: {type: string}", "                name: {type: string, maxLength: 50}")
        .replace("      x-maturity: [GA]\n", "      x-maturity: [GA]\n      deprecated: true\n")
        .replace("  /pets/{id}/touch:\n    post:\n      operationId: TouchPet", "  /pets/{id}/touch:\n    post:\n      operationId: TouchPet\n      deprecated: true")
        .replace("        '201':\n          description: Created\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Pet'}\n", "        '201':\n          description: Created\n          content:\n            application/json:\n              schema: {type: string}\n");
    let report = Report {
        specs: vec![
            spec_bytes("old.yaml", base.as_bytes(), "new.yaml", new.as_bytes()).expect("diff"),
        ],
    };
    let md = render::markdown(&report);
    let at = |needle: &str| -> usize {
        assert_eq!(md.matches(needle).count(), 1, "{needle:?} once in:\n{md}");
        md.find(needle).expect("found")
    };
    let order = [
        "**Verdict: major (1 breaking change for HTTP callers, 1 potentially breaking)**",
        "**Breaking for HTTP callers**",
        "**CreatePet**: send() returns Pet -> String",
        "**Potentially breaking for HTTP callers**",
        "field `name`: maxLength none -> 50",
        "**Compatible for HTTP callers, by operation**",
        "`GetPet`",
        "`TouchPet`",
        "`type Pet`",
        "field `color` added",
        "`type Status`",
        "enum value \"reserved\" added",
    ];
    let positions: Vec<usize> = order.iter().map(|n| at(n)).collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "out of order:\n{md}"
    );
    // Each kind's reason once, after the tables, whatever the number of rows of that kind.
    let why = at("**Why**");
    assert!(why > positions[positions.len() - 1], "{md}");
    for c in &report.specs[0].changes {
        assert_eq!(md.matches(c.why).count(), 1, "{:?} once in:\n{md}", c.why);
        assert!(
            md[why..].contains(&format!("- `{}`: ", c.kind.name())),
            "{md}"
        );
    }
}

/// The catch and false-alarm rates on the repository's own pairs (the fixture folders, each
/// labelled by the worst verdict its expected.txt lists, and the generated catalogue pairs):
/// computed here, and DIFF.md must state them as computed.
#[test]
fn diff_md_states_the_rates_on_the_fixture_set() {
    let verdict = |r: &SpecReport| {
        r.changes
            .iter()
            .map(|c| c.http)
            .max()
            .unwrap_or(Http::Compatible)
    };
    let mut pairs: Vec<(Http, Http)> = Vec::new();
    let folders = cases();
    for case in &folders {
        let label = expected(case)
            .iter()
            .filter_map(|l| {
                let kind = l.split_whitespace().next()?;
                RULES.iter().find(|r| r.kind.name() == kind).map(|r| r.http)
            })
            .max()
            .unwrap_or(Http::Compatible);
        let report = diff_files(&case.join("old.yaml"), &case.join("new.yaml"));
        pairs.push((label, verdict(&report)));
    }
    let generated = super::catalogue_tests::labelled_pairs();
    for (label, old, new) in &generated {
        let report = spec_bytes("old.json", old, "new.json", new).expect("compares");
        pairs.push((*label, verdict(&report)));
    }
    let count = |f: &dyn Fn(&(Http, Http)) -> bool| pairs.iter().filter(|p| f(p)).count();
    let breaking = count(&|(l, _)| *l == Http::Breaking);
    let caught = count(&|(l, v)| *l == Http::Breaking && *v == Http::Breaking);
    let potential = count(&|(l, _)| *l == Http::Potential);
    let flagged = count(&|(l, v)| *l == Http::Potential && *v >= Http::Potential);
    let compatible = count(&|(l, _)| *l == Http::Compatible);
    let alarms = count(&|(l, v)| *l == Http::Compatible && *v == Http::Breaking);
    let sentence = format!(
        "On the repository's own fixture set ({} pairs: {} fixture folders and {} generated catalogue pairs): {caught} of {breaking} breaking pairs reported breaking, {flagged} of {potential} potentially breaking pairs reported at least potentially breaking, and {alarms} of {compatible} compatible pairs reported breaking.",
        pairs.len(),
        folders.len(),
        generated.len(),
    );
    let doc =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("DIFF.md")).expect("DIFF.md");
    assert!(doc.contains(&sentence), "DIFF.md should say:\n{sentence}");
}

#[test]
fn diff_md_shows_the_current_table() {
    let doc =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("DIFF.md")).expect("DIFF.md");
    assert!(
        doc.contains(&rules::markdown_table()),
        "DIFF.md's rules table is stale: paste the output of `cargo xtask diff --rules`"
    );
}

/// A throwaway git repository with a `specs/` folder.
struct Repo(PathBuf);

impl Repo {
    fn new(name: &str) -> Repo {
        let dir = std::env::temp_dir().join(format!("xtask-diff-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("specs")).expect("temp dir");
        let repo = Repo(dir);
        repo.git(&["init", "-q"]);
        repo
    }

    fn git(&self, args: &[&str]) {
        let status = Command::new("git")
            .arg("-C")
            .arg(&self.0)
            .args([
                "-c",
                "user.name=test",
                "-c",
                "user.email=test@example.com",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    }

    fn write(&self, name: &str, from: &Path) {
        fs::copy(from, self.0.join("specs").join(name)).expect("copy");
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn since_reports_added_changed_and_removed_specs() {
    let case = fixtures().join("required_param_added");
    let repo = Repo::new("since");
    repo.write("changed.yaml", &case.join("old.yaml"));
    repo.write("removed.yaml", &case.join("old.yaml"));
    repo.write("same.yaml", &case.join("old.yaml"));
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "base"]);
    repo.write("changed.yaml", &case.join("new.yaml"));
    fs::remove_file(repo.0.join("specs/removed.yaml")).expect("remove");
    repo.write("added.yaml", &case.join("new.yaml"));

    let reports = since_rev(&repo.0, "HEAD", &[]).expect("since");
    let got: Vec<(String, Vec<String>)> = reports
        .iter()
        .map(|r| (r.new.clone(), r.changes.iter().map(summary).collect()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "specs/added.yaml".to_owned(),
                vec!["SpecAdded ok minor".to_owned()]
            ),
            (
                "specs/changed.yaml".to_owned(),
                vec!["RequiredParamAdded breaking major".to_owned()]
            ),
            (
                "(none)".to_owned(),
                vec!["SpecRemoved breaking major".to_owned()]
            ),
            ("specs/same.yaml".to_owned(), vec![]),
        ]
    );
    assert_eq!(reports[1].old, "specs/changed.yaml@HEAD");

    // Named specs narrow the comparison; `specs/` prefixes are accepted.
    let named = since_rev(
        &repo.0,
        "HEAD",
        &["specs/same.yaml".to_owned(), "removed.yaml".to_owned()],
    )
    .expect("named");
    assert_eq!(named.len(), 2);
    assert!(named[0].changes.is_empty());
    assert_eq!(named[1].changes[0].kind, Kind::SpecRemoved);

    let err = since_rev(&repo.0, "HEAD", &["nope.yaml".to_owned()]).unwrap_err();
    assert!(err.to_string().contains("nope.yaml"), "{err:#}");
    let err = since_rev(&repo.0, "no-such-rev", &[]).unwrap_err();
    assert!(err.to_string().contains("not a git revision"), "{err:#}");
}

/// `--since` reads each side's overlay from its own revision: the working tree's beside the
/// working tree's spec, the revision's (`git show REV:specs/NAME.overlay.yaml`) beside the
/// revision's.
#[test]
fn since_applies_each_sides_own_overlay() {
    let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://api.example.com'}]\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200': {description: ok}\n";
    let overlay = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/a'].get.responses['200']\n    update: {content: {application/json: {schema: {type: object, properties: {n: {type: integer}}}}}}\n";
    let repo = Repo::new("since-overlay");
    let specs = repo.0.join("specs");
    fs::write(specs.join("api.yaml"), spec).expect("spec");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "spec"]);
    let kinds = || -> Vec<String> {
        since_rev(&repo.0, "HEAD", &[]).expect("since")[0]
            .changes
            .iter()
            .map(summary)
            .collect()
    };
    assert_eq!(kinds(), Vec::<String>::new());

    // Only the working tree has the overlay: its response is typed, HEAD's is not.
    fs::write(specs.join("api.overlay.yaml"), overlay).expect("overlay");
    assert_eq!(kinds(), ["SuccessTypeChanged breaking major"]);
    // Both sides have it: nothing changed.
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "overlay"]);
    assert_eq!(kinds(), Vec::<String>::new());
    // Only HEAD has it: the typed response is gone again.
    fs::remove_file(specs.join("api.overlay.yaml")).expect("remove");
    assert_eq!(kinds(), ["SuccessTypeChanged breaking major"]);
}

//! The three outputs: text for a terminal, Markdown for a PR comment, JSON for tools.

use serde_json::json;

use super::rules::Http;
use super::{Change, Report, SpecReport};

/// `Verdict: major (2 breaking changes for HTTP callers, 1 potentially breaking)`, without
/// the prefix.
pub fn verdict(report: &Report) -> String {
    let n = report.http_breaking();
    let mut http = format!(
        "{n} breaking change{} for HTTP callers",
        if n == 1 { "" } else { "s" }
    );
    let potential = report.http_potentially_breaking();
    if potential > 0 {
        http.push_str(&format!(", {potential} potentially breaking"));
    }
    match report.semver() {
        None => "no API changes".into(),
        Some(s) => format!("{} ({http})", s.as_str()),
    }
}

/// The changes worst first for HTTP callers, keeping the comparison's order within each.
fn worst_first(changes: &[Change]) -> Vec<&Change> {
    let mut sorted: Vec<&Change> = changes.iter().collect();
    sorted.sort_by_key(|c| std::cmp::Reverse(c.http));
    sorted
}

fn heading(spec: &SpecReport) -> String {
    let versions = match &spec.versions {
        Some((a, b)) if a != b => format!(" (info.version {a} -> {b})"),
        _ => String::new(),
    };
    format!("{} -> {}{versions}", spec.old, spec.new)
}

fn line(c: &Change) -> String {
    let context = c
        .context
        .as_ref()
        .map(|x| format!(" [{x}]"))
        .unwrap_or_default();
    format!("{}: {}{context}", c.subject, c.detail)
}

pub fn text(report: &Report) -> String {
    let mut out = String::new();
    for spec in &report.specs {
        out.push_str(&format!("{}\n", heading(spec)));
        if spec.changes.is_empty() {
            out.push_str("  no API changes\n");
        }
        for c in worst_first(&spec.changes) {
            let http = match c.http {
                Http::Breaking => "BREAKING",
                Http::Potential => "POTENTIAL",
                Http::Compatible => "ok",
            };
            out.push_str(&format!(
                "  {:<5}  {:<9}  {}\n",
                c.semver.as_str(),
                http,
                line(c)
            ));
            out.push_str(&format!("  {:<5}  {:<9}  why: {}\n", "", "", c.why));
        }
        out.push('\n');
    }
    out.push_str(&format!("Verdict: {}\n", verdict(report)));
    out
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// One Markdown block for a pull request: the verdict, then per spec what breaks HTTP callers,
/// what may, and everything else grouped by the operation (or type) it is about. Each row names
/// its kind, and each kind's reason is given once, after the tables: a release that removes
/// 200 fields has one reason for them, not 200 copies.
pub fn markdown(report: &Report) -> String {
    let mut out = format!("### API changes\n\n**Verdict: {}**\n", verdict(report));
    for spec in &report.specs {
        out.push_str(&format!("\n#### `{}`\n", heading(spec)));
        if spec.changes.is_empty() {
            out.push_str("\nNo API changes.\n");
            continue;
        }
        const HEADER: &str = "| Crate | Change | Kind |\n|---|---|---|\n";
        for (http, title) in [
            (Http::Breaking, "Breaking for HTTP callers"),
            (Http::Potential, "Potentially breaking for HTTP callers"),
        ] {
            let rows: Vec<&Change> = spec.changes.iter().filter(|c| c.http == http).collect();
            if rows.is_empty() {
                continue;
            }
            out.push_str(&format!("\n**{title}**\n\n{HEADER}"));
            for c in rows {
                let change = format!("**{}**: {}", cell(&c.subject), cell(&c.detail));
                out.push_str(&row(c, &change));
            }
        }
        let mut groups: Vec<(&str, Vec<&Change>)> = Vec::new();
        for c in spec.changes.iter().filter(|c| c.http == Http::Compatible) {
            match groups.iter_mut().find(|(subject, _)| *subject == c.subject) {
                Some((_, changes)) => changes.push(c),
                None => groups.push((&c.subject, vec![c])),
            }
        }
        // Operations first, then types, each by name: the order a reviewer scans an API in.
        groups.sort_by_key(|(subject, _)| (subject.starts_with("type "), *subject));
        if !groups.is_empty() {
            out.push_str("\n**Compatible for HTTP callers, by operation**\n");
        }
        for (subject, changes) in groups {
            out.push_str(&format!("\n`{}`\n\n{HEADER}", subject.replace('`', "")));
            for c in changes {
                out.push_str(&row(c, &cell(&c.detail)));
            }
        }
        // Why, once per kind (a kind's reason can depend on the change: the same Rust type).
        let mut reasons: Vec<(&str, &str)> = Vec::new();
        for c in worst_first(&spec.changes) {
            if !reasons.contains(&(c.kind.name(), c.why)) {
                reasons.push((c.kind.name(), c.why));
            }
        }
        out.push_str("\n**Why**\n\n");
        for (kind, why) in reasons {
            out.push_str(&format!("- `{kind}`: {why}\n"));
        }
    }
    out
}

fn row(c: &Change, change: &str) -> String {
    format!(
        "| {} | {change}{} | `{}` |\n",
        c.semver.as_str(),
        context_cell(c),
        c.kind.name()
    )
}

fn context_cell(c: &Change) -> String {
    c.context
        .as_ref()
        .map(|x| format!(" _({})_", cell(x)))
        .unwrap_or_default()
}

pub fn json(report: &Report) -> String {
    let specs: Vec<_> = report
        .specs
        .iter()
        .map(|s| {
            let changes: Vec<_> = s
                .changes
                .iter()
                .map(|c| {
                    json!({
                        "kind": c.kind.name(),
                        "subject": c.subject,
                        "detail": c.detail,
                        "context": c.context,
                        "http": c.http.as_str(),
                        "http_breaking": c.http == Http::Breaking,
                        "semver": c.semver.as_str(),
                        "why": c.why,
                    })
                })
                .collect();
            json!({
                "old": s.old,
                "new": s.new,
                "versions": s.versions.as_ref().map(|(a, b)| json!({"old": a, "new": b})),
                "changes": changes,
            })
        })
        .collect();
    let value = json!({
        "verdict": {
            "semver": report.semver().map(|s| s.as_str()),
            "http_breaking": report.http_breaking(),
            "http_potentially_breaking": report.http_potentially_breaking(),
            "summary": verdict(report),
        },
        "specs": specs,
    });
    let mut text = serde_json::to_string_pretty(&value).expect("a JSON value serialises");
    text.push('\n');
    text
}

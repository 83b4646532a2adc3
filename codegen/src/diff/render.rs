//! The three outputs: text for a terminal, Markdown for a PR comment, JSON for tools.

use serde_json::json;

use super::{Change, Report, SpecReport};

/// `Verdict: major (2 breaking changes for HTTP callers)`, without the prefix.
pub fn verdict(report: &Report) -> String {
    let n = report.http_breaking();
    let breaking = format!(
        "{n} breaking change{} for HTTP callers",
        if n == 1 { "" } else { "s" }
    );
    match report.semver() {
        None => "no API changes".into(),
        Some(s) => format!("{} ({breaking})", s.as_str()),
    }
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
        for c in &spec.changes {
            let http = if c.http_breaking { "BREAKING" } else { "ok" };
            out.push_str(&format!(
                "  {:<5}  {:<8}  {}\n",
                c.semver.as_str(),
                http,
                line(c)
            ));
            out.push_str(&format!("  {:<5}  {:<8}  why: {}\n", "", "", c.why));
        }
        out.push('\n');
    }
    out.push_str(&format!("Verdict: {}\n", verdict(report)));
    out
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn markdown(report: &Report) -> String {
    let mut out = format!("### API changes\n\n**Verdict: {}**\n", verdict(report));
    for spec in &report.specs {
        out.push_str(&format!("\n#### `{}`\n\n", heading(spec)));
        if spec.changes.is_empty() {
            out.push_str("No API changes.\n");
            continue;
        }
        out.push_str("| Crate | HTTP callers | Change | Why |\n|---|---|---|---|\n");
        for c in &spec.changes {
            let http = if c.http_breaking {
                "**breaking**"
            } else {
                "ok"
            };
            let context = c
                .context
                .as_ref()
                .map(|x| format!(" _({})_", cell(x)))
                .unwrap_or_default();
            out.push_str(&format!(
                "| {} | {http} | **{}**: {}{context} | {} |\n",
                c.semver.as_str(),
                cell(&c.subject),
                cell(&c.detail),
                cell(c.why)
            ));
        }
    }
    out
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
                        "http_breaking": c.http_breaking,
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
            "summary": verdict(report),
        },
        "specs": specs,
    });
    let mut text = serde_json::to_string_pretty(&value).expect("a JSON value serialises");
    text.push('\n');
    text
}

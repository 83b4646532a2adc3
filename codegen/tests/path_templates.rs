//! A path template and its declared parameters that disagree (real specs do: Intercom
//! declares a templated `{job_identifier}` as a query parameter) generate, matched as the
//! server matches them, by the template, each repair a warning at the operation's
//! parameters. These specs were refused before.

use std::path::Path;

use codegen::{Location, Options};

fn generate(paths: &str) -> codegen::Generated {
    let spec = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "T", "version": "1"}}, "servers": [{{"url": "https://api.example.com"}}], "paths": {paths}}}"#
    );
    codegen::generate(
        Path::new("t.json"),
        "t.json",
        spec.as_bytes(),
        &Options::new("../runtime"),
    )
    .unwrap_or_else(|f| panic!("{f}"))
}

fn operations(generated: &codegen::Generated) -> &str {
    generated.file("src/operations.rs").unwrap()
}

fn param(name: &str, place: &str) -> String {
    format!(
        r#"{{"name": "{name}", "in": "{place}", "required": true, "schema": {{"type": "string"}}}}"#
    )
}

fn op(path: &str, params: &[String]) -> String {
    format!(
        r#"{{"{path}": {{"get": {{"operationId": "g", "parameters": [{}], "responses": {{"204": {{"description": "x"}}}}}}}}}}"#,
        params.join(", ")
    )
}

/// The one warning, at the operation's parameters, and the generated path substitution.
fn repaired(paths: &str, expected_warning: &str, substituted: &str) {
    let generated = generate(paths);
    let warnings: Vec<String> = generated
        .warnings
        .iter()
        .map(|w| w.message.clone())
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains(expected_warning), "{warnings:?}");
    assert!(
        matches!(&generated.warnings[0].location, Location::Pointer(p) if p.ends_with("/get/parameters")),
        "{:?}",
        generated.warnings[0].location
    );
    let ops = operations(&generated);
    assert!(
        ops.contains(&format!("path_param(\"{substituted}\"")),
        "{substituted} in\n{ops}"
    );
}

#[test]
fn a_differently_spelled_path_parameter_takes_the_templates_name() {
    repaired(
        &op("/a/{jobId}", &[param("JobID", "path")]),
        "spelled differently",
        "jobId",
    );
}

#[test]
fn a_query_parameter_named_in_the_template_is_sent_in_the_path() {
    // Intercom 2.14-2.16: GET /export/reporting_data/{job_identifier}, `in: query`.
    repaired(
        &op(
            "/export/{job_identifier}",
            &[param("job_identifier", "query")],
        ),
        "declared outside the path",
        "job_identifier",
    );
}

#[test]
fn a_lone_unmatched_parameter_fills_a_lone_unmatched_name() {
    repaired(
        &op("/a/{id}", &[param("sid", "path")]),
        "the only path parameter",
        "id",
    );
}

#[test]
fn an_undeclared_template_name_becomes_a_required_string() {
    let generated = generate(&op("/a/{id}", &[]));
    assert!(generated.warnings[0]
        .message
        .contains("taken as a required string"));
    let client = generated.file("src/client.rs").unwrap();
    assert!(
        client.contains("pub fn g(&self, id: impl Into<String>)"),
        "{client}"
    );
}

#[test]
fn a_path_parameter_the_template_lacks_is_dropped() {
    let generated = generate(&op("/a", &[param("id", "path")]));
    assert!(
        generated.warnings[0].message.contains("it is dropped"),
        "{:?}",
        generated.warnings
    );
    assert!(!operations(&generated).contains("path_param("));
}

#[test]
fn intercom_generates() {
    for version in ["2.14", "2.15", "2.16"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/corpus/contact-centre/intercom")
            .join(format!("api.intercom.io-{version}.yaml"));
        let bytes = std::fs::read(&path).unwrap();
        let generated = codegen::generate(&path, "intercom", &bytes, &Options::new("../runtime"))
            .unwrap_or_else(|f| panic!("{version}: {f}"));
        let ops = operations(&generated);
        assert!(ops.contains("path_param(\"job_identifier\""), "{version}");
        // The ticket reply's `skip_notifications`, beside a union whose first alternative is
        // itself a union, reaches all four ways to reply (it was dropped, with a warning), and
        // each variant is named after the schema it extends.
        let types = generated.file("src/types.rs").unwrap();
        let union = &types[types.find("pub enum ReplyTicketRequest {").unwrap()..];
        let union = &union[..union.find("\n}").unwrap()];
        for reply in [
            "ContactReplyTicketIntercomUserIdRequest",
            "ContactReplyTicketUserIdRequest",
            "ContactReplyTicketEmailRequest",
            "AdminReplyTicketRequest",
        ] {
            assert!(
                union.contains(&format!("    {reply}("))
                    && union.contains(&format!("ReplyTicketRequest{reply}")),
                "{version}: {union}"
            );
            let start = types
                .find(&format!("pub struct ReplyTicketRequest{reply} {{"))
                .unwrap_or_else(|| panic!("{version}: {reply}"));
            let body = &types[start..start + types[start..].find("\n}").unwrap()];
            assert!(
                body.contains("pub skip_notifications: Option<bool>"),
                "{version}: {body}"
            );
        }
        assert!(
            !generated
                .warnings
                .iter()
                .any(|w| w.message.contains("not merged")),
            "{version}"
        );
    }
}

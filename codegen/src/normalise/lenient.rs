//! Specs as people write them: parts OpenAPI requires but whose absence has one sensible
//! reading are filled in, each with a warning naming the place, instead of failing the parse.
//!
//! - a response without `description` gets an empty one;
//! - an operation without `responses` (required in 3.0) gets a `2XX` with no schema, as in 3.1;
//! - `paths: null`, a path item, `content:` or one of its entries written as null are empty;
//! - an OAuth flow without `scopes` has none.
//!
//! What has no sensible reading (not OpenAPI, a dangling `$ref`, a cycle) stays an error.

use serde_json::{json, Map, Value};

use super::Version;
use crate::diagnostics::{pointer_join, Diagnostics};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub(crate) fn repair(doc: &mut Value, version: Version, diags: &mut Diagnostics) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    match root.get("paths") {
        Some(Value::Null) => {
            diags.warn("/paths", "`paths` is null; read as no paths");
            root.insert("paths".into(), json!({}));
        }
        // Required in 3.0 (3.1's downgrade adds it silently, as 3.1 allows its absence).
        None if version == Version::V30 => {
            diags.warn("/paths", "the spec has no `paths`; read as no paths");
            root.insert("paths".into(), json!({}));
        }
        _ => {}
    }
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let at = pointer_join("/paths", path);
            path_item(item, &at, version, diags);
        }
    }
    if let Some(Value::Object(webhooks)) = root.get_mut("webhooks") {
        for (name, item) in webhooks.iter_mut() {
            path_item(item, &pointer_join("/webhooks", name), version, diags);
        }
    }
    let Some(Value::Object(components)) = root.get_mut("components") else {
        return;
    };
    if let Some(Value::Object(responses)) = components.get_mut("responses") {
        for (name, r) in responses.iter_mut() {
            response(r, &pointer_join("/components/responses", name), diags);
        }
    }
    if let Some(Value::Object(bodies)) = components.get_mut("requestBodies") {
        for (name, b) in bodies.iter_mut() {
            content(b, &pointer_join("/components/requestBodies", name), diags);
        }
    }
    if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
        for (name, s) in schemes.iter_mut() {
            oauth_scopes(s, &pointer_join("/components/securitySchemes", name), diags);
        }
    }
}

fn path_item(item: &mut Value, at: &str, version: Version, diags: &mut Diagnostics) {
    if item.is_null() {
        diags.warn(at, "the path item is null; read as one with no operations");
        *item = json!({});
    }
    let Some(item) = item.as_object_mut() else {
        return;
    };
    for method in METHODS {
        let Some(Value::Object(op)) = item.get_mut(method) else {
            continue;
        };
        let at = format!("{at}/{method}");
        operation(op, &at, version, diags);
    }
}

fn operation(op: &mut Map<String, Value>, at: &str, version: Version, diags: &mut Diagnostics) {
    // 3.1 makes `responses` optional; its downgrade declares the same `2XX`.
    if version == Version::V30 && !matches!(op.get("responses"), Some(Value::Object(_))) {
        diags.warn(
            &format!("{at}/responses"),
            "the operation declares no `responses`; read as one 2XX response with no schema",
        );
        op.insert(
            "responses".into(),
            json!({"2XX": {"description": "The spec declares no responses."}}),
        );
    }
    if let Some(body) = op.get_mut("requestBody") {
        content(body, &format!("{at}/requestBody"), diags);
    }
    if let Some(Value::Object(responses)) = op.get_mut("responses") {
        for (status, r) in responses.iter_mut() {
            response(r, &pointer_join(&format!("{at}/responses"), status), diags);
        }
    }
}

fn response(r: &mut Value, at: &str, diags: &mut Diagnostics) {
    let Some(map) = r.as_object_mut() else {
        return;
    };
    if map.contains_key("$ref") {
        return;
    }
    if !matches!(map.get("description"), Some(Value::String(_))) {
        diags.warn(
            &format!("{at}/description"),
            "the response has no `description` (OpenAPI requires one); read as empty",
        );
        map.insert("description".into(), json!(""));
    }
    content(r, at, diags);
}

/// `content: null` and `content: {type: null}` as empty.
fn content(holder: &mut Value, at: &str, diags: &mut Diagnostics) {
    let Some(map) = holder.as_object_mut() else {
        return;
    };
    if map.get("content") == Some(&Value::Null) {
        diags.warn(
            &format!("{at}/content"),
            "`content` is null; read as no content",
        );
        map.insert("content".into(), json!({}));
    }
    let Some(Value::Object(media)) = map.get_mut("content") else {
        return;
    };
    for (name, entry) in media.iter_mut() {
        if entry.is_null() {
            diags.warn(
                &pointer_join(&format!("{at}/content"), name),
                format!("media type `{name}` is null; read as one with no schema"),
            );
            *entry = json!({});
        }
    }
}

fn oauth_scopes(scheme: &mut Value, at: &str, diags: &mut Diagnostics) {
    if scheme.get("type").and_then(Value::as_str) != Some("oauth2") {
        return;
    }
    let Some(Value::Object(flows)) = scheme.get_mut("flows") else {
        return;
    };
    for (name, flow) in flows.iter_mut() {
        let Some(flow) = flow.as_object_mut() else {
            continue;
        };
        if !matches!(flow.get("scopes"), Some(Value::Object(_))) {
            diags.warn(
                &pointer_join(&format!("{at}/flows"), name),
                "the OAuth flow has no `scopes`; read as none",
            );
            flow.insert("scopes".into(), json!({}));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::*;

    fn repaired(mut doc: Value) -> (Value, Vec<String>) {
        let mut diags = Diagnostics::new(Path::new("api.yaml"));
        repair(&mut doc, Version::V30, &mut diags);
        let warnings = diags
            .into_warnings()
            .iter()
            .map(|w| w.to_string())
            .collect();
        (doc, warnings)
    }

    #[test]
    fn each_sloppy_part_is_filled_in_with_a_warning_at_its_pointer() {
        let (doc, warnings) = repaired(json!({
            "paths": {
                "/a": {"get": {"responses": {"200": {"content": null}}}},
                "/b": {"post": {"requestBody": {"content": {"application/json": null}}}},
                "/c": null
            },
            "components": {"securitySchemes": {"o": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t"}}}}}
        }));
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["description"],
            ""
        );
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["content"],
            json!({})
        );
        assert!(doc["paths"]["/b"]["post"]["responses"]["2XX"].is_object());
        assert_eq!(
            doc["paths"]["/b"]["post"]["requestBody"]["content"]["application/json"],
            json!({})
        );
        assert_eq!(doc["paths"]["/c"], json!({}));
        let scopes =
            &doc["components"]["securitySchemes"]["o"]["flows"]["clientCredentials"]["scopes"];
        assert_eq!(*scopes, json!({}));
        for pointer in [
            "/paths/~1a/get/responses/200/description",
            "/paths/~1a/get/responses/200/content",
            "/paths/~1b/post/responses",
            "/paths/~1b/post/requestBody/content/application~1json",
            "/paths/~1c",
            "/components/securitySchemes/o/flows/clientCredentials",
        ] {
            assert!(
                warnings
                    .iter()
                    .any(|w| w.starts_with("warning: api.yaml") && w.contains(pointer)),
                "{pointer} in {warnings:#?}"
            );
        }
        assert_eq!(warnings.len(), 6, "{warnings:#?}");
    }

    #[test]
    fn null_paths_are_no_paths_and_a_sound_spec_is_left_alone() {
        let (doc, warnings) = repaired(json!({"paths": null}));
        assert_eq!(doc["paths"], json!({}));
        assert_eq!(warnings.len(), 1);
        let sound =
            json!({"paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}});
        let (doc, warnings) = repaired(sound.clone());
        assert_eq!((doc, warnings.len()), (sound, 0));
    }
}

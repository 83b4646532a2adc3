//! Non-essential metadata never blocks generation: a malformed contact e-mail, licence or
//! version is repaired or dropped with a warning instead of failing the parse.
//!
//! The motivating case: Twilio's published YAML has `email: [email protected]` (a mangled
//! address), which YAML reads as a one-element list where OpenAPI wants a string.

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostics;

/// String-valued metadata fields: (pointer, dotted name for humans).
const STRING_FIELDS: &[(&str, &[&str])] = &[
    ("contact", &["name", "url", "email"]),
    ("license", &["name", "url", "identifier"]),
];

/// Optional string fields of `info` that are dropped when they are not strings.
const OPTIONAL_STRINGS: &[&str] = &["description", "termsOfService"];

pub(crate) fn repair(doc: &mut Value, diags: &mut Diagnostics) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    let info = root
        .entry("info")
        .or_insert_with(|| Value::Object(Map::new()));
    if !info.is_object() {
        diags.warn(
            "/info",
            format!("ignoring info: expected a mapping, found {}", kind(info)),
        );
        *info = Value::Object(Map::new());
    }
    let info = info.as_object_mut().expect("info is an object");
    required_strings(info, diags);
    for field in OPTIONAL_STRINGS {
        if let Some(v) = info.get(*field) {
            if !v.is_string() {
                diags.warn(
                    &format!("/info/{field}"),
                    format!(
                        "ignoring info.{field}: expected a string, found {}",
                        kind(v)
                    ),
                );
                info.remove(*field);
            }
        }
    }
    contact_and_license(info, diags);
}

/// `title` and `version`, which the parse needs: a number or boolean is read as its text,
/// anything else (or nothing) is replaced by a placeholder.
fn required_strings(info: &mut Map<String, Value>, diags: &mut Diagnostics) {
    for (field, default) in [("title", "API"), ("version", "0.0.0")] {
        match info.get(field) {
            Some(Value::String(_)) => {}
            Some(v @ (Value::Number(_) | Value::Bool(_))) => {
                let text = v.to_string();
                diags.warn(
                    &format!("/info/{field}"),
                    format!("info.{field} is a {}, read as the string {text:?}", kind(v)),
                );
                info.insert(field.to_owned(), Value::String(text));
            }
            other => {
                if let Some(v) = other {
                    diags.warn(
                        &format!("/info/{field}"),
                        format!(
                            "ignoring info.{field}: expected a string, found {}",
                            kind(v)
                        ),
                    );
                } else {
                    diags.warn(
                        &format!("/info/{field}"),
                        format!("info.{field} is missing; using {default:?}"),
                    );
                }
                info.insert(field.to_owned(), Value::String(default.to_owned()));
            }
        }
    }
}

/// `contact` and `license`: a section that is not a mapping, a field of one that is not a
/// string, and a licence without a name are dropped.
fn contact_and_license(info: &mut Map<String, Value>, diags: &mut Diagnostics) {
    for (object, fields) in STRING_FIELDS {
        let Some(section) = info.get_mut(*object) else {
            continue;
        };
        let Some(section) = section.as_object_mut() else {
            diags.warn(
                &format!("/info/{object}"),
                format!(
                    "ignoring info.{object}: expected a mapping, found {}",
                    kind(section)
                ),
            );
            info.remove(*object);
            continue;
        };
        for field in *fields {
            if let Some(v) = section.get(*field) {
                if !v.is_string() {
                    diags.warn(
                        &format!("/info/{object}/{field}"),
                        format!(
                            "ignoring info.{object}.{field}: expected a string, found {}",
                            kind(v)
                        ),
                    );
                    section.remove(*field);
                }
            }
        }
    }
    if let Some(license) = info.get("license") {
        // openapiv3 requires a licence name; a licence without one carries nothing we use.
        if license.get("name").is_none() {
            diags.warn("/info/license", "ignoring info.license: it has no name");
            info.remove("license");
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    #[test]
    fn list_valued_email_is_dropped_with_one_warning_naming_the_place() {
        let mut doc = json!({"info": {"title": "T", "version": "1", "contact": {"name": "Twilio", "email": ["email protected"]}}});
        let mut diags = Diagnostics::new(Path::new("spec.yaml"));
        repair(&mut doc, &mut diags);
        assert_eq!(doc["info"]["contact"], json!({"name": "Twilio"}));
        let warnings = diags.into_warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].to_string().contains("info.contact.email"),
            "{}",
            warnings[0]
        );
        assert!(
            warnings[0].to_string().contains("spec.yaml"),
            "{}",
            warnings[0]
        );
    }

    #[test]
    fn numeric_version_becomes_a_string() {
        let mut doc = json!({"info": {"title": "T", "version": 2.5}});
        let mut diags = Diagnostics::new(Path::new("s.yaml"));
        repair(&mut doc, &mut diags);
        assert_eq!(doc["info"]["version"], json!("2.5"));
        assert_eq!(diags.into_warnings().len(), 1);
    }

    #[test]
    fn well_formed_metadata_is_untouched_and_silent() {
        let original = json!({"info": {"title": "T", "version": "1", "contact": {"email": "a@b.c"}, "license": {"name": "MIT"}}});
        let mut doc = original.clone();
        let mut diags = Diagnostics::new(Path::new("s.json"));
        repair(&mut doc, &mut diags);
        assert_eq!(doc, original);
        assert!(diags.into_warnings().is_empty());
    }
}

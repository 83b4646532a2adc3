//! Stage 2: `Value -> Value` passes that bring any spec we accept into the OpenAPI 3.0 shape
//! `openapiv3` parses, without losing what the spec says. Each pass is small and unit-tested;
//! whatever a pass drops or approximates becomes a warning with its location.
//!
//! Vendor extensions are not rewritten here: `crate::extensions` reads them for the model.

pub(crate) mod lenient;
pub(crate) mod metadata;
pub(crate) mod oas31;
pub(crate) mod refs;
pub(crate) mod schema_shape;
pub(crate) mod union_siblings;
mod walk;

use serde_json::Value;

use crate::diagnostics::{Diagnostics, Error};

/// The OpenAPI minor version a document declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Version {
    V30,
    V31,
}

/// Runs every pass in order. The document must be a JSON object.
pub(crate) fn run(doc: &mut Value, diags: &mut Diagnostics) -> Result<Version, Error> {
    let version = detect_version(doc, diags)?;
    metadata::repair(doc, diags);
    lenient::repair(doc, version, diags);
    if version == Version::V31 {
        oas31::downgrade(doc, diags);
    }
    refs::check_external(doc, diags)?;
    refs::inline_inner_pointers(doc, diags)?;
    refs::lift_sibling_keywords(doc, diags);
    union_siblings::merge_into_alternatives(doc);
    schema_shape::check_each_schema(doc, diags)?;
    Ok(version)
}

fn detect_version(doc: &Value, diags: &Diagnostics) -> Result<Version, Error> {
    if let Some(swagger) = doc.get("swagger") {
        let v = swagger
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| swagger.to_string());
        return Err(diags.error(
            "/swagger",
            format!("this is a Swagger {v} document; convert it to OpenAPI 3 first (e.g. with swagger2openapi)"),
        ));
    }
    let Some(version) = doc.get("openapi") else {
        return Err(diags.error(
            "",
            "not an OpenAPI document: there is no `openapi` version field",
        ));
    };
    let Some(version) = version.as_str() else {
        return Err(diags.error(
            "/openapi",
            format!("`openapi` must be a version string like \"3.0.3\", found {version}"),
        ));
    };
    if version.starts_with("3.0") {
        Ok(Version::V30)
    } else if version.starts_with("3.1") {
        Ok(Version::V31)
    } else {
        Err(diags.error(
            "/openapi",
            format!("unsupported OpenAPI version {version:?}: expected 3.0.x or 3.1.x"),
        ))
    }
}

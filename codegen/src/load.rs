//! Stage 1: bytes to `serde_json::Value`, YAML or JSON, with errors that carry a line and column.

use std::path::Path;

use serde_json::Value;

use crate::diagnostics::{Error, Location};

/// Parses a spec. JSON is tried when the file name says so or the text starts with `{`;
/// everything else is read as YAML (a superset of JSON).
pub fn parse(file: &Path, bytes: &[u8]) -> Result<Value, Error> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::new(file, Location::File, format!("not UTF-8 text (invalid byte at offset {}): is this a spec file?", e.valid_up_to()))
    })?;
    if text.trim().is_empty() {
        return Err(Error::new(file, Location::File, "the file is empty"));
    }
    if text.contains('\0') {
        return Err(Error::new(file, Location::File, "the file contains NUL bytes: is this a spec file?"));
    }
    let is_json = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) || text.trim_start().starts_with('{');
    let value = if is_json {
        serde_json::from_str::<Value>(text).map_err(|e| {
            Error::new(file, Location::LineColumn { line: e.line(), column: e.column() }, format!("invalid JSON: {}", strip_position(&e.to_string())))
        })?
    } else {
        parse_yaml(file, text)?
    };
    if !value.is_object() {
        return Err(Error::new(file, Location::Pointer(String::new()), "expected a mapping at the top level (an OpenAPI document)"));
    }
    Ok(value)
}

fn parse_yaml(file: &Path, text: &str) -> Result<Value, Error> {
    // Deep nesting is refused by the YAML parser's own recursion limit, so an absurd document
    // is an error here rather than a stack overflow later.
    serde_yaml::from_str::<Value>(text).map_err(|e| {
        let location = e
            .location()
            .map(|l| Location::LineColumn { line: l.line(), column: l.column() })
            .unwrap_or(Location::File);
        Error::new(file, location, format!("invalid YAML: {}", strip_position(&e.to_string())))
    })
}

/// Parser messages end in "at line X column Y"; the location is already in the error.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

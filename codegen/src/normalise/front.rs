//! Front's conventions: `x-required-scopes` on operations, and the API token variable.

use indexmap::IndexMap;
use openapiv3::OpenAPI;
use serde_json::Value;

pub fn is_front(doc: &OpenAPI) -> bool {
    doc.servers
        .iter()
        .any(|s| super::twilio::host_of(&s.url).is_some_and(|h| h.ends_with("frontapp.com")))
}

/// `x-required-scopes`: the OAuth scopes a token needs for an operation.
pub fn required_scopes(extensions: &IndexMap<String, Value>) -> Vec<String> {
    match extensions.get("x-required-scopes") {
        Some(Value::Array(scopes)) => scopes
            .iter()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

pub const BEARER_ENV: &[&str] = &["FRONT_API_TOKEN"];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scopes_are_read() {
        let e: IndexMap<String, Value> =
            [("x-required-scopes".to_owned(), json!(["channels:write"]))]
                .into_iter()
                .collect();
        assert_eq!(required_scopes(&e), ["channels:write"]);
        assert!(required_scopes(&IndexMap::new()).is_empty());
    }
}

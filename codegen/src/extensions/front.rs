//! Front: `x-required-scopes` on operations, and the Channel API's credentials (a JWT signed
//! per request with the app's secret, or an API token).

use openapiv3::{OpenAPI, PathItem};
use serde_json::Value;

use super::{ClientConventions, EnvCredentials, OperationFacts, Vendor};

pub(crate) struct Front;

impl Vendor for Front {
    fn name(&self) -> &'static str {
        "Front"
    }

    fn detect(&self, doc: &OpenAPI) -> bool {
        super::served_from(doc, "frontapp.com")
    }

    fn operation_facts(&self, _item: &PathItem, op: &openapiv3::Operation) -> OperationFacts {
        OperationFacts {
            scopes: required_scopes(&op.extensions),
            ..OperationFacts::default()
        }
    }

    fn client(&self, _crate_name: &str) -> ClientConventions {
        ClientConventions {
            env: EnvCredentials::Runtime {
                path: "sdk_runtime::extensions::front::ENV_AUTH",
                sources: &[
                    (
                        &["FRONT_APP_UID", "FRONT_APP_SECRET"],
                        "the app's UID and secret, which sign a Channel API JWT per request",
                    ),
                    (&["FRONT_API_TOKEN"], "an API token"),
                ],
            },
            hosts: None,
            request_id_header: None,
            webhook_verification: Some("sdk_runtime::extensions::front::webhook"),
        }
    }
}

/// `x-required-scopes`: the OAuth scopes a token needs for an operation.
fn required_scopes(extensions: &indexmap::IndexMap<String, Value>) -> Vec<String> {
    match extensions.get("x-required-scopes") {
        Some(Value::Array(scopes)) => scopes
            .iter()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scopes_are_read() {
        let e: indexmap::IndexMap<String, Value> =
            [("x-required-scopes".to_owned(), json!(["channels:write"]))]
                .into_iter()
                .collect();
        assert_eq!(required_scopes(&e), ["channels:write"]);
        assert!(required_scopes(&indexmap::IndexMap::new()).is_empty());
    }
}

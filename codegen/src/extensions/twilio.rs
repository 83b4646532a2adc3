//! Twilio: `x-twilio` (pii, pathType, mountName, className, parent, defaultOutputProperties,
//! dependentProperties, apiStandards), `x-maturity`, SID patterns, the `*_enum_*` schema
//! naming scheme, `meta.next_page_url` pages, and Twilio's credential and host conventions.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem};
use serde_json::Value;

use super::{
    ApiFacts, ApiStandards, ClientConventions, EnvCredentials, Hosts, Identifier, InfoVersion,
    MaturityLevel, OperationFacts, PageShape, Pii, Resource, Vendor,
};

pub(crate) struct Twilio;

impl Vendor for Twilio {
    fn name(&self) -> &'static str {
        "Twilio"
    }

    fn detect(&self, doc: &OpenAPI) -> bool {
        super::served_from(doc, "twilio.com")
    }

    fn api_facts(&self, doc: &OpenAPI) -> ApiFacts {
        ApiFacts {
            maturity_levels: maturity_levels(&doc.extensions),
            api_standards: api_standards(&doc.info.extensions),
        }
    }

    fn operation_facts(&self, item: &PathItem, op: &openapiv3::Operation) -> OperationFacts {
        OperationFacts {
            maturity: maturity(&op.extensions),
            scopes: Vec::new(),
            resource: resource(&item.extensions),
        }
    }

    fn pii(&self, extensions: &IndexMap<String, Value>) -> Option<Pii> {
        let pii = extensions.get("x-twilio")?.get("pii")?;
        Some(Pii {
            handling: pii
                .get("handling")
                .and_then(Value::as_str)
                .unwrap_or("standard")
                .to_owned(),
            delete_sla: pii.get("deleteSla").and_then(Value::as_i64),
        })
    }

    fn identifier(&self, pattern: &str) -> Option<Identifier> {
        Some(Identifier {
            prefix: sid_prefix(pattern)?,
            runtime_type: "sdk_runtime::extensions::twilio::Sid",
        })
    }

    fn type_name(&self, component: &str) -> Option<String> {
        enum_type_name(component)
    }

    fn page_shapes(&self) -> &'static [PageShape] {
        &[
            // Every current API: `{<items>: [...], meta: {key, next_page_url, ...}}`.
            PageShape {
                next_link: &["meta", "next_page_url"],
                beside_link: Some("key"),
                page_size: Some("PageSize"),
            },
            // The 2010 API: `{<items>: [...], next_page_uri}`, host-relative.
            PageShape {
                next_link: &["next_page_uri"],
                beside_link: None,
                page_size: Some("PageSize"),
            },
        ]
    }

    fn client(&self, _crate_name: &str) -> ClientConventions {
        ClientConventions {
            env: EnvCredentials::Runtime {
                path: "sdk_runtime::extensions::twilio::ENV_AUTH",
                sources: &[
                    (
                        &["TWILIO_API_KEY", "TWILIO_API_SECRET"],
                        "an API key and its secret",
                    ),
                    (
                        &["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"],
                        "the account SID and auth token",
                    ),
                    (
                        &["TWILIO_CLIENT_ID", "TWILIO_CLIENT_SECRET"],
                        "an OAuth client, for tokens from Twilio's token endpoint",
                    ),
                ],
            },
            hosts: Some(Hosts {
                path: "sdk_runtime::extensions::twilio::REGIONAL_HOSTS",
                region_var: "TWILIO_REGION",
                edge_var: "TWILIO_EDGE",
            }),
            request_id_header: Some("sdk_runtime::extensions::twilio::REQUEST_ID_HEADER"),
            webhook_verification: Some("sdk_runtime::extensions::twilio::webhook"),
        }
    }

    fn info_version(&self) -> InfoVersion {
        InfoVersion::SpecRelease
    }
}

/// `x-twilio` on a path item.
fn resource(extensions: &IndexMap<String, Value>) -> Option<Resource> {
    let x = extensions.get("x-twilio")?;
    let text = |k: &str| x.get(k).and_then(Value::as_str).map(str::to_owned);
    let list = |k: &str| -> Vec<String> {
        match x.get(k) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect(),
            // dependentProperties is a map from property to the resource it leads to.
            Some(Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    };
    Some(Resource {
        vendor: "Twilio",
        path_type: text("pathType"),
        mount_name: text("mountName"),
        class_name: text("className"),
        parent: text("parent"),
        default_output_properties: list("defaultOutputProperties"),
        dependent_properties: list("dependentProperties"),
    })
}

/// `x-maturity` on an operation: a list of level names.
fn maturity(extensions: &IndexMap<String, Value>) -> Vec<String> {
    match extensions.get("x-maturity") {
        Some(Value::Array(levels)) => levels
            .iter()
            .filter_map(|l| l.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(level)) => vec![level.clone()],
        _ => Vec::new(),
    }
}

/// `x-maturity` at the top level: `[{name, description}]`.
fn maturity_levels(extensions: &IndexMap<String, Value>) -> Vec<MaturityLevel> {
    match extensions.get("x-maturity") {
        Some(Value::Array(levels)) => levels
            .iter()
            .filter_map(|l| {
                Some(MaturityLevel {
                    name: l.get("name")?.as_str()?.to_owned(),
                    description: l
                        .get("description")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned(),
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `info.x-twilio.apiStandards`.
fn api_standards(info_extensions: &IndexMap<String, Value>) -> Option<ApiStandards> {
    let version = info_extensions
        .get("x-twilio")?
        .get("apiStandards")?
        .as_str()?;
    Some(ApiStandards {
        vendor: "Twilio",
        version: version.to_owned(),
    })
}

/// The two-letter prefix of a Twilio SID pattern `^XX[0-9a-fA-F]{32}$`.
fn sid_prefix(pattern: &str) -> Option<[char; 2]> {
    let prefix = pattern
        .strip_prefix('^')?
        .strip_suffix("[0-9a-fA-F]{32}$")?;
    match prefix.chars().collect::<Vec<_>>()[..] {
        [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => Some([a, b]),
        _ => None,
    }
}

/// Twilio names enum schemas `<resource>_enum_<field>` (sometimes with a `_type` suffix).
/// A person would call `user_enum_state_type` `UserState`, and `sink_enum_sink_type` `SinkType`:
/// the words `user_state` and `sink_type`, which the model makes an identifier.
fn enum_type_name(name: &str) -> Option<String> {
    let (resource, field) = name.split_once("_enum_")?;
    let resource = resource.rsplit('.').next().unwrap_or(resource);
    let mut field = field.to_owned();
    if let Some(stripped) = field.strip_suffix("_type") {
        if stripped != resource && !stripped.is_empty() {
            field = stripped.to_owned();
        }
    }
    let field = field
        .strip_prefix(&format!("{resource}_"))
        .map(str::to_owned)
        .unwrap_or(field);
    let joined = if field == resource {
        resource.to_owned()
    } else {
        format!("{resource}_{field}")
    };
    Some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ext(v: Value) -> IndexMap<String, Value> {
        v.as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    #[test]
    fn enum_names_read_like_a_person_wrote_them() {
        assert_eq!(
            enum_type_name("user_enum_state_type").as_deref(),
            Some("user_state")
        );
        assert_eq!(
            enum_type_name("sink_enum_sink_type").as_deref(),
            Some("sink_type")
        );
        assert_eq!(
            enum_type_name("call_enum_status").as_deref(),
            Some("call_status")
        );
        assert_eq!(
            enum_type_name("channel_enum_channel_type").as_deref(),
            Some("channel_type")
        );
        assert_eq!(enum_type_name("flex.v2.flex_user"), None);
    }

    #[test]
    fn sid_prefixes() {
        assert_eq!(sid_prefix("^US[0-9a-fA-F]{32}$"), Some(['U', 'S']));
        assert_eq!(sid_prefix("^[a-zA-Z]+$"), None);
        assert_eq!(sid_prefix("^usx[0-9a-fA-F]{32}$"), None);
    }

    #[test]
    fn pii_and_resource_and_maturity() {
        let e = ext(json!({"x-twilio": {"pii": {"handling": "standard", "deleteSla": 30}}}));
        assert_eq!(
            Twilio.pii(&e),
            Some(Pii {
                handling: "standard".into(),
                delete_sla: Some(30)
            })
        );
        let r = resource(&ext(json!({"x-twilio": {"pathType": "list", "mountName": "web_channels", "defaultOutputProperties": ["sid"], "dependentProperties": {"steps": {}}}}))).unwrap();
        assert_eq!(r.path_type.as_deref(), Some("list"));
        assert_eq!(r.mount_name.as_deref(), Some("web_channels"));
        assert_eq!(r.default_output_properties, ["sid"]);
        assert_eq!(r.dependent_properties, ["steps"]);
        assert_eq!(maturity(&ext(json!({"x-maturity": ["Beta"]}))), ["Beta"]);
        assert_eq!(
            maturity_levels(&ext(
                json!({"x-maturity": [{"name": "GA", "description": "d"}]})
            )),
            [MaturityLevel {
                name: "GA".to_owned(),
                description: "d".to_owned()
            }]
        );
    }
}

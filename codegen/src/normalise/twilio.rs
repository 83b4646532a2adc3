//! Twilio's vendor extensions, read into the model: `x-twilio` (pii, pathType, mountName,
//! className, parent, defaultOutputProperties, dependentProperties, apiStandards), `x-maturity`,
//! the SID pattern, the `*_enum_*` schema naming scheme and the credential conventions.

use indexmap::IndexMap;
use openapiv3::OpenAPI;
use serde_json::Value;

use crate::model::{Pii, TwilioResource};

/// Whether Twilio's conventions (credentials, regions and edges) apply to a spec.
pub fn is_twilio(doc: &OpenAPI) -> bool {
    let host_is_twilio =
        |url: &str| host_of(url).is_some_and(|h| h == "twilio.com" || h.ends_with(".twilio.com"));
    doc.servers.iter().any(|s| host_is_twilio(&s.url))
        || doc.paths.paths.values().any(|p| {
            p.as_item()
                .is_some_and(|p| p.servers.iter().any(|s| host_is_twilio(&s.url)))
        })
}

pub fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    Some(
        host.rsplit_once('@')
            .map_or(host, |(_, h)| h)
            .split(':')
            .next()
            .unwrap_or(host),
    )
}

/// `x-twilio.pii` on a schema: `{handling, deleteSla}`.
pub fn pii(extensions: &IndexMap<String, Value>) -> Option<Pii> {
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

/// `x-twilio` on a path item.
pub fn resource(extensions: &IndexMap<String, Value>) -> Option<TwilioResource> {
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
    Some(TwilioResource {
        path_type: text("pathType"),
        mount_name: text("mountName"),
        class_name: text("className"),
        parent: text("parent"),
        default_output_properties: list("defaultOutputProperties"),
        dependent_properties: list("dependentProperties"),
    })
}

/// `x-maturity` on an operation: a list of level names.
pub fn maturity(extensions: &IndexMap<String, Value>) -> Vec<String> {
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
pub fn maturity_levels(extensions: &IndexMap<String, Value>) -> Vec<(String, String)> {
    match extensions.get("x-maturity") {
        Some(Value::Array(levels)) => levels
            .iter()
            .filter_map(|l| {
                Some((
                    l.get("name")?.as_str()?.to_owned(),
                    l.get("description")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned(),
                ))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `info.x-twilio.apiStandards`.
pub fn api_standards(info_extensions: &IndexMap<String, Value>) -> Option<String> {
    info_extensions
        .get("x-twilio")?
        .get("apiStandards")?
        .as_str()
        .map(str::to_owned)
}

/// The two-letter prefix of a Twilio SID pattern `^XX[0-9a-fA-F]{32}$`.
pub fn sid_prefix(pattern: &str) -> Option<&str> {
    let prefix = pattern
        .strip_prefix('^')?
        .strip_suffix("[0-9a-fA-F]{32}$")?;
    (prefix.len() == 2 && prefix.chars().all(|c| c.is_ascii_uppercase())).then_some(prefix)
}

/// Twilio names enum schemas `<resource>_enum_<field>` (sometimes with a `_type` suffix).
/// A person would call `user_enum_state_type` `UserState`, and `sink_enum_sink_type` `SinkType`.
pub fn enum_type_name(name: &str) -> Option<String> {
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
    Some(crate::model::names::pascal(&joined))
}

/// Environment variables `Client::from_env` reads, in priority order.
pub const BASIC_ENV: &[(&str, &str)] = &[
    ("TWILIO_API_KEY", "TWILIO_API_SECRET"),
    ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"),
];
pub const REGION_ENV: &str = "TWILIO_REGION";
pub const EDGE_ENV: &str = "TWILIO_EDGE";

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
            Some("UserState")
        );
        assert_eq!(
            enum_type_name("sink_enum_sink_type").as_deref(),
            Some("SinkType")
        );
        assert_eq!(
            enum_type_name("call_enum_status").as_deref(),
            Some("CallStatus")
        );
        assert_eq!(
            enum_type_name("channel_enum_channel_type").as_deref(),
            Some("ChannelType")
        );
        assert_eq!(enum_type_name("flex.v2.flex_user"), None);
    }

    #[test]
    fn sid_prefixes() {
        assert_eq!(sid_prefix("^US[0-9a-fA-F]{32}$"), Some("US"));
        assert_eq!(sid_prefix("^[a-zA-Z]+$"), None);
        assert_eq!(sid_prefix("^usx[0-9a-fA-F]{32}$"), None);
    }

    #[test]
    fn pii_and_resource_and_maturity() {
        let e = ext(json!({"x-twilio": {"pii": {"handling": "standard", "deleteSla": 30}}}));
        assert_eq!(
            pii(&e),
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
            [("GA".to_owned(), "d".to_owned())]
        );
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://flex-api.twilio.com/v1"),
            Some("flex-api.twilio.com")
        );
        assert_eq!(host_of("http://u@h:80/x"), Some("h"));
    }
}

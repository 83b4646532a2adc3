//! Real specs with callbacks and `x-webhooks` (Vonage's, in
//! ../shared/corpus/contact-centre/vonage) generate a `webhooks` module naming every webhook
//! the spec declares, each decoded as the spec's
//! content type says, and documented with the operation that registers it.

use std::path::{Path, PathBuf};

use codegen::Options;

fn vonage(spec: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/contact-centre/vonage")
        .join(spec)
}

fn media_types(hook: &serde_json::Value) -> Vec<String> {
    hook["requestBody"]["content"]
        .as_object()
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default()
}

/// Every webhook in the spec: each operation's callbacks, and the entries of its top-level
/// `x-webhooks` (Vonage writes them as callback objects); (name, media types of its body).
fn callbacks(doc: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    if let Some(hooks) = doc.get("x-webhooks").and_then(|h| h.as_object()) {
        for (name, callback) in hooks {
            for path_item in callback.as_object().unwrap().values() {
                for hook in path_item.as_object().unwrap().values() {
                    found.push((name.clone(), media_types(hook)));
                }
            }
        }
    }
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            let Some(callbacks) = op.get("callbacks").and_then(|c| c.as_object()) else {
                continue;
            };
            for (name, callback) in callbacks {
                for path_item in callback.as_object().unwrap().values() {
                    for hook in path_item.as_object().unwrap().values() {
                        found.push((name.clone(), media_types(hook)));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn vonage_callbacks_become_decodable_webhooks() {
    let mut checked = 0;
    for spec in [
        "sms.yml",
        "messages-olympus.yml",
        "dispatch.yml",
        "number-insight.yml",
    ] {
        let path = vonage(spec);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc: serde_json::Value = serde_yaml::from_slice(&bytes).unwrap();
        let expected = callbacks(&doc);
        assert!(!expected.is_empty(), "{spec} declares callbacks");
        let generated = codegen::generate(&path, spec, &bytes, &Options::new("../runtime"))
            .unwrap_or_else(|f| panic!("{f}"));
        let webhooks = generated
            .file("src/webhooks.rs")
            .unwrap_or_else(|| panic!("{spec}: no src/webhooks.rs"));
        let lib = generated.file("src/lib.rs").unwrap();
        assert!(lib.contains("pub mod webhooks;"), "{spec}");
        for (name, types) in &expected {
            assert!(
                webhooks.contains(&format!("{name:?} =>")),
                "{spec}: decode has no arm for {name:?}"
            );
            // JSON is decoded when the spec offers it (number-insight also offers XML).
            let how = if types.iter().any(|t| t == "application/json") {
                "decoded as JSON"
            } else {
                "kept as raw bytes"
            };
            assert!(webhooks.contains(how), "{spec}: {name} is {how}");
            checked += 1;
        }
        let decoders = webhooks.matches("sdk_runtime::webhook::decode_").count()
            + webhooks.matches("RawBody::from(").count();
        assert_eq!(
            decoders,
            expected.len(),
            "{spec}: one decode arm per callback"
        );
        assert!(
            generated
                .warnings
                .iter()
                .all(|w| !w.message.contains("webhook")),
            "{spec}: {:?}",
            generated.warnings
        );
    }
    // 6 operation callbacks and 2 `x-webhooks` entries in the four specs, at the pinned commit.
    assert_eq!(checked, 8, "webhooks in the four specs");
}

/// SendGrid's `tsg_webhooks_v3.json` (OpenAPI 3.1) is the API that manages webhook settings:
/// it declares no `webhooks` and no `callbacks`, so its crate has every operation and no
/// `webhooks` module. (SendGrid documents its Event Webhook's payloads outside the spec.)
#[test]
fn sendgrid_webhook_settings_generate_as_operations() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/contact-centre/sendgrid/tsg_webhooks_v3.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert!(
        doc.get("webhooks").is_none(),
        "the spec declares webhooks now"
    );
    assert!(!String::from_utf8_lossy(&bytes).contains("\"callbacks\""));
    let declared: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| {
            let item = item.as_object().unwrap();
            ["get", "put", "post", "delete", "patch"]
                .iter()
                .filter(|m| item.contains_key(**m))
                .count()
        })
        .sum();
    let generated = codegen::generate(&path, "sendgrid", &bytes, &Options::new("../runtime"))
        .unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(generated.operations, declared);
    assert!(generated.file("src/webhooks.rs").is_none());
}

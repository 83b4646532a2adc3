//! Fields the specs mark `x-twilio.pii` never appear in `Debug` output, and still serialise.

use serde_json::json;

#[test]
fn frontline_user_identity_and_name_are_redacted_in_debug_only() {
    let user: twilio_frontline_v1::types::User = serde_json::from_value(json!({
        "sid": "US0123456789abcdef0123456789abcdef",
        "identity": "jane.doe@example.com",
        "friendly_name": "Jane Doe",
        "avatar": "https://example.com/a.png",
        "state": "active"
    }))
    .unwrap();
    let debug = format!("{user:?} {user:#?}");
    for secret in ["jane.doe@example.com", "Jane Doe"] {
        assert!(
            !debug.contains(secret),
            "Debug shows PII {secret:?}: {debug}"
        );
    }
    assert!(debug.contains("<redacted>"), "{debug}");
    assert!(
        debug.contains("https://example.com/a.png"),
        "non-PII fields stay visible: {debug}"
    );
    let wire = serde_json::to_value(&user).unwrap();
    assert_eq!(wire["identity"], "jane.doe@example.com");
    assert_eq!(wire["friendly_name"], "Jane Doe");
}

#[test]
fn flex_web_channel_identity_is_redacted() {
    let channel: twilio_flex_v2::types::WebChannel = serde_json::from_value(
        json!({"conversation_sid": "CH0123456789abcdef0123456789abcdef", "identity": "seinfeld"}),
    )
    .unwrap();
    let debug = format!("{channel:?}");
    assert!(!debug.contains("seinfeld"), "{debug}");
    assert!(
        debug.contains("CH0123456789abcdef0123456789abcdef"),
        "{debug}"
    );
}

#[test]
fn request_builders_do_not_print_parameters() {
    let client =
        twilio_flex_v2::Client::new(sdk_runtime::auth::Basic::new("ACxxx", "token-secret"));
    let request = client
        .create_web_channel("IG0123")
        .identity("private-guest");
    let debug = format!("{request:?} {client:?}");
    assert!(
        !debug.contains("private-guest") && !debug.contains("token-secret"),
        "{debug}"
    );
}

#[test]
fn required_inputs_structs_do_not_print_values() {
    let required = front_channel::operations::SyncInboundMessageRequired {
        sender: front_channel::types::InboundMessageSender::new("+33 6 12 34 56 78"),
        body: "my private message".into(),
        metadata: front_channel::types::InboundMessageMetadata::new("ext-1", "conv-1"),
    };
    let client = front_channel::Client::new(sdk_runtime::auth::Bearer::new("front-token"));
    let request = client.sync_inbound_message("cha_123", required.clone());
    let debug = format!("{required:?} {request:?} {client:?}");
    for secret in ["+33 6 12 34 56 78", "my private message", "front-token"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
}

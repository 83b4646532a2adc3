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
        twilio_flex_v2::Client::new(sdk_runtime::Credentials::basic("ACxxx", "token-secret"));
    let request = client
        .create_web_channel("IG0123")
        .identity("private-guest");
    let debug = format!("{request:?} {client:?}");
    assert!(
        !debug.contains("private-guest") && !debug.contains("token-secret"),
        "{debug}"
    );
}

//! Value types generated crates use: Twilio SIDs, unknown enum values, file parts,
//! redaction, and errors faked in tests with `ApiError::new`.

use std::time::Duration;

use sdk_runtime::extensions::twilio::Sid;
use sdk_runtime::reqwest::header::{HeaderMap, HeaderValue};
use sdk_runtime::reqwest::StatusCode;
use sdk_runtime::{ApiError, Error, FilePart, Redacted, UnknownValue};

type FlexUserSid = Sid<'F', 'U'>;
type AccountSid = Sid<'A', 'C'>;

const VALID: &str = "FU0123456789abcdef0123456789ABCDEF";

#[test]
fn sid_parses_valid() {
    let sid: FlexUserSid = VALID.parse().unwrap();
    assert_eq!(sid.as_str(), VALID);
    assert_eq!(sid.as_ref(), VALID);
    assert_eq!(sid.to_string(), VALID);
    assert_eq!(format!("{sid:?}"), format!("Sid({VALID:?})"));
    assert_eq!(FlexUserSid::prefix(), "FU");
    assert_eq!(FlexUserSid::try_from(VALID.to_owned()).unwrap(), sid);
    assert_eq!(
        FlexUserSid::try_from(VALID).unwrap().clone().into_string(),
        VALID
    );
    assert_eq!(String::from(sid.clone()), VALID);
}

#[test]
fn sid_rejects_wrong_prefix() {
    let err = "XX0123456789abcdef0123456789abcdef"
        .parse::<FlexUserSid>()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid SID \"XX0123456789abcdef0123456789abcdef\": expected \"FU\" followed by 32 hex digits, but it does not start with \"FU\""
    );
    // A SID of another kind is not accepted either.
    assert!(VALID.parse::<AccountSid>().is_err());
    assert!("AC0123456789abcdef0123456789abcdef"
        .parse::<AccountSid>()
        .is_ok());
}

#[test]
fn sid_rejects_wrong_length() {
    for bad in ["FU0123", "FU0123456789abcdef0123456789abcdef0", "FU"] {
        let msg = bad.parse::<FlexUserSid>().unwrap_err().to_string();
        assert!(msg.contains("characters long"), "{msg}");
        assert!(msg.starts_with(&format!("invalid SID {bad:?}")), "{msg}");
    }
}

#[test]
fn sid_rejects_non_hex_and_multibyte_input_without_panicking() {
    let msg = "FU0123456789abcdef0123456789abcdeg"
        .parse::<FlexUserSid>()
        .unwrap_err()
        .to_string();
    assert!(msg.contains("not a hex digit"), "{msg}");
    for bad in [
        "FUé123456789abcdef0123456789abcde",
        "FU0123456789abcdef0123456789abcdé",
        "FÜ0123456789abcdef0123456789abcdef",
    ] {
        assert!(bad.parse::<FlexUserSid>().is_err(), "{bad}");
    }
}

#[test]
fn sid_errors_quote_only_the_start_of_huge_input() {
    let huge = format!("FU{}", "0".repeat(10_000));
    let msg = huge.parse::<FlexUserSid>().unwrap_err().to_string();
    assert!(msg.len() < 300, "{msg}");
    assert!(msg.contains('…'), "{msg}");
}

#[test]
fn sid_serde_round_trip() {
    let sid: FlexUserSid = VALID.parse().unwrap();
    let json = serde_json::to_string(&sid).unwrap();
    assert_eq!(json, format!("\"{VALID}\""));
    let back: FlexUserSid = serde_json::from_str(&json).unwrap();
    assert_eq!(back, sid);
}

#[test]
fn sid_deserialize_validates() {
    let err = serde_json::from_str::<FlexUserSid>("\"FUnope\"").unwrap_err();
    assert!(err.to_string().contains("invalid SID \"FUnope\""), "{err}");
    assert!(serde_json::from_str::<FlexUserSid>("42").is_err());
}

#[test]
fn unknown_value_basics() {
    let a = UnknownValue::__new("brand-new".to_owned());
    let b = UnknownValue::__new("older".to_owned());
    assert_eq!(a.as_str(), "brand-new");
    assert_eq!(a.as_ref(), "brand-new");
    assert!(a < b);
    assert_eq!(a.to_string(), "brand-new");
    assert_eq!(format!("{a:?}"), "UnknownValue(\"brand-new\")");
}

#[test]
fn file_part_base64_round_trip() {
    let part = FilePart::new(b"hello\x00world".to_vec());
    let json = serde_json::to_string(&part).unwrap();
    assert_eq!(json, "\"aGVsbG8Ad29ybGQ=\"");
    let back: FilePart = serde_json::from_str(&json).unwrap();
    assert_eq!(back, part);
    assert!(serde_json::from_str::<FilePart>("\"not base64!\"").is_err());
}

#[test]
fn file_part_debug_hides_content() {
    let part = FilePart::new(&b"top-secret-content"[..])
        .file_name("a.txt")
        .content_type("text/plain");
    let shown = format!("{part:?}");
    assert!(!shown.contains("top-secret"), "{shown}");
    assert!(shown.contains("len: 18"), "{shown}");
    assert!(
        shown.contains("a.txt") && shown.contains("text/plain"),
        "{shown}"
    );
}

#[test]
fn redacted_debug() {
    assert_eq!(format!("{Redacted:?}"), "<redacted>");
}

#[test]
fn api_errors_can_be_faked_with_what_a_server_would_send() {
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", HeaderValue::from_static("RQfake"));
    headers.insert("retry-after", HeaderValue::from_static("3"));
    let api = ApiError::new(
        "FetchUser",
        StatusCode::SERVICE_UNAVAILABLE,
        headers,
        r#"{"code":20503,"message":"Service unavailable"}"#,
    )
    .with_typed_body(42u8);
    assert_eq!(api.typed::<u8>(), Some(&42));
    let err = Error::from(api);
    assert_eq!(err.operation(), Some("FetchUser"));
    assert_eq!(err.code(), Some(20503));
    assert_eq!(err.request_id(), Some("RQfake"));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    assert!(err.is_retryable() && !err.is_throttled());
    assert_eq!(
        err.to_string(),
        "FetchUser: HTTP 503 Service Unavailable: Service unavailable (code 20503)"
    );

    let timeout = Error::Timeout {
        operation: "FetchUser",
    };
    assert!(timeout.is_timeout() && timeout.is_retryable());
    let config = Error::Config("bad".into());
    assert_eq!(config.operation(), None);
    assert!(!config.is_retryable());
}

//! Value types: SIDs, unknown enum values, file parts, redaction.

use sdk_runtime::{FilePart, Redacted, Sid, SidPrefix, UnknownValue};

// Deliberately derives nothing: Sid's impls must not need anything from it.
enum FlexUser {}

impl SidPrefix for FlexUser {
    const PREFIX: &'static str = "FU";
    const NAME: &'static str = "FlexUserSid";
}

type FlexUserSid = Sid<FlexUser>;

const VALID: &str = "FU0123456789abcdef0123456789ABCDEF";

#[test]
fn sid_parses_valid() {
    let sid: FlexUserSid = VALID.parse().unwrap();
    assert_eq!(sid.as_str(), VALID);
    assert_eq!(sid.to_string(), VALID);
    assert_eq!(format!("{sid:?}"), format!("FlexUserSid({VALID:?})"));
    assert_eq!(FlexUserSid::try_from(VALID.to_owned()).unwrap(), sid);
    assert_eq!(
        FlexUserSid::try_from(VALID).unwrap().clone().into_string(),
        VALID
    );
    let mut set = std::collections::BTreeSet::new();
    set.insert(sid.clone());
    assert!(set.contains(&sid));
}

#[test]
fn sid_rejects_wrong_prefix() {
    let err = "XX0123456789abcdef0123456789abcdef"
        .parse::<FlexUserSid>()
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with(
        "invalid FlexUserSid \"XX0123456789abcdef0123456789abcdef\": expected \"FU\" followed by 32 hex digits"
    ), "{msg}");
    assert!(msg.contains("does not start with"), "{msg}");
}

#[test]
fn sid_rejects_wrong_length() {
    for bad in ["FU0123", "FU0123456789abcdef0123456789abcdef0", "FU"] {
        let msg = bad.parse::<FlexUserSid>().unwrap_err().to_string();
        assert!(msg.contains("characters long"), "{msg}");
    }
}

#[test]
fn sid_rejects_non_hex() {
    let msg = "FU0123456789abcdef0123456789abcdeg"
        .parse::<FlexUserSid>()
        .unwrap_err()
        .to_string();
    assert!(msg.contains("not a hex digit"), "{msg}");
    // Multi-byte characters must not panic the length or slicing logic.
    assert!("FUé123456789abcdef0123456789abcde"
        .parse::<FlexUserSid>()
        .is_err());
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
    assert!(err.to_string().contains("invalid FlexUserSid"), "{err}");
    assert!(serde_json::from_str::<FlexUserSid>("42").is_err());
}

#[test]
fn unknown_value_basics() {
    let a = UnknownValue::__new("brand-new".to_owned());
    let b = UnknownValue::__new("older".to_owned());
    assert_eq!(a.as_str(), "brand-new");
    assert_eq!(a.clone(), a);
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
    assert!(shown.contains("a.txt"), "{shown}");
}

#[test]
fn redacted_debug() {
    assert_eq!(format!("{Redacted:?}"), "<redacted>");
}

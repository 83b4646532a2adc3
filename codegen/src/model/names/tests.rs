//! Unit and property tests of the name functions.

use super::*;

#[test]
fn snake_case_and_keywords() {
    assert_eq!(snake("FriendlyName"), "friendly_name");
    assert_eq!(snake("Integration.FlowSid"), "integration_flow_sid");
    assert_eq!(snake("Ui-Version"), "ui_version");
    assert_eq!(snake("@type"), "r#type");
    assert_eq!(snake("type"), "r#type");
    assert_eq!(snake("self"), "self_");
    assert_eq!(snake("Self"), "self_");
    assert_eq!(snake("crate"), "crate_");
    assert_eq!(snake("async"), "r#async");
    assert_eq!(snake("match"), "r#match");
    assert_eq!(snake("1st"), "n1st");
    assert_eq!(snake("héllo"), "hello");
    assert_eq!(snake("größe"), "grosse");
    assert_eq!(snake("名前"), "u540d_u524d");
    assert_eq!(pascal("名前"), "U540dU524d");
    assert_eq!(snake("@id"), "id");
    assert_eq!(snake(""), "value");
}

#[test]
fn pascal_names() {
    assert_eq!(pascal("flex_user"), "FlexUser");
    assert_eq!(pascal("update-channel"), "UpdateChannel");
    assert_eq!(pascal("3d"), "N3d");
    assert_eq!(pascal("Self"), "SelfValue");
}

#[test]
fn enum_values_with_symbols_stay_distinct() {
    let values = ["", "-", "+1", "a b", "A B", "in-progress", "*", "."];
    let names: Vec<String> = values.iter().map(|v| enum_variant(v)).collect();
    assert_eq!(
        names,
        [
            "Empty",
            "Minus",
            "Plus1",
            "AB",
            "AB",
            "InProgress",
            "Any",
            "Dot"
        ]
    );
    let symbols: Vec<String> = ["*/", "`", "@", "<>", "\u{2603}", "é"]
        .iter()
        .map(|v| enum_variant(v))
        .collect();
    assert_eq!(
        symbols,
        ["StarSlash", "Backtick", "At", "LtGt", "U2603", "E"]
    );
}

#[test]
fn collisions_are_case_insensitive_and_numbered_in_order() {
    let mut scope = Scope::new();
    assert_eq!(scope.claim("foo_bar"), "foo_bar");
    assert_eq!(scope.claim("foo_bar"), "foo_bar_2");
    assert_eq!(scope.claim("foo_bar"), "foo_bar_3");
    let mut types = Scope::for_types();
    assert_eq!(types.claim("User"), "User");
    assert_eq!(types.claim("USER"), "USER2");
    assert_eq!(types.claim("Error"), "Error2");
    assert_eq!(types.claim("r#type"), "r#type");
    assert_eq!(types.claim("r#type"), "type_2");
    let mut fields = Scope::new();
    assert_eq!(fields.claim("self_"), "self_");
    assert_eq!(fields.claim("self_"), "self_2", "no double underscore");
}

// Property tests: any Unicode text gives a valid identifier, and a scope never hands out one
// name twice.

use proptest::prelude::*;

/// Keywords of every edition, reserved words and the names that can never be raw.
const HOSTILE: &[&str] = &[
    "",
    "_",
    "__",
    "1",
    "0x",
    "9lives",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "async",
    "await",
    "dyn",
    "gen",
    "try",
    "abstract",
    "yield",
    "r#type",
    "r#self",
    "r#",
    "Unknown",
    "名前",
    "Ελληνικά",
    "кириллица",
    "😀",
    "🎉🎉",
    "\u{0}",
    "\u{200b}",
    "-",
    "+1",
    "é",
];

/// Text of any shape: arbitrary Unicode, hostile words, and mixtures of both.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::sample::select(HOSTILE).prop_map(str::to_owned),
        "[0-9][a-zA-Z0-9_ -]{0,8}",
        "\\PC{0,12}",
        (proptest::sample::select(HOSTILE), any::<String>()).prop_map(|(a, b)| format!("{a}{b}")),
    ]
}

/// How many cases each property runs: 512, or `CODEGEN_NAME_CASES` (`cargo xtask fuzz` sets it).
fn cases() -> u32 {
    std::env::var("CODEGEN_NAME_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512)
}

/// Whether `syn` parses `name` as one identifier (raw ones included), and it is valid in the
/// 2024 edition generated crates use (`gen` is reserved there; syn accepts it).
fn parses(name: &str) -> bool {
    syn::parse_str::<syn::Ident>(name).is_ok() && name != "gen" && is_ident(name)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn snake_is_a_snake_case_identifier_for_any_text(raw in text()) {
        let name = snake(&raw);
        prop_assert!(parses(&name), "{raw:?} -> {name:?}");
        let body = name.trim_start_matches("r#");
        prop_assert!(!body.chars().any(|c| c.is_ascii_uppercase()), "{raw:?} -> {name:?}");
    }

    #[test]
    fn pascal_is_a_type_name_for_any_text(raw in text()) {
        let name = pascal(&raw);
        prop_assert!(parses(&name), "{raw:?} -> {name:?}");
        prop_assert!(name.starts_with(|c: char| c.is_ascii_uppercase()), "{raw:?} -> {name:?}");
        prop_assert!(!name.contains('_'), "{raw:?} -> {name:?}");
    }

    #[test]
    fn enum_variant_is_a_type_name_for_any_value(raw in text()) {
        let name = enum_variant(&raw);
        prop_assert!(parses(&name), "{raw:?} -> {name:?}");
        prop_assert!(name.starts_with(|c: char| c.is_ascii_uppercase()), "{raw:?} -> {name:?}");
    }

    #[test]
    fn escaped_is_an_identifier_and_distinct_texts_stay_distinct(a in text(), b in text()) {
        prop_assert!(parses(&escaped(&a)), "{a:?} -> {:?}", escaped(&a));
        prop_assert_eq!(a == b, escaped(&a) == escaped(&b));
    }

    /// Fields, parameters and methods: every name a scope hands out is valid and distinct
    /// from the others, compared as the scope compares (without case or raw prefix).
    #[test]
    fn a_scope_of_snake_names_never_repeats_one(raws in proptest::collection::vec(text(), 1..24)) {
        let mut scope = Scope::new();
        let claimed: Vec<String> = raws.iter().map(|r| scope.claim(&snake(r))).collect();
        assert_distinct_identifiers(&raws, &claimed)?;
    }

    #[test]
    fn a_scope_of_type_names_never_repeats_one(raws in proptest::collection::vec(text(), 1..24)) {
        let mut scope = Scope::for_types();
        let claimed: Vec<String> = raws.iter().map(|r| scope.claim(&pascal(r))).collect();
        assert_distinct_identifiers(&raws, &claimed)?;
        for name in &claimed {
            prop_assert!(!RESERVED_TYPES.iter().any(|r| r.eq_ignore_ascii_case(name)), "{name}");
        }
    }

    #[test]
    fn a_scope_of_enum_variants_never_repeats_one(raws in proptest::collection::vec(text(), 1..24)) {
        let mut scope = Scope::new();
        scope.reserve("Unknown");
        let claimed: Vec<String> = raws.iter().map(|r| scope.claim(&enum_variant(r))).collect();
        assert_distinct_identifiers(&raws, &claimed)?;
        prop_assert!(!claimed.iter().any(|n| n.eq_ignore_ascii_case("unknown")));
    }

    /// `claim_avoiding` never hands out an avoided name either.
    #[test]
    fn claim_avoiding_avoids(raws in proptest::collection::vec(text(), 1..12)) {
        let avoid = ["body", "request", "client"];
        let mut scope = Scope::new();
        let claimed: Vec<String> =
            raws.iter().map(|r| scope.claim_avoiding(&snake(r), &avoid)).collect();
        assert_distinct_identifiers(&raws, &claimed)?;
        prop_assert!(!claimed.iter().any(|n| avoid.contains(&n.as_str())));
    }
}

fn assert_distinct_identifiers(raws: &[String], claimed: &[String]) -> Result<(), TestCaseError> {
    let mut seen = HashSet::new();
    for (raw, name) in raws.iter().zip(claimed) {
        prop_assert!(parses(name), "{raw:?} -> {name:?}");
        prop_assert!(
            seen.insert(key(name)),
            "{name:?} handed out twice: {claimed:?}"
        );
    }
    Ok(())
}

#[test]
fn hostile_words_get_readable_names() {
    assert_eq!(snake("gen"), "r#gen");
    assert_eq!(snake("try"), "r#try");
    assert_eq!(snake("super"), "super_");
    assert_eq!(snake("1"), "n1");
    assert_eq!(pascal("1"), "N1");
    assert_eq!(pascal("😀"), "Value");
    assert_eq!(enum_variant("😀"), "U1F600");
    assert_eq!(enum_variant("1"), "N1");
    assert_eq!(escaped("1"), "invalid__31_");
    assert!(!is_ident("1") && !is_ident("r#self") && !is_ident("gen") && is_ident("r#gen"));
}

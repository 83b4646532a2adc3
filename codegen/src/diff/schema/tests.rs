//! Keyword deltas on single nodes; the catalogue's end-to-end pairs are in
//! `xtask/src/diff/catalogue_tests.rs`.

use serde_json::{json, Map, Value};

use super::keywords::{deltas, Keyword};

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().expect("object").clone()
}

/// (keyword, tighter, looser) for each delta from `a` to `b`.
fn seen(a: Value, b: Value) -> Vec<(Keyword, bool, bool)> {
    deltas(&obj(a), &obj(b))
        .into_iter()
        .map(|d| (d.keyword, d.tighter, d.looser))
        .collect()
}

#[test]
fn a_multiple_of_step_is_ordered_by_divisibility() {
    use Keyword::MultipleOf as M;
    assert_eq!(
        seen(json!({"multipleOf": 2}), json!({"multipleOf": 4})),
        [(M, true, false)]
    );
    assert_eq!(
        seen(json!({"multipleOf": 4}), json!({"multipleOf": 2})),
        [(M, false, true)]
    );
    assert_eq!(
        seen(json!({"multipleOf": 2}), json!({"multipleOf": 3})),
        [(M, true, true)]
    );
    assert_eq!(
        seen(json!({"multipleOf": 0.5}), json!({"multipleOf": 0.5})),
        []
    );
}

#[test]
fn exclusive_bounds_read_alike_in_both_spellings() {
    // 3.0 boolean and 3.1 number forms of the same bound are the same constraint.
    let v30 = json!({"minimum": 0, "exclusiveMinimum": true});
    let v31 = json!({"exclusiveMinimum": 0});
    assert_eq!(seen(v30.clone(), v31.clone()), []);
    assert_eq!(
        seen(json!({"minimum": 0}), v31),
        [(Keyword::Limit, true, false)]
    );
    assert_eq!(
        seen(v30, json!({"minimum": 0})),
        [(Keyword::Limit, false, true)]
    );
}

#[test]
fn nullability_is_read_in_each_of_its_spellings() {
    let plain = json!({"type": "string"});
    for nullable in [
        json!({"type": "string", "nullable": true}),
        json!({"type": ["string", "null"]}),
        json!({"oneOf": [{"type": "string"}, {"type": "null"}]}),
        json!({"anyOf": [{"type": "string"}, {"type": "null"}]}),
    ] {
        let d = seen(plain.clone(), nullable.clone());
        assert!(
            d.contains(&(Keyword::Nullable, false, true)),
            "{nullable}: {d:?}"
        );
        let d = seen(nullable.clone(), plain.clone());
        assert!(
            d.contains(&(Keyword::Nullable, true, false)),
            "{nullable}: {d:?}"
        );
    }
}

#[test]
fn schemas_that_only_move_keys_or_say_the_same_report_nothing() {
    let a = json!({"type": "string", "minLength": 1, "not": {"const": "x"}, "x-extensible-enum": ["a", "b"]});
    let b = json!({"x-extensible-enum": ["a", "b"], "not": {"const": "x"}, "minLength": 1, "type": "string"});
    assert_eq!(seen(a, b), []);
    // For a keyword applied to every property name, `true` means "no constraint".
    assert_eq!(seen(json!({}), json!({"propertyNames": true})), []);
    // But `not: {}` rejects everything: the tightest `not` there is.
    assert_eq!(
        seen(json!({}), json!({"not": {}})),
        [(Keyword::Not, true, false)]
    );
}

#[test]
fn string_enums_are_left_to_the_model_and_others_are_limits() {
    assert_eq!(
        seen(json!({"enum": ["a", "b"]}), json!({"enum": ["a"]})),
        []
    );
    assert_eq!(
        seen(json!({"enum": [1, 2]}), json!({"enum": [1]})),
        [(Keyword::Limit, true, false)]
    );
}

#[test]
fn a_one_value_enum_and_a_const_say_the_same() {
    assert_eq!(seen(json!({"enum": ["a"]}), json!({"const": "a"})), []);
    assert_eq!(seen(json!({"enum": [1]}), json!({"const": 1})), []);
    assert_eq!(
        seen(json!({"enum": ["a"]}), json!({"const": "b"})),
        [(Keyword::Const, true, true)]
    );
}

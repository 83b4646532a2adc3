//! One schema node against its counterpart, keyword by keyword: for each keyword that changed,
//! whether the new node accepts fewer values (tighter), more (looser), or both (a change that
//! cannot be ordered, e.g. a `not` schema replaced by another). The walk turns a tightening
//! into a request rule and a loosening into a response rule, per [`Keyword::kinds`].

use serde_json::{Map, Value};

use crate::diff::rules::Kind;

/// A keyword (or a group read together) the catalogue has rules for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Keyword {
    Const,
    Not,
    Conditional,
    DependentRequired,
    DependentSchemas,
    Contains,
    PatternProperties,
    PropertyNames,
    Unevaluated,
    AllOf,
    MultipleOf,
    UniqueItems,
    PropertyCount,
    /// Limits the lowered model already compares on requests (`RequestConstraintTightened`):
    /// only their loosening in responses is reported here.
    Limit,
    ExtensibleEnum,
    Nullable,
    /// A `default` that changes: what the server does for callers that leave the value out.
    Default,
    /// `additionalProperties: false` appearing or going (a schema there is the model's map).
    AdditionalProperties,
}

impl Keyword {
    /// (rule when it tightens where the caller sends, rule when it loosens where the caller
    /// receives); `None` where another comparison already reports it, or nobody is hurt.
    pub(super) fn kinds(self) -> (Option<Kind>, Option<Kind>) {
        use Kind::*;
        let (tight, loose) = match self {
            Keyword::Const => (RequestConstTightened, ResponseConstLoosened),
            Keyword::Not => (RequestNotTightened, ResponseNotLoosened),
            Keyword::Conditional => (RequestConditionalTightened, ResponseConditionalLoosened),
            Keyword::DependentRequired => (
                RequestDependentRequiredTightened,
                ResponseDependentRequiredLoosened,
            ),
            Keyword::DependentSchemas => (
                RequestDependentSchemasTightened,
                ResponseDependentSchemasLoosened,
            ),
            Keyword::Contains => (RequestContainsTightened, ResponseContainsLoosened),
            Keyword::PatternProperties => (
                RequestPatternPropertiesTightened,
                ResponsePatternPropertiesLoosened,
            ),
            Keyword::PropertyNames => {
                (RequestPropertyNamesTightened, ResponsePropertyNamesLoosened)
            }
            Keyword::Unevaluated => (RequestUnevaluatedTightened, ResponseUnevaluatedLoosened),
            Keyword::AllOf => (RequestAllOfTightened, ResponseAllOfLoosened),
            Keyword::MultipleOf => (RequestMultipleOfTightened, ResponseMultipleOfLoosened),
            Keyword::UniqueItems => (RequestUniqueItemsTightened, ResponseUniqueItemsLoosened),
            Keyword::PropertyCount => {
                (RequestPropertyCountTightened, ResponsePropertyCountLoosened)
            }
            // Request limits are the lowered model's RequestConstraintTightened.
            Keyword::Limit => return (None, Some(ResponseLimitLoosened)),
            // Unknown values of an extensible enum are expected in a response.
            Keyword::ExtensibleEnum => return (Some(RequestExtensibleEnumValueRemoved), None),
            Keyword::Nullable => (RequestNoLongerNullable, ResponseNowNullable),
            // A response's default documents nothing a caller relies on.
            Keyword::Default => return (Some(RequestDefaultChanged), None),
            Keyword::AdditionalProperties => (
                RequestAdditionalPropertiesClosed,
                ResponseAdditionalPropertiesOpened,
            ),
        };
        (Some(tight), Some(loose))
    }
}

/// One keyword that differs between the two nodes.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Delta {
    pub(super) keyword: Keyword,
    /// The new node rejects a value the old one accepted.
    pub(super) tighter: bool,
    /// The new node accepts a value the old one rejected.
    pub(super) looser: bool,
    /// `old -> new`, in the spec's words.
    pub(super) detail: String,
}

fn delta(keyword: Keyword, tighter: bool, looser: bool, detail: String) -> Option<Delta> {
    (tighter || looser).then_some(Delta {
        keyword,
        tighter,
        looser,
        detail,
    })
}

fn shown(v: Option<&Value>) -> String {
    v.map_or_else(|| "none".to_owned(), Value::to_string)
}

/// A keyword whose value is a schema (or a value) compared as a whole: added tightens,
/// removed loosens, replaced does both. Absent means no constraint; for the keywords that
/// apply a schema to every property or item (`propertyNames`, `unevaluated*`), so do `true`
/// and `{}` (for `not`, `const` and `contains` those are constraints, and strong ones).
fn whole(o: &Map<String, Value>, n: &Map<String, Value>, key: &str, k: Keyword) -> Option<Delta> {
    let (a, b) = (o.get(key), n.get(key));
    let applies_to_each = matches!(k, Keyword::PropertyNames | Keyword::Unevaluated);
    let open = |v: Option<&Value>| {
        v.is_none_or(|v| {
            applies_to_each && (*v == Value::Bool(true) || *v == Value::Object(Map::new()))
        })
    };
    if a == b || (open(a) && open(b)) {
        return None;
    }
    let (tighter, looser) = match (open(a), open(b)) {
        (true, false) => (true, false),
        (false, true) => (false, true),
        _ => (true, true),
    };
    delta(
        k,
        tighter,
        looser,
        format!("`{key}` {} -> {}", shown(a), shown(b)),
    )
}

/// Every keyword change between two resolved schema nodes.
pub(super) fn deltas(o: &Map<String, Value>, n: &Map<String, Value>) -> Vec<Delta> {
    let mut out: Vec<Delta> = Vec::new();
    out.extend(constant(o, n));
    out.extend(whole(o, n, "not", Keyword::Not));
    out.extend(conditional(o, n));
    out.extend(dependent_required(o, n));
    out.extend(keyed_schemas(
        o,
        n,
        "dependentSchemas",
        Keyword::DependentSchemas,
    ));
    out.extend(keyed_schemas(
        o,
        n,
        "patternProperties",
        Keyword::PatternProperties,
    ));
    out.extend(contains(o, n));
    out.extend(whole(o, n, "propertyNames", Keyword::PropertyNames));
    out.extend(whole(o, n, "unevaluatedProperties", Keyword::Unevaluated));
    out.extend(whole(o, n, "unevaluatedItems", Keyword::Unevaluated));
    out.extend(multiple_of(o, n));
    out.extend(unique_items(o, n));
    out.extend(counts(
        o,
        n,
        ("minProperties", "maxProperties"),
        Keyword::PropertyCount,
    ));
    out.extend(counts(o, n, ("minLength", "maxLength"), Keyword::Limit));
    out.extend(counts(o, n, ("minItems", "maxItems"), Keyword::Limit));
    out.extend(bound(o, n, Bound::Lower));
    out.extend(bound(o, n, Bound::Upper));
    out.extend(pattern(o, n));
    out.extend(allowed_values(o, n));
    out.extend(extensible_enum(o, n));
    out.extend(nullable(o, n));
    out.extend(default(o, n));
    out.extend(additional_properties(o, n));
    out
}

/// Only `false` against open (absent, `true` or `{}`): a schema there types a map, and the
/// model compares maps.
fn additional_properties(o: &Map<String, Value>, n: &Map<String, Value>) -> Option<Delta> {
    let closed =
        |m: &Map<String, Value>| m.get("additionalProperties") == Some(&Value::Bool(false));
    let open = |m: &Map<String, Value>| {
        m.get("additionalProperties")
            .is_none_or(|v| *v == Value::Bool(true) || *v == Value::Object(Map::new()))
    };
    let (tighter, looser) = (open(o) && closed(n), closed(o) && open(n));
    delta(
        Keyword::AdditionalProperties,
        tighter,
        looser,
        format!(
            "`additionalProperties` {} -> {}",
            shown(o.get("additionalProperties")),
            shown(n.get("additionalProperties"))
        ),
    )
}

/// Only a default that changes: one added or dropped says what the server did anyway.
fn default(o: &Map<String, Value>, n: &Map<String, Value>) -> Option<Delta> {
    let (a, b) = (o.get("default")?, n.get("default")?);
    delta(
        Keyword::Default,
        a != b,
        a != b,
        format!("`default` {a} -> {b}"),
    )
}

/// `const`, where a one-value `enum` says the same: a 3.0 spec's `enum: [x]` rewritten as
/// 3.1's `const: x` changes nothing.
fn constant(o: &Map<String, Value>, n: &Map<String, Value>) -> Option<Delta> {
    let one = |m: &Map<String, Value>| -> Map<String, Value> {
        let mut m = m.clone();
        if !m.contains_key("const") {
            if let Some([only]) = m.get("enum").and_then(Value::as_array).map(Vec::as_slice) {
                let only = only.clone();
                m.insert("const".into(), only);
            }
        }
        m
    };
    // Only against an explicit `const`: a multi-value enum cut to one value is the model's
    // (an enum value removed), not a `const` added.
    match (o.contains_key("const"), n.contains_key("const")) {
        (false, false) => None,
        _ => whole(&one(o), &one(n), "const", Keyword::Const),
    }
}

fn conditional(o: &Map<String, Value>, n: &Map<String, Value>) -> Option<Delta> {
    let part = |m: &Map<String, Value>| -> Map<String, Value> {
        ["if", "then", "else"]
            .iter()
            .filter_map(|k| Some(((*k).to_owned(), m.get(*k)?.clone())))
            .collect()
    };
    let (a, b) = (part(o), part(n));
    if a == b {
        return None;
    }
    let (tighter, looser) = match (a.is_empty(), b.is_empty()) {
        (true, false) => (true, false),
        (false, true) => (false, true),
        _ => (true, true),
    };
    let show = |m: Map<String, Value>| {
        if m.is_empty() {
            "none".to_owned()
        } else {
            Value::Object(m).to_string()
        }
    };
    delta(
        Keyword::Conditional,
        tighter,
        looser,
        format!("`if`/`then`/`else` {} -> {}", show(a), show(b)),
    )
}

fn dependent_required(o: &Map<String, Value>, n: &Map<String, Value>) -> Option<Delta> {
    let pairs = |m: &Map<String, Value>| -> Vec<(String, String)> {
        let Some(Value::Object(deps)) = m.get("dependentRequired") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, names) in deps {
            for name in names
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                out.push((key.clone(), name.to_owned()));
            }
        }
        out
    };
    let (a, b) = (pairs(o), pairs(n));
    let added: Vec<String> = b
        .iter()
        .filter(|p| !a.contains(p))
        .map(|(k, v)| format!("{k} requires {v}"))
        .collect();
    let removed: Vec<String> = a
        .iter()
        .filter(|p| !b.contains(p))
        .map(|(k, v)| format!("{k} requires {v}"))
        .collect();
    let mut detail = Vec::new();
    if !added.is_empty() {
        detail.push(format!("added {}", added.join(", ")));
    }
    if !removed.is_empty() {
        detail.push(format!("removed {}", removed.join(", ")));
    }
    delta(
        Keyword::DependentRequired,
        !added.is_empty(),
        !removed.is_empty(),
        format!("`dependentRequired`: {}", detail.join("; ")),
    )
}

/// `dependentSchemas` and `patternProperties`: a map of schemas, each entry added (tighter),
/// removed (looser) or changed (both).
fn keyed_schemas(
    o: &Map<String, Value>,
    n: &Map<String, Value>,
    key: &str,
    k: Keyword,
) -> Option<Delta> {
    let empty = Map::new();
    let entries = |m: &Map<String, Value>| match m.get(key) {
        Some(Value::Object(e)) => e.clone(),
        _ => empty.clone(),
    };
    let (a, b) = (entries(o), entries(n));
    let (mut tighter, mut looser, mut names) = (false, false, Vec::new());
    for (name, schema) in &b {
        match a.get(name) {
            None => tighter = true,
            Some(old) if old != schema => (tighter, looser) = (true, true),
            Some(_) => continue,
        }
        names.push(name.clone());
    }
    for name in a.keys().filter(|name| !b.contains_key(*name)) {
        looser = true;
        names.push(name.clone());
    }
    delta(
        k,
        tighter,
        looser,
        format!("`{key}` changed for {}", names.join(", ")),
    )
}

fn number(m: &Map<String, Value>, key: &str) -> Option<f64> {
    m.get(key).and_then(Value::as_f64)
}

fn contains(o: &Map<String, Value>, n: &Map<String, Value>) -> Option<Delta> {
    if let Some(d) = whole(o, n, "contains", Keyword::Contains) {
        return Some(d);
    }
    if !n.contains_key("contains") {
        return None;
    }
    // Same `contains` on both sides: the counts decide (minContains defaults to 1).
    let min = |m| number(m, "minContains").unwrap_or(1.0);
    let max = |m| number(m, "maxContains").unwrap_or(f64::INFINITY);
    let tighter = min(n) > min(o) || max(n) < max(o);
    let looser = min(n) < min(o) || max(n) > max(o);
    delta(
        Keyword::Contains,
        tighter,
        looser,
        format!(
            "`minContains`/`maxContains` {}/{} -> {}/{}",
            shown(o.get("minContains")),
            shown(o.get("maxContains")),
            shown(n.get("minContains")),
            shown(n.get("maxContains"))
        ),
    )
}

fn multiple_of(o: &Map<String, Value>, n: &Map<String, Value>) -> Option<Delta> {
    let (a, b) = (number(o, "multipleOf"), number(n, "multipleOf"));
    // A step that divides the new one allows every value the new one does.
    let divides =
        |step: f64, of: f64| step > 0.0 && ((of / step) - (of / step).round()).abs() < 1e-9;
    let (tighter, looser) = match (a, b) {
        (None, None) => return None,
        (Some(x), Some(y)) if x == y => return None,
        (None, Some(_)) => (true, false),
        (Some(_), None) => (false, true),
        // Multiples of the old step stay allowed when the new step divides the old one.
        (Some(x), Some(y)) => (!divides(y, x), !divides(x, y)),
    };
    delta(
        Keyword::MultipleOf,
        tighter,
        looser,
        format!(
            "`multipleOf` {} -> {}",
            shown(o.get("multipleOf")),
            shown(n.get("multipleOf"))
        ),
    )
}

fn unique_items(o: &Map<String, Value>, n: &Map<String, Value>) -> Option<Delta> {
    let on = |m: &Map<String, Value>| m.get("uniqueItems") == Some(&Value::Bool(true));
    let (a, b) = (on(o), on(n));
    delta(
        Keyword::UniqueItems,
        b && !a,
        a && !b,
        format!("`uniqueItems` {a} -> {b}"),
    )
}

/// A lower and an upper count (`minLength`/`maxLength` and the like).
fn counts(
    o: &Map<String, Value>,
    n: &Map<String, Value>,
    (lo, hi): (&str, &str),
    k: Keyword,
) -> Vec<Delta> {
    let mut out = Vec::new();
    for (key, lower) in [(lo, true), (hi, false)] {
        let (a, b) = (number(o, key), number(n, key));
        // No lower bound is 0; no upper bound is infinite.
        let absent = if lower { 0.0 } else { f64::INFINITY };
        let (x, y) = (a.unwrap_or(absent), b.unwrap_or(absent));
        if x == y {
            continue;
        }
        let tighter = if lower { y > x } else { y < x };
        out.extend(delta(
            k,
            tighter,
            !tighter,
            format!("`{key}` {} -> {}", shown(o.get(key)), shown(n.get(key))),
        ));
    }
    out
}

#[derive(Clone, Copy)]
enum Bound {
    Lower,
    Upper,
}

/// A bound as (value, exclusive), from 3.0 (`minimum` + `exclusiveMinimum: true`) or 3.1
/// (`exclusiveMinimum: <number>`); both 3.1 keywords together keep the tighter.
fn read_bound(m: &Map<String, Value>, b: Bound) -> Option<(f64, bool)> {
    let (plain, exclusive) = match b {
        Bound::Lower => ("minimum", "exclusiveMinimum"),
        Bound::Upper => ("maximum", "exclusiveMaximum"),
    };
    let inclusive = number(m, plain);
    match m.get(exclusive) {
        Some(Value::Bool(true)) => inclusive.map(|v| (v, true)),
        Some(Value::Number(x)) => {
            let x = x.as_f64()?;
            match (inclusive, b) {
                (Some(v), Bound::Lower) if v > x => Some((v, false)),
                (Some(v), Bound::Upper) if v < x => Some((v, false)),
                _ => Some((x, true)),
            }
        }
        _ => inclusive.map(|v| (v, false)),
    }
}

fn bound(o: &Map<String, Value>, n: &Map<String, Value>, b: Bound) -> Option<Delta> {
    let (a, c) = (read_bound(o, b), read_bound(n, b));
    if a == c {
        return None;
    }
    // Which of two bounds allows fewer values.
    let stricter = |x: (f64, bool), y: (f64, bool)| -> bool {
        match b {
            Bound::Lower => x.0 > y.0 || (x.0 == y.0 && x.1 && !y.1),
            Bound::Upper => x.0 < y.0 || (x.0 == y.0 && x.1 && !y.1),
        }
    };
    let (tighter, looser) = match (a, c) {
        (None, Some(_)) => (true, false),
        (Some(_), None) => (false, true),
        (Some(x), Some(y)) => (stricter(y, x), stricter(x, y)),
        (None, None) => return None,
    };
    let show = |v: Option<(f64, bool)>| match v {
        None => "none".to_owned(),
        Some((v, true)) => format!("{v} (exclusive)"),
        Some((v, false)) => v.to_string(),
    };
    let name = match b {
        Bound::Lower => "minimum",
        Bound::Upper => "maximum",
    };
    delta(
        Keyword::Limit,
        tighter,
        looser,
        format!("`{name}` {} -> {}", show(a), show(c)),
    )
}

fn pattern(o: &Map<String, Value>, n: &Map<String, Value>) -> Option<Delta> {
    let (a, b) = (o.get("pattern"), n.get("pattern"));
    if a == b {
        return None;
    }
    // Two patterns cannot be ordered: a changed one may allow values the old did not.
    delta(
        Keyword::Limit,
        b.is_some(),
        a.is_some(),
        format!("`pattern` {} -> {}", shown(a), shown(b)),
    )
}

/// Non-string `enum`s (string enums are the lowered model's enum types).
fn allowed_values(o: &Map<String, Value>, n: &Map<String, Value>) -> Option<Delta> {
    // A `const` is a one-value enum (3.1 specs write `const` where 3.0 wrote `enum: [x]`).
    let values = |m: &Map<String, Value>| match m.get("const") {
        Some(c) => Some(vec![c.clone()]),
        None => m.get("enum").and_then(Value::as_array).cloned(),
    };
    let (a, b) = (values(o), values(n));
    let strings = |v: &Option<Vec<Value>>| {
        v.as_ref()
            .is_some_and(|v| v.iter().all(|x| x.is_string() || x.is_null()))
    };
    if a == b || strings(&a) || strings(&b) {
        return None;
    }
    let (tighter, looser) = match (&a, &b) {
        (None, Some(_)) => (true, false),
        (Some(_), None) => (false, true),
        (Some(x), Some(y)) => (
            x.iter().any(|v| !y.contains(v)),
            y.iter().any(|v| !x.contains(v)),
        ),
        (None, None) => return None,
    };
    delta(
        Keyword::Limit,
        tighter,
        looser,
        format!(
            "`enum` {} -> {}",
            shown(o.get("enum")),
            shown(n.get("enum"))
        ),
    )
}

fn extensible_enum(o: &Map<String, Value>, n: &Map<String, Value>) -> Option<Delta> {
    let values = |m: &Map<String, Value>| {
        m.get("x-extensible-enum")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (a, b) = (values(o), values(n));
    let removed: Vec<String> = a
        .iter()
        .filter(|v| !b.contains(v))
        .map(Value::to_string)
        .collect();
    let added = b.iter().any(|v| !a.contains(v));
    delta(
        Keyword::ExtensibleEnum,
        !removed.is_empty() && !b.is_empty(),
        added,
        format!("`x-extensible-enum` values removed: {}", removed.join(", ")),
    )
}

/// Whether a node allows null, in any of the three ways a spec says so.
pub(super) fn allows_null(m: &Map<String, Value>) -> bool {
    let null_type = |v: &Value| v.get("type").is_some_and(|t| t == "null");
    m.get("nullable") == Some(&Value::Bool(true))
        || m.get("type").is_some_and(|t| {
            t == "null"
                || t.as_array()
                    .is_some_and(|ts| ts.iter().any(|t| t == "null"))
        })
        || ["oneOf", "anyOf"].iter().any(|k| {
            m.get(*k)
                .and_then(Value::as_array)
                .is_some_and(|alts| alts.iter().any(null_type))
        })
        || m.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|v| v.contains(&Value::Null))
}

fn nullable(o: &Map<String, Value>, n: &Map<String, Value>) -> Option<Delta> {
    let (a, b) = (allows_null(o), allows_null(n));
    delta(
        Keyword::Nullable,
        a && !b,
        b && !a,
        format!(
            "{} -> {}",
            if a { "nullable" } else { "not nullable" },
            if b { "nullable" } else { "not nullable" }
        ),
    )
}

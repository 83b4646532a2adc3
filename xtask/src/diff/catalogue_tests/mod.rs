//! The rule catalogue's fixture pairs, generated from one table: each schema keyword placed in
//! a request and in a response, changed both ways. A rule's pair must report the rule (with its
//! level) in the direction that hurts callers, and nothing breaking in the other.

use serde_json::{json, Value};

mod named;

use super::rules::{rule, Http, Kind, RULES};
use super::*;

/// Where the schema under test sits in the spec.
#[derive(Clone, Copy, Debug)]
enum Place {
    /// Property `v` (required) of an object body.
    Property,
    /// The whole body.
    Body,
    /// The items of property `v` (required) of an object body.
    Items,
    /// A query parameter (request only).
    Param,
}

/// One catalogue row: a keyword change from `loose` (accepts more) to `tight` (accepts fewer).
struct Row {
    name: &'static str,
    version: &'static str,
    place: Place,
    loose: Value,
    tight: Value,
    /// Reported when a request goes loose -> tight.
    request: Option<Kind>,
    /// Reported when a response goes tight -> loose.
    response: Option<Kind>,
}

fn row(name: &'static str, loose: Value, tight: Value, request: Kind, response: Kind) -> Row {
    Row {
        name,
        version: "3.1.0",
        place: Place::Property,
        loose,
        tight,
        request: Some(request),
        response: Some(response),
    }
}

fn placed(place: Place, schema: &Value) -> Value {
    match place {
        Place::Property => {
            json!({"type": "object", "required": ["v"], "properties": {"v": schema}})
        }
        Place::Items => {
            json!({"type": "object", "required": ["v"], "properties": {"v": {"type": "array", "items": schema}}})
        }
        Place::Body | Place::Param => schema.clone(),
    }
}

fn plain() -> Value {
    json!({"type": "object", "properties": {"id": {"type": "string"}}})
}

/// A one-operation spec with `request` as its body (or query parameter) and `response` as its
/// 200 body; either may be the plain object.
fn spec(version: &str, place: Place, request: Option<&Value>, response: Option<&Value>) -> Vec<u8> {
    let mut op = json!({
        "operationId": "Make",
        "requestBody": {"required": true, "content": {"application/json": {"schema": plain()}}},
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": plain()}}}}
    });
    if let Some(r) = request {
        match place {
            Place::Param => {
                op["parameters"] =
                    json!([{"name": "q", "in": "query", "required": true, "schema": r}])
            }
            _ => op["requestBody"]["content"]["application/json"]["schema"] = placed(place, r),
        }
    }
    if let Some(r) = response {
        op["responses"]["200"]["content"]["application/json"]["schema"] = placed(place, r);
    }
    let doc = json!({
        "openapi": version,
        "info": {"title": "T", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {"/things": {"post": op}}
    });
    serde_json::to_vec(&doc).expect("serialises")
}

fn report(old: &[u8], new: &[u8]) -> SpecReport {
    spec_bytes("old.json", old, "new.json", new).unwrap_or_else(|e| panic!("{e:#}"))
}

fn worst(r: &SpecReport) -> Http {
    r.changes
        .iter()
        .map(|c| c.http)
        .max()
        .unwrap_or(Http::Compatible)
}

fn shown(r: &SpecReport) -> String {
    let lines: Vec<String> = r
        .changes
        .iter()
        .map(|c| format!("    {} {}: {}", c.kind.name(), c.http.as_str(), c.detail))
        .collect();
    lines.join("\n")
}

/// Every row of the table.
fn keyword_rows() -> Vec<Row> {
    [
        object_rows,
        list_rows,
        number_rows,
        limit_rows,
        more_limit_rows,
        nullability_rows,
        nullable_position_rows,
    ]
    .iter()
    .flat_map(|rows| rows())
    .collect()
}

/// `base` with `extra`'s keys added.
fn with(base: &Value, extra: Value) -> Value {
    let mut v = base.clone();
    for (k, x) in extra.as_object().expect("object") {
        v[k] = x.clone();
    }
    v
}

/// The schemas the rows build on.
fn int() -> Value {
    json!({"type": "integer"})
}

fn list() -> Value {
    json!({"type": "array", "items": {"type": "integer"}})
}

fn contains() -> Value {
    with(&list(), json!({"contains": {"const": 1}}))
}

fn free() -> Value {
    json!({"type": "object"})
}

fn part() -> Value {
    json!({"type": "object", "properties": {"a": {"type": "string"}}})
}

fn obj_ab() -> Value {
    json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}})
}

/// Keywords about an object's properties (and `const`, `not`).
fn object_rows() -> Vec<Row> {
    use Kind::*;
    vec![
        row(
            "const",
            int(),
            with(&int(), json!({"const": 3})),
            RequestConstTightened,
            ResponseConstLoosened,
        ),
        row(
            "not",
            json!({"type": "string"}),
            json!({"type": "string", "not": {"const": "x"}}),
            RequestNotTightened,
            ResponseNotLoosened,
        ),
        row(
            "if/then/else",
            obj_ab(),
            with(
                &obj_ab(),
                json!({"if": {"required": ["a"]}, "then": {"required": ["b"]}}),
            ),
            RequestConditionalTightened,
            ResponseConditionalLoosened,
        ),
        row(
            "dependentRequired",
            obj_ab(),
            with(&obj_ab(), json!({"dependentRequired": {"a": ["b"]}})),
            RequestDependentRequiredTightened,
            ResponseDependentRequiredLoosened,
        ),
        row(
            "dependentSchemas",
            obj_ab(),
            with(
                &obj_ab(),
                json!({"dependentSchemas": {"a": {"required": ["b"]}}}),
            ),
            RequestDependentSchemasTightened,
            ResponseDependentSchemasLoosened,
        ),
    ]
}

/// Keywords about lists, property names and closed schemas.
fn list_rows() -> Vec<Row> {
    use Kind::*;
    vec![
        row(
            "contains",
            list(),
            contains(),
            RequestContainsTightened,
            ResponseContainsLoosened,
        ),
        row(
            "minContains",
            contains(),
            with(&contains(), json!({"minContains": 2})),
            RequestContainsTightened,
            ResponseContainsLoosened,
        ),
        row(
            "maxContains",
            contains(),
            with(&contains(), json!({"maxContains": 1})),
            RequestContainsTightened,
            ResponseContainsLoosened,
        ),
        row(
            "patternProperties",
            free(),
            with(
                &free(),
                json!({"patternProperties": {"^x-": {"type": "string"}}}),
            ),
            RequestPatternPropertiesTightened,
            ResponsePatternPropertiesLoosened,
        ),
        row(
            "propertyNames",
            free(),
            with(&free(), json!({"propertyNames": {"pattern": "^[a-z]+$"}})),
            RequestPropertyNamesTightened,
            ResponsePropertyNamesLoosened,
        ),
        row(
            "unevaluatedProperties",
            part(),
            with(&part(), json!({"unevaluatedProperties": false})),
            RequestUnevaluatedTightened,
            ResponseUnevaluatedLoosened,
        ),
        row(
            "unevaluatedItems",
            json!({"type": "array", "prefixItems": [{"type": "integer"}]}),
            json!({"type": "array", "prefixItems": [{"type": "integer"}], "unevaluatedItems": false}),
            RequestUnevaluatedTightened,
            ResponseUnevaluatedLoosened,
        ),
        row(
            "allOf member",
            json!({"allOf": [part()]}),
            json!({"allOf": [part(), {"type": "object", "minProperties": 1}]}),
            RequestAllOfTightened,
            ResponseAllOfLoosened,
        ),
    ]
}

/// Steps, uniqueness and property counts.
fn number_rows() -> Vec<Row> {
    use Kind::*;
    vec![
        row(
            "multipleOf added",
            int(),
            with(&int(), json!({"multipleOf": 5})),
            RequestMultipleOfTightened,
            ResponseMultipleOfLoosened,
        ),
        row(
            "multipleOf coarser",
            with(&int(), json!({"multipleOf": 2})),
            with(&int(), json!({"multipleOf": 4})),
            RequestMultipleOfTightened,
            ResponseMultipleOfLoosened,
        ),
        row(
            "uniqueItems",
            json!({"type": "array", "items": {"type": "string"}}),
            json!({"type": "array", "items": {"type": "string"}, "uniqueItems": true}),
            RequestUniqueItemsTightened,
            ResponseUniqueItemsLoosened,
        ),
        row(
            "minProperties",
            free(),
            with(&free(), json!({"minProperties": 1})),
            RequestPropertyCountTightened,
            ResponsePropertyCountLoosened,
        ),
        row(
            "maxProperties",
            free(),
            with(&free(), json!({"maxProperties": 3})),
            RequestPropertyCountTightened,
            ResponsePropertyCountLoosened,
        ),
    ]
}

/// Limits the lowered model compares on requests (RequestConstraintTightened); their
/// loosening in responses is the schema walk's.
fn limit_rows() -> Vec<Row> {
    use Kind::*;
    let mut rows = Vec::new();
    let s = json!({"type": "string"});
    let limits = [
        ("minLength", s.clone(), with(&s, json!({"minLength": 2}))),
        ("maxLength", s.clone(), with(&s, json!({"maxLength": 10}))),
        (
            "pattern",
            s.clone(),
            with(&s, json!({"pattern": "^[a-z]+$"})),
        ),
        ("minItems", list(), with(&list(), json!({"minItems": 1}))),
        ("maxItems", list(), with(&list(), json!({"maxItems": 5}))),
        ("minimum", int(), with(&int(), json!({"minimum": 1}))),
        ("maximum", int(), with(&int(), json!({"maximum": 9}))),
        (
            "exclusiveMinimum (3.1 number)",
            with(&int(), json!({"minimum": 0})),
            with(&int(), json!({"exclusiveMinimum": 0})),
        ),
        (
            "exclusiveMaximum (3.1 number)",
            with(&int(), json!({"maximum": 9})),
            with(&int(), json!({"exclusiveMaximum": 9})),
        ),
        (
            "enum (not strings)",
            with(&int(), json!({"enum": [1, 2, 3]})),
            with(&int(), json!({"enum": [1, 2]})),
        ),
    ];
    for (name, loose, tight) in limits {
        rows.push(row(
            name,
            loose,
            tight,
            RequestConstraintTightened,
            ResponseLimitLoosened,
        ));
    }
    rows
}

/// The 3.0 spelling of exclusive bounds, and `x-extensible-enum` (whose unknown values a
/// response is expected to carry: no response rule).
fn more_limit_rows() -> Vec<Row> {
    use Kind::*;
    let mut rows = vec![row(
        "additionalProperties: false",
        part(),
        with(&part(), json!({"additionalProperties": false})),
        RequestAdditionalPropertiesClosed,
        ResponseAdditionalPropertiesOpened,
    )];
    for (name, loose, tight) in [
        (
            "exclusiveMinimum (3.0 boolean)",
            with(&int(), json!({"minimum": 0})),
            with(&int(), json!({"minimum": 0, "exclusiveMinimum": true})),
        ),
        (
            "exclusiveMaximum (3.0 boolean)",
            with(&int(), json!({"maximum": 9})),
            with(&int(), json!({"maximum": 9, "exclusiveMaximum": true})),
        ),
    ] {
        rows.push(Row {
            version: "3.0.3",
            ..row(
                name,
                loose,
                tight,
                RequestConstraintTightened,
                ResponseLimitLoosened,
            )
        });
    }
    rows.push(Row {
        response: None,
        ..row(
            "x-extensible-enum",
            json!({"type": "string", "x-extensible-enum": ["a", "b"]}),
            json!({"type": "string", "x-extensible-enum": ["a"]}),
            RequestExtensibleEnumValueRemoved,
            ResponseLimitLoosened,
        )
    });
    rows
}

/// Field nullability in its three spellings: the lowered model's rules.
fn nullability_rows() -> Vec<Row> {
    use Kind::*;
    let s = json!({"type": "string"});
    let field = |name, version, loose: Value| Row {
        version,
        ..row(
            name,
            loose,
            s.clone(),
            RequestFieldNoLongerNullable,
            ResponseFieldNowNullable,
        )
    };
    vec![
        field(
            "nullable field (3.0 nullable)",
            "3.0.3",
            json!({"type": "string", "nullable": true}),
        ),
        field(
            "nullable field (3.1 type array)",
            "3.1.0",
            json!({"type": ["string", "null"]}),
        ),
        field(
            "nullable field (3.1 oneOf null)",
            "3.1.0",
            json!({"oneOf": [{"type": "string"}, {"type": "null"}]}),
        ),
    ]
}

/// Nullability where the model has no field: list items, bodies, parameters.
fn nullable_position_rows() -> Vec<Row> {
    use Kind::*;
    let s = json!({"type": "string"});
    let at = |name, place, version, loose: Value, tight: Value, response| Row {
        name,
        version,
        place,
        loose,
        tight,
        request: Some(RequestNoLongerNullable),
        response,
    };
    vec![
        at(
            "nullable items (3.0)",
            Place::Items,
            "3.0.3",
            json!({"type": "string", "nullable": true}),
            s.clone(),
            Some(ResponseNowNullable),
        ),
        at(
            "nullable items (3.1)",
            Place::Items,
            "3.1.0",
            json!({"type": ["string", "null"]}),
            s.clone(),
            Some(ResponseNowNullable),
        ),
        at(
            "nullable body (3.1)",
            Place::Body,
            "3.1.0",
            json!({"type": ["object", "null"], "properties": {"a": {"type": "string"}}}),
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
            Some(ResponseNowNullable),
        ),
        at(
            "nullable body (3.0)",
            Place::Body,
            "3.0.3",
            json!({"type": "object", "nullable": true, "properties": {"a": {"type": "string"}}}),
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
            Some(ResponseNowNullable),
        ),
        at(
            "nullable parameter (3.1)",
            Place::Param,
            "3.1.0",
            json!({"type": ["string", "null"]}),
            s.clone(),
            None,
        ),
        at(
            "nullable parameter (3.0)",
            Place::Param,
            "3.0.3",
            json!({"type": "string", "nullable": true}),
            s,
            None,
        ),
    ]
}

/// Checks one direction: `from -> to` must report `kind` at its level (and nothing worse than
/// it from the schema walk), `to -> from` nothing breaking.
fn check_pair(
    failures: &mut Vec<String>,
    label: String,
    (from, to): (Vec<u8>, Vec<u8>),
    kind: Option<Kind>,
) {
    let forward = report(&from, &to);
    let backward = report(&to, &from);
    if let Some(kind) = kind {
        let level = rule(kind).http;
        if !forward
            .changes
            .iter()
            .any(|c| c.kind == kind && c.http == level)
        {
            failures.push(format!(
                "{label}: want {} ({}), got\n{}",
                kind.name(),
                level.as_str(),
                shown(&forward)
            ));
        }
        if worst(&forward) < level {
            failures.push(format!("{label}: verdict below {}", level.as_str()));
        }
    } else if worst(&forward) != Http::Compatible {
        failures.push(format!(
            "{label}: want compatible, got\n{}",
            shown(&forward)
        ));
    }
    if worst(&backward) != Http::Compatible {
        failures.push(format!(
            "{label} (reversed): want compatible, got\n{}",
            shown(&backward)
        ));
    }
}

#[test]
fn every_keyword_rule_reports_in_the_direction_that_hurts_and_not_the_other() {
    let mut failures = Vec::new();
    for r in keyword_rows() {
        let request = |s: &Value| spec(r.version, r.place, Some(s), None);
        check_pair(
            &mut failures,
            format!("{} in a request", r.name),
            (request(&r.loose), request(&r.tight)),
            r.request,
        );
        if matches!(r.place, Place::Param) {
            continue;
        }
        let response = |s: &Value| spec(r.version, r.place, None, Some(s));
        check_pair(
            &mut failures,
            format!("{} in a response", r.name),
            (response(&r.tight), response(&r.loose)),
            r.response,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Kinds the table above (and the other tests in this file) cover, for `every_rule_has_a_fixture`.
pub(super) fn covered() -> Vec<Kind> {
    let mut kinds: Vec<Kind> = keyword_rows()
        .iter()
        .flat_map(|r| [r.request, r.response])
        .flatten()
        .collect();
    kinds.extend(OTHER_KINDS);
    kinds
}

/// Covered by the named tests below rather than by the table.
const OTHER_KINDS: [Kind; 23] = [
    Kind::RequestParamStyleChanged,
    Kind::ResponseHeaderRemoved,
    Kind::RequestDefaultChanged,
    Kind::RequiredResponseHeaderRemoved,
    Kind::SecurityRequirementTightened,
    Kind::PlannedParamRemoval,
    Kind::PlannedOperationRemoval,
    Kind::ResponseFreeFormNowTyped,
    Kind::RequestTypeWidened,
    Kind::RequestFieldRemoved,
    Kind::ResponseFieldRemoved,
    Kind::RequestMediaTypeAdded,
    Kind::RequestMediaTypeRemoved,
    Kind::ResponseMediaTypeAdded,
    Kind::ResponseMediaTypeRemoved,
    Kind::ResponseMediaTypeGeneralised,
    Kind::WebhookAdded,
    Kind::WebhookRemoved,
    Kind::WebhookPayloadFieldAdded,
    Kind::WebhookPayloadFieldRemoved,
    Kind::WebhookPayloadFieldNowOptional,
    Kind::WebhookPayloadTypeChanged,
    Kind::ResponseEnumValueReplaced,
];

#[test]
fn the_catalogue_table_names_only_real_rules() {
    for k in covered() {
        assert!(RULES.iter().any(|r| r.kind == k), "{k:?}");
    }
}

/// Every generated pair with the verdict it should get: each row's change in the direction
/// that hurts (the rule's level, or compatible where the row has no rule) and reversed
/// (compatible), in a request and, unless it is a parameter, in a response.
pub(super) fn labelled_pairs() -> Vec<(Http, Vec<u8>, Vec<u8>)> {
    let level = |k: Option<Kind>| k.map_or(Http::Compatible, |k| rule(k).http);
    let mut out = Vec::new();
    for r in keyword_rows() {
        let request = |s: &Value| spec(r.version, r.place, Some(s), None);
        let (loose, tight) = (request(&r.loose), request(&r.tight));
        out.push((level(r.request), loose.clone(), tight.clone()));
        out.push((Http::Compatible, tight, loose));
        if matches!(r.place, Place::Param) {
            continue;
        }
        let response = |s: &Value| spec(r.version, r.place, None, Some(s));
        let (loose, tight) = (response(&r.loose), response(&r.tight));
        out.push((level(r.response), tight.clone(), loose.clone()));
        out.push((Http::Compatible, loose, tight));
    }
    out
}

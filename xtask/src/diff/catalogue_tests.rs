//! The rule catalogue's fixture pairs, generated from one table: each schema keyword placed in
//! a request and in a response, changed both ways. A rule's pair must report the rule (with its
//! level) in the direction that hurts callers, and nothing breaking in the other.

use serde_json::{json, Value};

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

fn keyword_rows() -> Vec<Row> {
    use Kind::*;
    let int = json!({"type": "integer"});
    let obj_ab =
        json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}});
    let with = |base: &Value, extra: Value| {
        let mut v = base.clone();
        for (k, x) in extra.as_object().expect("object") {
            v[k] = x.clone();
        }
        v
    };
    let list = json!({"type": "array", "items": {"type": "integer"}});
    let contains = with(&list, json!({"contains": {"const": 1}}));
    let free = json!({"type": "object"});
    let part = json!({"type": "object", "properties": {"a": {"type": "string"}}});
    let mut rows = vec![
        row(
            "const",
            int.clone(),
            with(&int, json!({"const": 3})),
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
            obj_ab.clone(),
            with(
                &obj_ab,
                json!({"if": {"required": ["a"]}, "then": {"required": ["b"]}}),
            ),
            RequestConditionalTightened,
            ResponseConditionalLoosened,
        ),
        row(
            "dependentRequired",
            obj_ab.clone(),
            with(&obj_ab, json!({"dependentRequired": {"a": ["b"]}})),
            RequestDependentRequiredTightened,
            ResponseDependentRequiredLoosened,
        ),
        row(
            "dependentSchemas",
            obj_ab.clone(),
            with(
                &obj_ab,
                json!({"dependentSchemas": {"a": {"required": ["b"]}}}),
            ),
            RequestDependentSchemasTightened,
            ResponseDependentSchemasLoosened,
        ),
        row(
            "contains",
            list.clone(),
            contains.clone(),
            RequestContainsTightened,
            ResponseContainsLoosened,
        ),
        row(
            "minContains",
            contains.clone(),
            with(&contains, json!({"minContains": 2})),
            RequestContainsTightened,
            ResponseContainsLoosened,
        ),
        row(
            "maxContains",
            contains.clone(),
            with(&contains, json!({"maxContains": 1})),
            RequestContainsTightened,
            ResponseContainsLoosened,
        ),
        row(
            "patternProperties",
            free.clone(),
            with(
                &free,
                json!({"patternProperties": {"^x-": {"type": "string"}}}),
            ),
            RequestPatternPropertiesTightened,
            ResponsePatternPropertiesLoosened,
        ),
        row(
            "propertyNames",
            free.clone(),
            with(&free, json!({"propertyNames": {"pattern": "^[a-z]+$"}})),
            RequestPropertyNamesTightened,
            ResponsePropertyNamesLoosened,
        ),
        row(
            "unevaluatedProperties",
            part.clone(),
            with(&part, json!({"unevaluatedProperties": false})),
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
            json!({"allOf": [part.clone()]}),
            json!({"allOf": [part.clone(), {"type": "object", "minProperties": 1}]}),
            RequestAllOfTightened,
            ResponseAllOfLoosened,
        ),
        row(
            "multipleOf added",
            int.clone(),
            with(&int, json!({"multipleOf": 5})),
            RequestMultipleOfTightened,
            ResponseMultipleOfLoosened,
        ),
        row(
            "multipleOf coarser",
            with(&int, json!({"multipleOf": 2})),
            with(&int, json!({"multipleOf": 4})),
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
            free.clone(),
            with(&free, json!({"minProperties": 1})),
            RequestPropertyCountTightened,
            ResponsePropertyCountLoosened,
        ),
        row(
            "maxProperties",
            free.clone(),
            with(&free, json!({"maxProperties": 3})),
            RequestPropertyCountTightened,
            ResponsePropertyCountLoosened,
        ),
    ];
    // Limits the lowered model compares on requests; their loosening in responses is here.
    let s = json!({"type": "string"});
    let limits = [
        ("minLength", s.clone(), with(&s, json!({"minLength": 2}))),
        ("maxLength", s.clone(), with(&s, json!({"maxLength": 10}))),
        (
            "pattern",
            s.clone(),
            with(&s, json!({"pattern": "^[a-z]+$"})),
        ),
        (
            "minItems",
            list.clone(),
            with(&list, json!({"minItems": 1})),
        ),
        (
            "maxItems",
            list.clone(),
            with(&list, json!({"maxItems": 5})),
        ),
        ("minimum", int.clone(), with(&int, json!({"minimum": 1}))),
        ("maximum", int.clone(), with(&int, json!({"maximum": 9}))),
        (
            "exclusiveMinimum (3.1 number)",
            with(&int, json!({"minimum": 0})),
            with(&int, json!({"exclusiveMinimum": 0})),
        ),
        (
            "exclusiveMaximum (3.1 number)",
            with(&int, json!({"maximum": 9})),
            with(&int, json!({"exclusiveMaximum": 9})),
        ),
        (
            "enum (not strings)",
            with(&int, json!({"enum": [1, 2, 3]})),
            with(&int, json!({"enum": [1, 2]})),
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
    for (name, loose, tight) in [
        (
            "exclusiveMinimum (3.0 boolean)",
            with(&int, json!({"minimum": 0})),
            with(&int, json!({"minimum": 0, "exclusiveMinimum": true})),
        ),
        (
            "exclusiveMaximum (3.0 boolean)",
            with(&int, json!({"maximum": 9})),
            with(&int, json!({"maximum": 9, "exclusiveMaximum": true})),
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
    rows.extend(nullability_rows());
    rows
}

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
const OTHER_KINDS: [Kind; 18] = [
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

fn kinds(r: &SpecReport) -> Vec<(&'static str, Http)> {
    r.changes.iter().map(|c| (c.kind.name(), c.http)).collect()
}

#[test]
fn a_type_array_that_widens_is_compatible_for_senders_and_major_for_the_crate() {
    let narrow = spec(
        "3.1.0",
        Place::Param,
        Some(&json!({"type": "string"})),
        None,
    );
    let wide_schema = json!({"type": ["string", "array"], "items": {"type": "string"}});
    let wide = spec("3.1.0", Place::Param, Some(&wide_schema), None);
    let r = report(&narrow, &wide);
    assert_eq!(worst(&r), Http::Compatible, "{}", shown(&r));
    let widened = r
        .changes
        .iter()
        .find(|c| c.kind == Kind::RequestTypeWidened);
    assert_eq!(
        widened.map(|c| c.semver),
        Some(Semver::Major),
        "{}",
        shown(&r)
    );
    // The other way the server rejects lists it accepted.
    assert_eq!(worst(&report(&wide, &narrow)), Http::Breaking);
}

#[test]
fn read_only_and_write_only_properties_count_only_in_their_direction() {
    let obj = |props: Value, required: Value| json!({"type": "object", "required": required, "properties": props});
    let a = json!({"type": "string"});
    let ro = json!({"type": "string", "readOnly": true});
    let wo = json!({"type": "string", "writeOnly": true});
    let both = |s: &Value| spec("3.0.3", Place::Body, Some(s), Some(s));
    // A required readOnly property added: the server sets it, requests need not send it.
    let before = obj(json!({"a": a}), json!([]));
    let after = obj(json!({"a": a, "id": ro}), json!(["id"]));
    let r = report(&both(&before), &both(&after));
    assert_eq!(worst(&r), Http::Compatible, "{}", shown(&r));
    // A writeOnly property removed: responses never carried it.
    let before = obj(json!({"a": a, "secret": wo}), json!([]));
    let after = obj(json!({"a": a}), json!([]));
    let r = report(&both(&before), &both(&after));
    assert!(
        !kinds(&r).contains(&("ResponseFieldRemoved", Http::Breaking)),
        "{}",
        shown(&r)
    );
    // A property a response requires becomes writeOnly: responses stop carrying it.
    let before = obj(json!({"p": a}), json!(["p"]));
    let after = obj(json!({"p": wo}), json!(["p"]));
    let r = report(&both(&before), &both(&after));
    assert!(
        kinds(&r).contains(&("ResponseFieldRemoved", Http::Breaking)),
        "{}",
        shown(&r)
    );
    assert!(
        r.changes.iter().any(|c| c.detail.contains("now writeOnly")),
        "{}",
        shown(&r)
    );
    // A request property becomes readOnly: what callers send is ignored or rejected.
    let after = obj(json!({"p": ro}), json!(["p"]));
    let r = report(&both(&before), &both(&after));
    assert!(
        kinds(&r).contains(&("RequestFieldRemoved", Http::Breaking)),
        "{}",
        shown(&r)
    );
}

/// A spec whose request body and 200 response have the given media types.
fn media_spec(request: &[&str], response: &[&str]) -> Vec<u8> {
    let content = |types: &[&str]| -> Value {
        types
            .iter()
            .map(|t| ((*t).to_owned(), json!({"schema": plain()})))
            .collect::<serde_json::Map<String, Value>>()
            .into()
    };
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {"/things": {"post": {
            "operationId": "Make",
            "requestBody": {"required": true, "content": content(request)},
            "responses": {
                "200": {"description": "ok", "content": content(response)},
                "400": {"description": "bad", "content": content(&["application/problem+json"])}
            }
        }}}
    });
    serde_json::to_vec(&doc).expect("serialises")
}

#[test]
fn media_types_are_judged_by_direction() {
    let (json_, form) = ("application/json", "application/x-www-form-urlencoded");
    let base = media_spec(&[json_], &[json_]);
    let r = report(&base, &media_spec(&[json_, form], &[json_]));
    assert_eq!(
        kinds(&r),
        [("RequestMediaTypeAdded", Http::Compatible)],
        "{}",
        shown(&r)
    );
    let r = report(&media_spec(&[json_, form], &[json_]), &base);
    assert!(
        kinds(&r).contains(&("RequestMediaTypeRemoved", Http::Breaking)),
        "{}",
        shown(&r)
    );
    let r = report(&media_spec(&[json_], &[json_, "text/csv"]), &base);
    assert!(
        kinds(&r).contains(&("ResponseMediaTypeRemoved", Http::Breaking)),
        "{}",
        shown(&r)
    );
    let r = report(&base, &media_spec(&[json_], &[json_, "text/csv"]));
    assert_eq!(worst(&r), Http::Compatible, "{}", shown(&r));
    assert!(
        kinds(&r).contains(&("ResponseMediaTypeAdded", Http::Compatible)),
        "{}",
        shown(&r)
    );
    // An error response's problem+json becoming plain JSON.
    let general = String::from_utf8(base.clone())
        .expect("utf-8")
        .replace("application/problem+json", "application/json");
    let r = report(&base, general.as_bytes());
    assert_eq!(
        kinds(&r),
        [("ResponseMediaTypeGeneralised", Http::Potential)],
        "{}",
        shown(&r)
    );
}

fn webhook_spec(hooks: Value) -> Vec<u8> {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "webhooks": hooks
    });
    serde_json::to_vec(&doc).expect("serialises")
}

fn hook(payload: Value) -> Value {
    json!({"post": {
        "requestBody": {"content": {"application/json": {"schema": payload}}},
        "responses": {"200": {"description": "ok"}}
    }})
}

#[test]
fn webhooks_are_judged_in_the_receivers_direction() {
    let payload = |props: Value, required: Value| {
        hook(json!({"type": "object", "required": required, "properties": props}))
    };
    let s = json!({"type": "string"});
    let one = webhook_spec(json!({"ping": payload(json!({"a": s}), json!(["a"]))}));
    let none = webhook_spec(json!({}));
    let r = report(&none, &one);
    assert_eq!(
        kinds(&r),
        [("WebhookAdded", Http::Compatible)],
        "{}",
        shown(&r)
    );
    let r = report(&one, &none);
    assert_eq!(
        kinds(&r),
        [("WebhookRemoved", Http::Breaking)],
        "{}",
        shown(&r)
    );
    // Gaining a required field is compatible for the receiver; losing one breaks it.
    let more = webhook_spec(json!({"ping": payload(json!({"a": s, "b": s}), json!(["a", "b"]))}));
    let r = report(&one, &more);
    assert_eq!(
        kinds(&r),
        [("WebhookPayloadFieldAdded", Http::Compatible)],
        "{}",
        shown(&r)
    );
    let r = report(&more, &one);
    assert!(
        kinds(&r).contains(&("WebhookPayloadFieldRemoved", Http::Breaking)),
        "{}",
        shown(&r)
    );
    let optional = webhook_spec(json!({"ping": payload(json!({"a": s}), json!([]))}));
    let r = report(&one, &optional);
    assert_eq!(
        kinds(&r),
        [("WebhookPayloadFieldNowOptional", Http::Breaking)],
        "{}",
        shown(&r)
    );
    assert_eq!(worst(&report(&optional, &one)), Http::Compatible);
    let retyped =
        webhook_spec(json!({"ping": payload(json!({"a": {"type": "integer"}}), json!(["a"]))}));
    let r = report(&one, &retyped);
    assert_eq!(
        kinds(&r),
        [("WebhookPayloadTypeChanged", Http::Breaking)],
        "{}",
        shown(&r)
    );
    // A payload value that may now be null.
    let nullable = webhook_spec(
        json!({"ping": payload(json!({"a": {"type": ["string", "null"]}}), json!(["a"]))}),
    );
    let r = report(&one, &nullable);
    assert!(
        kinds(&r).contains(&("ResponseNowNullable", Http::Breaking)),
        "{}",
        shown(&r)
    );
}

#[test]
fn a_response_enum_value_renamed_breaks_and_a_free_map_becoming_typed_is_potential() {
    let e = |values: Value| json!({"type": "string", "enum": values});
    let response = |s: &Value| spec("3.0.3", Place::Property, None, Some(s));
    let r = report(
        &response(&e(json!(["a", "b"]))),
        &response(&e(json!(["a", "c"]))),
    );
    assert!(
        kinds(&r).contains(&("ResponseEnumValueReplaced", Http::Breaking)),
        "{}",
        shown(&r)
    );
    // Removed alone, or added alone, is still compatible for receivers.
    let r = report(
        &response(&e(json!(["a", "b"]))),
        &response(&e(json!(["a"]))),
    );
    assert_eq!(worst(&r), Http::Compatible, "{}", shown(&r));
    let free = json!({"type": "object"});
    let typed = json!({"type": "object", "properties": {"n": {"type": "integer"}}});
    let r = report(&response(&free), &response(&typed));
    assert!(
        kinds(&r).contains(&("ResponseFreeFormNowTyped", Http::Potential)),
        "{}",
        shown(&r)
    );
}

/// Two operations, `Keep` and `Old`; `old_op` is `Old` as the old spec has it.
fn two_ops(old_op: Option<Value>) -> Vec<u8> {
    let keep = json!({"operationId": "Keep", "responses": {"204": {"description": "ok"}}});
    let mut paths = json!({"/keep": {"get": keep}});
    if let Some(op) = old_op {
        paths["/old"] = json!({"get": op});
    }
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths
    });
    serde_json::to_vec(&doc).expect("serialises")
}

fn removal(old_op: Value, policy: DeprecationPolicy) -> Vec<(&'static str, Http)> {
    let options = Options {
        deprecation: policy,
        today: "2026-12-07".into(),
    };
    let (old, new) = (two_ops(Some(old_op)), two_ops(None));
    let r = codegen::diff::compare_specs_with(
        Side::plain("old.json", &old),
        Side::plain("new.json", &new),
        &options,
    )
    .expect("compares");
    kinds(&r)
}

#[test]
fn removing_a_deprecated_operation_is_planned_only_as_the_policy_says() {
    use DeprecationPolicy::*;
    let op = |extra: Value| {
        let mut op = json!({"operationId": "Old", "responses": {"204": {"description": "ok"}}});
        for (k, v) in extra.as_object().expect("object") {
            op[k] = v.clone();
        }
        op
    };
    let planned = [("PlannedOperationRemoval", Http::Potential)];
    let surprise = [("OperationRemoved", Http::Breaking)];
    let past = op(json!({"deprecated": true, "x-sunset": "2026-06-30"}));
    let future = op(json!({"deprecated": true, "x-sunset": "2027-06-30"}));
    let undated = op(json!({"deprecated": true}));
    assert_eq!(removal(past.clone(), Strict), planned);
    assert_eq!(removal(future.clone(), Strict), surprise);
    assert_eq!(removal(undated.clone(), Strict), surprise);
    assert_eq!(removal(op(json!({})), Strict), surprise);
    assert_eq!(removal(undated, Lenient), planned);
    assert_eq!(removal(future, Lenient), surprise);
    assert_eq!(removal(past, Ignore), surprise);
}

#[test]
fn a_breaking_change_to_an_alpha_operation_is_only_potential() {
    let with = |stability: &str, param: bool| {
        let mut op = json!({"operationId": "Old", "x-stability-level": stability, "responses": {"204": {"description": "ok"}}});
        if param {
            op["parameters"] = json!([{"name": "q", "in": "query", "required": true, "schema": {"type": "string"}}]);
        }
        two_ops(Some(op))
    };
    for (level, want) in [
        ("alpha", Http::Potential),
        ("draft", Http::Potential),
        ("stable", Http::Breaking),
    ] {
        let r = report(&with(level, false), &with(level, true));
        assert_eq!(
            kinds(&r),
            [("RequiredParamAdded", want)],
            "{level}: {}",
            shown(&r)
        );
    }
}

#[test]
fn removing_a_deprecated_parameter_past_its_sunset_is_planned() {
    let with = |param: Option<Value>| {
        let mut op = json!({"operationId": "Old", "responses": {"204": {"description": "ok"}}});
        if let Some(p) = param {
            op["parameters"] = json!([p]);
        }
        two_ops(Some(op))
    };
    let q = |extra: Value| {
        let mut p = json!({"name": "q", "in": "query", "schema": {"type": "string"}});
        for (k, v) in extra.as_object().expect("object") {
            p[k] = v.clone();
        }
        p
    };
    let gone = with(None);
    let past = with(Some(q(
        json!({"deprecated": true, "x-sunset": "2026-01-31"}),
    )));
    let r = report(&past, &gone);
    assert_eq!(
        kinds(&r),
        [("PlannedParamRemoval", Http::Potential)],
        "{}",
        shown(&r)
    );
    let plain = with(Some(q(json!({}))));
    let r = report(&plain, &gone);
    assert_eq!(
        kinds(&r),
        [("ParamRemoved", Http::Breaking)],
        "{}",
        shown(&r)
    );
}

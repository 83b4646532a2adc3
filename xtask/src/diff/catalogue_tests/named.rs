//! The catalogue's rules that need more than one schema: type arrays, readOnly/writeOnly,
//! media types, webhooks, enum renames, deprecation and stability.

use serde_json::{json, Value};

use super::*;

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
    // Parameters and case are not another media type.
    let r = report(
        &base,
        &media_spec(&["Application/JSON"], &["application/json; charset=utf-8"]),
    );
    assert!(r.changes.is_empty(), "{}", shown(&r));
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
    // A 3.0 spec's `x-webhooks` are read the same way.
    let as_30 = |doc: &[u8]| {
        String::from_utf8(doc.to_vec())
            .expect("utf-8")
            .replace("\"webhooks\"", "\"x-webhooks\"")
            .replace("\"3.1.0\"", "\"3.0.3\"")
    };
    let r = report(as_30(&more).as_bytes(), as_30(&one).as_bytes());
    let removed = ("WebhookPayloadFieldRemoved", Http::Breaking);
    assert!(kinds(&r).contains(&removed), "{}", shown(&r));
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

/// A spec whose one operation has `security` (when given) over `schemes`.
fn secured(security: Option<Value>, schemes: Value) -> Vec<u8> {
    let mut op = json!({"operationId": "Get", "responses": {"204": {"description": "ok"}}});
    if let Some(s) = security {
        op["security"] = s;
    }
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {"/a": {"get": op}},
        "components": {"securitySchemes": schemes}
    });
    serde_json::to_vec(&doc).expect("serialises")
}

#[test]
fn per_operation_security_is_judged_by_what_old_credentials_still_satisfy() {
    let oauth = json!({"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {"read": "r", "write": "w"}}}});
    let key = json!({"type": "apiKey", "in": "header", "name": "X-Key"});
    let schemes = json!({"oauth": oauth, "key": key});
    let tightened = [("SecurityRequirementTightened", Http::Breaking)];
    let read = secured(Some(json!([{"oauth": ["read"]}])), schemes.clone());
    let both = secured(Some(json!([{"oauth": ["read", "write"]}])), schemes.clone());
    let open = secured(None, schemes.clone());
    // One more scope, or a requirement where there was none, rejects old callers.
    assert_eq!(kinds(&report(&read, &both)), tightened);
    assert_eq!(kinds(&report(&open, &read)), tightened);
    // Fewer scopes, or no requirement, accepts them all.
    assert_eq!(worst(&report(&both, &read)), Http::Compatible);
    assert_eq!(worst(&report(&read, &open)), Http::Compatible);
    // Another way in beside the old one is compatible; replacing it is not.
    let either = secured(
        Some(json!([{"oauth": ["read"]}, {"key": []}])),
        schemes.clone(),
    );
    assert_eq!(worst(&report(&read, &either)), Http::Compatible);
    let key_only = secured(Some(json!([{"key": []}])), schemes.clone());
    assert_eq!(kinds(&report(&read, &key_only)), tightened);
    // A scheme renamed in components asks callers for nothing new.
    let renamed = secured(
        Some(json!([{"apiKey": []}])),
        json!({"apiKey": {"type": "apiKey", "in": "header", "name": "X-Key"}}),
    );
    let r = report(&key_only, &renamed);
    assert!(
        !kinds(&r)
            .iter()
            .any(|(k, _)| *k == "SecurityRequirementTightened"),
        "{}",
        shown(&r)
    );
}

#[test]
fn a_success_response_header_removed_is_reported_by_whether_it_was_promised() {
    let with_headers = |headers: Value| {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "servers": [{"url": "https://api.example.com"}],
            "paths": {"/a": {"get": {"operationId": "Get", "responses": {
                "200": {"description": "ok", "headers": headers, "content": {"application/json": {"schema": plain()}}}
            }}}}
        });
        serde_json::to_vec(&doc).expect("serialises")
    };
    let s = json!({"schema": {"type": "string"}});
    let both = with_headers(
        json!({"Location": {"required": true, "schema": {"type": "string"}}, "X-Rate": s}),
    );
    let rate_only = with_headers(json!({"x-rate": s}));
    let none = with_headers(json!({}));
    let r = report(&both, &rate_only);
    assert_eq!(
        kinds(&r),
        [("RequiredResponseHeaderRemoved", Http::Breaking)],
        "{}",
        shown(&r)
    );
    let r = report(&rate_only, &none);
    assert_eq!(
        kinds(&r),
        [("ResponseHeaderRemoved", Http::Potential)],
        "{}",
        shown(&r)
    );
    // Added headers, and a name only recased, report nothing.
    assert!(report(&none, &both).changes.is_empty());
}

#[test]
fn a_request_default_that_changes_is_potential_and_one_that_appears_is_not_reported() {
    let field = |s: Value| json!({"type": "object", "properties": {"n": s}});
    let (ten, twenty) = (
        field(json!({"type": "integer", "default": 10})),
        field(json!({"type": "integer", "default": 20})),
    );
    let bare = field(json!({"type": "integer"}));
    let request = |s: &Value| spec("3.0.3", Place::Body, Some(s), None);
    let r = report(&request(&ten), &request(&twenty));
    assert_eq!(
        kinds(&r),
        [("RequestDefaultChanged", Http::Potential)],
        "{}",
        shown(&r)
    );
    assert!(report(&request(&bare), &request(&ten)).changes.is_empty());
    let response = |s: &Value| spec("3.0.3", Place::Body, None, Some(s));
    assert!(report(&response(&ten), &response(&twenty))
        .changes
        .is_empty());
}

#[test]
fn a_base_schema_extracted_into_all_of_constrains_nothing_new() {
    let doc = |body: Value| {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "servers": [{"url": "https://api.example.com"}],
            "paths": {"/a": {"post": {
                "operationId": "Make",
                "requestBody": {"required": true, "content": {"application/json": {"schema": body}}},
                "responses": {"204": {"description": "ok"}}
            }}},
            "components": {"schemas": {"Base": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}}}
        });
        serde_json::to_vec(&doc).expect("serialises")
    };
    let inline = doc(json!({
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}
    }));
    let extracted = doc(json!({"allOf": [
        {"$ref": "#/components/schemas/Base"},
        {"type": "object", "properties": {"b": {"type": "integer"}}}
    ]}));
    for (from, to) in [(&inline, &extracted), (&extracted, &inline)] {
        let r = report(from, to);
        assert_eq!(worst(&r), Http::Compatible, "{}", shown(&r));
    }
    // A member that does add a constraint is still reported.
    let constrained = doc(json!({"allOf": [
        {"$ref": "#/components/schemas/Base"},
        {"type": "object", "properties": {"b": {"type": "integer"}}},
        {"type": "object", "required": ["b"]}
    ]}));
    let r = report(&inline, &constrained);
    assert!(
        kinds(&r).contains(&("RequestAllOfTightened", Http::Breaking)),
        "{}",
        shown(&r)
    );
}

#[test]
fn a_list_parameter_serialised_another_way_breaks_senders() {
    let with = |param: Value| {
        let mut p = json!({"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}});
        for (k, v) in param.as_object().expect("object") {
            p[k] = v.clone();
        }
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "servers": [{"url": "https://api.example.com"}],
            "paths": {"/a": {"get": {"operationId": "Get", "parameters": [p], "responses": {"204": {"description": "ok"}}}}}
        });
        serde_json::to_vec(&doc).expect("serialises")
    };
    let plain = with(json!({}));
    // The defaults spelled out are no change.
    let spelled = with(json!({"style": "form", "explode": true}));
    assert!(report(&plain, &spelled).changes.is_empty());
    let commas = with(json!({"explode": false}));
    let r = report(&plain, &commas);
    assert_eq!(
        kinds(&r),
        [("RequestParamStyleChanged", Http::Breaking)],
        "{}",
        shown(&r)
    );
    let pipes = with(json!({"style": "pipeDelimited", "explode": false}));
    assert_eq!(
        kinds(&report(&commas, &pipes)),
        [("RequestParamStyleChanged", Http::Breaking)]
    );
}

//! Building requests, checked on the wire: path parameters, query and header values, JSON,
//! form and multipart bodies, and input rejected before anything is sent.

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use sdk_runtime::reqwest::Method;
use sdk_runtime::{Error, FilePart, Multipart, Operation, Request};
use serde::Serialize;
use wiremock::ResponseTemplate;

/// Expects `InvalidInput` for `operation` whose message mentions `needle`.
fn assert_invalid_input(err: &Error, operation: &str, needle: &str) {
    match err {
        Error::InvalidInput {
            operation: op,
            message,
        } => {
            assert_eq!(*op, operation, "{err:?}");
            assert!(message.contains(needle), "{message:?} lacks {needle:?}");
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[tokio::test]
async fn path_param_is_one_encoded_segment() {
    let server = server_with(json_ok("{}")).await;
    let mut req = Request::new(&FETCH_USER);
    req.path_param("Sid", "a/b?c#d%e é");
    client(&server).execute(req).await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].url.path(), "/v1/Users/a%2Fb%3Fc%23d%25e%20%C3%A9");
    assert_eq!(reqs[0].url.query(), None);
}

#[tokio::test]
async fn path_param_fills_every_occurrence_of_its_placeholder() {
    static TWICE: Operation = Operation {
        id: "Twice",
        method: Method::GET,
        path: "/A/{Sid}/B/{Sid}/{Other}",
        server: 0,
        errors: &[],
    };
    let server = server_with(json_ok("{}")).await;
    let mut req = Request::new(&TWICE);
    req.path_param("Sid", "x y");
    req.path_param("Other", &7);
    client(&server).execute(req).await.unwrap();
    assert_eq!(
        received(&server).await[0].url.path(),
        "/v1/A/x%20y/B/x%20y/7"
    );
}

#[tokio::test]
async fn dot_segments_empty_unknown_and_unset_path_params_are_rejected_before_sending() {
    let server = server_with(json_ok("{}")).await;
    let client = client(&server);
    for bad in ["..", ".", ""] {
        let mut req = Request::new(&FETCH_USER);
        req.path_param("Sid", bad);
        let err = client.execute(req).await.unwrap_err();
        assert_invalid_input(&err, "FetchUser", "Sid");
    }
    let mut req = Request::new(&FETCH_USER);
    req.path_param("Nope", "x");
    let err = client.execute(req).await.unwrap_err();
    assert_invalid_input(&err, "FetchUser", "no parameter `Nope`");

    let err = client.execute(Request::new(&FETCH_USER)).await.unwrap_err();
    assert_invalid_input(&err, "FetchUser", "`Sid` was not set");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn header_injection_is_rejected_and_the_value_is_not_echoed() {
    let server = server_with(json_ok("{}")).await;
    let mut req = Request::new(&LIST);
    req.header("X-Custom", "x\r\nEvil: 1");
    let err = client(&server).execute(req).await.unwrap_err();
    assert_invalid_input(&err, "ListThings", "X-Custom");
    assert!(!err.to_string().contains("Evil"), "{err}");
    assert!(received(&server).await.is_empty());
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum Color {
    Red,
}

#[tokio::test]
async fn query_and_header_values_are_encoded_by_one_rule_set() {
    let server = server_with(json_ok("{}")).await;
    let mut req = Request::new(&LIST);
    req.query("Tag", &["a b", "c&d"]);
    req.query("Flag", &true);
    req.query("Off", &false);
    req.query("Missing", &None::<String>);
    req.query("Page", &2u32);
    req.query("Color", &Color::Red);
    req.query("Since", &Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap());
    req.header("X-Ids", &[1, 2]);
    req.header("X-None", &None::<u8>);
    req.header("X-Color", &Color::Red);
    client(&server).execute(req).await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(
        reqs[0].url.query().unwrap(),
        "Tag=a+b&Tag=c%26d&Flag=true&Off=false&Page=2&Color=red&Since=2024-01-02T03%3A04%3A05Z"
    );
    assert_eq!(header(&reqs[0], "x-ids"), "1,2");
    assert_eq!(header(&reqs[0], "x-color"), "red");
    assert!(reqs[0].headers.get("x-none").is_none());
}

#[tokio::test]
async fn nested_query_object_is_invalid_input() {
    let server = server_with(json_ok("{}")).await;
    // An object is `form`, exploded (OpenAPI's default): its properties are pairs of their own.
    let mut req = Request::new(&LIST);
    req.query("Obj", &serde_json::json!({"a": 1, "b": "x y"}));
    client(&server).execute(req).await.unwrap();
    assert_eq!(received(&server).await[0].url.query(), Some("a=1&b=x+y"));
    let server = server_with(json_ok("{}")).await;
    let mut req = Request::new(&LIST);
    req.query("Obj", &serde_json::json!({"a": {"b": 1}}));
    let err = client(&server).execute(req).await.unwrap_err();
    assert_invalid_input(&err, "ListThings", "nested object");
    let mut req = Request::new(&LIST);
    req.query("Nested", &[[1, 2]]);
    let err = client(&server).execute(req).await.unwrap_err();
    assert_invalid_input(&err, "ListThings", "Nested");
    assert!(received(&server).await.is_empty());
}

#[derive(Serialize)]
struct CreateParams {
    #[serde(rename = "To")]
    to: Vec<String>,
    #[serde(rename = "Enabled")]
    enabled: bool,
    #[serde(rename = "Label", skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(rename = "Note")]
    note: Option<String>,
    #[serde(rename = "Integration.FlowSid")]
    flow_sid: String,
    #[serde(rename = "StartDate")]
    start: chrono::DateTime<Utc>,
}

#[tokio::test]
async fn form_body_repeats_list_keys_and_leaves_out_none() {
    let server = server_with(ResponseTemplate::new(201).set_body_string("{}")).await;
    let mut req = Request::new(&CREATE);
    req.form_body(&CreateParams {
        to: vec!["+15551234567".into(), "a b".into()],
        enabled: true,
        label: None,
        note: None,
        flow_sid: "FW123".into(),
        start: Utc.with_ymd_and_hms(2024, 5, 6, 7, 8, 9).unwrap(),
    });
    client(&server).execute(req).await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(reqs[0].method.as_str(), "POST");
    assert_eq!(
        header(&reqs[0], "content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        body_text(&reqs[0]),
        "To=%2B15551234567&To=a+b&Enabled=true&Integration.FlowSid=FW123&StartDate=2024-05-06T07%3A08%3A09Z"
    );
}

#[tokio::test]
async fn json_body_is_sent_with_its_content_type() {
    let server = server_with(json_ok("{}")).await;
    let mut req = Request::new(&CREATE);
    req.json_body(&serde_json::json!({"subject": "hi"}));
    client(&server).execute(req).await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(header(&reqs[0], "content-type"), "application/json");
    assert_eq!(reqs[0].body, br#"{"subject":"hi"}"#);
}

#[tokio::test]
async fn raw_bodies_are_sent_as_given_with_their_content_type() {
    let server = server_with(json_ok("{}")).await;
    let png: &'static [u8] = b"\x89PNG\r\n\x1a\n\x00\xff";
    let mut req = Request::new(&CREATE);
    req.raw_body("image/png", png);
    client(&server).execute(req).await.unwrap();
    // The caller's choice among the spec's content types, as a header, wins.
    let mut req = Request::new(&CREATE);
    req.header("Content-Type", "image/jpeg");
    req.raw_body("image/png", png);
    client(&server).execute(req).await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(header(&reqs[0], "content-type"), "image/png");
    assert_eq!(reqs[0].body, png);
    assert_eq!(header(&reqs[1], "content-type"), "image/jpeg");
    assert_eq!(reqs[1].body, png);
}

#[tokio::test]
async fn a_content_type_that_is_not_a_header_value_is_invalid_input() {
    let server = server_with(json_ok("{}")).await;
    let mut req = Request::new(&CREATE);
    req.raw_body("text/plain\r\nX-Injected: 1", "hello");
    let err = client(&server).execute(req).await.unwrap_err();
    assert_invalid_input(&err, "CreateThing", "content type");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn multipart_body_has_file_and_text_parts() {
    let server = server_with(json_ok("{}")).await;
    let mut form = Multipart::new();
    form.text("subject", "hello");
    form.text("tags", &["x", "y"]);
    form.text("none", &None::<String>);
    form.file(
        "attachments",
        FilePart::new(&b"\x89PNG-bytes"[..])
            .file_name("pic.png")
            .content_type("image/png"),
    );
    form.file("raw", FilePart::new(&b"plain"[..]));
    let mut req = Request::new(&CREATE);
    req.multipart_body(form);
    client(&server).execute(req).await.unwrap();
    let reqs = received(&server).await;
    let ct = header(&reqs[0], "content-type");
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    let body = body_text(&reqs[0]);
    assert_eq!(body.matches("filename=").count(), 1, "{body}");
    assert!(
        body.contains("Content-Disposition: form-data; name=\"attachments\"; filename=\"pic.png\"\r\nContent-Type: image/png\r\n\r\n\u{FFFD}PNG-bytes"),
        "{body}"
    );
    assert!(
        body.contains("name=\"raw\"\r\nContent-Type: application/octet-stream\r\n\r\nplain"),
        "{body}"
    );
    assert!(body.contains("name=\"subject\"\r\n\r\nhello\r\n"), "{body}");
    assert_eq!(body.matches("name=\"tags\"").count(), 2, "{body}");
    assert!(!body.contains("name=\"none\""), "{body}");
}

#[tokio::test]
async fn bad_multipart_fields_are_invalid_input_and_nothing_is_sent() {
    let server = server_with(json_ok("{}")).await;
    let client = client(&server);

    let mut form = Multipart::new();
    form.text("meta", &serde_json::json!({"nested": true}));
    let mut req = Request::new(&CREATE);
    req.multipart_body(form);
    let err = client.execute(req).await.unwrap_err();
    assert_invalid_input(&err, "CreateThing", "multipart field `meta`");

    let mut form = Multipart::new();
    form.file(
        "pic",
        FilePart::new(&b"x"[..]).content_type("not a mime type"),
    );
    let mut req = Request::new(&CREATE);
    req.multipart_body(form);
    let err = client.execute(req).await.unwrap_err();
    assert_invalid_input(&err, "CreateThing", "multipart file `pic`");

    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_request_can_be_cloned_and_sent_twice() {
    let server = server_with(json_ok("{}")).await;
    let client = client(&server);
    let mut req = Request::new(&FETCH_USER);
    req.path_param("Sid", "US1");
    req.query("Page", &1);
    assert_eq!(req.operation().id, "FetchUser");
    client.execute(req.clone()).await.unwrap();
    client.execute(req).await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].url, reqs[1].url);
    assert_eq!(reqs[1].url.path(), "/v1/Users/US1");
}

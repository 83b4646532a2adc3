//! Sending requests and reading answers: client configuration (defaults, base and server
//! URLs, regions), response metadata and bodies, error responses (vendor shapes, typed
//! bodies, helpers), decode errors, timeouts and connection failures.

mod common;

use std::time::{Duration, Instant};

use common::*;
use sdk_runtime::error::decode_error_body;
use sdk_runtime::reqwest::Method;
use sdk_runtime::{ClientBuilder, Error, ErrorSchema, Operation, Request, RetryPolicy};
use serde::Deserialize;
use wiremock::ResponseTemplate;

// ---------------------------------------------------------------- defaults and servers

#[tokio::test]
async fn requests_carry_auth_user_agent_and_accept_by_default() {
    let server = server_with(json_ok("{}")).await;
    client(&server).execute(Request::new(&LIST)).await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 1);
    assert_eq!(header(&reqs[0], "authorization"), BASIC_HEADER);
    assert_eq!(header(&reqs[0], "accept"), "application/json");
    assert_eq!(header(&reqs[0], "user-agent"), "twilio_test/1.2.3");
    assert_eq!(reqs[0].method.as_str(), "GET");
    assert_eq!(reqs[0].url.path(), "/v1/Things");
}

#[tokio::test]
async fn custom_user_agent_and_a_request_accept_header_are_kept() {
    let server = server_with(json_ok("{}")).await;
    let client = builder(&server).user_agent("custom/9").build().unwrap().0;
    let mut req = Request::new(&LIST);
    req.header("Accept", "text/csv");
    client.execute(req).await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(header(&reqs[0], "user-agent"), "custom/9");
    assert_eq!(header(&reqs[0], "accept"), "text/csv");
}

#[test]
fn invalid_user_agent_is_a_config_error() {
    let err = ClientBuilder::<TwilioClient>::new()
        .basic_auth("u", "p")
        .user_agent("bad\nagent")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

#[test]
fn spec_servers_are_used_without_overrides() {
    let client = ClientBuilder::<TwilioClient>::new()
        .basic_auth("u", "p")
        .build()
        .unwrap()
        .0;
    assert_eq!(client.server_url(0), Some("https://flex-api.twilio.com/v1"));
    assert_eq!(client.server_url(1), None);
    assert_eq!(client.api().crate_name, "twilio_test");
}

#[test]
fn base_url_keeps_the_server_path_prefix() {
    let build = |url: &str| {
        ClientBuilder::<TwilioClient>::new()
            .basic_auth("u", "p")
            .base_url(url)
            .region("au1")
            .build()
            .map(|c| c.0.server_url(0).unwrap().to_owned())
    };
    // The base URL beats the region.
    assert_eq!(
        build("http://127.0.0.1:8080/").unwrap(),
        "http://127.0.0.1:8080/v1"
    );
    assert_eq!(
        build("http://proxy.local/twilio").unwrap(),
        "http://proxy.local/twilio/v1"
    );
    for bad in [
        "not a url",
        "ftp://x/",
        "http://h/?q=1",
        "http://h/#f",
        "http://u:p@h/",
        "http://user:hunter2@h:notaport/",
    ] {
        let err = build(bad).unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{bad}: {err:?}");
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains(":p@") && !shown.contains("hunter2"),
            "{shown}"
        );
    }
}

#[test]
fn server_url_replaces_the_whole_server_and_the_last_override_wins() {
    let build = |b: ClientBuilder<TwilioClient>| {
        b.basic_auth("u", "p")
            .region("au1")
            .build()
            .map(|c| c.0.server_url(0).unwrap().to_owned())
    };
    let new = ClientBuilder::<TwilioClient>::new;
    // The spec server's `/v1` is dropped: a mock serving paths at its root.
    assert_eq!(
        build(new().server_url("http://127.0.0.1:4010/")).unwrap(),
        "http://127.0.0.1:4010"
    );
    assert_eq!(
        build(new().server_url("http://mock.local/flex")).unwrap(),
        "http://mock.local/flex"
    );
    assert_eq!(
        build(
            new()
                .server_url("http://a.local")
                .base_url("http://b.local")
        )
        .unwrap(),
        "http://b.local/v1"
    );
    assert_eq!(
        build(
            new()
                .base_url("http://b.local")
                .server_url("http://a.local")
        )
        .unwrap(),
        "http://a.local"
    );
    for bad in ["not a url", "ftp://x/", "http://h/?q=1", "http://u:p@h/"] {
        let err = build(new().server_url(bad)).unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{bad}: {err:?}");
        assert!(!format!("{err:?}").contains(":p@"), "{err:?}");
    }
}

#[tokio::test]
async fn server_url_sends_the_spec_path_at_the_mock_root() {
    let server = server_with(json_ok("{}")).await;
    let client = ClientBuilder::<TwilioClient>::new()
        .basic_auth(USER, PASSWORD)
        .server_url(server.uri())
        .build()
        .unwrap()
        .0;
    client.execute(Request::new(&LIST)).await.unwrap();
    assert_eq!(received(&server).await[0].url.path(), "/Things");
}

#[test]
fn region_and_edge_rewrite_twilio_hosts() {
    let build = |region: Option<&str>, edge: Option<&str>| {
        let mut b = ClientBuilder::<TwilioClient>::new().bearer_auth("t");
        if let Some(r) = region {
            b = b.region(r);
        }
        if let Some(e) = edge {
            b = b.edge(e);
        }
        b.build().unwrap().0.server_url(0).unwrap().to_owned()
    };
    assert_eq!(build(None, None), "https://flex-api.twilio.com/v1");
    assert_eq!(
        build(Some("au1"), Some("sydney")),
        "https://flex-api.sydney.au1.twilio.com/v1"
    );
    assert_eq!(
        build(None, Some("dublin")),
        "https://flex-api.dublin.us1.twilio.com/v1"
    );
    assert_eq!(
        build(Some("ie1"), None),
        "https://flex-api.ie1.twilio.com/v1"
    );
}

#[test]
fn region_or_edge_for_an_api_without_regional_hosts_is_a_config_error() {
    for builder in [
        ClientBuilder::<FrontClient>::new().region("ie1"),
        ClientBuilder::<FrontClient>::new().edge("dublin"),
    ] {
        let err = builder.bearer_auth("t").build().unwrap_err();
        match err {
            Error::Config(message) => {
                assert!(message.contains("no regional hosts"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }
}

// ---------------------------------------------------------------- successful responses

#[tokio::test]
async fn metadata_reads_status_vendor_request_id_and_rate_limits() {
    let server = server_with(
        ResponseTemplate::new(201)
            .insert_header("Twilio-Request-Id", "RQ0123")
            .insert_header("X-Request-Id", "generic")
            .insert_header("X-RateLimit-Limit", "100")
            .insert_header("X-RateLimit-Remaining", "99")
            .insert_header("X-RateLimit-Reset", "1700000060")
            .set_body_raw(r#"{"sid":"TH1"}"#, "application/json"),
    )
    .await;
    let response = client(&server)
        .execute(Request::new(&CREATE))
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.request_id(), Some("RQ0123"));
    assert_eq!(response.body()["sid"], "TH1");
    let metadata = response.metadata();
    assert_eq!(metadata.operation(), "CreateThing");
    assert_eq!(metadata.request_id(), Some("RQ0123"));
    assert_eq!(metadata.headers()["x-request-id"], "generic");
    let limit = metadata.rate_limit().unwrap();
    assert_eq!(limit.limit, Some(100));
    assert_eq!(limit.remaining, Some(99));
    assert_eq!(limit.reset, Some(1_700_000_060));
    let (body, metadata) = response.into_parts();
    assert_eq!(body["sid"], "TH1");
    assert_eq!(metadata.status().as_u16(), 201);
}

#[tokio::test]
async fn request_id_falls_back_to_x_request_id_and_rate_limit_to_ratelimit_headers() {
    let server = server_with(
        json_ok("{}")
            .insert_header("x-request-id", "req-42")
            .insert_header("RateLimit-Remaining", "3"),
    )
    .await;
    let front = ClientBuilder::<FrontClient>::new()
        .bearer_auth("t")
        .base_url(server.uri())
        .build()
        .unwrap()
        .0;
    let raw = front.execute(Request::new(&LIST)).await.unwrap();
    assert_eq!(raw.metadata().request_id(), Some("req-42"));
    let limit = raw.metadata().rate_limit().unwrap();
    assert_eq!(
        (limit.limit, limit.remaining, limit.reset),
        (None, Some(3), None)
    );

    let server = server_with(json_ok("{}")).await;
    let raw = client(&server).execute(Request::new(&LIST)).await.unwrap();
    assert_eq!(raw.metadata().request_id(), None);
    assert_eq!(raw.metadata().rate_limit(), None);
}

#[tokio::test]
async fn untyped_bodies_keep_bytes_and_content_type() {
    let server = server_with(
        ResponseTemplate::new(200).set_body_raw(r#"{"a":[1,2]}"#, "application/vnd.api+json"),
    )
    .await;
    let raw = client(&server).execute(Request::new(&LIST)).await.unwrap();
    assert_eq!(raw.bytes().as_ref(), br#"{"a":[1,2]}"#);
    let response = raw.untyped();
    let body = response.body();
    assert_eq!(body.content_type(), Some("application/vnd.api+json"));
    assert_eq!(body.bytes().as_ref(), br#"{"a":[1,2]}"#);
    assert_eq!(body.text(), r#"{"a":[1,2]}"#);
    assert!(!body.is_empty());
    let value: serde_json::Value = body.json().unwrap();
    assert_eq!(value["a"][1], 2);
    // Debug shows the size, not the (possibly personal) content.
    let shown = format!("{body:?}");
    assert!(
        shown.contains("len: 11") && !shown.contains("[1,2]"),
        "{shown}"
    );

    let server = server_with(ResponseTemplate::new(200).set_body_string("plain words")).await;
    let body = client(&server)
        .execute(Request::new(&LIST))
        .await
        .unwrap()
        .untyped()
        .into_body();
    assert_eq!(body.text(), "plain words");
    match body.json::<serde_json::Value>().unwrap_err() {
        Error::Decode {
            operation, status, ..
        } => assert_eq!((operation, status), ("ListThings", 200)),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn empty_responses_keep_their_metadata() {
    let server =
        server_with(ResponseTemplate::new(204).insert_header("Twilio-Request-Id", "RQ9")).await;
    let raw = client(&server)
        .execute(Request::new(&CREATE))
        .await
        .unwrap();
    assert!(raw.bytes().is_empty());
    let response = raw.clone().empty();
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(response.request_id(), Some("RQ9"));
    assert!(raw.untyped().body().is_empty());
}

#[derive(Debug, Deserialize)]
struct Listing {
    items: Vec<Item>,
}

#[derive(Debug, Deserialize)]
struct Item {
    id: u64,
}

#[tokio::test]
async fn a_2xx_the_spec_does_not_declare_is_fine_if_it_decodes() {
    let server =
        server_with(ResponseTemplate::new(202).set_body_string(r#"{"items":[{"id":4}]}"#)).await;
    let listing = client(&server)
        .execute(Request::new(&LIST))
        .await
        .unwrap()
        .json::<Listing>()
        .unwrap();
    assert_eq!(listing.status().as_u16(), 202);
    assert_eq!(listing.body().items[0].id, 4);
}

#[tokio::test]
async fn decode_error_carries_status_path_and_excerpt() {
    let body = format!(
        r#"{{"items":[{{"id":1}},{{"id":"two"}}],"pad":"{}"}}"#,
        "x".repeat(2000)
    );
    let server = server_with(ResponseTemplate::new(200).set_body_string(body)).await;
    let err = client(&server)
        .execute(Request::new(&LIST))
        .await
        .unwrap()
        .json::<Listing>()
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(err.operation(), Some("ListThings"));
    // What `unwrap()` and loggers print: the body may carry personal data or secrets.
    assert!(!format!("{err:?}").contains("\"pad\""), "{err:?}");
    assert_eq!(
        err.to_string(),
        "ListThings: could not decode HTTP 200 response at `items[1].id`"
    );
    match err {
        Error::Decode {
            operation,
            status,
            path,
            excerpt,
            ..
        } => {
            assert_eq!(operation, "ListThings");
            assert_eq!(status, 200);
            assert_eq!(path, "items[1].id");
            let text = excerpt.expose();
            assert!(text.starts_with(r#"{"items":[{"id":1}"#), "{text}");
            assert_eq!(text.chars().count(), 512);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn trailing_data_is_a_decode_error_at_the_root() {
    let server = server_with(ResponseTemplate::new(200).set_body_string(r#"{"items":[]} x"#)).await;
    let err = client(&server)
        .execute(Request::new(&LIST))
        .await
        .unwrap()
        .json::<Listing>()
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { path, .. } if path == "."),
        "{err:?}"
    );
}

// ---------------------------------------------------------------- error responses

#[tokio::test]
async fn twilio_error_body_is_parsed() {
    let server = server_with(ResponseTemplate::new(404).set_body_string(
        r#"{"code":20404,"message":"not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}"#,
    ))
    .await;
    let err = client(&server)
        .execute(Request::new(&LIST))
        .await
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(api.operation(), "ListThings");
    let d = api.details().unwrap();
    assert_eq!(d.code, Some(20404));
    assert_eq!(d.message.as_deref(), Some("not found"));
    assert_eq!(
        d.more_info.as_deref(),
        Some("https://www.twilio.com/docs/errors/20404")
    );
    assert_eq!(d.status, Some(404));
    assert_eq!(
        err.to_string(),
        "ListThings: HTTP 404 Not Found: not found (code 20404, https://www.twilio.com/docs/errors/20404)"
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn problem_details_body_is_parsed() {
    let server = server_with(ResponseTemplate::new(400).set_body_string(
        r#"{"type":"https://www.twilio.com/docs/errors/20001","title":"Bad","detail":"Missing To","instance":"/x","status":400,"code":20001}"#,
    ))
    .await;
    let err = client(&server)
        .execute(Request::new(&LIST))
        .await
        .unwrap_err();
    let d = err.api_error().unwrap().details().unwrap().clone();
    assert_eq!(
        d.type_.as_deref(),
        Some("https://www.twilio.com/docs/errors/20001")
    );
    assert_eq!(d.title.as_deref(), Some("Bad"));
    assert_eq!(d.detail.as_deref(), Some("Missing To"));
    assert_eq!(d.instance.as_deref(), Some("/x"));
    assert_eq!(
        err.to_string(),
        "ListThings: HTTP 400 Bad Request: Missing To (code 20001)"
    );
    // Display and `message()` agree: the specific `detail` before the summary `title`.
    assert_eq!(err.message(), Some("Missing To"));
    assert_eq!(err.code(), Some(20001));
}

#[tokio::test]
async fn front_error_envelope_is_parsed() {
    let server = server_with(ResponseTemplate::new(409).set_body_string(
        r#"{"_error":{"status":409,"title":"Conflict","message":"Already archived"}}"#,
    ))
    .await;
    let err = client(&server)
        .execute(Request::new(&CREATE))
        .await
        .unwrap_err();
    assert_eq!(err.message(), Some("Already archived"));
    assert_eq!(
        err.api_error().unwrap().details().unwrap().status,
        Some(409)
    );
    assert_eq!(
        err.to_string(),
        "CreateThing: HTTP 409 Conflict: Already archived"
    );
}

#[tokio::test]
async fn non_json_error_body_is_kept_raw() {
    let server =
        server_with(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>")).await;
    let err = client(&server)
        .execute(Request::new(&LIST))
        .await
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.status().as_u16(), 502);
    assert_eq!(api.bytes().as_ref(), b"<html>bad gateway</html>");
    assert_eq!(api.text(), "<html>bad gateway</html>");
    assert!(api.details().is_none());
    assert!(api.json::<serde_json::Value>().is_err());
    assert_eq!(err.code(), None);
    assert_eq!(err.message(), None);
    assert_eq!(err.to_string(), "ListThings: HTTP 502 Bad Gateway");
    // The body may be personal data: Debug shows its size only.
    assert!(!format!("{err:?}").contains("bad gateway"), "{err:?}");
}

#[tokio::test]
async fn error_helpers_answer_from_a_real_response() {
    let server = server_with(
        ResponseTemplate::new(429)
            .insert_header("Twilio-Request-Id", "RQthrottled")
            .insert_header("Retry-After", "12")
            .insert_header("X-Custom", "kept")
            .set_body_string(r#"{"code":20429,"message":"Too Many Requests"}"#),
    )
    .await;
    let no_retries = no_retries(&server);
    let err = no_retries.execute(Request::new(&LIST)).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.code(), Some(20429));
    assert_eq!(err.message(), Some("Too Many Requests"));
    assert_eq!(err.request_id(), Some("RQthrottled"));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(12)));
    assert_eq!(err.operation(), Some("ListThings"));
    assert!(err.is_throttled() && err.is_retryable());
    assert!(!err.is_not_found() && !err.is_timeout());
    assert_eq!(err.api_error().unwrap().headers()["x-custom"], "kept");

    let server = server_with(
        ResponseTemplate::new(404)
            .insert_header("x-request-id", "generic-id")
            .set_body_string(r#"{"code":20404,"message":"The requested resource was not found"}"#),
    )
    .await;
    let err = client(&server)
        .execute(Request::new(&LIST))
        .await
        .unwrap_err();
    assert!(err.is_not_found() && !err.is_throttled() && !err.is_retryable());
    assert_eq!(err.request_id(), Some("generic-id"));
    assert_eq!(err.retry_after(), None);
    assert_eq!(err.code(), Some(20404));
}

#[tokio::test]
async fn retry_after_dates_are_read_against_the_client_clock() {
    // The client's clock stands at 2023-11-14T22:13:20Z.
    let server = server_with(
        ResponseTemplate::new(503).insert_header("Retry-After", "Tue, 14 Nov 2023 22:15:00 GMT"),
    )
    .await;
    let client = no_retries(&server);
    let err = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(100)));
}

// ---------------------------------------------------------------- typed error bodies

#[derive(Debug, Deserialize, PartialEq)]
struct ClientProblem {
    code: i64,
    message: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct NotFoundProblem {
    missing: String,
}

static TYPED: Operation = Operation {
    id: "FetchTyped",
    method: Method::GET,
    path: "/Typed",
    server: 0,
    errors: &[
        ErrorSchema {
            status: "4XX",
            decode: decode_error_body::<ClientProblem>,
            pii: &[],
        },
        ErrorSchema {
            status: "410",
            decode: decode_error_body::<NotFoundProblem>,
            pii: &["message"],
        },
    ],
};

async fn typed_error(status: u16, body: &str) -> Error {
    let server = server_with(ResponseTemplate::new(status).set_body_string(body)).await;
    let client = no_retries(&server);
    client.execute(Request::new(&TYPED)).await.unwrap_err()
}

#[tokio::test]
async fn error_bodies_are_decoded_with_the_schema_of_their_status_range() {
    let err = typed_error(404, r#"{"code":20404,"message":"gone"}"#).await;
    let api = err.api_error().unwrap();
    assert_eq!(
        api.typed::<ClientProblem>(),
        Some(&ClientProblem {
            code: 20404,
            message: "gone".into()
        })
    );
    assert_eq!(api.typed::<NotFoundProblem>(), None);
    // The lenient vendor parse still works alongside.
    assert_eq!(err.code(), Some(20404));
}

#[tokio::test]
async fn an_exact_status_beats_a_range() {
    let err = typed_error(410, r#"{"missing":"TH1","code":1,"message":"m"}"#).await;
    let api = err.api_error().unwrap();
    assert_eq!(
        api.typed::<NotFoundProblem>(),
        Some(&NotFoundProblem {
            missing: "TH1".into()
        })
    );
    assert_eq!(api.typed::<ClientProblem>(), None);
}

#[tokio::test]
async fn a_field_the_spec_marks_as_personal_data_never_reaches_display_or_debug() {
    let body = r#"{"missing":"TH1","code":7,"message":"alice@example.com not found"}"#;
    let err = typed_error(410, body).await;
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("alice@example.com"), "{shown}");
    assert!(shown.contains("code 7"), "{shown}");
    assert_eq!(err.message(), Some("alice@example.com not found"));
    // The 4XX schema marks nothing: its message is shown.
    let err = typed_error(404, r#"{"code":20404,"message":"gone"}"#).await;
    assert!(err.to_string().contains("gone"), "{err}");
}

#[tokio::test]
async fn statuses_without_a_schema_or_bodies_that_do_not_match_are_untyped() {
    let err = typed_error(500, r#"{"code":1,"message":"boom"}"#).await;
    assert_eq!(err.api_error().unwrap().typed::<ClientProblem>(), None);
    let err = typed_error(400, r#"{"unexpected":true}"#).await;
    assert_eq!(err.api_error().unwrap().typed::<ClientProblem>(), None);
    assert_eq!(
        err.api_error()
            .unwrap()
            .json::<serde_json::Value>()
            .unwrap()["unexpected"],
        true
    );
}

// ---------------------------------------------------------------- timeouts and connections

#[tokio::test]
async fn timeout_gives_timeout_error() {
    let server = server_with(json_ok("{}").set_delay(Duration::from_secs(2))).await;
    let client = builder(&server)
        .timeout(Duration::from_millis(150))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
        .0;
    let started = Instant::now();
    let err = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                operation: "ListThings"
            }
        ),
        "{err:?}"
    );
    assert!(err.is_timeout() && err.is_retryable());
    assert_eq!(err.status(), None);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn timeout_applies_to_a_custom_http_client() {
    let server = server_with(json_ok("{}").set_delay(Duration::from_secs(2))).await;
    let client = builder(&server)
        .http_client(
            sdk_runtime::transport::reqwest_builder()
                .unwrap()
                .build()
                .unwrap(),
        )
        .timeout(Duration::from_millis(150))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
        .0;
    let started = Instant::now();
    let err = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn connection_failure_is_a_retryable_transport_error() {
    let client = ClientBuilder::<TwilioClient>::new()
        .basic_auth("u", "p")
        .base_url(format!("http://127.0.0.1:{}", closed_port()))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
        .0;
    let err = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                operation: "ListThings",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(err.to_string(), "ListThings: transport error");
}

//! Wire behaviour of requests against a local mock server.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use sdk_runtime::{
    ApiInfo, AuthKind, Client, ClientBuilder, Credentials, EnvCredentials, Error, FilePart,
    Multipart, Operation, RetryPolicy, Secret,
};
use serde::{Deserialize, Serialize};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

static API: ApiInfo = ApiInfo {
    crate_name: "twilio_test",
    crate_version: "1.2.3",
    servers: &["https://flex-api.twilio.com/v1"],
    auth: AuthKind::Basic,
    env: EnvCredentials {
        basic: &[
            ("SDKRT_T_KEY", "SDKRT_T_SECRET"),
            ("SDKRT_T_SID", "SDKRT_T_TOKEN"),
        ],
        bearer: &[],
    },
    twilio_hosts: None,
};

static BEARER_API: ApiInfo = ApiInfo {
    crate_name: "front_test",
    crate_version: "0.1.0",
    servers: &["https://api2.frontapp.com"],
    auth: AuthKind::Bearer,
    env: EnvCredentials {
        basic: &[],
        bearer: &[],
    },
    twilio_hosts: None,
};

static GET_USER: Operation = Operation {
    id: "FetchUser",
    method: sdk_runtime::reqwest::Method::GET,
    path: "/Users/{Sid}",
    server: 0,
};

static LIST: Operation = Operation {
    id: "ListThings",
    method: sdk_runtime::reqwest::Method::GET,
    path: "/Things",
    server: 0,
};

static CREATE: Operation = Operation {
    id: "CreateThing",
    method: sdk_runtime::reqwest::Method::POST,
    path: "/Things",
    server: 0,
};

const PASSWORD: &str = "s3cr3t-auth-token";

async fn server_with(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

fn builder(server: &MockServer) -> ClientBuilder {
    ClientBuilder::new(&API)
        .credentials(Credentials::basic("ACuser", PASSWORD))
        .base_url(server.uri())
        .retry_policy(RetryPolicy::standard().initial_backoff(Duration::from_millis(10)))
}

fn client(server: &MockServer) -> Client {
    builder(server).build().unwrap()
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn header<'a>(req: &'a Request, name: &str) -> &'a str {
    req.headers.get(name).unwrap().to_str().unwrap()
}

// ---------------------------------------------------------------- auth

#[tokio::test]
async fn basic_auth_header_and_defaults() {
    let server = server_with(ResponseTemplate::new(200).set_body_string("{}")).await;
    client(&server).request(&LIST).send_empty().await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 1);
    // base64("ACuser:s3cr3t-auth-token")
    assert_eq!(
        header(&reqs[0], "authorization"),
        "Basic QUN1c2VyOnMzY3IzdC1hdXRoLXRva2Vu"
    );
    assert_eq!(header(&reqs[0], "accept"), "application/json");
    assert_eq!(header(&reqs[0], "user-agent"), "twilio_test/1.2.3");
}

#[tokio::test]
async fn bearer_auth_header() {
    let server = server_with(ResponseTemplate::new(204)).await;
    let client = ClientBuilder::<Client>::new(&BEARER_API)
        .credentials(Credentials::bearer("tok-123"))
        .base_url(server.uri())
        .user_agent("custom/9")
        .build()
        .unwrap();
    client.request(&LIST).send_empty().await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(header(&reqs[0], "authorization"), "Bearer tok-123");
    assert_eq!(header(&reqs[0], "user-agent"), "custom/9");
    assert_eq!(reqs[0].url.path(), "/Things");
}

#[tokio::test]
async fn secrets_never_in_debug_or_display() {
    let server = server_with(
        ResponseTemplate::new(401).set_body_string(r#"{"code":20003,"message":"Authenticate"}"#),
    )
    .await;
    let client = client(&server);
    assert!(!format!("{client:?}").contains(PASSWORD));
    assert!(format!("{client:?}").contains("<redacted>"));
    let creds = Credentials::basic("ACuser", PASSWORD);
    assert!(!format!("{creds:?}").contains(PASSWORD));
    assert!(!format!("{:?}", Credentials::bearer(PASSWORD)).contains(PASSWORD));
    let secret = Secret::new(PASSWORD);
    assert_eq!(format!("{secret:?}"), "<redacted>");
    assert_eq!(secret.to_string(), "<redacted>");
    assert_eq!(secret.expose(), PASSWORD);

    let err = client.request(&LIST).send_empty().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(
        !shown.contains("QUN1c2VyOnMzY3IzdC1hdXRoLXRva2Vu"),
        "{shown}"
    );
}

#[tokio::test]
async fn missing_credentials_is_config_error() {
    let err = ClientBuilder::<Client>::new(&API).build().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

// ---------------------------------------------------------------- config

#[test]
fn base_url_keeps_server_path_prefix() {
    let client = ClientBuilder::<Client>::new(&API)
        .credentials(Credentials::basic("u", "p"))
        .base_url("http://127.0.0.1:8080/")
        .region("au1")
        .build()
        .unwrap();
    assert_eq!(client.server_url(0), "http://127.0.0.1:8080/v1");
    let client = ClientBuilder::<Client>::new(&API)
        .credentials(Credentials::basic("u", "p"))
        .base_url("http://proxy.local/twilio")
        .build()
        .unwrap();
    assert_eq!(client.server_url(0), "http://proxy.local/twilio/v1");
    for bad in ["not a url", "ftp://x/", "http://h/?q=1", "http://u:p@h/"] {
        let err = ClientBuilder::<Client>::new(&API)
            .credentials(Credentials::basic("u", "p"))
            .base_url(bad)
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{bad}: {err:?}");
    }
}

#[test]
fn server_url_replaces_the_whole_server_and_the_last_override_wins() {
    let build = |b: ClientBuilder<Client>| {
        b.credentials(Credentials::basic("u", "p"))
            .region("au1")
            .build()
            .map(|c| c.server_url(0))
    };
    let new = || ClientBuilder::<Client>::new(&API);
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
    }
}

#[test]
fn region_and_edge_rewrite_twilio_hosts() {
    let build = |region: Option<&str>, edge: Option<&str>, api: &'static ApiInfo| {
        let mut b = ClientBuilder::<Client>::new(api).credentials(Credentials::bearer("t"));
        if let Some(r) = region {
            b = b.region(r);
        }
        if let Some(e) = edge {
            b = b.edge(e);
        }
        b.build().unwrap().server_url(0)
    };
    assert_eq!(build(None, None, &API), "https://flex-api.twilio.com/v1");
    assert_eq!(
        build(Some("au1"), Some("sydney"), &API),
        "https://flex-api.sydney.au1.twilio.com/v1"
    );
    assert_eq!(
        build(None, Some("dublin"), &API),
        "https://flex-api.dublin.us1.twilio.com/v1"
    );
    assert_eq!(
        build(Some("ie1"), None, &API),
        "https://flex-api.ie1.twilio.com/v1"
    );
    assert_eq!(
        build(Some("ie1"), Some("dublin"), &BEARER_API),
        "https://api2.frontapp.com"
    );
}

// ---------------------------------------------------------------- encoding

#[tokio::test]
async fn path_param_is_one_encoded_segment() {
    let server = server_with(ResponseTemplate::new(200).set_body_string("{}")).await;
    let mut req = client(&server).request(&GET_USER);
    req.path_param("Sid", "a/b?c#d%e");
    req.send_empty().await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(reqs[0].url.path(), "/v1/Users/a%2Fb%3Fc%23d%25e");
    assert_eq!(reqs[0].url.query(), None);
}

#[tokio::test]
async fn dot_segments_and_empty_are_rejected_before_sending() {
    let server = server_with(ResponseTemplate::new(200)).await;
    let client = client(&server);
    for bad in ["..", ".", ""] {
        let mut req = client.request(&GET_USER);
        req.path_param("Sid", bad);
        let err = req.send_empty().await.unwrap_err();
        match &err {
            Error::InvalidInput { operation, message } => {
                assert_eq!(*operation, "FetchUser");
                assert!(message.contains("Sid"), "{message}");
            }
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    let mut req = client.request(&GET_USER);
    req.path_param("Nope", "x");
    assert!(matches!(
        req.send_empty().await,
        Err(Error::InvalidInput { .. })
    ));
    // A path parameter that was never set.
    let err = client.request(&GET_USER).send_empty().await.unwrap_err();
    assert!(err.to_string().contains("`Sid` was not set"), "{err}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn header_injection_is_rejected() {
    let server = server_with(ResponseTemplate::new(200)).await;
    let mut req = client(&server).request(&LIST);
    req.header("X-Custom", "x\r\nEvil: 1");
    let err = req.send_empty().await.unwrap_err();
    match err {
        Error::InvalidInput { message, .. } => assert!(message.contains("X-Custom"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert!(received(&server).await.is_empty());
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum Color {
    Red,
}

#[tokio::test]
async fn query_and_header_encoding() {
    let server = server_with(ResponseTemplate::new(200)).await;
    let mut req = client(&server).request(&LIST);
    req.query("Tag", &["a b", "c&d"]);
    req.query("Flag", &true);
    req.query("Off", &false);
    req.query("Missing", &None::<String>);
    req.query("Page", &2u32);
    req.query("Color", &Color::Red);
    req.query("Since", &Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap());
    req.header("X-Ids", &[1, 2]);
    req.header("X-None", &None::<u8>);
    req.send_empty().await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(
        reqs[0].url.query().unwrap(),
        "Tag=a+b&Tag=c%26d&Flag=true&Off=false&Page=2&Color=red&Since=2024-01-02T03%3A04%3A05Z"
    );
    assert_eq!(header(&reqs[0], "x-ids"), "1,2");
    assert!(reqs[0].headers.get("x-none").is_none());
}

#[tokio::test]
async fn nested_query_object_is_invalid_input() {
    let server = server_with(ResponseTemplate::new(200)).await;
    let mut req = client(&server).request(&LIST);
    req.query("Obj", &serde_json::json!({"a": 1}));
    assert!(matches!(
        req.send_empty().await,
        Err(Error::InvalidInput { .. })
    ));
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
async fn form_body_encoding() {
    let server = server_with(ResponseTemplate::new(201).set_body_string("{}")).await;
    let mut req = client(&server).request(&CREATE);
    req.form_body(&CreateParams {
        to: vec!["+15551234567".into(), "a b".into()],
        enabled: true,
        label: None,
        note: None,
        flow_sid: "FW123".into(),
        start: Utc.with_ymd_and_hms(2024, 5, 6, 7, 8, 9).unwrap(),
    });
    req.send_empty().await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(reqs[0].method.as_str(), "POST");
    assert_eq!(
        header(&reqs[0], "content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        String::from_utf8(reqs[0].body.clone()).unwrap(),
        "To=%2B15551234567&To=a+b&Enabled=true&Integration.FlowSid=FW123&StartDate=2024-05-06T07%3A08%3A09Z"
    );
}

#[tokio::test]
async fn json_body_encoding() {
    let server = server_with(ResponseTemplate::new(200).set_body_string("{}")).await;
    let mut req = client(&server).request(&CREATE);
    req.json_body(&serde_json::json!({"subject": "hi"}));
    req.send_empty().await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(header(&reqs[0], "content-type"), "application/json");
    assert_eq!(reqs[0].body, br#"{"subject":"hi"}"#);
}

#[tokio::test]
async fn multipart_body_has_file_and_text_parts() {
    let server = server_with(ResponseTemplate::new(200).set_body_string("{}")).await;
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
    let mut req = client(&server).request(&CREATE);
    req.multipart_body(form);
    req.send_empty().await.unwrap();
    let reqs = received(&server).await;
    let ct = header(&reqs[0], "content-type");
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    let body = String::from_utf8_lossy(&reqs[0].body);
    assert_eq!(body.matches("filename=").count(), 1, "{body}");
    assert!(
        body.contains("Content-Disposition: form-data; name=\"attachments\"; filename=\"pic.png\"\r\nContent-Type: image/png\r\n\r\n\u{FFFD}PNG-bytes"),
        "{body}"
    );
    assert!(body.contains("name=\"subject\"\r\n\r\nhello\r\n"), "{body}");
    assert_eq!(body.matches("name=\"tags\"").count(), 2, "{body}");
    assert!(!body.contains("name=\"none\""), "{body}");
}

// ---------------------------------------------------------------- errors

#[tokio::test]
async fn twilio_error_body_is_parsed() {
    let server = server_with(ResponseTemplate::new(404).set_body_string(
        r#"{"code":20404,"message":"not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}"#,
    ))
    .await;
    let err = client(&server)
        .request(&LIST)
        .send_empty()
        .await
        .unwrap_err();
    let api = err.api_error().unwrap();
    let d = api.details.as_ref().unwrap();
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
        .request(&LIST)
        .send_empty()
        .await
        .unwrap_err();
    let d = err.api_error().unwrap().details.clone().unwrap();
    assert_eq!(
        d.type_.as_deref(),
        Some("https://www.twilio.com/docs/errors/20001")
    );
    assert_eq!(d.title.as_deref(), Some("Bad"));
    assert_eq!(d.detail.as_deref(), Some("Missing To"));
    assert_eq!(d.instance.as_deref(), Some("/x"));
    assert_eq!(
        err.to_string(),
        "ListThings: HTTP 400 Bad Request: Bad (code 20001)"
    );
}

#[tokio::test]
async fn non_json_error_body_is_kept_raw() {
    let server =
        server_with(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>")).await;
    let err = client(&server)
        .request(&LIST)
        .send_empty()
        .await
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.status.as_u16(), 502);
    assert_eq!(&api.body[..], b"<html>bad gateway</html>");
    assert!(api.details.is_none());
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Listing {
    items: Vec<Item>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Item {
    id: u64,
}

#[tokio::test]
async fn decode_error_carries_status_path_and_excerpt() {
    let body = format!(
        r#"{{"items":[{{"id":1}},{{"id":"two"}}],"pad":"{}"}}"#,
        "x".repeat(2000)
    );
    let server = server_with(ResponseTemplate::new(200).set_body_string(body)).await;
    let err = client(&server)
        .request(&LIST)
        .send_json::<Listing>()
        .await
        .unwrap_err();
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
            assert!(excerpt.starts_with(r#"{"items":[{"id":1}"#), "{excerpt}");
            assert_eq!(excerpt.chars().count(), 512);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn undeclared_2xx_is_fine_if_it_decodes() {
    let server = server_with(ResponseTemplate::new(202).set_body_string(r#"{"items":[]}"#)).await;
    let listing: Listing = client(&server).request(&LIST).send_json().await.unwrap();
    assert!(listing.items.is_empty());
}

// ---------------------------------------------------------------- retries

async fn statuses_then_ok(statuses: &[u16]) -> MockServer {
    let server = MockServer::start().await;
    for (i, status) in statuses.iter().enumerate() {
        Mock::given(any())
            .respond_with(ResponseTemplate::new(*status))
            .up_to_n_times(1)
            .with_priority(u8::try_from(i + 1).unwrap())
            .mount(&server)
            .await;
    }
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .with_priority(100)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn get_is_retried_on_503() {
    let server = statuses_then_ok(&[503, 503]).await;
    client(&server).request(&LIST).send_empty().await.unwrap();
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn retries_stop_at_max_attempts() {
    let server = statuses_then_ok(&[503, 503, 503, 503]).await;
    let err = builder(&server)
        .retry_policy(
            RetryPolicy::standard()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap()
        .request(&LIST)
        .send_empty()
        .await
        .unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 503);
    assert!(err.is_retryable());
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn post_is_not_retried() {
    let server = statuses_then_ok(&[503]).await;
    let err = client(&server)
        .request(&CREATE)
        .send_empty()
        .await
        .unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 503);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn multipart_is_not_retried() {
    static UPLOAD: Operation = Operation {
        id: "Upload",
        method: sdk_runtime::reqwest::Method::PUT,
        path: "/Things",
        server: 0,
    };
    let server = statuses_then_ok(&[503]).await;
    let mut req = client(&server).request(&UPLOAD);
    req.multipart_body(Multipart::new());
    assert!(req.send_empty().await.is_err());
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn disabled_policy_makes_one_attempt() {
    let server = statuses_then_ok(&[503]).await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    assert!(client.request(&LIST).send_empty().await.is_err());
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .with_priority(2)
        .mount(&server)
        .await;
    let started = Instant::now();
    client(&server).request(&LIST).send_empty().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn retry_after_beyond_budget_returns_last_error() {
    let server = server_with(ResponseTemplate::new(429).insert_header("Retry-After", "30")).await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::standard().max_elapsed(Duration::from_secs(2)))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.request(&LIST).send_empty().await.unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 429);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn timeout_gives_timeout_error() {
    let server = server_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2))).await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.request(&LIST).send_empty().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                operation: "ListThings"
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn timeout_applies_to_custom_http_client() {
    let server = server_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2))).await;
    let client = builder(&server)
        .http_client(sdk_runtime::reqwest::Client::new())
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client.request(&LIST).send_empty().await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
}

#[tokio::test]
async fn connection_failure_is_transport_error() {
    // Bind then drop a listener so the port is very likely closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = ClientBuilder::<Client>::new(&API)
        .credentials(Credentials::basic("u", "p"))
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client.request(&LIST).send_empty().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_retryable());
}

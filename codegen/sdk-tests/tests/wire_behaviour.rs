//! Cross-cutting behaviour through generated operations: API errors, timeouts,
//! retries, and injection through path, query and header parameters.

mod common;

use std::time::{Duration, Instant};

use common::*;
use sdk_runtime::{Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const INSTANCE: &str = "GO0123456789abcdef0123456789abcdef";
const FLEX_USER: &str = "FU00112233445566778899aabbccddeeff";
const USER_SID: &str = "US0123456789abcdef0123456789abcdef";

fn frontline(server: &MockServer, retry: RetryPolicy) -> twilio_frontline_v1::Client {
    twilio_frontline_v1::Client::builder()
        .credentials(twilio_credentials())
        .base_url(server.uri())
        .retry_policy(retry)
        .build()
        .unwrap()
}

fn flex_v2(server: &MockServer) -> twilio_flex_v2::Client {
    twilio_flex_v2::Client::builder()
        .credentials(twilio_credentials())
        .base_url(server.uri())
        .build()
        .unwrap()
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::standard().initial_backoff(Duration::from_millis(10))
}

fn user_body() -> serde_json::Value {
    json!({"sid": USER_SID, "identity": "jane@example.com", "state": "active", "is_available": true})
}

// ---------------------------------------------------------------- API errors

#[tokio::test]
async fn twilio_error_body_surfaces_as_api_error() {
    let server = MockServer::start().await;
    let body = json!({
        "code": 20404,
        "message": format!("The requested resource /v2/Instances/{INSTANCE}/Users/{FLEX_USER} was not found"),
        "more_info": "https://www.twilio.com/docs/errors/20404",
        "status": 404
    });
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_json(body.clone()))
        .expect(1) // a 404 is not retried
        .mount(&server)
        .await;

    let err = flex_v2(&server)
        .fetch_flex_user(INSTANCE.parse().unwrap(), FLEX_USER.parse().unwrap())
        .send()
        .await
        .unwrap_err();

    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.operation, "FetchFlexUser");
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&api.body).unwrap(),
        body
    );
    let details = api.details.as_ref().expect("parsed Twilio error");
    assert_eq!(details.code, Some(20404));
    assert_eq!(details.message.as_deref(), body["message"].as_str());
    assert_eq!(
        details.more_info.as_deref(),
        Some("https://www.twilio.com/docs/errors/20404")
    );
    assert_eq!(details.status, Some(404));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(!err.is_retryable());
    let shown = err.to_string();
    assert!(
        shown.contains("20404") && shown.contains("FetchFlexUser"),
        "{shown}"
    );
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn declared_401_of_fetch_configuration_is_an_api_error() {
    let server = MockServer::start().await;
    mount_once(&server, "GET", "/v1/Configuration", ResponseTemplate::new(401).set_body_json(json!({
            "code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401
        }))).await;
    let client = twilio_flex_v1::Client::builder()
        .credentials(twilio_credentials())
        .base_url(server.uri())
        .build()
        .unwrap();
    let err = client.fetch_configuration().send().await.unwrap_err();
    let api = err.api_error().expect("Error::Api");
    assert_eq!(api.status.as_u16(), 401);
    assert_eq!(api.details.as_ref().unwrap().code, Some(20003));
}

#[tokio::test]
async fn wrong_response_shape_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"sid": USER_SID, "is_available": "yes"})),
        )
        .mount(&server)
        .await;
    let err = frontline(&server, RetryPolicy::disabled())
        .fetch_user(USER_SID)
        .send()
        .await
        .unwrap_err();
    match err {
        Error::Decode {
            operation,
            status,
            path,
            ..
        } => {
            assert_eq!(operation, "FetchUser");
            assert_eq!(status, 200);
            assert_eq!(path, "is_available");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

// ---------------------------------------------------------------- Timeouts and retries

#[tokio::test]
async fn slow_server_gives_timeout() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(user_body())
                .set_delay(Duration::from_secs(2)),
        )
        .mount(&server)
        .await;
    let client = twilio_frontline_v1::Client::builder()
        .credentials(twilio_credentials())
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .retry_policy(fast_retries())
        .build()
        .unwrap();

    let started = Instant::now();
    let err = client.fetch_user(USER_SID).send().await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(
            err,
            Error::Timeout {
                operation: "FetchUser"
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    // Each attempt is cut at 200 ms; none waits for the 2 s response.
    assert!(elapsed < Duration::from_millis(1900), "took {elapsed:?}");
}

#[tokio::test]
async fn get_is_retried_on_503_until_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_body()))
        .expect(1)
        .mount(&server)
        .await;

    let user = frontline(&server, fast_retries())
        .fetch_user(USER_SID)
        .send()
        .await
        .unwrap();
    assert_eq!(user.identity.as_deref(), Some("jane@example.com"));

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    for r in &requests {
        assert_target(r, "GET", &format!("/v1/Users/{USER_SID}"), None);
        assert_auth(r, TWILIO_AUTH);
    }
}

#[tokio::test]
async fn get_gives_up_after_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    let err = frontline(&server, fast_retries())
        .fetch_user(USER_SID)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(request_count(&server).await, 3);
}

#[tokio::test]
async fn post_is_not_retried_on_503() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;

    let err = frontline(&server, fast_retries())
        .update_user(USER_SID)
        .is_available(false)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.api_error().map(|e| e.status.as_u16()), Some(503));
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn retry_after_on_429_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_body()))
        .expect(1)
        .mount(&server)
        .await;

    let started = Instant::now();
    let user = frontline(&server, fast_retries())
        .fetch_user(USER_SID)
        .send()
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(user.sid.as_ref().unwrap().as_str(), USER_SID);
    assert_eq!(request_count(&server).await, 2);
    // The backoff alone would be at most 10 ms; Retry-After asks for 1 s.
    assert!(
        elapsed >= Duration::from_millis(950),
        "retried after only {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

// ---------------------------------------------------------------- Injection

#[tokio::test]
async fn path_parameter_is_one_encoded_segment() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(user_body()))
        .expect(1)
        .mount(&server)
        .await;

    frontline(&server, RetryPolicy::disabled())
        .fetch_user("a/b?c#d")
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "GET", "/v1/Users/a%2Fb%3Fc%23d", None);
    assert_eq!(req.url.fragment(), None);
}

#[tokio::test]
async fn dot_segments_are_rejected_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = frontline(&server, RetryPolicy::disabled());

    for bad in ["..", ".", ""] {
        let err = client.fetch_user(bad).send().await.unwrap_err();
        match &err {
            Error::InvalidInput { operation, message } => {
                assert_eq!(*operation, "FetchUser");
                assert!(
                    message.contains("Sid"),
                    "message should name the parameter: {message}"
                );
            }
            other => panic!("{bad:?}: expected Error::InvalidInput, got {other:?}"),
        }
    }
    // Same for a POST.
    let err = client
        .update_user("..")
        .state(twilio_frontline_v1::types::UserState::Active)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                operation: "UpdateUser",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(request_count(&server).await, 0, "nothing may be sent");
}

#[tokio::test]
async fn header_injection_is_rejected_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201))
        .expect(0)
        .mount(&server)
        .await;

    let err = flex_v2(&server)
        .create_web_channel("IGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .ui_version("x\r\nEvil: 1")
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::InvalidInput { operation, message } => {
            assert_eq!(*operation, "CreateWebChannel");
            assert!(message.contains("Ui-Version"), "{message}");
            assert!(
                !message.contains("Evil"),
                "the unsafe value must not be echoed: {message}"
            );
        }
        other => panic!("expected Error::InvalidInput, got {other:?}"),
    }
    assert_eq!(request_count(&server).await, 0, "nothing may be sent");
}

#[tokio::test]
async fn query_value_cannot_add_parameters() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = twilio_flex_v1::Client::builder()
        .credentials(twilio_credentials())
        .base_url(server.uri())
        .build()
        .unwrap();
    client
        .fetch_configuration()
        .ui_version("1.0&Evil=1#frag")
        .send()
        .await
        .unwrap();
    let req = only_request(&server).await;
    assert_target(
        &req,
        "GET",
        "/v1/Configuration",
        Some("UiVersion=1.0%26Evil%3D1%23frag"),
    );
    let pairs: Vec<(String, String)> = req
        .url
        .query_pairs()
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    assert_eq!(
        pairs,
        [("UiVersion".to_owned(), "1.0&Evil=1#frag".to_owned())]
    );
}

#[tokio::test]
async fn form_value_cannot_add_fields() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(user_body()))
        .expect(1)
        .mount(&server)
        .await;
    frontline(&server, RetryPolicy::disabled())
        .update_user(USER_SID)
        .friendly_name("Jane&State=deactivated")
        .send()
        .await
        .unwrap();
    let req = only_request(&server).await;
    assert_form_body(&req, "FriendlyName=Jane%26State%3Ddeactivated");
}

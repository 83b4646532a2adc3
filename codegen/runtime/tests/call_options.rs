//! Per-call settings (`CallOptions`) beat the client's for one call, and only that call.

mod common;
mod raw;

use std::time::{Duration, Instant};

use common::*;
use raw::{json, RawServer, Reply};
use sdk_runtime::reqwest::header::{HeaderName, HeaderValue};
use sdk_runtime::{CallOptions, ClientBuilder, Request, RetryPolicy};

#[tokio::test]
async fn a_call_s_timeout_beats_the_client_s() {
    let server = RawServer::start(|_, _| Reply::Silent).await;
    let client = ClientBuilder::<TwilioClient>::new()
        .basic_auth(USER, PASSWORD)
        .base_url(server.uri())
        .timeout(Duration::from_secs(30))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
        .0;
    let started = Instant::now();
    let options = CallOptions::new().timeout(Duration::from_millis(200));
    let err = client
        .execute_with(Request::new(&LIST), &options)
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn a_call_s_retry_policy_and_headers_apply_to_it_alone() {
    let server = RawServer::start(|_, _| json(503, "", "{}")).await;
    let client = twilio_client(&server.uri());
    let options = CallOptions::new()
        .retry_policy(RetryPolicy::disabled())
        .header(
            HeaderName::from_static("x-trace"),
            HeaderValue::from_static("t-1"),
        );
    client
        .execute_with(Request::new(&LIST), &options)
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 1, "no retries for this call");
    assert_eq!(server.requests()[0].header("x-trace"), Some("t-1"));
    client.execute(Request::new(&LIST)).await.unwrap_err();
    assert_eq!(
        server.request_count(),
        4,
        "the client's policy for the next one"
    );
    assert_eq!(server.requests()[1].header("x-trace"), None);
}

//! The mock transport (`test-util`): a client answered in-process, no socket and no sleep,
//! with retries, pagination, body limits, OAuth and redirects working against it as
//! against a server.
#![cfg(feature = "test-util")]

mod common;

use std::time::Duration;

use common::*;
use futures_util::StreamExt as _;
use sdk_runtime::auth::ClientCredentials;
use sdk_runtime::mock::{MockHttp, MockResponse};
use sdk_runtime::time::ManualTimer;
use sdk_runtime::transport::TransportErrorKind;
use sdk_runtime::{ClientBuilder, Error, Request};

fn client(mock: &MockHttp, timer: &ManualTimer) -> sdk_runtime::Client {
    ClientBuilder::<TwilioClient>::new()
        .basic_auth(USER, PASSWORD)
        .transport(mock.clone())
        .timer(timer.clone())
        .build()
        .unwrap()
        .0
}

fn fetch_user(sid: &str) -> Request {
    let mut request = Request::new(&FETCH_USER);
    request.path_param("Sid", sid);
    request
}

#[tokio::test]
async fn a_throttled_call_is_retried_against_the_mock_without_waiting() {
    let mock = MockHttp::new();
    mock.on(&FETCH_USER)
        .answer(MockResponse::status(429).header("retry-after", "2"))
        .answer(MockResponse::json(200, &serde_json::json!({"sid": "US1"})));
    let timer = ManualTimer::new(start_time());
    let user: serde_json::Value = client(&mock, &timer)
        .execute(fetch_user("US1"))
        .await
        .unwrap()
        .json()
        .unwrap()
        .into_body();
    assert_eq!(user["sid"], "US1");
    assert_eq!(
        timer.sleeps(),
        [Duration::from_secs(2)],
        "waited on the manual clock"
    );
    let calls = mock.calls(&FETCH_USER);
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].url.path(), "/v1/Users/US1");
    assert_eq!(calls[0].headers["authorization"], BASIC_HEADER);
}

#[tokio::test]
async fn pagination_follows_the_mock_s_links_and_catches_its_loops() {
    let mock = MockHttp::new();
    let page = |things: &[u32], next: Option<&str>| {
        MockResponse::json(200, &serde_json::json!({"things": things, "next": next}))
    };
    mock.on(&LIST)
        .answer(page(&[1, 2], Some("/v1/Things?Page=1")))
        .answer(page(&[3], Some("/v1/Things?Page=0&x=1")))
        .answer(page(&[4], Some("/v1/Things?x=1&Page=0")));
    let items: Vec<_> = client(&mock, &ManualTimer::new(start_time()))
        .pages::<ThingPage>(Request::new(&LIST), None)
        .items()
        .collect()
        .await;
    let ok: Vec<u32> = items
        .iter()
        .filter_map(|i| i.as_ref().ok().copied())
        .collect();
    assert_eq!(ok, [1, 2, 3, 4]);
    assert!(
        matches!(items.last(), Some(Err(Error::Pagination { .. }))),
        "{items:?}"
    );
    assert_eq!(
        mock.calls(&LIST).len(),
        3,
        "the fourth link repeats the third, reordered"
    );
}

#[tokio::test]
async fn transport_failures_and_unmatched_requests_are_typed_errors() {
    let mock = MockHttp::new();
    mock.on(&FETCH_USER)
        .answer(MockResponse::transport_error(TransportErrorKind::Io));
    let client = client(&mock, &ManualTimer::new(start_time()));
    let err = client.execute(fetch_user("US1")).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(mock.calls(&FETCH_USER).len(), 3, "a GET cut off is retried");
    // Nothing matches a POST: the mock refuses it as a connection that was never made.
    let err = client.execute(Request::new(&CREATE)).await.unwrap_err();
    assert!(err.to_string().contains("transport"), "{err}");
    assert_eq!(mock.requests().last().unwrap().operation, None);
}

#[tokio::test]
async fn oauth_tokens_come_from_the_mock_too() {
    let mock = MockHttp::new();
    mock.on_any()
        .when(|r| r.url.path() == "/v2/token")
        .answer(MockResponse::json(
            200,
            &serde_json::json!({"access_token": "tok", "token_type": "bearer", "expires_in": 3600}),
        ));
    mock.on(&LIST)
        .answer(MockResponse::json(200, &serde_json::json!({})));
    let client = ClientBuilder::<TwilioClient>::new()
        .auth(ClientCredentials::new(
            "https://oauth.example.com/v2/token",
            "id",
            "secret",
        ))
        .transport(mock.clone())
        .timer(ManualTimer::new(start_time()))
        .build()
        .unwrap()
        .0;
    client.execute(Request::new(&LIST)).await.unwrap();
    client.execute(Request::new(&LIST)).await.unwrap();
    let calls = mock.calls(&LIST);
    assert_eq!(calls.len(), 2);
    assert!(calls
        .iter()
        .all(|c| c.headers["authorization"] == "Bearer tok"));
    assert_eq!(mock.requests().len(), 3, "one token request for both calls");
}

#[tokio::test]
async fn body_limits_hold_against_the_mock() {
    let mock = MockHttp::new();
    mock.on(&LIST)
        .answer(MockResponse::status(200).body(vec![b' '; 2048]));
    let client = ClientBuilder::<TwilioClient>::new()
        .basic_auth(USER, PASSWORD)
        .transport(mock.clone())
        .max_body_size(1024)
        .build()
        .unwrap()
        .0;
    let err = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { limit: 1024, .. }),
        "{err:?}"
    );
}

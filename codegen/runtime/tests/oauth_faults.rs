//! The OAuth token source against token endpoints and APIs that misbehave (`raw/mod.rs`):
//! slow, failing, huge or lying answers, and tokens the API refuses. Each scenario asserts
//! the requests that reached each server and runs under a deadline.

mod common;
mod raw;

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use common::*;
use raw::{json, RawServer, Reply};
use sdk_runtime::auth::ClientCredentials;
use sdk_runtime::time::ManualTimer;
use sdk_runtime::{Client, ClientBuilder, Error, Request};

async fn bounded<T>(scenario: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), scenario)
        .await
        .expect("the scenario did not end within 10 s")
}

const SECRET: &str = "client-secret-xyz";

fn oauth_client(api: &RawServer, tokens: &RawServer, timer: &ManualTimer) -> Client {
    let provider = ClientCredentials::new(format!("{}/v2/token", tokens.uri()), "id", SECRET)
        .token_timeout(Duration::from_millis(500));
    ClientBuilder::<TwilioClient>::new()
        .auth(provider)
        .base_url(api.uri())
        .timer(timer.clone())
        .build()
        .unwrap()
        .0
}

fn token(access_token: &str, expires_in: serde_json::Value) -> Reply {
    let body = serde_json::json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": expires_in,
    });
    json(200, "", &body.to_string())
}

async fn call(client: &Client) -> Result<sdk_runtime::RawResponse, Error> {
    client.execute(Request::new(&LIST)).await
}

/// Twenty calls at once.
async fn crowd(client: &Client) -> Vec<Result<sdk_runtime::RawResponse, Error>> {
    let calls = (0..20).map(|_| {
        let client = client.clone();
        async move { call(&client).await }
    });
    futures_util::future::join_all(calls).await
}

#[tokio::test]
async fn a_crowd_shares_one_token_fetch() {
    bounded(async {
        let tokens = RawServer::start(|_, _| token("tok", 3600.into())).await;
        let api = RawServer::start(|_, _| json(200, "", "{}")).await;
        let client = oauth_client(&api, &tokens, &ManualTimer::new(start_time()));
        assert!(crowd(&client).await.iter().all(Result::is_ok));
        assert_eq!(tokens.request_count(), 1);
        assert_eq!(api.request_count(), 20);
    })
    .await;
}

#[tokio::test]
async fn a_silent_token_endpoint_fails_the_crowd_after_the_deadline_with_one_request() {
    bounded(async {
        let tokens = RawServer::start(|_, _| Reply::Silent).await;
        let api = RawServer::start(|_, _| json(200, "", "{}")).await;
        let client = oauth_client(&api, &tokens, &ManualTimer::new(start_time()));
        let results = crowd(&client).await;
        assert!(
            results.iter().all(|r| matches!(r, Err(Error::Auth { .. }))),
            "{results:?}"
        );
        assert_eq!(tokens.request_count(), 1);
        assert_eq!(api.request_count(), 0);
    })
    .await;
}

#[tokio::test]
async fn a_failing_token_endpoint_is_asked_once_then_backs_off() {
    bounded(async {
        let tokens = RawServer::start(|_, _| json(500, "", r#"{"error":"server_error"}"#)).await;
        let api = RawServer::start(|_, _| json(200, "", "{}")).await;
        let timer = ManualTimer::new(start_time());
        let client = oauth_client(&api, &tokens, &timer);
        assert!(crowd(&client).await.iter().all(Result::is_err));
        assert_eq!(tokens.request_count(), 1, "one fetch for the crowd");
        let again = crowd(&client).await;
        assert_eq!(tokens.request_count(), 1, "inside the backoff nobody asks");
        let shown = format!("{:?}", again[0]);
        assert!(
            shown.contains("HTTP 500") && !shown.contains(SECRET),
            "{shown}"
        );
        // The backoff doubles: 1 s after the first failure, 2 s after the second.
        timer.advance(Duration::from_secs(1));
        call(&client).await.unwrap_err();
        assert_eq!(tokens.request_count(), 2);
        timer.advance(Duration::from_secs(1));
        call(&client).await.unwrap_err();
        assert_eq!(tokens.request_count(), 2, "the second backoff is 2 s");
        timer.advance(Duration::from_secs(1));
        call(&client).await.unwrap_err();
        assert_eq!(tokens.request_count(), 3);
    })
    .await;
}

/// A JWT whose claims are `claims`, unsigned: the client never verifies it.
fn jwt(claims: &str) -> String {
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!("{}.{}.sig", b64(r#"{"alg":"none"}"#), b64(claims))
}

#[tokio::test]
async fn lifetimes_no_clock_can_hold_are_not_believed_and_never_panic() {
    let lying: Vec<(String, serde_json::Value)> = vec![
        (
            jwt(r#"{"exp":18446744073709551615}"#),
            serde_json::Value::Null,
        ),
        (
            jwt(r#"{"exp":9223372036854775808}"#),
            serde_json::Value::Null,
        ),
        (jwt(r#"{"exp":1}"#), serde_json::Value::Null),
        (jwt(r#"{"exp":-5}"#), serde_json::Value::Null),
        ("opaque".to_owned(), serde_json::json!(-1)),
        ("opaque".to_owned(), serde_json::json!(1e300)),
        (
            "opaque".to_owned(),
            serde_json::json!(18446744073709551615u64),
        ),
        ("opaque".to_owned(), serde_json::json!("soon")),
        ("opaque".to_owned(), serde_json::json!(0)),
    ];
    bounded(async {
        for (access_token, expires_in) in lying {
            let (t, e) = (access_token.clone(), expires_in.clone());
            let tokens = RawServer::start(move |_, _| token(&t, e.clone())).await;
            let api = RawServer::start(|_, _| json(200, "", "{}")).await;
            let timer = ManualTimer::new(start_time());
            let client = oauth_client(&api, &tokens, &timer);
            call(&client).await.unwrap();
            // Whatever the token claimed, it is reused for at least ten seconds...
            timer.advance(Duration::from_secs(4));
            call(&client).await.unwrap();
            assert_eq!(tokens.request_count(), 1, "{access_token} {expires_in}");
            // ...and replaced within a year.
            timer.advance(Duration::from_secs(367 * 24 * 3600));
            call(&client).await.unwrap();
            assert_eq!(tokens.request_count(), 2, "{access_token} {expires_in}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_huge_token_response_is_an_auth_error_not_a_memory_spike() {
    bounded(async {
        let tokens = RawServer::start(|_, _| Reply::Stream {
            head: "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_owned(),
            chunk: vec![b' '; 64 << 10],
            total: u64::MAX,
            chunked: true,
        })
        .await;
        let api = RawServer::start(|_, _| json(200, "", "{}")).await;
        let client = oauth_client(&api, &tokens, &ManualTimer::new(start_time()));
        let err = call(&client).await.unwrap_err();
        assert!(err.to_string().contains("larger than"), "{err}");
        assert_eq!(api.request_count(), 0);
    })
    .await;
}

#[tokio::test]
async fn a_401_for_a_valid_token_renews_it_once_and_repeats_the_request() {
    bounded(async {
        let issued = Arc::new(AtomicUsize::new(0));
        let count = issued.clone();
        let tokens = RawServer::start(move |_, _| {
            let n = count.fetch_add(1, Ordering::SeqCst) + 1;
            token(&format!("tok-{n}"), 3600.into())
        })
        .await;
        // The API revoked tok-1 early and accepts tok-2.
        let api = RawServer::start(|_, request| match request.header("authorization") {
            Some("Bearer tok-1") => json(401, "", r#"{"message":"revoked"}"#),
            _ => json(200, "", "{}"),
        })
        .await;
        let client = oauth_client(&api, &tokens, &ManualTimer::new(start_time()));
        call(&client).await.unwrap();
        assert_eq!(tokens.request_count(), 2);
        assert_eq!(api.request_count(), 2);
    })
    .await;
}

#[tokio::test]
async fn an_api_that_refuses_every_token_costs_one_renewal_not_one_per_call() {
    bounded(async {
        let tokens = RawServer::start(|n, _| token(&format!("tok-{n}"), 3600.into())).await;
        let api = RawServer::start(|_, _| json(401, "", r#"{"message":"no"}"#)).await;
        let client = oauth_client(&api, &tokens, &ManualTimer::new(start_time()));
        for _ in 0..10 {
            let err = call(&client).await.unwrap_err();
            assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
        }
        assert_eq!(tokens.request_count(), 2, "the first token and one renewal");
        assert_eq!(api.request_count(), 11, "ten calls and one repeat");
    })
    .await;
}

#[tokio::test]
async fn a_fetch_abandoned_by_its_waiters_is_replaced_once_the_endpoint_answers() {
    bounded(async {
        let answering = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let up = answering.clone();
        let tokens = RawServer::start(move |_, _| {
            if up.load(Ordering::SeqCst) {
                token("tok", 3600.into())
            } else {
                Reply::Silent
            }
        })
        .await;
        let api = RawServer::start(|_, _| json(200, "", "{}")).await;
        let timer = ManualTimer::new(start_time());
        let client = oauth_client(&api, &tokens, &timer);
        // A caller cancelled while it waits (a select!, a call timeout) leaves the fetch
        // to nobody.
        let cancelled = tokio::time::timeout(Duration::from_millis(100), call(&client)).await;
        assert!(cancelled.is_err());
        // The endpoint recovers; once the token timeout has passed, a new fetch starts
        // instead of the stale one being waited on.
        answering.store(true, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(600)).await;
        timer.advance(Duration::from_secs(60));
        call(&client).await.unwrap();
        assert_eq!(api.request_count(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_crowd_refused_at_once_with_401_renews_the_token_once() {
    bounded(async {
        let tokens = RawServer::start(|n, _| token(&format!("tok-{n}"), 3600.into())).await;
        // tok-0 is revoked; tok-1 is good.
        let api = RawServer::start(|_, request| match request.header("authorization") {
            Some("Bearer tok-0") => json(401, "", "{}"),
            _ => json(200, "", "{}"),
        })
        .await;
        let client = oauth_client(&api, &tokens, &ManualTimer::new(start_time()));
        call(&client).await.unwrap();
        // Everyone now holds tok-1; start over with a crowd on a fresh client and token.
        let tokens = RawServer::start(|n, _| token(&format!("tok-{n}"), 3600.into())).await;
        let client = oauth_client(&api, &tokens, &ManualTimer::new(start_time()));
        let results = crowd(&client).await;
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        assert_eq!(
            tokens.request_count(),
            2,
            "one first token, one renewal for the crowd"
        );
    })
    .await;
}

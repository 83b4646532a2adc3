//! Interceptors on the wire: what each hook sees, what its changes do to the request that is
//! sent and to the response that is decoded, and that a failing hook fails the call.

mod common;
mod raw;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use common::*;
use raw::{json, RawServer};
use sdk_runtime::client::{Interceptor, InterceptorError, RequestContext, ResponseContext};
use sdk_runtime::reqwest::header::{HeaderValue, AUTHORIZATION};
use sdk_runtime::reqwest::StatusCode;
use sdk_runtime::time::ManualTimer;
use sdk_runtime::{ClientBuilder, Error, Request};

fn builder(server: &RawServer) -> ClientBuilder<TwilioClient> {
    ClientBuilder::<TwilioClient>::new()
        .basic_auth(USER, PASSWORD)
        .base_url(server.uri())
        .timer(ManualTimer::new(start_time()))
}

/// Tags requests before signing and records what it saw at both points.
#[derive(Clone, Debug, Default)]
struct Tagger {
    seen: Arc<Mutex<Vec<(u32, bool, bool)>>>,
}

impl Interceptor for Tagger {
    fn before_signing(&self, request: &mut RequestContext<'_>) -> Result<(), InterceptorError> {
        let signed = request.headers().contains_key(AUTHORIZATION);
        self.seen
            .lock()
            .unwrap()
            .push((request.attempt(), false, signed));
        request
            .headers_mut()
            .insert("x-tenant", HeaderValue::from_static("acme"));
        let path = format!("/gateway{}", request.url().path());
        request.url_mut().set_path(&path);
        Ok(())
    }

    fn after_signing(&self, request: &mut RequestContext<'_>) -> Result<(), InterceptorError> {
        let signed = request.headers().contains_key(AUTHORIZATION);
        self.seen
            .lock()
            .unwrap()
            .push((request.attempt(), true, signed));
        Ok(())
    }
}

#[tokio::test]
async fn request_hooks_run_before_and_after_signing_on_every_attempt() {
    let server = RawServer::start(|n, _| match n {
        0 => json(503, "", "{}"),
        _ => json(200, "", "{}"),
    })
    .await;
    let tagger = Tagger::default();
    let client = builder(&server)
        .interceptor(tagger.clone())
        .build()
        .unwrap()
        .0;
    client.execute(Request::new(&LIST)).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.header("x-tenant"), Some("acme"));
        assert_eq!(r.target(), "/gateway/v1/Things");
        assert_eq!(r.header("authorization"), Some(BASIC_HEADER));
    }
    // Credentials are not on yet before signing, and are after; both hooks, both attempts.
    assert_eq!(
        *tagger.seen.lock().unwrap(),
        [
            (1, false, false),
            (1, true, true),
            (2, false, false),
            (2, true, true)
        ]
    );
}

/// Turns a 418 into a 200 with a body of its own, counting responses.
#[derive(Clone, Debug, Default)]
struct Rewriter {
    responses: Arc<AtomicU32>,
}

impl Interceptor for Rewriter {
    fn after_response(&self, response: &mut ResponseContext<'_>) -> Result<(), InterceptorError> {
        self.responses.fetch_add(1, Ordering::SeqCst);
        if response.status() == StatusCode::IM_A_TEAPOT {
            response.set_status(StatusCode::OK);
            response.set_body(r#"{"rewritten":true}"#);
        }
        Ok(())
    }
}

#[tokio::test]
async fn the_response_hook_can_change_what_the_client_decodes() {
    let server = RawServer::start(|_, _| json(418, "", "teapot")).await;
    let rewriter = Rewriter::default();
    let client = builder(&server)
        .interceptor(rewriter.clone())
        .build()
        .unwrap()
        .0;
    let response = client.execute(Request::new(&LIST)).await.unwrap();
    let body = response.json::<serde_json::Value>().unwrap().into_body();
    assert_eq!(body["rewritten"], true);
    assert_eq!(rewriter.responses.load(Ordering::SeqCst), 1);
}

#[derive(Debug)]
struct Refuses;

impl Interceptor for Refuses {
    fn before_signing(&self, _: &mut RequestContext<'_>) -> Result<(), InterceptorError> {
        Err("circuit open".into())
    }
}

#[tokio::test]
async fn a_failing_hook_fails_the_call_and_sends_nothing() {
    let server = RawServer::start(|_, _| json(200, "", "{}")).await;
    let client = builder(&server).interceptor(Refuses).build().unwrap().0;
    let err = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Interceptor {
                operation: "ListThings",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("circuit open"), "{err}");
    assert_eq!(server.request_count(), 0);
}

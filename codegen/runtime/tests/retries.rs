//! The retry policy on the wire: which failures are sent again for which methods, how long
//! the client waits (`Retry-After`, backoff), and the attempt and time budgets. Every client
//! runs on a `ManualTimer`, so waits are recorded instead of slept: these tests take no wall
//! time except the one that needs a real timeout.

mod common;

use std::io::Read as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use sdk_runtime::reqwest::Method;
use sdk_runtime::time::ManualTimer;
use sdk_runtime::{ClientBuilder, Error, FilePart, Multipart, Operation, Request, RetryPolicy};
use wiremock::{MockServer, ResponseTemplate};

fn status(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code)
}

fn throttled(retry_after: &str) -> ResponseTemplate {
    ResponseTemplate::new(429)
        .insert_header("Retry-After", retry_after)
        .set_body_string(r#"{"code":20429,"message":"Too Many Requests"}"#)
}

/// A client of `server` on its own manual clock, with `policy`.
fn client_with(server: &MockServer, policy: RetryPolicy) -> (sdk_runtime::Client, ManualTimer) {
    let timer = timer();
    let client = builder(server)
        .timer(timer.clone())
        .retry_policy(policy)
        .build()
        .unwrap()
        .0;
    (client, timer)
}

/// `/Things` with another method.
macro_rules! things_op {
    ($name:ident, $method:ident) => {
        static $name: Operation = Operation {
            id: stringify!($name),
            method: Method::$method,
            path: "/Things",
            server: 0,
            errors: &[],
        };
    };
}

things_op!(PATCH_THING, PATCH);
things_op!(PUT_THING, PUT);
things_op!(DELETE_THING, DELETE);
things_op!(HEAD_THING, HEAD);

fn status_of(err: &Error) -> u16 {
    err.status()
        .unwrap_or_else(|| panic!("no status: {err:?}"))
        .as_u16()
}

#[tokio::test]
async fn throttled_post_is_retried_after_the_servers_retry_after() {
    let server = server_answering(vec![throttled("7")], status(201)).await;
    let (client, timer) = client_with(&server, RetryPolicy::standard());
    let mut req = Request::new(&CREATE);
    req.form_body(&[("To", "+15551234567")]);
    let response = client.execute(req).await.unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 2);
    assert!(reqs.iter().all(|r| r.method.as_str() == "POST"));
    assert_eq!(reqs[0].body, reqs[1].body);
    assert_eq!(body_text(&reqs[1]), "To=%2B15551234567");
    assert_eq!(header(&reqs[1], "authorization"), BASIC_HEADER);
    assert_eq!(timer.sleeps(), [Duration::from_secs(7)]);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_waited_for() {
    // The clock stands at 2023-11-14T22:13:20Z: the server asks for 20 s.
    let server = server_answering(
        vec![throttled("Tue, 14 Nov 2023 22:13:40 GMT")],
        status(200),
    )
    .await;
    let (client, timer) = client_with(&server, RetryPolicy::standard());
    client.execute(Request::new(&CREATE)).await.unwrap();
    assert_eq!(received(&server).await.len(), 2);
    assert_eq!(timer.sleeps(), [Duration::from_secs(20)]);
}

#[tokio::test]
async fn unavailable_is_not_retried_for_post_or_patch() {
    for operation in [&CREATE, &PATCH_THING] {
        let server = server_answering(vec![status(503)], status(200)).await;
        let (client, timer) = client_with(&server, RetryPolicy::standard());
        let err = client.execute(Request::new(operation)).await.unwrap_err();
        assert_eq!(status_of(&err), 503, "{}", operation.id);
        assert_eq!(received(&server).await.len(), 1, "{}", operation.id);
        assert!(timer.sleeps().is_empty());
    }
}

#[tokio::test]
async fn unavailable_is_retried_for_idempotent_methods_with_a_bounded_backoff() {
    for operation in [&LIST, &PUT_THING, &DELETE_THING, &HEAD_THING] {
        let server = server_answering(vec![status(503), status(503)], status(200)).await;
        let (client, timer) = client_with(
            &server,
            RetryPolicy::standard()
                .initial_backoff(Duration::from_millis(100))
                .max_backoff(Duration::from_millis(150)),
        );
        client.execute(Request::new(operation)).await.unwrap();
        assert_eq!(received(&server).await.len(), 3, "{}", operation.id);
        let sleeps = timer.sleeps();
        assert_eq!(sleeps.len(), 2, "{}", operation.id);
        assert!(sleeps[0] <= Duration::from_millis(100), "{sleeps:?}");
        assert!(sleeps[1] <= Duration::from_millis(150), "{sleeps:?}");
    }
}

#[tokio::test]
async fn other_server_errors_are_not_retried_even_for_get() {
    for code in [500, 502, 504] {
        let server = server_answering(vec![status(code)], status(200)).await;
        let (client, timer) = client_with(&server, RetryPolicy::standard());
        let err = client.execute(Request::new(&LIST)).await.unwrap_err();
        assert_eq!(status_of(&err), code);
        assert_eq!(received(&server).await.len(), 1, "{code}");
        assert!(timer.sleeps().is_empty());
    }
}

#[tokio::test]
async fn a_wait_beyond_the_time_budget_returns_the_last_error_at_once() {
    let server = server_with(throttled("30")).await;
    let (client, timer) = client_with(
        &server,
        RetryPolicy::standard().max_elapsed(Duration::from_secs(10)),
    );
    let err = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert!(err.is_throttled(), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(received(&server).await.len(), 1);
    assert!(timer.sleeps().is_empty());
}

#[tokio::test]
async fn the_time_budget_counts_earlier_waits() {
    // Waits of 4 s: after two (8 s), a third would end at 12 s, past the 10 s budget.
    let server = server_with(throttled("4")).await;
    let (client, timer) = client_with(
        &server,
        RetryPolicy::standard()
            .max_attempts(10)
            .max_elapsed(Duration::from_secs(10)),
    );
    let err = client.execute(Request::new(&CREATE)).await.unwrap_err();
    assert!(err.is_throttled(), "{err:?}");
    assert_eq!(received(&server).await.len(), 3);
    assert_eq!(timer.sleeps(), [Duration::from_secs(4); 2]);
}

#[tokio::test]
async fn retries_stop_at_max_attempts_with_the_last_error() {
    let server = server_with(status(503)).await;
    let (client, timer) = client_with(&server, RetryPolicy::standard().max_attempts(2));
    let err = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert_eq!(status_of(&err), 503);
    assert_eq!(received(&server).await.len(), 2);
    assert_eq!(timer.sleeps().len(), 1);

    // The standard policy makes three attempts.
    let server = server_with(throttled("1")).await;
    let (client, timer) = client_with(&server, RetryPolicy::standard());
    let err = client.execute(Request::new(&CREATE)).await.unwrap_err();
    assert!(err.is_throttled() && err.is_retryable());
    assert_eq!(received(&server).await.len(), 3);
    assert_eq!(timer.sleeps(), [Duration::from_secs(1); 2]);
}

#[tokio::test]
async fn disabled_policy_makes_one_attempt() {
    for (operation, answer) in [(&LIST, status(503)), (&CREATE, throttled("1"))] {
        let server = server_answering(vec![answer], status(200)).await;
        let (client, timer) = client_with(&server, RetryPolicy::disabled());
        assert!(client.execute(Request::new(operation)).await.is_err());
        assert_eq!(received(&server).await.len(), 1, "{}", operation.id);
        assert!(timer.sleeps().is_empty());
    }
}

#[tokio::test]
async fn a_retried_multipart_request_sends_its_parts_again() {
    let server = server_answering(vec![status(503)], status(200)).await;
    let (client, _timer) = client_with(&server, RetryPolicy::standard());
    let mut form = Multipart::new();
    form.text("subject", "hello");
    form.file(
        "file",
        FilePart::new(&b"file-content"[..]).file_name("a.txt"),
    );
    let mut req = Request::new(&PUT_THING);
    req.multipart_body(form);
    client.execute(req).await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 2);
    for r in &reqs {
        let body = body_text(r);
        assert!(body.contains("name=\"subject\"\r\n\r\nhello\r\n"), "{body}");
        assert!(body.contains("filename=\"a.txt\""), "{body}");
        assert!(body.contains("file-content"), "{body}");
    }
}

#[tokio::test]
async fn a_timed_out_get_is_retried_but_a_timed_out_post_is_not() {
    // Real time: the timeout is reqwest's. The waits between attempts are not.
    let server = server_with(json_ok("{}").set_delay(Duration::from_secs(2))).await;
    let (client, timer) = {
        let timer = timer();
        let client = builder(&server)
            .timer(timer.clone())
            .timeout(Duration::from_millis(100))
            .retry_policy(RetryPolicy::standard().max_attempts(2))
            .build()
            .unwrap()
            .0;
        (client, timer)
    };
    let err = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(received(&server).await.len(), 2);
    assert_eq!(timer.sleeps().len(), 1);

    let err = client.execute(Request::new(&CREATE)).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(received(&server).await.len(), 3);
    assert_eq!(timer.sleeps().len(), 1);
}

#[tokio::test]
async fn a_connection_that_cannot_be_opened_is_retried_even_for_post() {
    let timer = timer();
    let client = ClientBuilder::<TwilioClient>::new()
        .basic_auth("u", "p")
        .base_url(format!("http://127.0.0.1:{}", closed_port()))
        .timer(timer.clone())
        .build()
        .unwrap()
        .0;
    let err = client.execute(Request::new(&CREATE)).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    // Three attempts: two waits.
    assert_eq!(timer.sleeps().len(), 2);
}

/// A server that reads each request and hangs up without answering; counts connections.
fn hanging_up_server() -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let count = connections.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            count.fetch_add(1, Ordering::SeqCst);
            let _ = stream.read(&mut [0; 4096]);
            // Dropped: the connection closes with no response.
        }
    });
    (url, connections)
}

#[tokio::test]
async fn a_connection_lost_mid_request_is_retried_only_for_idempotent_methods() {
    let (url, connections) = hanging_up_server();
    let timer = timer();
    let client = ClientBuilder::<TwilioClient>::new()
        .basic_auth("u", "p")
        .base_url(url)
        .timer(timer.clone())
        .build()
        .unwrap()
        .0;
    let err = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 3);
    assert_eq!(timer.sleeps().len(), 2);

    let err = client.execute(Request::new(&CREATE)).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 4);
    assert_eq!(timer.sleeps().len(), 2);
}

#[test]
fn the_default_policy_is_the_standard_one() {
    assert_eq!(RetryPolicy::default(), RetryPolicy::standard());
    assert_ne!(RetryPolicy::disabled(), RetryPolicy::standard());
}

//! Fault injection: the client against a loopback server that misbehaves on purpose
//! (`raw/mod.rs`). Each scenario asserts what the caller gets and how many requests went
//! out, and runs under a deadline, so a regression fails instead of hanging. Memory under
//! huge bodies is measured in `fault_memory.rs`, which counts allocations.

mod common;
mod raw;

use std::future::Future;
use std::time::Duration;

use common::*;
use raw::{json, RawRequest, RawServer, Reply};
use sdk_runtime::{Client, ClientBuilder, Error, Request, RetryBudget, RetryPolicy};

/// Fails the test if `scenario` takes longer than ten seconds.
async fn bounded<T>(scenario: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), scenario)
        .await
        .expect("the scenario did not end within 10 s")
}

/// A Twilio client of `server` on a manual clock (retry waits take no time).
fn builder_for(server: &RawServer) -> ClientBuilder<TwilioClient> {
    twilio_builder(&server.uri())
}

fn client_for(server: &RawServer) -> Client {
    builder_for(server).build().unwrap().0
}

async fn fetch(client: &Client) -> Result<sdk_runtime::RawResponse, Error> {
    let mut request = Request::new(&FETCH_USER);
    request.path_param("Sid", "US1");
    client.execute(request).await
}

// --- numbers from the wire -------------------------------------------------------------

#[tokio::test]
async fn a_retry_after_no_duration_can_hold_neither_panics_nor_waits() {
    bounded(async {
        for retry_after in ["18446744073709551615", "Fri, 31 Dec 9999 23:59:59 GMT"] {
            let server = RawServer::start(move |_, _| {
                json(429, &format!("retry-after: {retry_after}\r\n"), "{}")
            })
            .await;
            let err = fetch(&client_for(&server)).await.unwrap_err();
            assert!(err.is_throttled(), "{err:?}");
            assert!(err.retry_after().unwrap() > Duration::from_secs(3600));
            assert_eq!(
                server.request_count(),
                1,
                "a wait that long is not waited for"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn malformed_responses_are_transport_errors_never_panics() {
    let cases: &[(&str, &[u8])] = &[
        ("garbage status line", b"HTTQ/9 abc\r\n\r\n"),
        (
            "status out of range",
            b"HTTP/1.1 999999 X\r\ncontent-length: 0\r\n\r\n",
        ),
        (
            "header without a colon",
            b"HTTP/1.1 200 OK\r\nnot a header\r\n\r\n",
        ),
        (
            "length not a number",
            b"HTTP/1.1 200 OK\r\ncontent-length: ten\r\n\r\n{}",
        ),
        (
            "negative length",
            b"HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n{}",
        ),
        (
            "length over u64",
            b"HTTP/1.1 200 OK\r\ncontent-length: 99999999999999999999999\r\n\r\n",
        ),
        (
            "two different lengths",
            b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}",
        ),
        (
            "body shorter than its length",
            b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"a\":",
        ),
        (
            "bad chunk size",
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
        ),
        (
            "chunk cut short",
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nffff\r\n{}",
        ),
        ("no response at all", b""),
        ("only half a status line", b"HTTP/1.1 2"),
    ];
    bounded(async {
        for (what, bytes) in cases {
            let bytes = bytes.to_vec();
            let server = RawServer::start(move |_, _| Reply::Bytes(bytes.clone())).await;
            let client = builder_for(&server)
                .retry_policy(RetryPolicy::disabled())
                .build()
                .unwrap()
                .0;
            let err = fetch(&client).await.unwrap_err();
            assert!(
                matches!(err, Error::Transport { .. } | Error::Timeout { .. }),
                "{what}: {err:?}"
            );
            assert!(!format!("{err} {err:?}").contains(PASSWORD), "{what}");
        }
    })
    .await;
}

// --- the retry budget ------------------------------------------------------------------

#[tokio::test]
async fn a_full_outage_costs_at_most_one_and_a_half_requests_per_call_and_recovers() {
    bounded(async {
        let outage = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let down = outage.clone();
        let server = RawServer::start(move |_, _| {
            if down.load(std::sync::atomic::Ordering::SeqCst) {
                json(503, "", r#"{"message":"unavailable"}"#)
            } else {
                json(200, "", "{}")
            }
        })
        .await;
        let client = client_for(&server);
        for i in 0..100 {
            // Clones share the budget, as they share everything else.
            let err = fetch(&client.clone()).await.unwrap_err();
            assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "call {i}");
        }
        let sent = server.request_count();
        assert!(sent <= 150, "100 calls sent {sent} requests");
        assert_eq!(sent, 120, "the standard budget pays for 20 retries");

        // The server recovers: calls succeed at once, and their successes refill the budget
        // until a failure is retried again.
        outage.store(false, std::sync::atomic::Ordering::SeqCst);
        for _ in 0..10 {
            fetch(&client).await.unwrap();
        }
        let before = server.request_count();
        outage.store(true, std::sync::atomic::Ordering::SeqCst);
        fetch(&client).await.unwrap_err();
        assert_eq!(
            server.request_count() - before,
            2,
            "one retry is paid for again"
        );
    })
    .await;
}

#[tokio::test]
async fn an_unlimited_budget_retries_every_call_to_its_cap() {
    bounded(async {
        let server = RawServer::start(|_, _| json(503, "", "{}")).await;
        let client = builder_for(&server)
            .retry_budget(RetryBudget::unlimited())
            .build()
            .unwrap()
            .0;
        for _ in 0..10 {
            fetch(&client).await.unwrap_err();
        }
        assert_eq!(server.request_count(), 30);
    })
    .await;
}

// --- pagination that always ends -------------------------------------------------------

/// A server whose page at `target` holds `things` and links to `next(target)`.
async fn paging_server(
    page: impl Fn(usize, &RawRequest) -> (Vec<u32>, Option<String>) + Send + Sync + 'static,
) -> RawServer {
    RawServer::start(move |n, request| {
        let (things, next) = page(n, request);
        let body = serde_json::json!({ "things": things, "next": next });
        json(200, "", &body.to_string())
    })
    .await
}

async fn list_all(client: &Client) -> Vec<Result<u32, Error>> {
    use futures_util::StreamExt as _;
    client
        .pages::<ThingPage>(Request::new(&LIST), None)
        .items()
        .collect()
        .await
}

fn pagination_error(items: &[Result<u32, Error>]) -> &str {
    match items.last() {
        Some(Err(Error::Pagination { message, .. })) => message,
        other => panic!("the listing did not end with a pagination error: {other:?}"),
    }
}

#[tokio::test]
async fn two_pages_linking_to_each_other_end_with_an_error() {
    bounded(async {
        let server = paging_server(|_, request| {
            if request.target().contains("Page=1") {
                (vec![2], Some("/v1/Things?Page=0".to_owned()))
            } else {
                (vec![1], Some("/v1/Things?Page=1".to_owned()))
            }
        })
        .await;
        let items = list_all(&client_for(&server)).await;
        assert_eq!(items.len(), 4, "{items:?}");
        assert!(pagination_error(&items).contains("loop"));
        assert_eq!(
            server.request_count(),
            3,
            "page 0, page 1, page 0 again: then it stops"
        );
    })
    .await;
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_listing_even_when_other_parameters_change() {
    bounded(async {
        let server = paging_server(|n, _| {
            // The page number moves on; the cursor is stuck.
            (
                vec![n as u32],
                Some(format!("/v1/Things?Page={}&PageToken=PT1", n + 1)),
            )
        })
        .await;
        let items = list_all(&client_for(&server)).await;
        assert!(pagination_error(&items).contains("cursor"), "{items:?}");
        assert_eq!(server.request_count(), 2);
    })
    .await;
}

#[tokio::test]
async fn endless_empty_pages_and_endless_new_pages_both_end() {
    bounded(async {
        let empty =
            paging_server(|n, _| (vec![], Some(format!("/v1/Things?Page={}", n + 1)))).await;
        let items = list_all(&client_for(&empty)).await;
        assert!(pagination_error(&items).contains("empty"), "{items:?}");
        assert_eq!(
            empty.request_count(),
            6,
            "five empty pages in a row are allowed"
        );

        let endless =
            paging_server(|n, _| (vec![1], Some(format!("/v1/Things?Page={}", n + 1)))).await;
        let client = builder_for(&endless).max_pages(40).build().unwrap().0;
        let items = list_all(&client).await;
        assert_eq!(items.len(), 41);
        assert!(pagination_error(&items).contains("more than 40 pages"));
        assert_eq!(endless.request_count(), 40);
    })
    .await;
}

// --- timeouts --------------------------------------------------------------------------

#[tokio::test]
async fn a_server_that_never_answers_times_out_and_the_item_stream_says_so() {
    bounded(async {
        let server = RawServer::start(|_, _| Reply::Silent).await;
        let client = builder_for(&server)
            .timeout(Duration::from_millis(200))
            .retry_policy(RetryPolicy::disabled())
            .build()
            .unwrap()
            .0;
        assert!(fetch(&client).await.unwrap_err().is_timeout());
        let items = list_all(&client).await;
        assert!(
            matches!(items[..], [Err(Error::Timeout { .. })]),
            "{items:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_body_that_trickles_times_out() {
    bounded(async {
        let server = RawServer::start(|_, _| Reply::Trickle {
            head: "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000000\r\n\r\n".to_owned(),
            every: Duration::from_millis(10),
        })
        .await;
        let client = builder_for(&server)
            .timeout(Duration::from_millis(300))
            .retry_policy(RetryPolicy::disabled())
            .build()
            .unwrap()
            .0;
        let err = fetch(&client).await.unwrap_err();
        assert!(err.is_timeout(), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn the_call_timeout_bounds_retries_and_their_waits_together() {
    bounded(async {
        let server = RawServer::start(|_, _| Reply::Silent).await;
        let client = ClientBuilder::<TwilioClient>::new()
            .basic_auth(USER, PASSWORD)
            .base_url(server.uri())
            .timeout(Duration::from_secs(5))
            .call_timeout(Duration::from_millis(300))
            .build()
            .unwrap()
            .0;
        let started = std::time::Instant::now();
        assert!(fetch(&client).await.unwrap_err().is_timeout());
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the call timeout, not the attempt's"
        );
    })
    .await;
}

// --- bodies past their limits ----------------------------------------------------------

fn endless(status: u16, content_length: Option<u64>) -> Reply {
    let length = content_length.map_or_else(
        || "transfer-encoding: chunked\r\n".to_owned(),
        |n| format!("content-length: {n}\r\n"),
    );
    Reply::Stream {
        head: format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{length}\r\n"),
        chunk: vec![b' '; 64 << 10],
        total: content_length.unwrap_or(u64::MAX),
        chunked: content_length.is_none(),
    }
}

#[tokio::test]
async fn a_declared_length_over_the_limit_fails_before_the_body_is_read() {
    bounded(async {
        let server = RawServer::start(|_, _| endless(500, Some(512 << 20))).await;
        let err = fetch(&client_for(&server)).await.unwrap_err();
        assert!(
            matches!(err, Error::BodyTooLarge { status: 500, limit, .. } if limit == 8 << 20),
            "{err:?}"
        );
        assert!(err.to_string().contains("8388608 bytes"), "{err}");
        assert_eq!(server.request_count(), 1, "not retried");
    })
    .await;
}

#[tokio::test]
async fn a_body_that_never_ends_fails_at_the_limit_and_the_connection_is_dropped() {
    bounded(async {
        let server = RawServer::start(|_, _| endless(200, None)).await;
        let client = builder_for(&server)
            .max_body_size(1 << 20)
            .build()
            .unwrap()
            .0;
        let err = fetch(&client).await.unwrap_err();
        assert!(
            matches!(err, Error::BodyTooLarge { status: 200, limit, .. } if limit == 1 << 20),
            "{err:?}"
        );
        // What the server got out before the client hung up: the limit plus what the
        // sockets buffer, far from the endless body.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let sent = server.body_bytes_sent();
        assert!(sent < 16 << 20, "the server wrote {sent} bytes");
    })
    .await;
}

// --- redirects -------------------------------------------------------------------------

fn redirect(status: u16, location: &str) -> Reply {
    Reply::Bytes(
        format!("HTTP/1.1 {status} X\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n")
            .into_bytes(),
    )
}

#[tokio::test]
async fn credentials_never_follow_a_redirect_to_another_origin() {
    bounded(async {
        let elsewhere = RawServer::start(|_, _| json(200, "", "{}")).await;
        let target = format!("{}/media/1", elsewhere.uri());
        let origin = RawServer::start(move |_, _| redirect(307, &target)).await;
        fetch(&client_for(&origin)).await.unwrap();
        let followed = &elsewhere.requests()[0];
        assert_eq!(followed.target(), "/media/1");
        assert_eq!(followed.header("authorization"), None, "{followed:?}");
        assert_eq!(
            origin.requests()[0].header("authorization"),
            Some(BASIC_HEADER)
        );
    })
    .await;
}

#[tokio::test]
async fn a_provider_s_own_credential_headers_stay_behind_too() {
    use sdk_runtime::auth::{AuthError, AuthHeaders, AuthRequest};
    use sdk_runtime::reqwest::header::{HeaderName, HeaderValue};
    #[derive(Debug)]
    struct ApiKey;
    impl sdk_runtime::AuthProvider for ApiKey {
        fn authorize<'a>(
            &'a self,
            _: &'a AuthRequest<'a>,
        ) -> sdk_runtime::time::BoxFuture<'a, Result<AuthHeaders, AuthError>> {
            let headers = AuthHeaders::none().with(
                HeaderName::from_static("x-api-key"),
                HeaderValue::from_static("key-123"),
            );
            Box::pin(std::future::ready(Ok(headers)))
        }
    }
    bounded(async {
        let elsewhere = RawServer::start(|_, _| json(200, "", "{}")).await;
        let target = format!("{}/next", elsewhere.uri());
        let origin = RawServer::start(move |_, _| redirect(308, &target)).await;
        let client = ClientBuilder::<TwilioClient>::new()
            .auth(ApiKey)
            .base_url(origin.uri())
            .build()
            .unwrap()
            .0;
        fetch(&client).await.unwrap();
        assert_eq!(origin.requests()[0].header("x-api-key"), Some("key-123"));
        assert_eq!(elsewhere.requests()[0].header("x-api-key"), None);
    })
    .await;
}

#[tokio::test]
async fn a_redirect_loop_ends_after_five_hops() {
    bounded(async {
        let server = RawServer::start(|n, _| redirect(302, &format!("/v1/Users/{}", n + 1))).await;
        let err = fetch(&client_for(&server)).await.unwrap_err();
        assert!(
            matches!(&err, Error::Redirect { message, .. } if message.contains("more than 5")),
            "{err:?}"
        );
        assert_eq!(server.request_count(), 6);
        // Same origin: the credentials went along every time.
        assert!(server
            .requests()
            .iter()
            .all(|r| r.header("authorization") == Some(BASIC_HEADER)));
    })
    .await;
}

#[tokio::test]
async fn a_303_after_a_post_is_fetched_with_get_and_no_body() {
    bounded(async {
        let server = RawServer::start(|n, _| match n {
            0 => redirect(303, "/v1/Things/1"),
            _ => json(200, "", "{}"),
        })
        .await;
        let mut request = Request::new(&CREATE);
        request.form_body(&[("FriendlyName", "x")]);
        client_for(&server).execute(request).await.unwrap();
        let requests = server.requests();
        assert!(requests[0].line.starts_with("POST "));
        assert_eq!(requests[1].line, "GET /v1/Things/1 HTTP/1.1");
        assert!(requests[1].body.is_empty());
        assert_eq!(requests[1].header("content-type"), None);
    })
    .await;
}

#[tokio::test]
async fn a_301_or_302_after_a_post_is_fetched_with_get_and_a_307_keeps_the_post() {
    bounded(async {
        for (status, method, body) in [
            (301, "GET", false),
            (302, "GET", false),
            (307, "POST", true),
        ] {
            let server = RawServer::start(move |n, _| match n {
                0 => redirect(status, "/v1/Things/1"),
                _ => json(200, "", "{}"),
            })
            .await;
            let mut request = Request::new(&CREATE);
            request.form_body(&[("FriendlyName", "x")]);
            client_for(&server).execute(request).await.unwrap();
            let followed = &server.requests()[1];
            assert_eq!(
                followed.line,
                format!("{method} /v1/Things/1 HTTP/1.1"),
                "{status}"
            );
            assert_eq!(followed.body == b"FriendlyName=x", body, "{status}");
        }
    })
    .await;
}

#[tokio::test]
async fn cookies_and_proxy_credentials_stay_behind_on_another_origin() {
    use sdk_runtime::client::{Interceptor, InterceptorError, RequestContext};
    use sdk_runtime::reqwest::header::HeaderValue;
    #[derive(Debug)]
    struct Session;
    impl Interceptor for Session {
        fn before_signing(&self, r: &mut RequestContext<'_>) -> Result<(), InterceptorError> {
            r.headers_mut()
                .insert("cookie", HeaderValue::from_static("session=s3cr3t"));
            r.headers_mut().insert(
                "proxy-authorization",
                HeaderValue::from_static("Basic cHJveHk="),
            );
            Ok(())
        }
    }
    bounded(async {
        let elsewhere = RawServer::start(|_, _| json(200, "", "{}")).await;
        let target = format!("{}/next", elsewhere.uri());
        let origin = RawServer::start(move |_, _| redirect(302, &target)).await;
        let client = builder_for(&origin).interceptor(Session).build().unwrap().0;
        fetch(&client).await.unwrap();
        assert_eq!(
            origin.requests()[0].header("cookie"),
            Some("session=s3cr3t")
        );
        let followed = &elsewhere.requests()[0];
        for name in ["cookie", "proxy-authorization", "authorization"] {
            assert_eq!(followed.header(name), None, "{name}: {followed:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_redirect_to_another_scheme_is_refused_and_nothing_is_sent_there() {
    bounded(async {
        let server = RawServer::start(|_, _| redirect(301, "ftp://127.0.0.1/x")).await;
        let err = fetch(&client_for(&server)).await.unwrap_err();
        assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
        let none = builder_for(&server).max_redirects(0).build().unwrap().0;
        let err = fetch(&none).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(301), "{err:?}");
    })
    .await;
}

// --- secrets ---------------------------------------------------------------------------

#[test]
fn a_password_in_the_base_url_is_never_printed() {
    for url in [
        "http://user:hunter2@127.0.0.1:1/",
        "http://user:hunter2@h:notaport/",
        "ftp://user:hunter2@127.0.0.1/",
        "https://user:hunter2/x@host/",
    ] {
        let err = ClientBuilder::<TwilioClient>::new()
            .basic_auth(USER, PASSWORD)
            .base_url(url)
            .build()
            .unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}

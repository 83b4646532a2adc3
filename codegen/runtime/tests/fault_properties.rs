//! Arbitrary responses through the whole response path: any status, any values of the
//! headers the client reads (`Retry-After`, `Content-Length`, rate limits, request ids,
//! `Location`), any body, written raw by a loopback server. Whatever arrives, the call
//! ends within its deadline with a response or a typed error, and nothing panics.

mod common;
mod raw;

use std::sync::OnceLock;
use std::time::Duration;

use common::*;
use proptest::prelude::*;
use raw::{RawServer, Reply};
use sdk_runtime::time::ManualTimer;
use sdk_runtime::{ClientBuilder, Request};

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

/// Names of the headers the client reads, in any case.
const READ_HEADERS: &[&str] = &[
    "Retry-After",
    "content-length",
    "Transfer-Encoding",
    "X-RateLimit-Limit",
    "x-ratelimit-remaining",
    "RateLimit-Reset",
    "Twilio-Request-Id",
    "x-request-id",
    "Location",
    "content-type",
];

/// A header value: digits, dates, junk, anything but the line breaks that end a header.
fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string().into_bytes()),
        "[0-9]{1,30}".prop_map(String::into_bytes),
        Just(b"Fri, 31 Dec 9999 23:59:59 GMT".to_vec()),
        Just(b"Thu, 01 Jan 1970 00:00:00 GMT".to_vec()),
        Just(b"chunked".to_vec()),
        Just(b"/v1/Users/US2".to_vec()),
        proptest::collection::vec(
            any::<u8>().prop_filter("no line break", |b| *b != b'\r' && *b != b'\n'),
            0..40
        ),
    ]
}

fn response() -> impl Strategy<Value = Vec<u8>> {
    (
        prop_oneof![100u16..600, 600u16..1000],
        proptest::collection::vec(
            (proptest::sample::select(READ_HEADERS), header_value()),
            0..6,
        ),
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..300),
            Just(br#"{"code":20429,"message":"x","more_info":"y","status":"429"}"#.to_vec()),
            Just(br#"{"_error":{"status":1e400,"title":[],"message":{}}}"#.to_vec()),
        ],
    )
        .prop_map(|(status, headers, body)| {
            let mut bytes = format!("HTTP/1.1 {status} X\r\n").into_bytes();
            for (name, value) in headers {
                bytes.extend_from_slice(name.as_bytes());
                bytes.extend_from_slice(b": ");
                bytes.extend_from_slice(&value);
                bytes.extend_from_slice(b"\r\n");
            }
            bytes.extend_from_slice(b"connection: close\r\n\r\n");
            bytes.extend_from_slice(&body);
            bytes
        })
}

/// Everything a caller might ask of what came back.
fn use_everything(result: Result<sdk_runtime::RawResponse, sdk_runtime::Error>) -> String {
    match result {
        Ok(raw) => {
            let metadata = raw.metadata();
            let seen = format!(
                "{:?} {:?} {:?}",
                metadata.request_id(),
                metadata.rate_limit(),
                raw
            );
            let _ = raw.clone().json::<serde_json::Value>();
            let _ = raw.clone().text();
            let _ = raw.untyped().body().text().len();
            seen
        }
        Err(e) => format!(
            "{e} {e:?} {:?} {:?} {:?} {:?} {:?}",
            e.status(),
            e.retry_after(),
            e.code(),
            e.message(),
            e.request_id()
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_response_ends_the_call_without_a_panic(bytes in response()) {
        let shown = runtime().block_on(async move {
            let server = RawServer::start(move |_, _| Reply::Bytes(bytes.clone())).await;
            let client = ClientBuilder::<TwilioClient>::new()
                .basic_auth(USER, PASSWORD)
                .base_url(server.uri())
                .timer(ManualTimer::new(start_time()))
                .timeout(Duration::from_secs(2))
                .build()
                .unwrap()
                .0;
            let mut request = Request::new(&FETCH_USER);
            request.path_param("Sid", "US1");
            let result = tokio::time::timeout(Duration::from_secs(10), client.execute(request))
                .await
                .expect("the call did not end within 10 s");
            use_everything(result)
        });
        prop_assert!(!shown.contains(PASSWORD));
    }
}

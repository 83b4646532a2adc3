//! Streamed responses: retried until a head arrives, read chunk by chunk after, ended by a
//! stall, and an error status still read whole. Their memory is measured in
//! `fault_memory.rs`.

mod common;
mod raw;

use std::time::Duration;

use common::*;
use futures_util::StreamExt as _;
use raw::{json, RawServer, Reply};
use sdk_runtime::time::ManualTimer;
use sdk_runtime::{CallOptions, ClientBuilder, Error, Request};

fn client(server: &RawServer) -> sdk_runtime::Client {
    ClientBuilder::<TwilioClient>::new()
        .basic_auth(USER, PASSWORD)
        .base_url(server.uri())
        .timer(ManualTimer::new(start_time()))
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap()
        .0
}

fn recording(total: u64) -> Reply {
    Reply::Stream {
        head: "HTTP/1.1 200 OK\r\ncontent-type: audio/wav\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_owned(),
        chunk: vec![7u8; 64 << 10],
        total,
        chunked: true,
    }
}

#[tokio::test]
async fn a_throttled_download_is_retried_then_streamed_past_the_body_limit() {
    let server = RawServer::start(|n, _| match n {
        0 => json(429, "retry-after: 1\r\n", "{}"),
        _ => recording(96 << 20),
    })
    .await;
    let client = ClientBuilder::<TwilioClient>::new()
        .basic_auth(USER, PASSWORD)
        .base_url(server.uri())
        .timer(ManualTimer::new(start_time()))
        .max_body_size(1 << 20)
        .build()
        .unwrap()
        .0;
    let mut download = client
        .execute_streaming(Request::new(&LIST), &CallOptions::new())
        .await
        .unwrap();
    assert_eq!(download.metadata().status().as_u16(), 200);
    let mut total = 0u64;
    while let Some(chunk) = download.next().await {
        let chunk = chunk.unwrap();
        assert!(chunk.iter().all(|b| *b == 7));
        total += chunk.len() as u64;
    }
    assert_eq!(total, 96 << 20, "a stream is not held to the body limit");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_download_that_stalls_ends_with_a_timeout() {
    let server = RawServer::start(|_, _| Reply::Trickle {
        head: "HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n".to_owned(),
        every: Duration::from_secs(5),
    })
    .await;
    let mut download = client(&server)
        .execute_streaming(Request::new(&LIST), &CallOptions::new())
        .await
        .unwrap();
    assert_eq!(download.content_length(), Some(100_000));
    let mut last = None;
    while let Some(chunk) = tokio::time::timeout(Duration::from_secs(10), download.next())
        .await
        .expect("the stream did not end")
    {
        last = Some(chunk);
        if last.as_ref().is_some_and(Result::is_err) {
            break;
        }
    }
    assert!(matches!(last, Some(Err(Error::Timeout { .. }))), "{last:?}");
}

#[tokio::test]
async fn an_error_status_is_read_whole_and_returned_as_an_api_error() {
    let server = RawServer::start(|_, _| json(404, "", r#"{"code":20404,"message":"gone"}"#)).await;
    let err = client(&server)
        .execute_streaming(Request::new(&LIST), &CallOptions::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(20404));
}

#[tokio::test]
async fn a_stream_reads_as_async_read() {
    use futures_util::AsyncReadExt as _;
    let server = RawServer::start(|_, _| recording(256 << 10)).await;
    let download = client(&server)
        .execute_streaming(Request::new(&LIST), &CallOptions::new())
        .await
        .unwrap();
    let mut bytes = Vec::new();
    download
        .into_async_read()
        .read_to_end(&mut bytes)
        .await
        .unwrap();
    assert_eq!(bytes.len(), 256 << 10);
}

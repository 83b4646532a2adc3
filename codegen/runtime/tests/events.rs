//! Server-sent events from a raw loopback server: chunked events arrive typed, and a server
//! that never ends a line or sends data that is not the schema's ends the stream with an
//! error after a bounded read, instead of growing a buffer or hanging.

mod common;
mod raw;

use std::time::Duration;

use common::*;
use raw::{RawServer, Reply};
use sdk_runtime::client::DEFAULT_MAX_EVENT_SIZE;
use sdk_runtime::{CallOptions, Error, EventStream, Request};

fn client(server: &RawServer) -> sdk_runtime::Client {
    twilio_builder(&server.uri())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
        .0
}

/// `chunk` again and again, chunk-encoded, up to `total` bytes (`u64::MAX`: for ever).
fn events(chunk: &[u8], total: u64) -> Reply {
    Reply::Stream {
        head: "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_owned(),
        chunk: chunk.to_vec(),
        total,
        chunked: true,
    }
}

async fn open(server: &RawServer) -> EventStream<serde_json::Value> {
    client(server)
        .execute_events(Request::new(&LIST), &CallOptions::new())
        .await
        .unwrap()
}

#[tokio::test]
async fn chunked_events_arrive_typed_and_the_request_asks_for_them() {
    let event = b"id: 9\r\ndata: {\"n\": 1}\r\n\r\n";
    let server = RawServer::start(move |_, _| events(event, 1000 * event.len() as u64)).await;
    let mut stream = open(&server).await;
    let mut count = 0;
    while let Some(event) = stream.next_event().await {
        let event = event.unwrap();
        assert_eq!(
            (event.id.as_deref(), &event.data),
            (Some("9"), &serde_json::json!({"n": 1}))
        );
        count += 1;
    }
    assert_eq!(count, 1000);
    assert_eq!(
        server.requests()[0].header("accept"),
        Some("text/event-stream")
    );
}

#[tokio::test]
async fn a_line_that_never_ends_is_an_error_after_a_bounded_read() {
    let server = RawServer::start(|_, _| events(&[b'x'; 16 << 10], u64::MAX)).await;
    let mut stream = open(&server).await;
    let end = tokio::time::timeout(Duration::from_secs(30), stream.next_event())
        .await
        .expect("the stream ended");
    assert!(
        matches!(end, Some(Err(Error::BodyTooLarge { limit, .. })) if limit == DEFAULT_MAX_EVENT_SIZE),
        "{end:?}"
    );
    assert!(
        stream.next_event().await.is_none(),
        "the error ends the stream"
    );
    // What the server got out before the client hung up: the limit and what was in flight
    // in socket buffers, not the endless stream.
    assert!(
        server.body_bytes_sent() < 32 << 20,
        "{} bytes sent",
        server.body_bytes_sent()
    );
}

#[tokio::test]
async fn data_that_is_not_json_is_a_decode_error_that_ends_the_stream() {
    let body = b"data: {\"n\": 1}\n\ndata: {oops\n\n";
    let server = RawServer::start(move |_, _| events(body, body.len() as u64)).await;
    let mut stream = open(&server).await;
    assert!(stream.next_event().await.unwrap().is_ok());
    let error = stream.next_event().await.unwrap().unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert!(stream.next_event().await.is_none());
}

#[tokio::test]
async fn an_answer_that_is_not_an_event_stream_is_an_error_not_an_empty_stream() {
    let server = RawServer::start(|_, _| raw::json(200, "", r#"{"n": 1}"#)).await;
    let error = client(&server)
        .execute_events::<serde_json::Value>(Request::new(&LIST), &CallOptions::new())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

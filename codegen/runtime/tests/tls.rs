//! The TLS backend the crate's feature selects is built and used: an https call opens with a
//! TLS handshake. reqwest 0.13 panics when a client is built with rustls but no crypto
//! provider; the runtime hands it its own configuration (*ring*), which this proves works
//! under whichever TLS feature the test is built with.

mod common;

use std::time::Duration;

use common::*;
use sdk_runtime::{ClientBuilder, Error, Request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A TLS record header: content type 22 (handshake), protocol version 3.x.
fn is_tls_handshake(first: &[u8]) -> bool {
    first.len() >= 3 && first[0] == 0x16 && first[1] == 0x03
}

#[tokio::test]
async fn an_https_call_opens_with_a_tls_handshake_and_a_plaintext_answer_is_a_transport_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut first = [0u8; 5];
        socket.read_exact(&mut first).await.unwrap();
        // A server that does not speak TLS: the handshake must fail, not hang or panic.
        let _ = socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
            .await;
        first
    });
    let client = ClientBuilder::<TwilioClient>::new()
        .basic_auth(USER, PASSWORD)
        .base_url(format!("https://127.0.0.1:{port}"))
        .build()
        .expect("the default transport builds under every TLS feature")
        .0;
    let mut request = Request::new(&FETCH_USER);
    request.path_param("Sid", "US1");
    let call = tokio::time::timeout(Duration::from_secs(10), client.execute(request));
    let err = call
        .await
        .expect("a failed handshake ends the call")
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let first = server.await.unwrap();
    assert!(
        is_tls_handshake(&first),
        "the client sent {first:?}, not a ClientHello"
    );
}

#[test]
fn a_client_of_ones_own_starts_from_the_runtimes_builder_under_every_tls_feature() {
    // reqwest's own `Client::new()` panics in a process where no rustls provider is installed;
    // the builder the runtime hands out brings its provider.
    let http = sdk_runtime::transport::reqwest_builder()
        .unwrap()
        .pool_max_idle_per_host(2)
        .build()
        .expect("builds");
    ClientBuilder::<TwilioClient>::new()
        .basic_auth(USER, PASSWORD)
        .http_client(http)
        .build()
        .expect("an SDK client over it");
}

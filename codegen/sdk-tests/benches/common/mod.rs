//! A minimal HTTP/1.1 server on loopback for the client benchmarks: fixed responses, keep-alive,
//! no routing beyond what the benchmarks call, so the client's cost dominates what is measured.
#![allow(dead_code, reason = "each bench binary uses part of this")]

use std::sync::Arc;

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub(crate) const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
pub(crate) const CHAT_SERVICE: &str = "IS0123456789abcdef0123456789abcdef";
pub(crate) const STUDIO_FLOW: &str = "FW0123456789abcdef0123456789abcdef";
pub(crate) const FRONT_CHANNEL: &str = "cha_123";

/// Starts the server on the current tokio runtime; returns its base URL, e.g.
/// `http://127.0.0.1:41234`. `GET /v1/FlexFlows` serves `total_items` flex flows in pages of
/// the requested `PageSize`, linked by `meta.next_page_url`.
pub(crate) async fn start(total_items: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("local address"));
    let server = Arc::new(Server {
        base: base.clone(),
        total_items,
        flow: flex_flow(0).to_string(),
    });
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(server.clone().connection(socket));
        }
    });
    base
}

struct Server {
    base: String,
    total_items: usize,
    /// One flex flow as JSON; every item of every page is this one, so a page costs the
    /// server a copy, not a serialisation.
    flow: String,
}

/// A flex flow as the API returns it (the same shape as the wire tests').
pub(crate) fn flex_flow(i: usize) -> serde_json::Value {
    json!({
        "sid": format!("FO{i:032x}"),
        "account_sid": ACCOUNT,
        "friendly_name": "My Flow",
        "chat_service_sid": CHAT_SERVICE,
        "channel_type": "web",
        "contact_identity": "+15555550100",
        "enabled": true,
        "integration_type": "studio",
        "integration": {"flow_sid": STUDIO_FLOW, "retry_count": 1},
        "long_lived": false,
        "janitor_enabled": true,
        "date_created": "2024-05-01T12:30:00Z",
        "date_updated": "2024-05-01T12:30:00Z",
        "url": format!("https://flex-api.twilio.com/v1/FlexFlows/FO{i:032x}")
    })
}

impl Server {
    async fn connection(self: Arc<Self>, mut socket: TcpStream) {
        // Responses go out in one write; without NODELAY a response following a request
        // could wait on delayed ACKs.
        let _ = socket.set_nodelay(true);
        let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
        loop {
            let head_len = loop {
                if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    break at + 4;
                }
                match socket.read_buf(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            };
            let head = String::from_utf8_lossy(&buf[..head_len]).into_owned();
            let body_len = head
                .lines()
                .filter_map(|line| line.split_once(':'))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
                .and_then(|(_, value)| value.trim().parse::<usize>().ok())
                .unwrap_or(0);
            while buf.len() < head_len + body_len {
                match socket.read_buf(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            }
            buf.drain(..head_len + body_len);
            let mut parts = head.split_whitespace();
            let (method, target) = (
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
            );
            let response = self.respond(method, target);
            if socket.write_all(&response).await.is_err() {
                return;
            }
        }
    }

    fn respond(&self, method: &str, target: &str) -> Vec<u8> {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let (status, body) = match (method, path) {
            ("PUT", p) if p.starts_with("/channels/") => {
                ("200 OK", br#"{"template_id":"msg_777"}"#.to_vec())
            }
            ("POST", "/v1/FlexFlows") => ("201 Created", self.flow.clone().into_bytes()),
            ("GET", "/v1/FlexFlows") => ("200 OK", self.page(query)),
            _ => ("404 Not Found", br#"{"message":"not found"}"#.to_vec()),
        };
        let mut response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(&body);
        response
    }

    fn page(&self, query: &str) -> Vec<u8> {
        let param = |name: &str| {
            query
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == name)
                .and_then(|(_, v)| v.parse::<usize>().ok())
        };
        let size = param("PageSize").unwrap_or(50).max(1);
        let page = param("Page").unwrap_or(0);
        let first = page * size;
        let count = self.total_items.saturating_sub(first).min(size);
        let next = if first + count < self.total_items {
            format!(
                "\"{}/v1/FlexFlows?PageSize={size}&Page={}\"",
                self.base,
                page + 1
            )
        } else {
            "null".to_owned()
        };
        let mut body = Vec::with_capacity(count * (self.flow.len() + 1) + 512);
        body.extend_from_slice(b"{\"flex_flows\":[");
        for i in 0..count {
            if i > 0 {
                body.push(b',');
            }
            body.extend_from_slice(self.flow.as_bytes());
        }
        let url = format!("{}/v1/FlexFlows?PageSize={size}&Page={page}", self.base);
        body.extend_from_slice(
            format!(
                "],\"meta\":{{\"page\":{page},\"page_size\":{size},\"first_page_url\":\"{}/v1/FlexFlows?PageSize={size}&Page=0\",\"previous_page_url\":null,\"next_page_url\":{next},\"url\":\"{url}\",\"key\":\"flex_flows\"}}}}",
                self.base
            )
            .as_bytes(),
        );
        body
    }
}

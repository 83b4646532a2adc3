//! The example's webhook receiver on a local port: signed Twilio and Front requests reach
//! the handlers, forged ones are refused before them, and Front's challenge is answered.
//! Requests are signed here as the vendors sign them, for the public URL the vendors were
//! configured with (the server itself listens on a local address, as behind a proxy).

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use contact_centre_example::webhooks::{router, Received, WebhookConfig};
use front_channel::inbound::WebhookVerifier;
use serde_json::{json, Value};
use twilio_flex_v1::inbound::RequestValidator;
use twilio_flex_v1::sdk_runtime::reqwest::{Client, StatusCode};

const TWILIO_TOKEN: &str = "twilio-auth-token";
const FRONT_SECRET: &str = "front-app-secret";
const PUBLIC_ORIGIN: &str = "https://hooks.example.com";

struct Server {
    base: String,
    received: Arc<Mutex<Vec<Received>>>,
    http: Client,
}

async fn serve() -> Server {
    let received = Arc::new(Mutex::new(Vec::new()));
    let app = router(
        WebhookConfig {
            twilio_auth_token: TWILIO_TOKEN.into(),
            front_app_secret: FRONT_SECRET.into(),
            public_origin: PUBLIC_ORIGIN.into(),
        },
        received.clone(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server {
        base,
        received,
        http: twilio_flex_v1::sdk_runtime::transport::reqwest_builder()
            .unwrap()
            .build()
            .unwrap(),
    }
}

impl Server {
    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    async fn twilio(&self, params: &[(&str, &str)], signature: &str) -> StatusCode {
        let body: String = params
            .iter()
            .map(|(k, v)| format!("{k}={}", v.replace('+', "%2B")))
            .collect::<Vec<_>>()
            .join("&");
        self.http
            .post(format!("{}/twilio/status", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-twilio-signature", signature)
            .body(body)
            .send()
            .await
            .unwrap()
            .status()
    }

    async fn front(
        &self,
        body: &str,
        signature: &str,
        challenge: Option<&str>,
    ) -> (StatusCode, String) {
        let now = now_ms();
        let mut request = self
            .http
            .post(format!("{}/front/channel", self.base))
            .header("content-type", "application/json")
            .header("x-front-request-timestamp", &now)
            .header(
                "x-front-signature",
                match signature {
                    "sign" => WebhookVerifier::new(FRONT_SECRET).signature(&now, body.as_bytes()),
                    forged => forged.to_owned(),
                },
            )
            .body(body.to_owned());
        if let Some(challenge) = challenge {
            request = request.header("x-front-challenge", challenge);
        }
        answer(request.send().await.unwrap(), body).await
    }

    /// A `DELETE` as Front sends one when a channel is deleted: with a JSON body signed
    /// over it, or with no body at all, signed as `undefined`
    /// (https://dev.frontapp.com/docs/security-1). `signed_as` is what the signature covers
    /// when it is not the body (a forgery).
    async fn front_delete(
        &self,
        body: Option<&str>,
        signed_as: Option<&str>,
        secret: &str,
    ) -> StatusCode {
        let now = now_ms();
        let signed = signed_as.or(body).unwrap_or("undefined");
        let signature = WebhookVerifier::new(secret).signature(&now, signed.as_bytes());
        let mut request = self
            .http
            .delete(format!("{}/front/channel", self.base))
            .header("x-front-request-timestamp", &now)
            .header("x-front-signature", signature);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_owned());
        }
        answer(request.send().await.unwrap(), body.unwrap_or(""))
            .await
            .0
    }
}

/// Milliseconds since the epoch, as Front writes `X-Front-Request-Timestamp`.
fn now_ms() -> String {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis()
        .to_string()
}

/// The status and body of an answer to Front. Every successful one is JSON, the
/// challenge's included: Front's webhook sample answers it with
/// `res.status(200).json({ challenge })`.
async fn answer(
    response: twilio_flex_v1::sdk_runtime::reqwest::Response,
    sent: &str,
) -> (StatusCode, String) {
    if response.status().is_success() {
        assert_eq!(
            response.headers()["content-type"],
            "application/json",
            "{sent}"
        );
    }
    (response.status(), response.text().await.unwrap())
}

const STATUS: &[(&str, &str)] = &[
    ("MessageSid", "SM0123456789abcdef0123456789abcdef"),
    ("MessageStatus", "delivered"),
    ("To", "+15558675310"),
];

fn twilio_signature(token: &str) -> String {
    // Twilio signs the public URL it was configured with, not the server's local address.
    RequestValidator::new(token).signature(
        &format!("{PUBLIC_ORIGIN}/twilio/status"),
        STATUS.iter().copied(),
    )
}

#[tokio::test]
async fn a_signed_twilio_callback_reaches_the_handler_and_a_forged_one_does_not() {
    let server = serve().await;
    assert_eq!(
        server.twilio(STATUS, &twilio_signature(TWILIO_TOKEN)).await,
        StatusCode::OK
    );
    assert_eq!(
        server.received(),
        [Received::MessageStatus {
            sid: STATUS[0].1.into(),
            status: "delivered".into()
        }]
    );

    // Signed with another account's token, with a tampered status, or not signed at all.
    let forged = twilio_signature("another-token");
    assert_eq!(server.twilio(STATUS, &forged).await, StatusCode::FORBIDDEN);
    let mut tampered = STATUS.to_vec();
    tampered[1] = ("MessageStatus", "failed");
    let good = twilio_signature(TWILIO_TOKEN);
    assert_eq!(server.twilio(&tampered, &good).await, StatusCode::FORBIDDEN);
    let unsigned = server
        .http
        .post(format!("{}/twilio/status", server.base))
        .form(&[("MessageStatus", "delivered")])
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        server.received().len(),
        1,
        "no forged request reached the handler"
    );
}

#[tokio::test]
async fn a_signed_front_delivery_is_answered_and_a_forged_one_refused() {
    let server = serve().await;
    let message = json!({
        "type": "message",
        "payload": {"id": "msg_1", "type": "custom", "body": "Hello", "recipients": []},
        "metadata": {"external_conversation_ids": ["thread-7"]}
    })
    .to_string();
    let (status, body) = server.front(&message, "sign", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        answer,
        json!({"type": "success", "external_id": "sent-msg_1", "external_conversation_id": "thread-7"})
    );

    let forged = WebhookVerifier::new("not-the-secret").signature("0", message.as_bytes());
    let (status, body) = server.front(&message, &forged, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!body.contains(FRONT_SECRET), "{body}");

    let deleted = json!({"type": "delete", "payload": {"channel_id": "cha_1"}}).to_string();
    assert_eq!(
        server
            .front_delete(Some(&deleted), None, FRONT_SECRET)
            .await,
        StatusCode::OK
    );
    assert_eq!(
        server.received(),
        [
            Received::FrontMessage {
                id: "msg_1".into(),
                conversation: "thread-7".into()
            },
            Received::FrontChannelDeleted {
                channel_id: Some("cha_1".into())
            },
        ]
    );
}

#[tokio::test]
async fn a_channel_delete_without_a_body_reaches_the_handler() {
    let server = serve().await;
    assert_eq!(
        server.front_delete(None, None, FRONT_SECRET).await,
        StatusCode::OK
    );
    assert_eq!(
        server.received(),
        [Received::FrontChannelDeleted { channel_id: None }]
    );
    // Signed with another secret: refused before the handler.
    assert_eq!(
        server.front_delete(None, None, "not-the-secret").await,
        StatusCode::FORBIDDEN
    );
    // A JSON body sent under the signature of no body is not trusted.
    let forged = r#"{"type":"delete","payload":{"channel_id":"cha_forged"}}"#;
    assert_eq!(
        server
            .front_delete(Some(forged), Some("undefined"), FRONT_SECRET)
            .await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server.received().len(),
        1,
        "only the signed delete was recorded"
    );
}

#[tokio::test]
async fn fronts_challenge_is_answered_when_signed() {
    let server = serve().await;
    let sync = json!({"type": "sync", "authorization": {"id": "cmp_abc"}}).to_string();
    let (status, body) = server.front(&sync, "sign", Some("c-7f3a")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"challenge": "c-7f3a"})
    );
    let (status, _) = server.front(&sync, "AAAA", Some("c-7f3a")).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "an unsigned challenge is not echoed"
    );
    assert!(server.received().is_empty());
}

//! The inbound half: an axum app that receives Twilio's message status callbacks and Front's
//! Channel API deliveries, each verified before the handler runs (`Verified<_>`), so a
//! forged request never reaches the service's logic.
//!
//! Both vendors sign the URL or body they sent, so the receiver is told the public origin
//! the vendors were configured with (`PublicUrl::Origin`): behind a proxy or load balancer,
//! the address the server sees is not the one Twilio signed.

use std::sync::{Arc, Mutex};

use axum::extract::{FromRef, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use front_channel::inbound::{ChannelEvent, Delivery, MessageAccepted, WebhookVerifier};
use twilio_flex_v1::inbound::RequestValidator;
use twilio_flex_v1::sdk_runtime::webhook::axum::{Receiver, Verified};
use twilio_flex_v1::sdk_runtime::webhook::PublicUrl;

/// What the receiver saw, for the rest of the service (here: for the tests).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Received {
    /// Twilio reported a message's status.
    MessageStatus { sid: String, status: String },
    /// An agent sent a message through the Front channel.
    FrontMessage { id: String, conversation: String },
    /// A Front user deleted the channel: the id when Front's request named it, `None` for
    /// a `DELETE` without a body (the channel is the one behind the URL called).
    FrontChannelDeleted { channel_id: Option<String> },
    /// Front delivered something else (a new channel, an auto-reply, a newer type).
    FrontOther { kind: String },
}

/// The secrets the receiver checks signatures with, and the origin the vendors call.
#[derive(Clone)]
pub struct WebhookConfig {
    pub twilio_auth_token: String,
    pub front_app_secret: String,
    /// e.g. `https://hooks.example.com`: the scheme, host and (non-default) port configured
    /// in Twilio's console and Front's app settings.
    pub public_origin: String,
}

/// The app's state: one receiver per vendor, and a log of what was received.
#[derive(Clone)]
struct Hooks {
    twilio: Arc<Receiver<RequestValidator>>,
    front: Arc<Receiver<WebhookVerifier>>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl FromRef<Hooks> for Arc<Receiver<RequestValidator>> {
    fn from_ref(hooks: &Hooks) -> Self {
        hooks.twilio.clone()
    }
}

impl FromRef<Hooks> for Arc<Receiver<WebhookVerifier>> {
    fn from_ref(hooks: &Hooks) -> Self {
        hooks.front.clone()
    }
}

/// The routes: `POST /twilio/status` and `POST`/`DELETE /front/channel`. Everything
/// received is appended to `received`.
pub fn router(config: WebhookConfig, received: Arc<Mutex<Vec<Received>>>) -> Router {
    let origin = PublicUrl::Origin(config.public_origin);
    let hooks = Hooks {
        twilio: Arc::new(Receiver::new(
            RequestValidator::new(config.twilio_auth_token),
            origin.clone(),
        )),
        front: Arc::new(Receiver::new(
            WebhookVerifier::new(config.front_app_secret),
            origin,
        )),
        received,
    };
    Router::new()
        .route("/twilio/status", post(twilio_status))
        .route("/front/channel", post(front_channel).delete(front_channel))
        .with_state(hooks)
}

async fn twilio_status(
    State(hooks): State<Hooks>,
    Verified(callback): Verified<RequestValidator>,
) -> &'static str {
    let param = |name| callback.param(name).unwrap_or_default().to_owned();
    record(
        &hooks,
        Received::MessageStatus {
            sid: param("MessageSid"),
            status: param("MessageStatus"),
        },
    );
    ""
}

async fn front_channel(
    State(hooks): State<Hooks>,
    Verified(delivery): Verified<WebhookVerifier>,
) -> Response {
    let event = match delivery {
        Delivery::Challenge(challenge) => return challenge.into_response(),
        Delivery::Event(event) => event,
    };
    match event {
        ChannelEvent::Message(message) => {
            // Threads the reply into the first external conversation Front knows, or a new one.
            let conversation = message
                .metadata
                .as_ref()
                .and_then(|m| m.external_conversation_ids.first().cloned())
                .unwrap_or_else(|| format!("conversation-for-{}", message.payload.id));
            record(
                &hooks,
                Received::FrontMessage {
                    id: message.payload.id.clone(),
                    conversation: conversation.clone(),
                },
            );
            Json(MessageAccepted::new(
                format!("sent-{}", message.payload.id),
                conversation,
            ))
            .into_response()
        }
        ChannelEvent::Delete(channel) => {
            record(
                &hooks,
                Received::FrontChannelDeleted {
                    channel_id: channel.map(|c| c.channel_id),
                },
            );
            Json(serde_json::json!({"type": "success"})).into_response()
        }
        other => {
            record(
                &hooks,
                Received::FrontOther {
                    kind: other.kind().to_owned(),
                },
            );
            Json(serde_json::json!({"type": "success"})).into_response()
        }
    }
}

fn record(hooks: &Hooks, received: Received) {
    hooks
        .received
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(received);
}

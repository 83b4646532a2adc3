//! Front's webhook signatures, for application webhooks and Channel API deliveries alike.
//!
//! Front sends `X-Front-Request-Timestamp` (milliseconds since the Unix epoch) and
//! `X-Front-Signature`: base64 of HMAC-SHA256, keyed with the app's secret, over the
//! timestamp, a colon and the raw body
//! (<https://dev.frontapp.com/docs/application-webhooks>, "Verifying integrity"). For a
//! Channel API `GET` or `DELETE` without a body, Front signs the text `undefined` in the
//! body's place (<https://dev.frontapp.com/docs/security-1>: "GET and DELETE requests
//! return a string with the value \"undefined\" as the body"). A timestamp outside the
//! tolerance (five minutes by default, as Front recommends) is rejected against replay.
//!
//! A channel's deletion comes as a `DELETE` to the channel's webhook URL. Front's
//! partner-channel template (`frontapp/partner-channel-template`, `src/routes.ts`) reads
//! `{"type": "delete", "payload": {"channel_id": ...}}` from its body and checks the
//! signature over that body; the security page above says a `DELETE` is signed as
//! `undefined`. Both are accepted: a signed JSON body decodes as usual, and a `DELETE`
//! without a body signed as `undefined` is [`ChannelEvent::Delete`] with no payload.
//!
//! When an app webhook URL is saved, Front sends a signed request with `X-Front-Challenge`;
//! [`Delivery::Challenge`] carries it, and [`Challenge::response_body`] is the answer.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::auth::Secret;
use crate::time::{Timer, TokioTimer};
use crate::webhook::{self, Inbound, Rejection, Verifier};

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "x-front-signature";
/// The header carrying the signing time, in milliseconds since the Unix epoch.
pub const TIMESTAMP_HEADER: &str = "x-front-request-timestamp";
/// The header of the request Front sends when a webhook URL is saved.
pub const CHALLENGE_HEADER: &str = "x-front-challenge";

/// Front's recommended window: "5 minutes as the maximum time before rejecting a message".
const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// What Front signs in place of an absent body.
const ABSENT_BODY: &[u8] = b"undefined";

/// Checks Front's signature and timestamp, then decodes the body as `T`: a
/// [`ChannelEvent`] by default, or the event type of your app webhooks.
pub struct WebhookVerifier<T = ChannelEvent> {
    secret: Secret,
    tolerance: Duration,
    timer: Arc<dyn Timer>,
    /// What a verified request without a body is, for this event type: only the Channel
    /// API gives one a meaning (a channel's deletion), and `T` cannot be decoded from
    /// nothing.
    bodiless: fn(&Method) -> Option<T>,
    event: PhantomData<fn() -> T>,
}

impl<T> Clone for WebhookVerifier<T> {
    fn clone(&self) -> Self {
        WebhookVerifier {
            secret: self.secret.clone(),
            tolerance: self.tolerance,
            timer: self.timer.clone(),
            bodiless: self.bodiless,
            event: PhantomData,
        }
    }
}

impl<T> fmt::Debug for WebhookVerifier<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("secret", &self.secret)
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

impl WebhookVerifier<ChannelEvent> {
    /// A verifier of Channel API deliveries, keyed with the app's secret.
    pub fn new(app_secret: impl Into<Secret>) -> Self {
        WebhookVerifier {
            secret: app_secret.into(),
            tolerance: DEFAULT_TOLERANCE,
            timer: Arc::new(TokioTimer),
            bodiless: |method| (method == Method::DELETE).then_some(ChannelEvent::Delete(None)),
            event: PhantomData,
        }
    }
}

impl<T> WebhookVerifier<T> {
    /// The same verifier, decoding bodies as `U` (an app webhook's event, or
    /// `serde_json::Value`).
    pub fn events<U>(self) -> WebhookVerifier<U> {
        WebhookVerifier {
            secret: self.secret,
            tolerance: self.tolerance,
            timer: self.timer,
            bodiless: |_| None,
            event: PhantomData,
        }
    }

    /// How far the signing time may be from now, either way; default five minutes.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// The clock timestamps are checked against (for tests; the system clock by default).
    pub fn timer(mut self, timer: Arc<dyn Timer>) -> Self {
        self.timer = timer;
        self
    }

    /// The signature Front sends for `body` signed at `timestamp` (the header's text): for
    /// signing test requests.
    pub fn signature(&self, timestamp: &str, body: &[u8]) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .encode(self.mac(timestamp, body).finalize().into_bytes())
    }

    /// Checks the signature, then the timestamp. Returns the challenge, if Front sent one.
    pub fn check(&self, request: &Inbound<'_>) -> Result<Option<Challenge>, Rejection> {
        let signature = webhook::base64_signature(
            SIGNATURE_HEADER,
            request.required_header(SIGNATURE_HEADER)?,
        )?;
        let timestamp = request.required_header(TIMESTAMP_HEADER)?;
        let millis: u64 = timestamp
            .trim()
            .parse()
            .map_err(|_| Rejection::MalformedHeader {
                header: TIMESTAMP_HEADER,
                why: "it is not a whole number of milliseconds",
            })?;
        let body = request.body();
        if self.mac(timestamp, body).verify_slice(&signature).is_err() {
            let method = request.method();
            let signed_as_absent = (method == Method::GET || method == Method::DELETE)
                && self
                    .mac(timestamp, ABSENT_BODY)
                    .verify_slice(&signature)
                    .is_ok();
            if !signed_as_absent {
                return Err(Rejection::SignatureMismatch {
                    header: SIGNATURE_HEADER,
                    checked: "the timestamp header and the raw body",
                });
            }
            // Signed as having no body: a body sent with it is not covered, and could have
            // been put there by anyone who saw the signature.
            if !body.is_empty() {
                return Err(Rejection::UnsignedBody);
            }
        }
        self.check_age(millis)?;
        Ok(request
            .optional_header(CHALLENGE_HEADER)?
            .map(|value| Challenge(value.to_owned())))
    }

    fn check_age(&self, millis: u64) -> Result<(), Rejection> {
        let signed_at = UNIX_EPOCH + Duration::from_millis(millis);
        let now = self.timer.now();
        match now.duration_since(signed_at) {
            Ok(age) if age > self.tolerance => Err(Rejection::Stale {
                age,
                tolerance: self.tolerance,
            }),
            Ok(_) => Ok(()),
            Err(ahead) if ahead.duration() > self.tolerance => Err(Rejection::FromTheFuture {
                ahead: ahead.duration(),
                tolerance: self.tolerance,
            }),
            Err(_) => Ok(()),
        }
    }

    fn mac(&self, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256>>::new_from_slice(self.secret.expose().as_bytes())
            .expect("HMAC takes keys of any length (RFC 2104)");
        mac.update(timestamp.as_bytes());
        mac.update(b":");
        mac.update(body);
        mac
    }
}

impl<T: DeserializeOwned> WebhookVerifier<T> {
    /// Checks `request` and decodes it: the challenge of a URL being saved, or an event.
    ///
    /// A verified `DELETE` without a body is [`ChannelEvent::Delete`]`(None)` for the
    /// Channel API; for an event type of your own (`events::<U>()`), which has no event
    /// without a body, it is a [`Rejection::Body`].
    pub fn verify(&self, request: &Inbound<'_>) -> Result<Delivery<T>, Rejection> {
        if let Some(challenge) = self.check(request)? {
            return Ok(Delivery::Challenge(challenge));
        }
        if request.body().is_empty() {
            return (self.bodiless)(request.method())
                .map(Delivery::Event)
                .ok_or_else(|| Rejection::Body {
                    expected: "JSON of the documented shape",
                    why: format!(
                        "the {} request has no body, and this event type has no event without one",
                        request.method()
                    ),
                });
        }
        webhook::json_body(request.body()).map(Delivery::Event)
    }
}

impl<T: DeserializeOwned + Send + 'static> Verifier for WebhookVerifier<T> {
    type Event = Delivery<T>;

    fn verify(&self, request: &Inbound<'_>) -> Result<Delivery<T>, Rejection> {
        WebhookVerifier::verify(self, request)
    }
}

/// A verified request from Front.
#[derive(Clone, Debug, PartialEq)]
pub enum Delivery<T> {
    /// Front is checking the URL (an app webhook being saved): answer with
    /// [`Challenge::response_body`].
    Challenge(Challenge),
    /// An event.
    Event(T),
}

/// The `X-Front-Challenge` value of a URL being saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge(String);

impl Challenge {
    /// The random value Front sent.
    pub fn value(&self) -> &str {
        &self.0
    }

    /// The answer Front expects, with status 200 and `Content-Type: application/json`:
    /// `{"challenge": "<value>"}`.
    ///
    /// Front's page describes the validation request
    /// (<https://dev.frontapp.com/docs/application-webhooks>, "Application webhook
    /// validation"); the reply's format is the one of the sample app that complements that
    /// tutorial, `dugjason/front-webhook-application`,
    /// `src/middlewares/handle_validation_request.ts`: "Implements responding to the
    /// validation request: <https://dev.frontapp.com/docs/webhooks-1#responding-to-the-validation-request>",
    /// answering `res.status(200).json({ challenge })`.
    pub fn response_body(&self) -> String {
        serde_json::json!({ "challenge": self.0 }).to_string()
    }
}

/// A Channel API delivery: what Front sends to a channel's webhook URL
/// (<https://dev.frontapp.com/docs/channel-api>). A type this version does not know is kept
/// as [`ChannelEvent::Unknown`], not rejected.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ChannelEvent {
    /// A channel of your type was created; answer `{"type": "success", "webhook_url": ...}`.
    Authorization(Authorization),
    /// An agent sent a message on the channel; answer with [`MessageAccepted`].
    Message(OutboundMessage),
    /// Front sent an automatic reply on the channel (an auto-reply rule fired).
    MessageAutoreply(Autoreply),
    /// A message was imported into the channel.
    MessageImported(OutboundMessage),
    /// The channel was deleted: `Some` with the channel a JSON body names, `None` for a
    /// `DELETE` without a body (the channel is the one whose webhook URL was called).
    Delete(Option<ChannelRef>),
    /// A delivery of a type this version does not know.
    Unknown(UnknownEvent),
}

impl ChannelEvent {
    /// The delivery's `type`, as Front names it.
    pub fn kind(&self) -> &str {
        match self {
            ChannelEvent::Authorization(_) => "authorization",
            ChannelEvent::Message(_) => "message",
            ChannelEvent::MessageAutoreply(_) => "message_autoreply",
            ChannelEvent::MessageImported(_) => "message_imported",
            ChannelEvent::Delete(_) => "delete",
            ChannelEvent::Unknown(u) => &u.kind,
        }
    }
}

impl<'de> Deserialize<'de> for ChannelEvent {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let body = serde_json::Value::deserialize(deserializer)?;
        let kind = body
            .get("type")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| D::Error::missing_field("type"))?
            .to_owned();
        let decode = |value: serde_json::Value| -> Result<OutboundMessage, D::Error> {
            OutboundMessage::deserialize(value).map_err(D::Error::custom)
        };
        Ok(match kind.as_str() {
            "authorization" => ChannelEvent::Authorization(
                Authorization::deserialize(body).map_err(D::Error::custom)?,
            ),
            "message" => ChannelEvent::Message(decode(body)?),
            "message_autoreply" => ChannelEvent::MessageAutoreply(Autoreply::from_body(body)),
            "message_imported" => ChannelEvent::MessageImported(decode(body)?),
            "delete" => ChannelEvent::Delete(
                ChannelPayload::deserialize(body)
                    .map_err(D::Error::custom)?
                    .payload,
            ),
            _ => ChannelEvent::Unknown(UnknownEvent { kind, body }),
        })
    }
}

/// An auto-reply delivery, kept as Front sent it.
///
/// Front documents its shape only as `{"type": "message_autoreply", "payload": {...}}`,
/// with "a different payload than message events"
/// (<https://dev.frontapp.com/changelog/channel-api-partner-channel-auto-reply-messages>), so
/// no field is required and nothing in it can make a real auto-reply a rejection.
/// [`Autoreply::message`] reads the payload as a [`ChannelMessage`] when it has that shape.
#[derive(Clone, PartialEq)]
pub struct Autoreply {
    /// The `payload`, as received (`Null` if there was none).
    pub payload: serde_json::Value,
    /// The delivery's other fields (`metadata`, say), `type` aside.
    pub other: serde_json::Map<String, serde_json::Value>,
}

impl Autoreply {
    fn from_body(body: serde_json::Value) -> Self {
        let mut other = match body {
            serde_json::Value::Object(fields) => fields,
            _ => serde_json::Map::new(),
        };
        other.remove("type");
        let payload = other.remove("payload").unwrap_or_default();
        Autoreply { payload, other }
    }

    /// The payload as a message, if it has a message's shape (an `id`, at least).
    pub fn message(&self) -> Option<ChannelMessage> {
        ChannelMessage::deserialize(&self.payload).ok()
    }

    /// The conversations the reply threads into, if Front sent them in a form this version
    /// reads.
    pub fn metadata(&self) -> Option<ConversationMetadata> {
        ConversationMetadata::deserialize(self.other.get("metadata")?).ok()
    }
}

impl fmt::Debug for Autoreply {
    // The payload holds the reply's text and the customer's handle: show its field names.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys = |value: &serde_json::Value| -> Vec<String> {
            value
                .as_object()
                .map(|fields| fields.keys().cloned().collect())
                .unwrap_or_default()
        };
        f.debug_struct("Autoreply")
            .field("payload_fields", &keys(&self.payload))
            .field("other_fields", &self.other.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A channel being connected: the channel's id and whatever else Front sends with it.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Authorization {
    /// The new channel.
    pub payload: ChannelRef,
}

#[derive(Deserialize)]
struct ChannelPayload {
    #[serde(default)]
    payload: Option<ChannelRef>,
}

/// The channel a delivery is about.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct ChannelRef {
    /// `cha_...`.
    pub channel_id: String,
    /// Fields this version does not name.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

/// A message Front delivers to the channel, and the conversation it belongs to.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct OutboundMessage {
    /// The message, as Front's Core API describes messages.
    pub payload: ChannelMessage,
    /// The external conversations the message threads into.
    #[serde(default)]
    pub metadata: Option<ConversationMetadata>,
}

/// Which of the channel's conversations a message belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct ConversationMetadata {
    /// Every external conversation id of the Front conversation (several after a merge);
    /// answering with any of them threads the message there.
    #[serde(default)]
    pub external_conversation_ids: Vec<String>,
    /// The single id older deliveries carry; Front plans to remove it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_conversation_id: Option<String>,
}

/// A message in a Channel API delivery. Only the fields a channel needs are named; the
/// rest are kept in `other`.
#[derive(Clone, PartialEq, Deserialize, Serialize)]
pub struct ChannelMessage {
    /// `msg_...`.
    pub id: String,
    /// The message's type (`custom` for a partner channel).
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The body, as HTML.
    #[serde(default)]
    pub body: Option<String>,
    /// The body as plain text.
    #[serde(default)]
    pub text: Option<String>,
    /// The subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// Who the message is from and to.
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    /// Files attached to the message.
    #[serde(default)]
    pub attachments: Vec<serde_json::Value>,
    /// When the message was created, in seconds since the Unix epoch.
    #[serde(default)]
    pub created_at: Option<f64>,
    /// Fields this version does not name.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

impl fmt::Debug for ChannelMessage {
    // Bodies, subjects and handles are personal data: show the shape, not the content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChannelMessage")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("body", &self.body.as_ref().map(|_| crate::Redacted))
            .field("text", &self.text.as_ref().map(|_| crate::Redacted))
            .field("subject", &self.subject.as_ref().map(|_| crate::Redacted))
            .field("recipients", &self.recipients)
            .field("attachments", &self.attachments.len())
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

/// One party of a message.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Recipient {
    /// The address on the channel (a phone number, a user id, ...).
    pub handle: String,
    /// `from`, `to`, `cc` or `bcc`.
    pub role: String,
    /// The party's name, when Front knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl fmt::Debug for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recipient")
            .field("handle", &crate::Redacted)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// A delivery of a `type` this version does not know, kept whole.
#[derive(Clone, PartialEq)]
pub struct UnknownEvent {
    /// Its `type`.
    pub kind: String,
    /// The whole body.
    pub body: serde_json::Value,
}

impl fmt::Debug for UnknownEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnknownEvent")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// The answer to a [`ChannelEvent::Message`]: the ids the channel gave the message and its
/// conversation, as JSON with status 200.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageAccepted {
    /// Always `success`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The channel's id for the message.
    pub external_id: String,
    /// The channel's id for the conversation.
    pub external_conversation_id: String,
}

impl MessageAccepted {
    /// The success answer for a message with these ids.
    pub fn new(
        external_id: impl Into<String>,
        external_conversation_id: impl Into<String>,
    ) -> Self {
        MessageAccepted {
            kind: "success".into(),
            external_id: external_id.into(),
            external_conversation_id: external_conversation_id.into(),
        }
    }
}

// Here rather than in `webhook::axum`, which sits below the vendors and names none.
#[cfg(feature = "axum")]
impl axum::response::IntoResponse for Challenge {
    /// 200 with `{"challenge": "<value>"}` as JSON, the answer Front expects (where that
    /// comes from: [`Challenge::response_body`]).
    fn into_response(self) -> axum::response::Response {
        (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            self.response_body(),
        )
            .into_response()
    }
}

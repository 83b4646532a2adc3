//! An axum extractor: a handler that takes [`Verified<V>`] runs only for requests that
//! passed `V`'s checks; any other request is answered with the [`Rejection`]'s status and
//! message, before the handler.
//!
//! ```no_run
//! use std::sync::Arc;
//! use axum::{routing::post, Router};
//! use sdk_runtime::extensions::twilio::RequestValidator;
//! use sdk_runtime::webhook::axum::{Receiver, Verified};
//! use sdk_runtime::webhook::PublicUrl;
//!
//! async fn status(Verified(callback): Verified<RequestValidator>) -> &'static str {
//!     println!("message {:?} is {:?}", callback.param("MessageSid"), callback.param("MessageStatus"));
//!     "ok"
//! }
//!
//! let receiver = Receiver::new(
//!     RequestValidator::new("auth token"),
//!     PublicUrl::Origin("https://hooks.example.com".into()),
//! );
//! let app: Router = Router::new()
//!     .route("/twilio/status", post(status))
//!     .with_state(Arc::new(receiver));
//! ```

use std::sync::Arc;

use axum::extract::{FromRef, FromRequest, Request};
use axum::response::{IntoResponse, Response};

use super::{Inbound, PublicUrl, Rejection, Verifier};

/// The largest body read by default: Twilio and Front deliveries are far smaller.
const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// A verifier and how to recover the URL the vendor called; the state [`Verified`] reads
/// (as `Arc<Receiver<V>>`, directly or through [`FromRef`]).
#[derive(Debug)]
pub struct Receiver<V> {
    verifier: V,
    public_url: PublicUrl,
    body_limit: usize,
}

impl<V> Receiver<V> {
    /// Verifies with `verifier`, against URLs rebuilt by `public_url`.
    pub fn new(verifier: V, public_url: PublicUrl) -> Self {
        Receiver {
            verifier,
            public_url,
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }

    /// The largest body accepted; default 2 MiB.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }
}

/// A request that passed `V`'s checks, decoded.
#[derive(Debug)]
pub struct Verified<V: Verifier>(pub V::Event);

/// A request that did not pass: answered with [`Rejection::status`] and its message.
#[derive(Debug)]
pub struct Rejected(pub Rejection);

impl IntoResponse for Rejected {
    fn into_response(self) -> Response {
        (self.0.status(), self.0.to_string()).into_response()
    }
}

impl<S, V> FromRequest<S> for Verified<V>
where
    V: Verifier,
    V::Event: Send,
    Arc<Receiver<V>>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Rejected;

    async fn from_request(request: Request, state: &S) -> Result<Self, Rejected> {
        let receiver = Arc::<Receiver<V>>::from_ref(state);
        let (parts, body) = request.into_parts();
        let body = axum::body::to_bytes(body, receiver.body_limit)
            .await
            .map_err(|_| {
                Rejected(Rejection::Body {
                    expected: "a body within the receiver's limit",
                    why: format!(
                        "it could not be read whole within {} bytes",
                        receiver.body_limit
                    ),
                })
            })?;
        let url = receiver
            .public_url
            .resolve_uri(&parts.uri, &parts.headers)
            .map_err(Rejected)?;
        let inbound = Inbound::new(&parts.method, &url, &parts.headers, &body);
        receiver
            .verifier
            .verify(&inbound)
            .map(Verified)
            .map_err(Rejected)
    }
}

//! Runtime support shared by every generated SDK crate.
//!
//! Generated crates hold only what comes from their spec (types, one request builder per
//! operation); everything with behaviour lives here, written and tested once.
//!
//! In layers, each importing only those above it in this list (`tests/layers.rs` checks
//! every `crate::` path against it):
//!
//! - [`time`]: the injectable [`Timer`], which every layer may ask;
//! - wire types, no I/O: [`Secret`] and the parsers of header values; [`error`] (the one
//!   [`Error`] type); [`Operation`] (what a generated crate declares per operation);
//!   [`response`] (decoded bodies with their
//!   [`Metadata`], and [`RawResponse`]), [`encoding`] (building a [`Request`]: path, query,
//!   headers, JSON/form/multipart bodies);
//! - [`transport`]: the [`HttpClient`](transport::HttpClient) seam every request goes
//!   through (reqwest by default), and one exchange over it, with redirects by our rules and
//!   bodies read up to a limit;
//! - [`retry`]: the [`RetryPolicy`], the shared [`RetryBudget`] and the retry loop;
//! - [`auth`]: credentials as an [`AuthProvider`] asked before every attempt;
//! - [`api`]: what a generated crate declares about its API ([`ApiInfo`]);
//! - [`client`]: the [`Client`] and its [`ClientBuilder`], and a call from start to end;
//! - [`pagination`]: [`Pages`] and [`Items`] streams over list operations;
//! - [`webhook`]: receiving the vendors' webhooks: the framework-neutral [`Inbound`]
//!   request, [`Verifier`]s and their [`Rejection`]s;
//! - `mock` (feature `test-util`): an in-process [`HttpClient`](transport::HttpClient) for
//!   tests, with rules per operation and recorded requests;
//! - [`extensions`]: what Twilio and Front add (host rules, credentials, SIDs, JWT signing,
//!   webhook signatures).
//!
//! # Failure behaviour
//!
//! Nothing a server sends can panic the client, hold it forever or fill its memory. What
//! each fault produces, with the defaults (each is a [`ClientBuilder`] setting):
//!
//! | fault | result |
//! |---|---|
//! | 2xx body over 64 MiB ([`max_body_size`](ClientBuilder::max_body_size)) | [`Error::BodyTooLarge`]; a `Content-Length` over the limit fails before reading, the connection is dropped |
//! | error body over 8 MiB ([`max_error_body_size`](ClientBuilder::max_error_body_size)) | [`Error::BodyTooLarge`], keeping the status and `Retry-After`: a 429 or 503 is retried as such |
//! | no answer, or a body that trickles ([`timeout`](ClientBuilder::timeout), 60 s per attempt; [`connect_timeout`](ClientBuilder::connect_timeout), 10 s) | [`Error::Timeout`]; a whole-call limit is [`call_timeout`](ClientBuilder::call_timeout) |
//! | 429, 503, timeouts, lost connections | retried per [`RetryPolicy`] (3 attempts, full-jitter backoff 200 ms to 5 s, 30 s in all), only where repeating is safe |
//! | `Retry-After` of any size or date | read saturating; longer than 20 s ([`max_retry_after`](RetryPolicy::max_retry_after)): not waited for, the error is returned with it |
//! | every request fails (an outage) | retries stop when the shared [`RetryBudget`] (20 retries, refilled by successes) is spent: 100 calls send at most 120 requests |
//! | a redirect | followed up to 5 times ([`max_redirects`](ClientBuilder::max_redirects)); never `https` to `http` ([`Error::Redirect`]); credentials never to another origin. A `reqwest::Client` of your own ([`http_client`](ClientBuilder::http_client)) must have redirects off, or reqwest follows them first by its rules |
//! | a next-page link seen before in the listing, or a repeated cursor | [`Error::Pagination`] |
//! | more than 100,000 pages, or 5 empty pages in a row that still link onwards | [`Error::Pagination`] |
//! | 401 for a token that should still be valid | the [`AuthProvider`] may renew it ([`AuthProvider::rejected`]): the request is repeated once |
//! | OAuth token endpoint slow, failing or lying | one refresh in flight, others wait at most 30 s; a failure backs off (1 s doubling to 60 s) instead of being retried by every caller; `expires_in` beats the JWT's `exp`, both range-checked |
//! | malformed status line, headers or chunked encoding, a connection cut mid-body | [`Error::Transport`] |
//! | a server-sent event, or a line of one, over 1 MiB ([`DEFAULT_MAX_EVENT_SIZE`](client::DEFAULT_MAX_EVENT_SIZE)), however slowly it comes | [`Error::BodyTooLarge`], ending the [`EventStream`]; the connection is dropped |
//! | a body that is not the JSON the spec describes | [`Error::Decode`], its excerpt redacted in `Display` and `Debug` |
//!
//! A generated operation's `send` is, in essence:
//!
//! ```no_run
//! # use sdk_runtime::{ApiClient, ApiInfo, AuthScheme, Client, ClientBuilder, Error, Operation, Request};
//! # static API: ApiInfo = ApiInfo {
//! #     crate_name: "example", crate_version: "0.1.0",
//! #     servers: &["https://flex-api.twilio.com/v2"], auth: AuthScheme::Basic,
//! #     env: &[], hosts: None, request_id_header: None,
//! # };
//! # struct Example(Client);
//! # impl ApiClient for Example {
//! #     const API: &'static ApiInfo = &API;
//! #     fn from_runtime(c: Client, _: sdk_runtime::ClientToken) -> Self { Example(c) }
//! # }
//! static FETCH_FLEX_USER: Operation = Operation {
//!     id: "FetchFlexUser",
//!     method: sdk_runtime::reqwest::Method::GET,
//!     path: "/Instances/{InstanceSid}/Users/{FlexUserSid}",
//!     server: 0,
//!     errors: &[],
//! };
//!
//! async fn fetch(client: &Client, instance: &str, user: &str) -> Result<serde_json::Value, Error> {
//!     let mut request = Request::new(&FETCH_FLEX_USER);
//!     request.path_param("InstanceSid", instance);
//!     request.path_param("FlexUserSid", user);
//!     Ok(client.execute(request).await?.json()?.into_body())
//! }
//! # async fn run() -> Result<(), Error> {
//! # let Example(client) = ClientBuilder::<Example>::new().basic_auth("AC…", "token").build()?;
//! # fetch(&client, "GO…", "FU…").await?;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod api;
pub mod auth;
pub mod client;
pub mod encoding;
mod enums;
pub mod error;
pub mod extensions;
/// The old name of [`extensions`], kept for one release so code written against it builds.
#[deprecated(since = "0.2.0", note = "renamed to `extensions`")]
pub use extensions as vendor;
#[cfg(feature = "test-util")]
pub mod mock;
mod operation;
pub mod pagination;
pub mod response;
pub mod retry;
mod secret;
pub mod time;
pub mod transport;
pub mod webhook;
mod wire;

pub use api::{ApiInfo, AuthScheme, EnvAuth, HostResolver};
pub use auth::AuthProvider;
pub use client::{
    ApiClient, CallOptions, Client, ClientBuilder, ClientToken, Event, EventStream, Streaming,
};
pub use encoding::{FilePart, Multipart, Request};
pub use enums::UnknownValue;
pub use error::{ApiError, Error, ErrorBody};
pub use operation::{ErrorSchema, Operation};
pub use pagination::{Items, ListPage, NextLink, Page, Pages};
pub use response::{Body, Metadata, RawResponse, Response};
pub use retry::{RetryBudget, RetryPolicy};
pub use secret::Secret;
pub use time::Timer;
pub use webhook::{Inbound, Rejection, Verifier};

/// Re-exported for users who build their own [`reqwest::Client`] for
/// [`transport::ReqwestClient::new`] and must match the runtime's reqwest version: start from
/// [`transport::reqwest_builder`], which brings the TLS setup (see there why
/// `reqwest::Client::new()` is not enough). Generated code never names reqwest: it sends
/// through [`transport::HttpClient`].
pub use reqwest;

/// Re-exported: the HTTP types (`Method`, `StatusCode`, headers) every layer uses, without a
/// dependency on the transport behind them.
pub use http;

/// Re-exported for raw request bodies (`bytes::Bytes`), which generated crates take without
/// depending on `bytes` themselves.
pub use bytes;

/// Stand-in printed by generated `Debug` impls in place of fields that hold
/// personal data (phone numbers, message bodies, ...), so logging a value never
/// leaks them.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Decodes a JSON value as `T` and encodes it again. Generated crates use it to let tests
/// round-trip every example in a spec through the type generated for it; not part of the API.
#[doc(hidden)]
pub fn __round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::to_value(serde_json::from_value::<T>(value)?)
}

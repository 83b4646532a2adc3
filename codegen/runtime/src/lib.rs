//! Runtime support shared by every generated SDK crate.
//!
//! Generated crates hold only what comes from their spec (types, one request builder per
//! operation); everything with behaviour lives here, written and tested once:
//!
//! - [`api`]: what a generated crate declares about its API ([`ApiInfo`], [`Operation`]);
//! - [`client`]: the [`Client`] and its [`ClientBuilder`];
//! - [`auth`]: credentials as an [`AuthProvider`] asked before every attempt;
//! - [`encoding`]: building a [`Request`] (path, query, headers, JSON/form/multipart bodies);
//! - [`transport`]: sending it (auth, timeouts, tracing, the [`RetryPolicy`]);
//! - [`response`]: decoded bodies with their [`Metadata`], and [`RawResponse`];
//! - [`pagination`]: [`Pages`] and [`Items`] streams over list operations;
//! - [`error`]: the one [`Error`] type;
//! - [`time`]: the injectable [`Timer`];
//! - [`webhook`]: receiving the vendors' webhooks: the framework-neutral [`Inbound`]
//!   request, [`Verifier`]s and their [`Rejection`]s;
//! - [`vendor`]: what Twilio and Front add (host rules, credentials, SIDs, JWT signing,
//!   webhook signatures).
//!
//! Layering: `encoding` builds requests, `transport` sends them, `pagination` builds on
//! both; none of them imports a later one.
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
pub mod pagination;
pub mod response;
pub mod time;
pub mod transport;
pub mod vendor;
pub mod webhook;

pub use api::{ApiInfo, AuthScheme, EnvAuth, ErrorSchema, HostResolver, Operation};
pub use auth::{AuthProvider, Secret};
pub use client::{ApiClient, Client, ClientBuilder, ClientToken};
pub use encoding::{FilePart, Multipart, Request};
pub use enums::UnknownValue;
pub use error::{ApiError, Error, ErrorBody};
pub use pagination::{Items, ListPage, NextLink, Page, Pages};
pub use response::{Body, Metadata, RawResponse, Response};
pub use time::Timer;
pub use transport::RetryPolicy;
pub use webhook::{Inbound, Rejection, Verifier};

/// Re-exported so generated crates can name `reqwest::Method` and friends without
/// depending on (and version-matching) reqwest themselves.
pub use reqwest;

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

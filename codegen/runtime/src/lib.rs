//! Runtime support shared by every generated SDK crate.
//!
//! Generated crates (Twilio, Front, ...) contain only types and thin operation
//! functions; everything with behaviour lives here so it is written, reviewed and
//! tested once: the [`Client`] and its configuration, authentication, request
//! encoding, retries, pagination, error decoding, and small value types such as
//! Twilio [`Sid`]s.
//!
//! A generated operation typically looks like this:
//!
//! ```no_run
//! # use sdk_runtime::{ApiInfo, AuthKind, Client, Credentials, EnvCredentials, Error, Operation};
//! # static API: ApiInfo = ApiInfo {
//! #     crate_name: "example", crate_version: "0.1.0",
//! #     servers: &["https://flex-api.twilio.com/v2"], auth: AuthKind::Basic,
//! #     env: EnvCredentials { basic: &[], bearer: &[] }, twilio_hosts: None,
//! # };
//! static FETCH_FLEX_USER: Operation = Operation {
//!     id: "FetchFlexUser",
//!     method: sdk_runtime::reqwest::Method::GET,
//!     path: "/Instances/{InstanceSid}/Users/{FlexUserSid}",
//!     server: 0,
//! };
//!
//! async fn fetch(client: &Client, instance: &str, user: &str) -> Result<serde_json::Value, Error> {
//!     let mut req = client.request(&FETCH_FLEX_USER);
//!     req.path_param("InstanceSid", instance);
//!     req.path_param("FlexUserSid", user);
//!     req.send_json().await
//! }
//! ```
#![deny(missing_docs)]
#![warn(rust_2018_idioms, unreachable_pub)]

mod client;
mod credentials;
mod encoding;
mod enums;
mod error;
mod multipart;
mod pagination;
mod request;
mod retry;
mod sid;

pub use client::{ApiInfo, AuthKind, Client, ClientBuilder, EnvCredentials, TwilioHosts};
pub use credentials::{Credentials, Secret};
pub use enums::UnknownValue;
pub use error::{ApiError, Error, ErrorBody};
pub use multipart::{FilePart, Multipart};
pub use pagination::Page;
pub use request::{Operation, RawResponse, RequestBuilder};
pub use retry::RetryPolicy;
pub use sid::{Sid, SidError, SidPrefix};

/// Re-exported so generated crates can name `reqwest::Method` and friends without
/// depending on (and version-matching) reqwest themselves.
pub use reqwest;

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

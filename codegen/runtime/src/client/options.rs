//! Per-call settings that beat the client's for one call (aws-sdk-rust's `customize()`):
//! generated builders hold one and hand it to [`Client::execute_with`](super::Client::execute_with).

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::retry::RetryPolicy;

/// Settings for one call; each left unset keeps the client's.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) call_timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: HeaderMap,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// The timeout of each attempt of this call
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout) for all calls).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The timeout of the whole call, retries included
    /// ([`ClientBuilder::call_timeout`](crate::ClientBuilder::call_timeout)).
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }

    /// The retry policy of this call; the client's retry budget still applies.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// A header sent with every attempt of this call (replacing one of the same name the
    /// request has; credentials still go on after it).
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }
}

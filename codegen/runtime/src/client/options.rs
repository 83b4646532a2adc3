//! Per-call settings that beat the client's for one call (aws-sdk-rust's `customize()`):
//! generated builders hold one and hand it to [`Client::execute_with`](super::Client::execute_with).

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::retry::RetryPolicy;

/// Settings for one call; each left unset keeps the client's.
///
/// One pointer wide until something is set: every request builder holds one and is moved by
/// each of its setters, so an unused `CallOptions` must cost next to nothing.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    set: Option<Box<Overrides>>,
}

#[derive(Clone, Debug, Default)]
struct Overrides {
    attempt_timeout: Option<Duration>,
    call_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    headers: HeaderMap,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    fn edit(mut self, change: impl FnOnce(&mut Overrides)) -> Self {
        change(self.set.get_or_insert_with(Default::default));
        self
    }

    /// The timeout of each attempt of this call
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout) for all calls).
    pub fn timeout(self, timeout: Duration) -> Self {
        self.edit(|o| o.attempt_timeout = Some(timeout))
    }

    /// The timeout of the whole call, retries included
    /// ([`ClientBuilder::call_timeout`](crate::ClientBuilder::call_timeout)).
    pub fn call_timeout(self, timeout: Duration) -> Self {
        self.edit(|o| o.call_timeout = Some(timeout))
    }

    /// The retry policy of this call; the client's retry budget still applies.
    pub fn retry_policy(self, policy: RetryPolicy) -> Self {
        self.edit(|o| o.retry = Some(policy))
    }

    /// A header sent with every attempt of this call (replacing one of the same name the
    /// request has; credentials still go on after it).
    pub fn header(self, name: HeaderName, value: HeaderValue) -> Self {
        self.edit(|o| {
            o.headers.insert(name, value);
        })
    }

    pub(crate) fn attempt_timeout(&self) -> Option<Duration> {
        self.set.as_ref()?.attempt_timeout
    }

    pub(crate) fn call_timeout_override(&self) -> Option<Duration> {
        self.set.as_ref()?.call_timeout
    }

    pub(crate) fn retry(&self) -> Option<&RetryPolicy> {
        self.set.as_ref()?.retry.as_ref()
    }

    pub(crate) fn headers(&self) -> Option<&HeaderMap> {
        self.set.as_ref().map(|o| &o.headers)
    }
}

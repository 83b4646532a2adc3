//! Retries: which failures are tried again, how long to wait in between, the budget that
//! keeps retries from multiplying an outage ([`RetryBudget`], in `budget.rs`), and the loop
//! that does it. Time comes from the client's [`Timer`], so tests take no wall time.

mod budget;

use std::future::Future;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;

pub use budget::RetryBudget;

use crate::error::Error;
use crate::time::Timer;

/// How failed requests are retried.
///
/// **Throttling (HTTP 429) is retried for every method**, POST and PATCH included: a 429
/// means the server did not process the request (Twilio and Front document it so), so
/// sending it again cannot do anything twice. The same holds for a connection that could
/// not be opened: the request never left.
///
/// **Everything that may have reached the server is retried only for idempotent methods**
/// (GET, HEAD, PUT, DELETE, OPTIONS): HTTP 503, timeouts and connections lost mid-request.
/// A POST that timed out may already have sent an SMS; repeating it is the caller's call
/// ([`Error::is_retryable`] and [`Error::retry_after`] help, and request builders are
/// `Clone`).
///
/// Between attempts the client waits for the server's `Retry-After` when given, otherwise
/// an exponential backoff with full jitter. A `Retry-After` longer than
/// [`max_retry_after`](Self::max_retry_after) is not waited for: the error is returned at
/// once, carrying the wait the server asked for ([`Error::retry_after`]), since retrying
/// sooner would only be throttled again. When a wait would overrun
/// [`max_elapsed`](Self::max_elapsed), the last error is returned instead.
///
/// Every retry also draws from the client's [`RetryBudget`], shared by all its clones:
/// when a server fails everything, retries stop after the budget is spent, and the client
/// sends about as many requests as it was given calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    max_elapsed: Duration,
}

impl RetryPolicy {
    /// The default: at most 3 attempts, backoff from 200 ms up to 5 s, a `Retry-After` of
    /// at most 20 s honoured, at most 30 s in all.
    pub fn standard() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(20),
            max_elapsed: Duration::from_secs(30),
        }
    }

    /// A single attempt, never retried.
    pub fn disabled() -> Self {
        Self::standard().max_attempts(1)
    }

    /// Total attempts including the first; `0` is treated as `1`.
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// The backoff ceiling before the first retry; it doubles per retry.
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// The largest backoff ceiling.
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// The longest `Retry-After` the client waits for; a longer one ends the retries.
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }

    /// The time budget for all attempts and waits together: no wait starts that would end
    /// past it. To bound attempts in flight too, see
    /// [`ClientBuilder::call_timeout`](crate::ClientBuilder::call_timeout).
    pub fn max_elapsed(mut self, d: Duration) -> Self {
        self.max_elapsed = d;
        self
    }

    /// Full jitter (uniform in `[0, ceiling]`) spreads out clients that failed together,
    /// which matters most for 429s caused by exactly such a crowd.
    fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.max_backoff);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::standard()
    }
}

/// Whether a failed attempt may be sent again, by the rule in [`RetryPolicy`]'s docs: a
/// retryable failure, if repeating the request is safe or the server cannot have acted on it.
fn may_retry(error: &Error, idempotent: bool) -> bool {
    error.is_retryable() && (idempotent || not_acted_on(error))
}

/// A 429 says the request was not processed, and a connection never made carried nothing.
/// Anything else (a 503, a timeout, a connection lost mid-request) may follow a server that
/// acted.
fn not_acted_on(error: &Error) -> bool {
    match error {
        Error::Api(e) => e.status() == StatusCode::TOO_MANY_REQUESTS,
        Error::BodyTooLarge { status, .. } => *status == 429,
        Error::Transport { source, .. } => source.is_connect(),
        _ => false,
    }
}

/// Runs `attempt` until it succeeds, fails for good, or the policy's attempts, time budget
/// or the shared retry budget run out; the last error is returned.
pub(crate) async fn run<T, F, Fut>(
    policy: &RetryPolicy,
    budget: &RetryBudget,
    timer: &dyn Timer,
    idempotent: bool,
    mut attempt: F,
) -> Result<T, Error>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let started = timer.now();
    let mut n = 0;
    loop {
        n += 1;
        let error = match attempt(n).await {
            Ok(response) => {
                budget.record_success();
                return Ok(response);
            }
            Err(error) => error,
        };
        if n >= policy.max_attempts || !may_retry(&error, idempotent) {
            return Err(error);
        }
        let Some(delay) = policy.delay(&error, n) else {
            tracing::debug!(retry_after = ?error.retry_after(), "not retrying: the server asks for a longer wait than the policy allows");
            return Err(error);
        };
        if elapsed(timer, started).saturating_add(delay) > policy.max_elapsed {
            tracing::debug!(
                ?delay,
                "not retrying: the wait would exceed the time budget"
            );
            return Err(error);
        }
        if !budget.try_withdraw(error.is_timeout()) {
            tracing::debug!("not retrying: the client's retry budget is spent");
            return Err(error);
        }
        tracing::debug!(?delay, error = %error, "retrying");
        timer.sleep(delay).await;
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (from 1) after `error`: the server's
    /// `Retry-After` if the policy accepts it, else the backoff. `None`: do not retry.
    fn delay(&self, error: &Error, retry: u32) -> Option<Duration> {
        match error.retry_after() {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(retry - 1)),
        }
    }
}

fn elapsed(timer: &dyn Timer, since: SystemTime) -> Duration {
    timer.now().duration_since(since).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded() {
        let p = RetryPolicy::standard()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(300));
        for retry in 0..40 {
            let d = p.backoff(retry);
            assert!(d <= Duration::from_millis(300), "{d:?}");
            if retry == 0 {
                assert!(d <= Duration::from_millis(100));
            }
        }
    }

    #[test]
    fn retry_after_beyond_the_cap_is_not_waited_for() {
        let throttled = |secs: &'static str| {
            let mut headers = reqwest::header::HeaderMap::new();
            headers.insert(
                "retry-after",
                reqwest::header::HeaderValue::from_static(secs),
            );
            Error::from(crate::ApiError::new(
                "Op",
                StatusCode::TOO_MANY_REQUESTS,
                headers,
                bytes::Bytes::new(),
            ))
        };
        let p = RetryPolicy::standard().max_retry_after(Duration::from_secs(10));
        assert_eq!(p.delay(&throttled("10"), 1), Some(Duration::from_secs(10)));
        assert_eq!(p.delay(&throttled("11"), 1), None);
        assert_eq!(p.delay(&throttled("18446744073709551615"), 1), None);
    }

    #[test]
    fn zero_attempts_means_one() {
        assert_eq!(RetryPolicy::standard().max_attempts(0).max_attempts, 1);
        assert_eq!(RetryPolicy::disabled().max_attempts, 1);
    }

    #[test]
    fn throttling_is_retried_for_every_method_the_rest_only_when_idempotent() {
        let api = |status: u16| {
            Error::from(crate::ApiError::new(
                "Op",
                StatusCode::from_u16(status).unwrap(),
                Default::default(),
                bytes::Bytes::new(),
            ))
        };
        assert!(may_retry(&api(429), false));
        assert!(may_retry(&api(429), true));
        assert!(may_retry(&api(503), true));
        assert!(!may_retry(&api(503), false));
        assert!(!may_retry(&api(500), true));
        assert!(!may_retry(&api(404), true));
        let timeout = Error::Timeout { operation: "Op" };
        assert!(may_retry(&timeout, true));
        assert!(!may_retry(&timeout, false));
        assert!(!may_retry(&Error::invalid_input("Op", "x"), true));
    }
}

//! The retry budget: a token bucket shared by a client and its clones, so that retries
//! cannot multiply an outage (the idea of gRPC's retry throttling and aws-sdk-rust's
//! standard retry mode). A retry spends tokens; a success earns a fraction of one back.

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// Tokens are counted in thousandths, so a success can earn back a tenth of a retry.
const MILLI: u32 = 1000;

/// How many retries a client may make when its server keeps failing.
///
/// Each retry costs one token (a retry after a timeout costs two: a timeout holds a
/// connection and the server's resources for the whole timeout); each successful call earns
/// back a tenth of one, up to the capacity. When the bucket cannot pay for a retry, the
/// failure is returned as it is. So under a full outage, N calls send about N + capacity
/// requests instead of N × attempts, and once the server recovers, successes refill the
/// bucket by themselves.
///
/// Clones share one bucket: give two clients the same budget to make them share it.
#[derive(Clone)]
pub struct RetryBudget {
    bucket: Arc<Bucket>,
}

struct Bucket {
    capacity: u32,
    retry_cost: u32,
    timeout_cost: u32,
    success_refund: u32,
    tokens: AtomicU32,
}

impl RetryBudget {
    /// The default: 20 tokens, full. A client whose server fails every request makes at
    /// most 20 retries until calls succeed again; 100 calls send at most 120 requests.
    pub fn standard() -> Self {
        Self::with_capacity(20)
    }

    /// A full bucket of `tokens` retries (a retry after a timeout costs two).
    pub fn with_capacity(tokens: u32) -> Self {
        let capacity = tokens.saturating_mul(MILLI);
        RetryBudget {
            bucket: Arc::new(Bucket {
                capacity,
                retry_cost: MILLI,
                timeout_cost: 2 * MILLI,
                success_refund: MILLI / 10,
                tokens: AtomicU32::new(capacity),
            }),
        }
    }

    /// No limit beyond the [`RetryPolicy`](crate::RetryPolicy)'s own: every call may retry
    /// to its maximum attempts, even when everything fails.
    pub fn unlimited() -> Self {
        RetryBudget {
            bucket: Arc::new(Bucket {
                capacity: u32::MAX,
                retry_cost: 0,
                timeout_cost: 0,
                success_refund: 0,
                tokens: AtomicU32::new(u32::MAX),
            }),
        }
    }

    /// The retries the bucket can pay for now (a timeout's counts double).
    pub fn available(&self) -> u32 {
        let b = &self.bucket;
        match b.retry_cost {
            0 => u32::MAX,
            cost => b.tokens.load(Ordering::Relaxed) / cost,
        }
    }

    /// Takes the cost of one retry, if the bucket holds it.
    pub(crate) fn try_withdraw(&self, after_timeout: bool) -> bool {
        let b = &self.bucket;
        let cost = if after_timeout {
            b.timeout_cost
        } else {
            b.retry_cost
        };
        b.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .is_ok()
    }

    /// A call succeeded: earn back part of a retry.
    pub(crate) fn record_success(&self) {
        let b = &self.bucket;
        if b.success_refund == 0 {
            return;
        }
        let _ = b
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                (t < b.capacity).then(|| t.saturating_add(b.success_refund).min(b.capacity))
            });
    }
}

impl Default for RetryBudget {
    fn default() -> Self {
        Self::standard()
    }
}

impl fmt::Debug for RetryBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = &self.bucket;
        f.debug_struct("RetryBudget")
            .field("capacity", &(b.capacity / MILLI))
            .field("available", &self.available())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_stop_when_the_bucket_is_empty_and_successes_refill_it() {
        let budget = RetryBudget::with_capacity(2);
        assert!(budget.try_withdraw(false));
        assert!(budget.try_withdraw(false));
        assert!(!budget.try_withdraw(false));
        for _ in 0..9 {
            budget.record_success();
        }
        assert!(
            !budget.try_withdraw(false),
            "nine tenths do not pay a retry"
        );
        budget.record_success();
        assert!(budget.try_withdraw(false));
        for _ in 0..1000 {
            budget.record_success();
        }
        assert_eq!(budget.available(), 2, "refunds stop at the capacity");
    }

    #[test]
    fn a_timeout_costs_two_and_clones_share_the_bucket() {
        let budget = RetryBudget::with_capacity(3);
        let clone = budget.clone();
        assert!(clone.try_withdraw(true));
        assert_eq!(budget.available(), 1);
        assert!(!budget.try_withdraw(true));
        assert!(budget.try_withdraw(false));
    }

    #[test]
    fn unlimited_never_refuses() {
        let budget = RetryBudget::unlimited();
        for _ in 0..10_000 {
            assert!(budget.try_withdraw(true));
        }
    }
}

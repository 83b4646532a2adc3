//! Time as the client sees it: the wall clock (token expiry, JWT claims, `Retry-After`
//! dates, the retry budget) and sleeping between attempts. Injectable, so tests of retries
//! and token refresh take no wall time ([`ManualTimer`]).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

/// A boxed future that can be sent between threads.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The clock and sleep the client uses.
pub trait Timer: Send + Sync + fmt::Debug + 'static {
    /// The current wall-clock time.
    fn now(&self) -> SystemTime;

    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// The system clock and tokio's timer: the default.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioTimer;

impl Timer for TokioTimer {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

pub use manual::ManualTimer;

mod manual {
    use std::sync::{Arc, Mutex, PoisonError};
    use std::time::{Duration, SystemTime};

    use super::{BoxFuture, Timer};

    /// A clock that only moves when told to, or when the client sleeps: a sleep returns at
    /// once and moves the clock forward by its duration. Every sleep is recorded, so a test
    /// can check the waits between retries without waiting.
    #[derive(Clone, Debug)]
    pub struct ManualTimer {
        state: Arc<Mutex<State>>,
    }

    #[derive(Debug)]
    struct State {
        now: SystemTime,
        sleeps: Vec<Duration>,
    }

    impl ManualTimer {
        /// A clock standing at `now`.
        pub fn new(now: SystemTime) -> Self {
            ManualTimer {
                state: Arc::new(Mutex::new(State {
                    now,
                    sleeps: Vec::new(),
                })),
            }
        }

        /// Moves the clock forward.
        pub fn advance(&self, by: Duration) {
            self.lock().now += by;
        }

        /// Every sleep so far, in order.
        pub fn sleeps(&self) -> Vec<Duration> {
            self.lock().sleeps.clone()
        }

        fn lock(&self) -> std::sync::MutexGuard<'_, State> {
            // A panic elsewhere cannot leave the clock half-updated: each change is one write.
            self.state.lock().unwrap_or_else(PoisonError::into_inner)
        }
    }

    impl Timer for ManualTimer {
        fn now(&self) -> SystemTime {
            self.lock().now
        }

        fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
            let mut state = self.lock();
            state.now += duration;
            state.sleeps.push(duration);
            Box::pin(std::future::ready(()))
        }
    }
}

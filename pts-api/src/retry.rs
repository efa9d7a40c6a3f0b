//! When and how long to wait before trying a call again.
//!
//! This differs from the official SDK on purpose: the SDK retries nothing by default; this client
//! retries **read** operations by default. A retry happens only for a transient error
//! ([`Error::is_retryable`]: `Throttling*`, `ServiceUnavailable`, `InternalError` by code whatever
//! the HTTP status, HTTP 429, transport failures, timeouts). A mutating operation
//! (Start/Stop/Save/Create/...) is retried only when the request certainly never left (the
//! connection could not be opened), unless the caller opts in with
//! [`RetryPolicy::retry_mutations`].
//!
//! Waits grow exponentially from `base_delay`, capped by `max_delay`, with jitter. A wait the
//! service asks for with `x-acs-retry-after` (milliseconds) is used as is, capped by
//! `max_delay`. No retry starts once `max_total` would be exceeded.

use crate::error::Error;
use std::time::Duration;

/// How random a backoff wait is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Jitter {
    /// Exactly the exponential value (tests, reproducible runs).
    None,
    /// Uniform in `[0, exp]`.
    Full,
    /// Uniform in `[exp/2, exp]`.
    #[default]
    Equal,
}

/// The retry policy of a client or of one call.
///
/// Fields are public; the chainable setters of the same names read better in builders:
/// `RetryPolicy::default().max_attempts(5).retry_mutations(true)`.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Total attempts, including the first. 1 disables retries.
    pub max_attempts: u32,
    /// The first backoff wait (before jitter).
    pub base_delay: Duration,
    /// The longest single wait, also the cap on `x-acs-retry-after`.
    pub max_delay: Duration,
    /// No retry is started when the time since the first attempt plus the next wait would
    /// exceed this.
    pub max_total: Duration,
    pub jitter: Jitter,
    /// Also retry mutating operations after the request may have reached the server.
    pub retry_mutations: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, 100 ms base, 20 s max wait, 60 s budget, equal jitter, no mutation retries.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(20),
            max_total: Duration::from_secs(60),
            jitter: Jitter::Equal,
            retry_mutations: false,
        }
    }
}

impl RetryPolicy {
    /// One attempt, never a retry (what the official SDK does by default).
    pub fn disabled() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }
    pub fn base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }
    pub fn max_total(mut self, d: Duration) -> Self {
        self.max_total = d;
        self
    }
    pub fn jitter(mut self, j: Jitter) -> Self {
        self.jitter = j;
        self
    }
    /// Opt in to retrying mutating operations after the request may have been received.
    /// A duplicate Start/Save may then be executed twice: use only where that is acceptable.
    pub fn retry_mutations(mut self, yes: bool) -> Self {
        self.retry_mutations = yes;
        self
    }

    /// Whether `err`, raised by an attempt of an operation that is `mutating` or not, may be
    /// retried at all under this policy (ignoring attempt counts and time).
    pub fn is_retry_allowed(&self, err: &Error, mutating: bool) -> bool {
        if !err.is_retryable() {
            return false;
        }
        !mutating || self.retry_mutations || !err.may_have_been_sent()
    }

    /// The wait before the next attempt, or `None` to give up. `attempts_done` counts the
    /// attempts made so far (1 after the first), `elapsed` the time since the first began.
    pub fn next_delay(
        &self,
        err: &Error,
        mutating: bool,
        attempts_done: u32,
        elapsed: Duration,
    ) -> Option<Duration> {
        if attempts_done >= self.max_attempts || !self.is_retry_allowed(err, mutating) {
            return None;
        }
        let delay = match err.retry_after() {
            Some(after) => after.min(self.max_delay),
            None => self.backoff(attempts_done),
        };
        if elapsed.saturating_add(delay) > self.max_total {
            return None;
        }
        Some(delay)
    }

    /// The backoff wait after `attempts_done` attempts (1 → about `base_delay`).
    pub fn backoff(&self, attempts_done: u32) -> Duration {
        let shift = attempts_done.saturating_sub(1).min(30);
        let exp = self.base_delay.saturating_mul(1u32 << shift).min(self.max_delay);
        let ms = u64::try_from(exp.as_millis()).unwrap_or(u64::MAX);
        let ms = match self.jitter {
            Jitter::None => ms,
            Jitter::Full => rand::random_range(0..=ms),
            Jitter::Equal => ms / 2 + rand::random_range(0..=ms - ms / 2),
        };
        Duration::from_millis(ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::TimeoutPhase;

    fn connect_refused() -> Error {
        Error::Transport { operation: "X", message: "refused".into(), sent: false, source: None }
    }
    fn maybe_sent() -> Error {
        Error::Timeout { operation: "X", phase: TimeoutPhase::Response, source: None }
    }

    #[test]
    fn mutating_only_when_not_sent() {
        let p = RetryPolicy::default().jitter(Jitter::None);
        assert!(p.next_delay(&connect_refused(), true, 1, Duration::ZERO).is_some());
        assert!(p.next_delay(&maybe_sent(), true, 1, Duration::ZERO).is_none());
        assert!(p.next_delay(&maybe_sent(), false, 1, Duration::ZERO).is_some());
        let p = p.retry_mutations(true);
        assert!(p.next_delay(&maybe_sent(), true, 1, Duration::ZERO).is_some());
    }

    #[test]
    fn exponential_and_bounded() {
        let p = RetryPolicy::default()
            .jitter(Jitter::None)
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(300))
            .max_attempts(10);
        assert_eq!(p.backoff(1), Duration::from_millis(100));
        assert_eq!(p.backoff(2), Duration::from_millis(200));
        assert_eq!(p.backoff(3), Duration::from_millis(300));
        assert_eq!(p.backoff(40), Duration::from_millis(300));
        assert!(p.next_delay(&connect_refused(), false, 10, Duration::ZERO).is_none());
        assert!(p.next_delay(&connect_refused(), false, 1, Duration::from_secs(60)).is_none());
    }

    #[test]
    fn jitter_stays_in_range() {
        let p = RetryPolicy::default().base_delay(Duration::from_millis(100));
        for _ in 0..100 {
            let d = p.backoff(1);
            assert!(d >= Duration::from_millis(50) && d <= Duration::from_millis(100));
        }
    }
}

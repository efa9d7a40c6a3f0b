//! [`WaitConfig`]: how long and how often a waiter polls.

use std::time::Duration;

/// How long and how often to poll.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitConfig {
    /// Give up after this long (default 10 minutes).
    pub timeout: Duration,
    /// The first wait between polls (default 2 s).
    pub poll_interval: Duration,
    /// Each wait is the previous one times this (default 1.5; 1.0 polls at a fixed rate).
    pub backoff: f64,
    /// The longest wait between polls (default 15 s).
    pub max_interval: Duration,
}

impl Default for WaitConfig {
    fn default() -> Self {
        WaitConfig {
            timeout: Duration::from_secs(600),
            poll_interval: Duration::from_secs(2),
            backoff: 1.5,
            max_interval: Duration::from_secs(15),
        }
    }
}

impl WaitConfig {
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }
    pub fn poll_interval(mut self, d: Duration) -> Self {
        self.poll_interval = d;
        self
    }
    pub fn backoff(mut self, factor: f64) -> Self {
        self.backoff = factor;
        self
    }
    pub fn max_interval(mut self, d: Duration) -> Self {
        self.max_interval = d;
        self
    }

    pub(super) fn next_interval(&self, current: Duration) -> Duration {
        let factor =
            if self.backoff.is_finite() && self.backoff >= 1.0 { self.backoff } else { 1.0 };
        current.mul_f64(factor).min(self.max_interval.max(self.poll_interval))
    }
}

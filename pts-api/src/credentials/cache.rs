//! [`CachedProvider`]: caches temporary credentials and refreshes them before they expire.
//!
//! A credential counts as stale `margin` before its `expiration`. The margin is the SDK's
//! 15 minutes, capped at half the credential's lifetime, so that a short-lived credential
//! (e.g. 900 s STS, or a test's 60 s) is still reused for a while instead of being fetched
//! on every call. Credentials without an expiration are cached for good.
//!
//! One `tokio::sync::Mutex` guards the cache and is held across the refresh: concurrent
//! callers wait for the one refresh in flight and then share its result. When a refresh
//! fails while the cached credential has not yet expired, the cached one is returned.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::error::CredentialsError;
use super::provider::{BoxFuture, Description, ProvideCredentials, Sourced};
use super::secret::Credentials;

/// The SDK's refresh margin: credentials are stale 15 minutes before `Expiration`.
pub const DEFAULT_STALE_MARGIN: Duration = Duration::from_secs(15 * 60);

/// A source of the current time, injectable for tests.
pub trait Clock: Send + Sync {
    fn now(&self) -> SystemTime;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that moves only when told to (tests).
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<SystemTime>,
}

impl ManualClock {
    pub fn new(start: SystemTime) -> Self {
        ManualClock { now: Mutex::new(start) }
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }

    pub fn set(&self, to: SystemTime) {
        *self.now.lock().unwrap_or_else(|e| e.into_inner()) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

struct Entry {
    sourced: Sourced,
    fetched_at: SystemTime,
}

/// Wraps a provider of temporary credentials with a refreshing cache.
pub struct CachedProvider {
    inner: Arc<dyn ProvideCredentials>,
    clock: Arc<dyn Clock>,
    margin: Duration,
    state: tokio::sync::Mutex<Option<Entry>>,
}

impl CachedProvider {
    pub fn new(inner: Arc<dyn ProvideCredentials>) -> Self {
        Self::with_clock(inner, Arc::new(SystemClock))
    }

    pub fn with_clock(inner: Arc<dyn ProvideCredentials>, clock: Arc<dyn Clock>) -> Self {
        CachedProvider {
            inner,
            clock,
            margin: DEFAULT_STALE_MARGIN,
            state: tokio::sync::Mutex::new(None),
        }
    }

    /// Changes the refresh margin (default [`DEFAULT_STALE_MARGIN`]).
    pub fn with_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Drops the cached credential; the next call fetches a new one.
    pub async fn invalidate(&self) {
        *self.state.lock().await = None;
    }

    fn is_stale(&self, entry: &Entry, now: SystemTime) -> bool {
        let Some(expiration) = entry.sourced.credentials.expiration else {
            return false;
        };
        let lifetime = expiration.duration_since(entry.fetched_at).unwrap_or(Duration::ZERO);
        let margin = self.margin.min(lifetime / 2);
        now + margin >= expiration
    }

    async fn get(&self) -> Result<Sourced, CredentialsError> {
        let mut state = self.state.lock().await;
        let now = self.clock.now();
        if let Some(entry) = state.as_ref()
            && !self.is_stale(entry, now)
        {
            return Ok(entry.sourced.clone());
        }
        let refreshing = state.is_some();
        tracing::debug!(provider = self.inner.name(), refreshing, "fetching credentials");
        match self.inner.provide_sourced().await {
            Ok(sourced) => {
                *state = Some(Entry { sourced: sourced.clone(), fetched_at: now });
                Ok(sourced)
            }
            Err(err) => match state.as_ref() {
                Some(entry)
                    if entry
                        .sourced
                        .credentials
                        .expiration
                        .is_some_and(|exp| self.clock.now() < exp) =>
                {
                    tracing::debug!(
                        provider = self.inner.name(),
                        error = %err,
                        "refresh failed; using cached credentials until they expire"
                    );
                    Ok(entry.sourced.clone())
                }
                _ => Err(err),
            },
        }
    }
}

impl ProvideCredentials for CachedProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.get().await.map(|s| s.credentials) })
    }

    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn provide_sourced(&self) -> BoxFuture<'_, Result<Sourced, CredentialsError>> {
        Box::pin(self.get())
    }

    fn describe(&self) -> Result<Description, CredentialsError> {
        self.inner.describe()
    }
}

/// Wraps `provider` in a [`CachedProvider`] using `clock`.
pub fn cached(
    provider: Arc<dyn ProvideCredentials>,
    clock: Arc<dyn Clock>,
) -> Arc<dyn ProvideCredentials> {
    Arc::new(CachedProvider::with_clock(provider, clock))
}

//! Caching and refresh of temporary credentials with a manual clock; one shared refresh
//! for concurrent callers; stale-but-valid fallback; the chain's cache over a fake STS.

#[path = "credentials_support.rs"]
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use pts_api::credentials::{
    BoxFuture, CachedProvider, Clock, CredentialChain, Credentials, CredentialsError, Endpoints,
    ManualClock, ProvideCredentials,
};
use support::*;

/// Counts fetches; each credential lives `lifetime` from the clock's now.
struct Counting {
    clock: Arc<ManualClock>,
    lifetime: Option<Duration>,
    calls: AtomicUsize,
    fail: AtomicBool,
    delay: Duration,
}

impl Counting {
    fn new(clock: Arc<ManualClock>, lifetime: Option<Duration>) -> Arc<Self> {
        Arc::new(Counting {
            clock,
            lifetime,
            calls: AtomicUsize::new(0),
            fail: AtomicBool::new(false),
            delay: Duration::ZERO,
        })
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Counting {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            if !self.delay.is_zero() {
                tokio::time::sleep(self.delay).await;
            }
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            if self.fail.load(Ordering::SeqCst) {
                return Err(CredentialsError::NotFound {
                    tried: vec![("counting".into(), "down".into())],
                });
            }
            Ok(Credentials::new(format!("STS.{n}"), "s", None)
                .with_expiration(self.lifetime.map(|l| self.clock.now() + l)))
        })
    }

    fn name(&self) -> &'static str {
        "counting"
    }
}

fn start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

#[tokio::test]
async fn reused_until_fifteen_minutes_before_expiry() {
    let clock = Arc::new(ManualClock::new(start()));
    let inner = Counting::new(clock.clone(), Some(Duration::from_secs(3600)));
    let cache = CachedProvider::with_clock(inner.clone(), clock.clone());
    assert_eq!(cache.provide().await.unwrap().access_key_id, "STS.1");
    clock.advance(Duration::from_secs(30 * 60));
    assert_eq!(cache.provide().await.unwrap().access_key_id, "STS.1");
    clock.advance(Duration::from_secs(14 * 60)); // 44 min: 16 min left
    assert_eq!(cache.provide().await.unwrap().access_key_id, "STS.1");
    clock.advance(Duration::from_secs(2 * 60)); // 46 min: 14 min left -> stale
    assert_eq!(cache.provide().await.unwrap().access_key_id, "STS.2");
    assert_eq!(inner.calls(), 2);
}

#[tokio::test]
async fn short_lived_credentials_refresh_at_half_life() {
    let clock = Arc::new(ManualClock::new(start()));
    let inner = Counting::new(clock.clone(), Some(Duration::from_secs(60)));
    let cache = CachedProvider::with_clock(inner.clone(), clock.clone());
    cache.provide().await.unwrap();
    clock.advance(Duration::from_secs(29));
    cache.provide().await.unwrap();
    assert_eq!(inner.calls(), 1);
    clock.advance(Duration::from_secs(2));
    assert_eq!(cache.provide().await.unwrap().access_key_id, "STS.2");
}

#[tokio::test]
async fn credentials_without_expiration_are_kept() {
    let clock = Arc::new(ManualClock::new(start()));
    let inner = Counting::new(clock.clone(), None);
    let cache = CachedProvider::with_clock(inner.clone(), clock.clone());
    cache.provide().await.unwrap();
    clock.advance(Duration::from_secs(365 * 86400));
    cache.provide().await.unwrap();
    assert_eq!(inner.calls(), 1);
    cache.invalidate().await;
    cache.provide().await.unwrap();
    assert_eq!(inner.calls(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_refresh() {
    let clock = Arc::new(ManualClock::new(start()));
    let inner = Arc::new(Counting {
        clock: clock.clone(),
        lifetime: Some(Duration::from_secs(3600)),
        calls: AtomicUsize::new(0),
        fail: AtomicBool::new(false),
        delay: Duration::from_millis(100),
    });
    let cache = Arc::new(CachedProvider::with_clock(inner.clone(), clock.clone()));
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.provide().await.unwrap().access_key_id })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), "STS.1");
    }
    assert_eq!(inner.calls(), 1);

    // Again once stale: still one refresh for all.
    clock.advance(Duration::from_secs(50 * 60));
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.provide().await.unwrap().access_key_id })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), "STS.2");
    }
    assert_eq!(inner.calls(), 2);
}

#[tokio::test]
async fn failed_refresh_keeps_valid_credentials_until_expiry() {
    let clock = Arc::new(ManualClock::new(start()));
    let inner = Counting::new(clock.clone(), Some(Duration::from_secs(3600)));
    let cache = CachedProvider::with_clock(inner.clone(), clock.clone());
    cache.provide().await.unwrap();
    inner.fail.store(true, Ordering::SeqCst);
    clock.advance(Duration::from_secs(50 * 60)); // stale, not expired
    assert_eq!(cache.provide().await.unwrap().access_key_id, "STS.1");
    clock.advance(Duration::from_secs(11 * 60)); // expired
    assert!(cache.provide().await.is_err());
    inner.fail.store(false, Ordering::SeqCst);
    assert_eq!(cache.provide().await.unwrap().access_key_id, "STS.4");
}

#[tokio::test]
async fn chain_caches_sts_credentials_and_refreshes_them() {
    // OIDC through the default chain, with the chain's clock shared by its caches.
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "jwt").unwrap();
    let clock = Arc::new(ManualClock::new(SystemTime::now()));
    let exp_clock = clock.clone();
    let server = FakeServer::start(move |_| {
        let exp = exp_clock.now() + Duration::from_secs(3600);
        reply(200, sts_ok("STS.c", "s", "t", exp))
    })
    .await;
    let env = env_of(
        dir.path(),
        &[
            ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r"),
            ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/p"),
            ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token.to_str().unwrap()),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
        ],
    );
    let chain = CredentialChain::builder(env)
        .endpoints(Endpoints { sts: Some(server.url()), ecs_metadata: None })
        .clock(clock.clone())
        .build();
    for _ in 0..3 {
        chain.resolve().await.unwrap();
    }
    assert_eq!(server.count(), 1);
    clock.advance(Duration::from_secs(40 * 60));
    chain.resolve().await.unwrap();
    assert_eq!(server.count(), 1);
    clock.advance(Duration::from_secs(10 * 60));
    chain.resolve().await.unwrap();
    assert_eq!(server.count(), 2);
}

//! Test-only replacements for the nonce and the clock.

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

/// Replacements for the nonce and the clock, for tests that compare signed bytes.
///
/// Not part of the supported API: a pinned nonce makes every request replayable, so this is
/// reachable only through [`ClientBuilder::unstable_test_hooks`], which is hidden from the docs.
#[doc(hidden)]
#[derive(Clone, Default)]
pub struct TestHooks {
    pub nonce: Option<Arc<dyn Fn() -> String + Send + Sync>>,
    pub now: Option<Arc<dyn Fn() -> SystemTime + Send + Sync>>,
}

impl fmt::Debug for TestHooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestHooks")
            .field("nonce", &self.nonce.is_some())
            .field("now", &self.now.is_some())
            .finish()
    }
}

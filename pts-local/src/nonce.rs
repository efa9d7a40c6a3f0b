//! Replay protection: every signature nonce is remembered while its request could still be
//! accepted, i.e. until its timestamp leaves the 15-minute window.
//!
//! Memory is bounded by a hard cap on entries ([`DEFAULT_NONCE_CAPACITY`], about 64 bytes
//! each, so ~17 MiB at the default). An entry is a 128-bit keyed hash of (AccessKeyId, nonce)
//! rather than the text, plus its timestamp in a min-heap for expiry. When the cap is reached
//! the entries of the oldest signing second are evicted early, whole, and that second becomes
//! the *horizon*: from then on any request signed at or before the horizon is refused as
//! expired. So a captured request whose nonce was evicted can never be replayed (its date is
//! at or before the horizon; only its key holder can sign the nonce again, with a newer date); under a sustained load above
//! `capacity / window` requests per second the accepted window shrinks instead of memory
//! growing (at the default cap and 10,000 calls/s it is still ~26 s). Only if more than
//! `capacity` requests are signed within one second is a request refused outright
//! (`Throttling.User`, as the gateway's rate limit answers).

use std::cmp::Reverse;
use std::collections::hash_map::RandomState;
use std::collections::{BinaryHeap, HashSet};
use std::hash::BuildHasher;
use std::sync::Mutex;

/// The accepted clock skew and the nonce memory: 15 minutes, like the real gateway.
pub const WINDOW_SECS: i64 = 15 * 60;
/// Default hard cap on remembered nonces.
pub const DEFAULT_NONCE_CAPACITY: usize = 262_144;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonceCheck {
    Fresh,
    /// Seen before within the window.
    Used,
    /// Signed at or before the eviction horizon (see the module docs).
    BeyondHorizon,
    /// The cap is taken by requests signed in this same second or later: refused (throttled).
    Full,
}

pub struct NonceStore {
    cap: usize,
    hashers: (RandomState, RandomState),
    inner: Mutex<Inner>,
}

struct Inner {
    seen: HashSet<u128>,
    by_time: BinaryHeap<Reverse<(i64, u128)>>,
    horizon: i64,
}

impl NonceStore {
    pub fn new(cap: usize) -> Self {
        NonceStore {
            cap: cap.max(1),
            hashers: (RandomState::new(), RandomState::new()),
            inner: Mutex::new(Inner {
                seen: HashSet::new(),
                by_time: BinaryHeap::new(),
                horizon: i64::MIN,
            }),
        }
    }

    fn key(&self, access_key_id: &str, nonce: &str) -> u128 {
        let a = self.hashers.0.hash_one((access_key_id, nonce));
        let b = self.hashers.1.hash_one((access_key_id, nonce));
        (u128::from(a) << 64) | u128::from(b)
    }

    /// Records the nonce of a request signed at `ts` (epoch s) if it is new; `now` in epoch s.
    pub fn check_and_insert(
        &self,
        access_key_id: &str,
        nonce: &str,
        ts: i64,
        now: i64,
    ) -> NonceCheck {
        let key = self.key(access_key_id, nonce);
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let inner = &mut *g;
        while let Some(Reverse((t, k))) = inner.by_time.peek().copied() {
            if t + WINDOW_SECS >= now {
                break;
            }
            inner.by_time.pop();
            inner.seen.remove(&k);
        }
        if ts <= inner.horizon {
            return NonceCheck::BeyondHorizon;
        }
        if inner.seen.contains(&key) {
            return NonceCheck::Used;
        }
        // Make room by evicting whole seconds older than this request's; a second is never
        // split, so the horizon never cuts into the second being signed now.
        while inner.seen.len() >= self.cap {
            let Some(Reverse((oldest, _))) = inner.by_time.peek().copied() else { break };
            if oldest >= ts {
                return NonceCheck::Full;
            }
            while let Some(Reverse((t, k))) = inner.by_time.peek().copied() {
                if t != oldest {
                    break;
                }
                inner.by_time.pop();
                inner.seen.remove(&k);
            }
            inner.horizon = inner.horizon.max(oldest);
        }
        inner.seen.insert(key);
        inner.by_time.push(Reverse((ts, key)));
        NonceCheck::Fresh
    }

    /// Entries currently remembered.
    pub fn len(&self) -> usize {
        self.inner.lock().map(|g| g.seen.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn capacity(&self) -> usize {
        self.cap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuse_expiry_and_cap() {
        let s = NonceStore::new(3);
        assert_eq!(s.check_and_insert("ak", "n1", 100, 100), NonceCheck::Fresh);
        assert_eq!(s.check_and_insert("ak", "n1", 100, 101), NonceCheck::Used);
        assert_eq!(s.check_and_insert("other", "n1", 100, 101), NonceCheck::Fresh);
        // The window passes: n1 is forgotten (its timestamp would be refused anyway).
        assert_eq!(s.check_and_insert("x", "y", 1000, 1000 + 1), NonceCheck::Fresh);
        assert_eq!(s.len(), 1);
        // Cap: the oldest second is evicted whole and becomes the horizon.
        for (i, ts) in [1001, 1001, 1003].iter().enumerate() {
            assert_eq!(s.check_and_insert("ak", &format!("m{i}"), *ts, 1003), NonceCheck::Fresh);
        }
        assert_eq!(s.len(), 3);
        assert_eq!(s.check_and_insert("x", "y", 1000, 1003), NonceCheck::BeyondHorizon);
        assert_eq!(s.check_and_insert("ak", "m0", 1001, 1003), NonceCheck::Used);
        assert_eq!(s.check_and_insert("ak", "late", 1002, 1003), NonceCheck::Fresh);
        assert_eq!(s.len(), 2, "both entries of second 1001 went at once");
        assert_eq!(s.check_and_insert("ak", "m0", 1001, 1003), NonceCheck::BeyondHorizon);
        // Requests of one second fill the cap: the next one in that second is refused.
        assert_eq!(s.check_and_insert("ak", "n", 1003, 1003), NonceCheck::Fresh);
        assert_eq!(s.check_and_insert("ak", "o", 1003, 1003), NonceCheck::Fresh);
        assert_eq!(s.check_and_insert("ak", "p", 1003, 1003), NonceCheck::Full);
        assert_eq!(s.len(), 3);
    }
}

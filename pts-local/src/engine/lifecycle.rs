//! A run's lifecycle as an observable state: an atomic for the request path and a watch
//! channel for whoever wants to see every transition.
//!
//! `Preparing` (threads starting, virtual users spawning, connections opening) lasts until
//! the first request is written to a connection; `Running` while load flows; `Stopping` from
//! the stop (called, or the run's time is up) while requests in flight drain; `Finished`
//! once the last worker has flushed its figures and the report is built. Transitions only go
//! forward; a stop during `Preparing` goes straight to `Stopping`.

use std::sync::atomic::{AtomicU8, Ordering};
use tokio::sync::watch;

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RunPhase {
    /// Started; no request has been sent yet (threads, virtual users, connections).
    Preparing,
    /// The first request was sent; load flows.
    Running,
    /// `stop()` was called (or the time ran out); requests in flight complete or are cancelled.
    Stopping,
    /// Every worker has ended and the report is built.
    Finished,
}

impl RunPhase {
    const ALL: [RunPhase; 4] =
        [RunPhase::Preparing, RunPhase::Running, RunPhase::Stopping, RunPhase::Finished];

    /// Preparing or running: the run still accepts load changes and a stop.
    pub fn is_active(self) -> bool {
        self < RunPhase::Stopping
    }
}

/// The current phase of one run, shared by its handle, its workers and their connections.
#[derive(Debug)]
pub(crate) struct Lifecycle {
    state: AtomicU8,
    tx: watch::Sender<RunPhase>,
}

impl Lifecycle {
    pub(crate) fn new() -> Self {
        Lifecycle { state: AtomicU8::new(0), tx: watch::channel(RunPhase::Preparing).0 }
    }

    pub(crate) fn get(&self) -> RunPhase {
        RunPhase::ALL[self.state.load(Ordering::Acquire) as usize]
    }

    /// Every transition from now on (the receiver starts at the current phase).
    pub(crate) fn watch(&self) -> watch::Receiver<RunPhase> {
        self.tx.subscribe()
    }

    /// A request is about to be written: the first one makes the run `Running`. One
    /// relaxed load per request once running.
    #[inline]
    pub(crate) fn sending(&self) {
        if self.state.load(Ordering::Relaxed) == RunPhase::Preparing as u8 {
            self.advance(RunPhase::Preparing, RunPhase::Running);
        }
    }

    /// Preparing or running -> stopping. True for the call that made the transition.
    pub(crate) fn stopping(&self) -> bool {
        self.advance(RunPhase::Running, RunPhase::Stopping)
            || self.advance(RunPhase::Preparing, RunPhase::Stopping)
    }

    /// The report is built: `Finished`, whatever came before.
    pub(crate) fn finished(&self) {
        self.state.store(RunPhase::Finished as u8, Ordering::Release);
        self.tx.send_replace(RunPhase::Finished);
    }

    fn advance(&self, from: RunPhase, to: RunPhase) -> bool {
        let moved = self
            .state
            .compare_exchange(from as u8, to as u8, Ordering::AcqRel, Ordering::Acquire)
            .is_ok();
        if moved {
            // Under the channel's lock, so watchers never see phases out of order.
            self.tx.send_if_modified(|p| {
                let newer = *p < to;
                if newer {
                    *p = to;
                }
                newer
            });
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_only_move_forward() {
        let l = Lifecycle::new();
        let rx = l.watch();
        assert_eq!(l.get(), RunPhase::Preparing);
        l.sending();
        assert_eq!(l.get(), RunPhase::Running);
        assert!(l.stopping());
        assert!(!l.stopping(), "a second stop makes no transition");
        l.sending();
        assert_eq!(l.get(), RunPhase::Stopping, "a late send does not revive the run");
        l.finished();
        assert_eq!(*rx.borrow(), RunPhase::Finished);
        let early = Lifecycle::new();
        assert!(early.stopping(), "a stop while preparing");
        assert_eq!(early.get(), RunPhase::Stopping);
    }
}

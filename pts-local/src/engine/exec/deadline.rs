//! Per-virtual-user request timeouts without a timer per request.

use std::cell::{Cell, RefCell};
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::{Poll, Waker};
use std::time::Instant;

/// The request timeout of one virtual user: armed per request, fired by the worker's
/// controller (every 20 ms, or at the earliest armed deadline when it sleeps longer), so
/// timeouts cost no timer registration per request and are accurate to about 20 ms. A stopping run cancels it for good ([`Deadline::cancel`]).
#[derive(Default)]
pub(crate) struct Deadline {
    at: Cell<Option<Instant>>,
    fired: Cell<bool>,
    pub(super) cancelled: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

impl Deadline {
    pub(super) fn arm(&self, at: Instant) {
        self.at.set(Some(at));
        self.fired.set(false);
    }

    pub(super) fn disarm(&self) {
        self.at.set(None);
    }

    /// Fires the deadline if it has passed.
    pub(crate) fn check(&self, now: Instant) {
        if self.at.get().is_some_and(|at| at <= now) && !self.fired.get() {
            self.fired.set(true);
            self.wake();
        }
    }

    /// When this deadline fires, while armed and not yet fired.
    pub(crate) fn pending(&self) -> Option<Instant> {
        self.at.get().filter(|_| !self.fired.get())
    }

    /// Ends the request in flight (and any later one) as cancelled: the run is stopping.
    pub(crate) fn cancel(&self) {
        self.cancelled.set(true);
        self.wake();
    }

    fn wake(&self) {
        if let Some(w) = self.waker.borrow_mut().take() {
            w.wake();
        }
    }
}

/// Runs `fut` until it completes (Some) or the deadline fires or is cancelled (None).
pub(super) async fn with_deadline<F: Future>(d: &Deadline, fut: F) -> Option<F::Output> {
    let mut fut = pin!(fut);
    poll_fn(|cx| {
        if d.fired.get() || d.cancelled.get() {
            return Poll::Ready(None);
        }
        {
            let mut w = d.waker.borrow_mut();
            if !w.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                *w = Some(cx.waker().clone());
            }
        }
        fut.as_mut().poll(cx).map(Some)
    })
    .await
}

//! Executing one API for one virtual user: request, redirects, timeout, exports, checkpoints,
//! and (when sampled) the full sample log.

use super::check::{
    ExportKind, SizeOf, Subject, boundary_extract, eval, json_lookup, regex_extract,
};
use super::http::{Dest, Pool, ReqBody, Resp, Timing, XErr};
use super::jmx::CookieJar;
use super::plan::{ApiPlan, Plan, PrepareError, Prepared, prepare, render};
use super::safety::Safety;
use super::sample::{CheckOutcome, ExportOutcome, SampleHeader, SampleLog, truncate};
use super::stats::{FailureReason, Outcome};
use http::{Method, Request, StatusCode};
use http_body_util::Full;
use std::cell::{Cell, RefCell};
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::rc::Rc;
use std::task::{Poll, Waker};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

mod redirect;
mod request;

pub(crate) use request::exec;

pub(crate) fn epoch_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Body-size limits of a run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Bytes of a response body inspected by checkpoints/exports.
    pub inspect: usize,
    /// Bytes of a body kept in a sample log.
    pub sample_body: usize,
}

/// The request timeout of one virtual user: armed per request, fired by the worker's
/// controller (every 20 ms, or at the earliest armed deadline when it sleeps longer), so
/// timeouts cost no timer registration per request and are accurate to about 20 ms. A stopping run cancels it for good ([`Deadline::cancel`]).
#[derive(Default)]
pub(crate) struct Deadline {
    at: Cell<Option<Instant>>,
    fired: Cell<bool>,
    cancelled: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

impl Deadline {
    fn arm(&self, at: Instant) {
        self.at.set(Some(at));
        self.fired.set(false);
    }

    fn disarm(&self) {
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
async fn with_deadline<F: Future>(d: &Deadline, fut: F) -> Option<F::Output> {
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

/// A virtual user: its connections and variables.
pub(crate) struct Vu {
    pub pool: Pool,
    pub vars: Vec<Option<String>>,
    pub rng: u64,
    pub thread: String,
    pub deadline: Rc<Deadline>,
    /// JMeter Cookie Manager in scope: this user's cookies.
    pub cookies: Option<CookieJar>,
}

impl Vu {
    pub(crate) fn new(
        var_count: usize,
        seed: u64,
        thread: String,
        pool: Pool,
        deadline: Rc<Deadline>,
    ) -> Self {
        Vu { pool, vars: vec![None; var_count], rng: seed | 1, thread, deadline, cookies: None }
    }
}

/// What the caller needs for the sample log besides the outcome.
pub(crate) struct SampleCtx<'a> {
    pub relation_index: usize,
    pub api_index: usize,
    pub plan: &'a Plan,
}

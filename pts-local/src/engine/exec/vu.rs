//! A virtual user's state, the body-size limits and the sample context of one exchange.

use super::deadline::Deadline;
use crate::engine::http::Pool;
use crate::engine::jmx::cookies::CookieJar;
use crate::engine::plan::Plan;
use std::rc::Rc;

/// Body-size limits of a run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Bytes of a response body inspected by checkpoints/exports.
    pub inspect: usize,
    /// Bytes of a body kept in a sample log.
    pub sample_body: usize,
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

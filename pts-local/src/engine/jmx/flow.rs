//! JMeter control flow as compiled: the controllers, samplers and actions of one thread group.
//! Running it is [`super::flow_run`].

use super::cond::Expr;
use super::functions::Func;
use super::types::{JmxThroughput, JmxTimer};
use crate::engine::template::{Template, VarId};
use std::sync::atomic::{AtomicI64, AtomicU64};
use std::sync::{Arc, Mutex};

/// What a failed sample does to its thread (`ThreadGroup.on_sample_error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnError {
    Continue,
    /// Abandon the rest of the iteration.
    NextLoop,
    /// The thread stops.
    StopThread,
}

/// State shared by every thread of a run.
#[derive(Debug)]
pub(crate) struct Shared {
    /// Per thread group: iterations its threads still have to run (i64::MAX: unbounded).
    pub(crate) left: Vec<AtomicI64>,
    /// Controller state shared across threads (global counters, throughput, interleave).
    pub(crate) global: Mutex<Vec<i64>>,
    /// Per thread group: threads started so far (`__threadNum`).
    pub(crate) threads: Vec<AtomicU64>,
}

#[derive(Debug)]
pub(crate) enum Cond {
    /// `useExpression`: the rendered text must be `true`.
    Text(Template),
    Expr(Expr<Template>),
}

#[derive(Debug)]
pub(crate) enum Kind {
    Plain,
    Loop(Template),
    OnceOnly,
    If { cond: Cond, all: bool },
    Interleave { slot: usize, global: bool },
    Throughput { slot: usize, global: bool, rule: JmxThroughput },
}

#[derive(Debug)]
pub(crate) enum Node {
    /// `fns`: function slots refreshed before the sample.
    Sample {
        api: usize,
        timers: Vec<JmxTimer>,
        fns: Vec<(VarId, Func)>,
    },
    Block {
        kind: Kind,
        on_enter: Vec<Action>,
        body: Vec<Node>,
        samples: bool,
    },
}

#[derive(Debug)]
pub(crate) enum Action {
    Counter {
        var: VarId,
        start: i64,
        incr: i64,
        end: Option<i64>,
        format: String,
        slot: usize,
        global: bool,
    },
    Random {
        var: VarId,
        min: i64,
        max: i64,
        format: String,
    },
}

/// The compiled flow of one thread group.
#[derive(Debug)]
pub(crate) struct Flow {
    pub(crate) steps: Vec<Node>,
    pub(crate) on_iteration: Vec<Action>,
    /// A Cookie Manager is in scope; true: cleared at each iteration.
    pub(crate) cookies: Option<bool>,
    /// This group's index in `shared.left`, and the groups that must be done before it starts.
    pub(crate) index: usize,
    pub(crate) after: Vec<usize>,
    /// Iterations per thread (None: unbounded).
    pub(crate) loops: Option<u64>,
    pub(crate) on_error: OnError,
    /// User Defined Variables that runtime elements also set: their value until then.
    pub(crate) seeds: Vec<(VarId, String)>,
    pub(crate) shared: Arc<Shared>,
    /// Initial per-thread slots; slots reset at each iteration (per-user counters so marked).
    pub(crate) init: Vec<i64>,
    pub(crate) reset: Vec<usize>,
}

/// Counter slots start unset.
pub(crate) const UNSET: i64 = i64::MIN;

//! Running a compiled plan: worker threads, virtual users, load control, stop, reports.

use super::EngineConfig;
use super::compile::split;
use super::error::EngineError;
use super::exec::{Deadline, Limits, SampleCtx, Vu, epoch_ms, exec};
use super::plan::{LoadMode, Plan, RunKind, Schedule};
use super::runlog::{LogLevel, LogLine, RunLog};
use super::safety::Safety;
use super::sample::{SampleLog, SampleStore};
use super::stats::{
    Aggregate, ApiPoint, Counters, LATE_SEND, Latency, SecondEnd, TimelinePoint, WorkerStats,
    latency, quantile_ms,
};
use super::tls::Tls;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::watch;

mod handle;
mod lifecycle;
mod notes;
mod schedule;
mod workers;

pub(crate) use handle::launch;
pub use handle::{RunHandle, pin_current_thread};
pub(crate) use lifecycle::Lifecycle;
pub use lifecycle::RunPhase;

const NONE: u32 = u32::MAX;
/// Controller period: ramps, adjustments and VU spawning react within this.
const TICK: Duration = Duration::from_millis(20);
/// Workers hand their current second's data to the aggregate this often (live counts).
const PARTIAL_FLUSH: Duration = Duration::from_millis(200);
/// RPS mode: sends leave in batches on a grid from the run's start, each slot at the grid
/// point before it, so a worker wakes once per period for all of them rather than once per
/// send (a send's latency runs from when it left when that is earlier than its slot). The
/// period holds about this many sends, within [`SEND_GRIDS`].
const SEND_BATCH: f64 = 10.0;
/// Grid periods, each dividing a second (every 1 s window then holds the same number of grid
/// points, so batching moves no send across a second); the longest bounds how early a send
/// may leave.
const SEND_GRIDS: [Duration; 5] = [
    Duration::from_millis(5),
    Duration::from_millis(10),
    Duration::from_millis(20),
    Duration::from_millis(25),
    Duration::from_millis(50),
];
/// RPS mode: a claimed slot this late with no idle virtual user grows the pool.
const LATE: Duration = Duration::from_millis(1);
/// Stopping: requests in flight get this long to complete before they are cancelled.
const STOP_GRACE: Duration = Duration::from_millis(400);
/// After cancelling, virtual users get this long to record the cancellation and leave.
const STOP_SETTLE: Duration = Duration::from_millis(100);
/// How often a stopping worker looks at its virtual users and request deadlines.
const DRAIN_POLL: Duration = Duration::from_millis(2);
/// Timer granularity of the runtime (sleeps end up to this much after their deadline).
const TIMER_SLACK: Duration = Duration::from_millis(1);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Why a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// `stop()` was called.
    Stopped,
    /// The scene's MaxRunningTime (scaled) elapsed.
    MaxRunningTime,
    /// The service-wide cap on run duration elapsed first.
    ServiceCap,
    /// Every virtual user finished (iteration counts, CycleOnce files, debug runs).
    Completed,
    /// A worker could not start.
    Failed,
}

/// Selects what an adjustment applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdjustTarget {
    /// An API by its `ApiId`. Concurrency mode: must be the first API of a relation (sets that
    /// relation's virtual users, as `AdjustPtsSceneSpeed` documents); RPS mode: that API's RPS.
    ApiId(String),
    /// Like `ApiId`, by position in the flattened API list.
    ApiIndex(usize),
    /// A relation by position: its virtual users, or (RPS mode) every API's RPS in it.
    Relation(usize),
    /// The whole run: the total split evenly over relations (concurrency) or APIs (RPS).
    All,
}

/// One adjustment: a new level (virtual users or requests/s, >= 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speed {
    pub target: AdjustTarget,
    pub value: u32,
}

/// Identity of an API in snapshots and reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiInfo {
    /// Position in the flattened API list (JMeter: the sampler id).
    pub index: usize,
    pub api_id: Option<String>,
    pub api_name: String,
    pub relation_index: usize,
    pub relation_id: Option<String>,
    pub relation_name: String,
}

/// Live data of one API.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiLive {
    pub info: ApiInfo,
    /// Cumulative counters.
    pub counters: Counters,
    /// Cumulative latency (ms).
    pub latency: Latency,
    /// Configured RPS now (RPS mode; 0 in concurrency mode).
    pub config_qps: u32,
    /// Virtual users of its relation (concurrency) or busy ones (RPS).
    pub concurrency: f64,
    /// The last complete second, or before one ended, the part of the first flushed so far.
    pub last_second: Option<ApiPoint>,
}

/// A cheap view of a run, taken at any time (`GetPtsSceneRunningData` and friends).
#[derive(Debug, Clone, PartialEq)]
pub struct RunSnapshot {
    pub kind: RunKind,
    pub mode: LoadMode,
    pub debug: bool,
    pub phase: RunPhase,
    pub stop_reason: Option<StopReason>,
    pub begin_epoch_ms: i64,
    pub elapsed: Duration,
    /// Planned wall duration (MaxRunningTime scaled, capped by the service).
    pub planned: Duration,
    /// Current virtual users (concurrency mode) or busy virtual users (RPS mode).
    pub concurrency: u32,
    /// Sum of the configured limits (virtual users), 0 in RPS mode.
    pub concurrency_limit: u32,
    /// Sum of the configured limits (requests/s), 0 in concurrency mode.
    pub tps_limit: u32,
    /// Current configured level per load unit (relations, or APIs in RPS mode).
    pub levels: Vec<u32>,
    pub totals: Counters,
    pub latency: Latency,
    /// The last complete second of the scene, or before one ended, the part of the first
    /// flushed so far (rates come from here).
    pub last_second: Option<TimelinePoint>,
    pub apis: Vec<ApiLive>,
    pub vum: i64,
}

impl RunSnapshot {
    /// Requests per second over the current window (`last_second`; 0 once finished).
    pub fn current_tps(&self) -> f64 {
        if self.phase == RunPhase::Finished {
            return 0.0;
        }
        self.last_second.map(|p| p.tps()).unwrap_or(0.0)
    }
}

/// Final statistics of one API.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiReport {
    pub info: ApiInfo,
    pub counters: Counters,
    pub latency: Latency,
    /// Requests per second over the run's duration.
    pub avg_tps: f64,
}

/// Everything a finished run leaves behind (`GetPtsReportDetails`, JMeter reports...).
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    pub kind: RunKind,
    pub mode: LoadMode,
    pub debug: bool,
    pub scene_name: String,
    pub stop_reason: StopReason,
    pub begin_epoch_ms: i64,
    pub end_epoch_ms: i64,
    pub duration: Duration,
    pub scene: Counters,
    pub latency: Latency,
    pub avg_tps: f64,
    pub apis: Vec<ApiReport>,
    /// Per-second scene timeline (at most [`super::TIMELINE_CAP`] most recent points).
    pub timeline: Vec<TimelinePoint>,
    /// Points dropped from the front of the timeline because of the cap.
    pub timeline_dropped: u64,
    /// Per-API timelines (same indexes as `apis`).
    pub api_timelines: Vec<Vec<ApiPoint>>,
    pub vum: i64,
    pub max_concurrency: u32,
    pub concurrency_limit: u32,
    pub tps_limit: u32,
    /// Sample logs kept (debug: all, up to the cap; load: the most recent).
    pub samples: Vec<SampleLog>,
    /// Sample logs taken in total (including those the cap dropped).
    pub samples_seen: u64,
    /// The run's engine log (bounded, see [`super::runlog`]).
    pub logs: Vec<LogLine>,
}

pub(crate) struct Shared {
    pub plan: Plan,
    pub safety: Safety,
    /// The run's TLS client (one session cache for every connection).
    pub tls: Arc<Tls>,
    pub limits: Limits,
    pub start: Instant,
    pub begin_epoch_ms: i64,
    pub deadline: Instant,
    pub run_capped: bool,
    pub workers: usize,
    pub max_pool: u32,
    pub max_concurrency: u32,
    pub max_rps: Option<u32>,
    pub inline_conns: bool,
    stop_tx: watch::Sender<bool>,
    /// Woken by an adjustment: controllers sleeping past a tick apply it at once.
    adjusted: tokio::sync::Notify,
    /// The run's phase, also held by every connection pool (the first send makes it running).
    pub life: Arc<Lifecycle>,
    stop_reason: Mutex<Option<StopReason>>,
    overrides: Vec<AtomicU32>,
    levels: Vec<AtomicU32>,
    /// Concurrency per (worker, unit), published by each worker's controller.
    conc: Vec<AtomicU32>,
    agg: Mutex<Aggregate>,
    samples: Mutex<SampleStore>,
    cursors: Vec<AtomicU64>,
    exhausted: Vec<AtomicBool>,
    workers_left: AtomicUsize,
    done: Mutex<bool>,
    done_cv: Condvar,
    done_tx: watch::Sender<bool>,
    report: Mutex<Option<Arc<RunReport>>>,
    end: Mutex<Option<(Instant, i64)>>,
    log: Mutex<RunLog>,
}

impl Shared {
    fn set_reason(&self, r: StopReason) {
        let mut g = lock(&self.stop_reason);
        if g.is_none() {
            *g = Some(r);
        }
    }

    fn stop(&self, r: StopReason) {
        self.set_reason(r);
        if self.life.stopping() {
            let why = r.why();
            let grace = STOP_GRACE.as_millis();
            self.note(
                LogLevel::Info,
                format!(
                    "Stopping ({why}): requests in flight get {grace} ms to complete, then are cancelled"
                ),
            );
        }
        self.stop_tx.send_replace(true);
    }

    fn phase(&self) -> RunPhase {
        self.life.get()
    }

    fn info(&self, i: usize) -> ApiInfo {
        let a = &self.plan.apis[i];
        let r = &self.plan.relations[a.relation];
        ApiInfo {
            index: i,
            api_id: a.id.clone(),
            api_name: a.name.clone(),
            relation_index: a.relation,
            relation_id: r.id.clone(),
            relation_name: r.name.clone(),
        }
    }

    fn limits_sum(&self) -> (u32, u32) {
        let total: u32 = self.plan.units.iter().map(|u| u.schedule.limit()).sum();
        match self.plan.mode {
            LoadMode::Concurrency => (total, 0),
            LoadMode::Rps => (0, total),
        }
    }

    /// Concurrency per unit summed over workers.
    fn unit_conc(&self) -> Vec<u32> {
        let n = self.plan.units.len();
        let mut out = vec![0u32; n];
        for (i, c) in self.conc.iter().enumerate() {
            out[i % n] += c.load(Ordering::Relaxed);
        }
        out
    }

    /// Concurrency per API (its relation's), from per-unit values.
    fn api_conc(&self, unit_conc: &[u32]) -> Vec<f32> {
        let plan = &self.plan;
        let mut rel = vec![0u32; plan.relations.len()];
        for (u, c) in plan.units.iter().zip(unit_conc) {
            rel[u.relation] += c;
        }
        plan.apis.iter().map(|a| rel[a.relation] as f32).collect()
    }

    fn worker_finished(&self, reason: StopReason) {
        self.set_reason(reason);
        if self.workers_left.fetch_sub(1, Ordering::AcqRel) != 1 {
            return;
        }
        let end = (Instant::now(), epoch_ms());
        *lock(&self.end) = Some(end);
        let mut report = self.build_report(end);
        self.note_end(&report);
        report.logs = lock(&self.log).lines();
        *lock(&self.report) = Some(Arc::new(report));
        self.life.finished();
        *lock(&self.done) = true;
        self.done_cv.notify_all();
        self.done_tx.send_replace(true);
    }

    fn build_report(&self, end: (Instant, i64)) -> RunReport {
        let mut agg = lock(&self.agg);
        self.finalize(&mut agg, None);
        let duration = end.0.saturating_duration_since(self.start);
        let secs = duration.as_secs_f64().max(1e-3);
        let apis = (0..self.plan.apis.len())
            .map(|i| ApiReport {
                info: self.info(i),
                counters: agg.apis[i].clone(),
                latency: latency(&agg.api_hists[i], &agg.apis[i]),
                avg_tps: agg.apis[i].count as f64 / secs,
            })
            .collect();
        let (cl, tl) = self.limits_sum();
        let samples = lock(&self.samples);
        RunReport {
            kind: self.plan.kind,
            mode: self.plan.mode,
            debug: self.plan.debug,
            scene_name: self.plan.scene_name.clone(),
            stop_reason: lock(&self.stop_reason).unwrap_or(StopReason::Completed),
            begin_epoch_ms: self.begin_epoch_ms,
            end_epoch_ms: end.1,
            duration,
            scene: agg.scene.clone(),
            latency: latency(&agg.scene_hist, &agg.scene),
            avg_tps: agg.scene.count as f64 / secs,
            apis,
            timeline: agg.timeline.iter().copied().collect(),
            timeline_dropped: agg.timeline_dropped,
            api_timelines: agg.api_timelines.iter().map(|t| t.iter().copied().collect()).collect(),
            vum: agg.vum(),
            max_concurrency: agg.max_concurrency,
            concurrency_limit: cl,
            tps_limit: tl,
            samples: samples.logs.iter().cloned().collect(),
            samples_seen: samples.seen,
            logs: Vec::new(),
        }
    }
}

//! State shared by a run's worker threads and its handle, and the run's timing constants.

use super::report::{ApiInfo, ApiReport, RunReport, StopReason};
use crate::engine::exec::Limits;
use crate::engine::lifecycle::{Lifecycle, RunPhase};
use crate::engine::plan::{LoadMode, Plan};
use crate::engine::runlog::{LogLevel, RunLog};
use crate::engine::safety::Safety;
use crate::engine::sample::SampleStore;
use crate::engine::stats::{Aggregate, latency};
use crate::engine::tls::Tls;
use crate::ids::now_ms;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::watch;

pub(super) const NONE: u32 = u32::MAX;
/// Controller period: ramps, adjustments and VU spawning react within this.
pub(super) const TICK: Duration = Duration::from_millis(20);
/// Workers hand their current second's data to the aggregate this often (live counts).
pub(super) const PARTIAL_FLUSH: Duration = Duration::from_millis(200);
/// RPS mode: sends leave in batches on a grid from the run's start, each slot with the batch
/// at the grid point before it, so a worker wakes once per period for all of them rather
/// than once per send or per response (a send's latency runs from when it left when that is
/// earlier than its slot). The period holds about this many sends, within [`SEND_GRIDS`].
pub(super) const SEND_BATCH: f64 = 10.0;
/// Grid periods, each dividing a second (every 1 s window then holds the same number of grid
/// points, so batching moves no send across a second); the longest bounds how early a send
/// may leave.
pub(super) const SEND_GRIDS: [Duration; 5] = [
    Duration::from_millis(5),
    Duration::from_millis(10),
    Duration::from_millis(20),
    Duration::from_millis(25),
    Duration::from_millis(50),
];
/// RPS mode: a claimed slot this late with no idle virtual user grows the pool.
pub(super) const LATE: Duration = Duration::from_millis(1);
/// Stopping: requests in flight get this long to complete before they are cancelled.
pub(super) const STOP_GRACE: Duration = Duration::from_millis(400);
/// After cancelling, virtual users get this long to record the cancellation and leave.
pub(super) const STOP_SETTLE: Duration = Duration::from_millis(100);
/// How often a stopping worker looks at its virtual users and request deadlines.
pub(super) const DRAIN_POLL: Duration = Duration::from_millis(2);
/// Timer granularity of the runtime (sleeps end up to this much after their deadline).
pub(super) const TIMER_SLACK: Duration = Duration::from_millis(1);

pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
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
    pub(super) stop_tx: watch::Sender<bool>,
    /// Woken by an adjustment: controllers sleeping past a tick apply it at once.
    pub(super) adjusted: tokio::sync::Notify,
    /// The run's phase, also held by every connection pool (the first send makes it running).
    pub life: Arc<Lifecycle>,
    pub(super) stop_reason: Mutex<Option<StopReason>>,
    pub(super) overrides: Vec<AtomicU32>,
    pub(super) levels: Vec<AtomicU32>,
    /// Concurrency per (worker, unit), published by each worker's controller.
    pub(super) conc: Vec<AtomicU32>,
    pub(super) agg: Mutex<Aggregate>,
    pub(super) samples: Mutex<SampleStore>,
    pub(super) cursors: Vec<AtomicU64>,
    pub(super) exhausted: Vec<AtomicBool>,
    pub(super) workers_left: AtomicUsize,
    pub(super) done: Mutex<bool>,
    pub(super) done_cv: Condvar,
    pub(super) done_tx: watch::Sender<bool>,
    pub(super) report: Mutex<Option<Arc<RunReport>>>,
    pub(super) end: Mutex<Option<(Instant, i64)>>,
    pub(super) log: Mutex<RunLog>,
}

impl Shared {
    pub(super) fn set_reason(&self, r: StopReason) {
        let mut g = lock(&self.stop_reason);
        if g.is_none() {
            *g = Some(r);
        }
    }

    pub(super) fn stop(&self, r: StopReason) {
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

    pub(super) fn phase(&self) -> RunPhase {
        self.life.get()
    }

    pub(super) fn info(&self, i: usize) -> ApiInfo {
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

    pub(super) fn limits_sum(&self) -> (u32, u32) {
        let total: u32 = self.plan.units.iter().map(|u| u.schedule.limit()).sum();
        match self.plan.mode {
            LoadMode::Concurrency => (total, 0),
            LoadMode::Rps => (0, total),
        }
    }

    /// Concurrency per unit summed over workers.
    pub(super) fn unit_conc(&self) -> Vec<u32> {
        let n = self.plan.units.len();
        let mut out = vec![0u32; n];
        for (i, c) in self.conc.iter().enumerate() {
            out[i % n] += c.load(Ordering::Relaxed);
        }
        out
    }

    /// Concurrency per API (its relation's), from per-unit values.
    pub(super) fn api_conc(&self, unit_conc: &[u32]) -> Vec<f32> {
        let plan = &self.plan;
        let mut rel = vec![0u32; plan.relations.len()];
        for (u, c) in plan.units.iter().zip(unit_conc) {
            rel[u.relation] += c;
        }
        plan.apis.iter().map(|a| rel[a.relation] as f32).collect()
    }

    pub(super) fn worker_finished(&self, reason: StopReason) {
        self.set_reason(reason);
        if self.workers_left.fetch_sub(1, Ordering::AcqRel) != 1 {
            return;
        }
        let end = (Instant::now(), now_ms());
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

    pub(super) fn build_report(&self, end: (Instant, i64)) -> RunReport {
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

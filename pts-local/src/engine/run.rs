//! Running a compiled plan: worker threads, virtual users, load control, stop, reports.

use super::EngineConfig;
use super::compile::split;
use super::error::EngineError;
use super::exec::{Deadline, Limits, SampleCtx, Vu, epoch_ms, exec};
use super::plan::{LoadMode, Plan, RunKind};
use super::safety::Safety;
use super::sample::{SampleLog, SampleStore};
use super::stats::{
    Aggregate, ApiPoint, Counters, Latency, TimelinePoint, WorkerStats, latency, quantile_ms,
};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::watch;

const NONE: u32 = u32::MAX;
/// Controller period: ramps, adjustments and VU spawning react within this.
const TICK: Duration = Duration::from_millis(20);
/// RPS mode: a virtual user claims a send slot at most this far ahead.
const HORIZON: Duration = Duration::from_millis(50);
/// RPS mode: a claimed slot this late with no idle virtual user grows the pool.
const LATE: Duration = Duration::from_millis(1);
/// Timer granularity of the runtime (sleeps end up to this much after their deadline).
const TIMER_SLACK: Duration = Duration::from_millis(1);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunPhase {
    Running,
    /// `stop()` was called (or the time ran out); workers are cancelling in-flight requests.
    Stopping,
    Finished,
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
    /// The last complete second, if any.
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
    /// The last complete second of the scene, if any (rates come from here).
    pub last_second: Option<TimelinePoint>,
    pub apis: Vec<ApiLive>,
    pub vum: i64,
}

impl RunSnapshot {
    /// Requests per second over the last complete second (0 once finished).
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
}

pub(crate) struct Shared {
    pub plan: Plan,
    pub safety: Safety,
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
    phase: AtomicU8,
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
        let _ = self.phase.compare_exchange(0, 1, Ordering::AcqRel, Ordering::Acquire);
        self.stop_tx.send_replace(true);
    }

    fn phase(&self) -> RunPhase {
        match self.phase.load(Ordering::Acquire) {
            0 => RunPhase::Running,
            1 => RunPhase::Stopping,
            _ => RunPhase::Finished,
        }
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
        let report = self.build_report(end);
        *lock(&self.report) = Some(Arc::new(report));
        self.phase.store(2, Ordering::Release);
        *lock(&self.done) = true;
        self.done_cv.notify_all();
        self.done_tx.send_replace(true);
    }

    fn build_report(&self, end: (Instant, i64)) -> RunReport {
        let mut agg = lock(&self.agg);
        agg.finalize(None);
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
        }
    }
}

/// A running (or finished) load test. Dropping the handle stops the run.
pub struct RunHandle {
    sh: Arc<Shared>,
}

impl std::fmt::Debug for RunHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunHandle").field("phase", &self.sh.phase()).finish()
    }
}

impl Drop for RunHandle {
    fn drop(&mut self) {
        if self.sh.phase() == RunPhase::Running {
            self.sh.stop(StopReason::Stopped);
        }
    }
}

impl RunHandle {
    /// Live view; cheap (one short lock, no histogram copies).
    pub fn snapshot(&self) -> RunSnapshot {
        let sh = &self.sh;
        let phase = sh.phase();
        let now = Instant::now();
        let end = *lock(&sh.end);
        let elapsed = end.map(|e| e.0).unwrap_or(now).saturating_duration_since(sh.start);
        let unit_conc =
            if phase == RunPhase::Finished { vec![0; sh.plan.units.len()] } else { sh.unit_conc() };
        let api_conc = sh.api_conc(&unit_conc);
        let levels: Vec<u32> = sh.levels.iter().map(|l| l.load(Ordering::Relaxed)).collect();
        let (cl, tl) = sh.limits_sum();
        let mut agg = lock(&sh.agg);
        if phase != RunPhase::Finished {
            agg.finalize(Some(elapsed.as_secs().saturating_sub(1)));
        }
        let apis = (0..sh.plan.apis.len())
            .map(|i| ApiLive {
                info: sh.info(i),
                counters: agg.apis[i].clone(),
                latency: latency(&agg.api_hists[i], &agg.apis[i]),
                config_qps: match sh.plan.mode {
                    LoadMode::Rps => sh.plan.unit_of_api(i).map(|u| levels[u]).unwrap_or(0),
                    LoadMode::Concurrency => 0,
                },
                concurrency: api_conc[i] as f64,
                last_second: agg.last_api_points[i],
            })
            .collect();
        RunSnapshot {
            kind: sh.plan.kind,
            mode: sh.plan.mode,
            debug: sh.plan.debug,
            phase,
            stop_reason: *lock(&sh.stop_reason),
            begin_epoch_ms: sh.begin_epoch_ms,
            elapsed,
            planned: sh.plan.run_for,
            concurrency: unit_conc.iter().sum(),
            concurrency_limit: cl,
            tps_limit: tl,
            levels,
            totals: agg.scene.clone(),
            latency: Latency {
                p50_ms: quantile_ms(&agg.scene_hist, 0.5),
                p90_ms: quantile_ms(&agg.scene_hist, 0.9),
                p99_ms: quantile_ms(&agg.scene_hist, 0.99),
                ..latency(&agg.scene_hist, &agg.scene)
            },
            last_second: agg.last_point,
            apis,
            vum: agg.vum(),
        }
    }

    /// Changes load while running (applies within ~20 ms). Adjusted units stop auto-stepping.
    pub fn adjust(&self, speeds: &[Speed]) -> Result<(), EngineError> {
        let sh = &self.sh;
        let plan = &sh.plan;
        if sh.phase() != RunPhase::Running {
            return Err(EngineError::InvalidAdjust("the run is not running".into()));
        }
        let mut new: Vec<u32> = sh
            .overrides
            .iter()
            .zip(&sh.levels)
            .map(|(o, l)| match o.load(Ordering::Relaxed) {
                NONE => l.load(Ordering::Relaxed),
                v => v,
            })
            .collect();
        let mut touched = vec![false; new.len()];
        for s in speeds {
            if s.value < 1 {
                return Err(EngineError::InvalidAdjust("speed must be >= 1".into()));
            }
            let api_index = |t: &AdjustTarget| -> Result<usize, EngineError> {
                match t {
                    AdjustTarget::ApiIndex(i) if *i < plan.apis.len() => Ok(*i),
                    AdjustTarget::ApiId(id) => plan
                        .apis
                        .iter()
                        .position(|a| a.id.as_deref() == Some(id.as_str()))
                        .ok_or_else(|| EngineError::InvalidAdjust(format!("unknown ApiId `{id}`"))),
                    _ => Err(EngineError::InvalidAdjust(format!("unknown API {t:?}"))),
                }
            };
            let mut set = |u: usize, v: u32| {
                new[u] = v;
                touched[u] = true;
            };
            match (&s.target, plan.mode) {
                (AdjustTarget::All, _) => {
                    let n = plan.units.len();
                    for u in 0..n {
                        set(u, split(s.value, n, u));
                    }
                }
                (AdjustTarget::Relation(r), LoadMode::Concurrency) => {
                    let u = plan.units.iter().position(|u| u.relation == *r).ok_or_else(|| {
                        EngineError::InvalidAdjust(format!("unknown relation {r}"))
                    })?;
                    set(u, s.value);
                }
                (AdjustTarget::Relation(r), LoadMode::Rps) => {
                    let mut any = false;
                    for (u, up) in plan.units.iter().enumerate() {
                        if up.relation == *r {
                            set(u, s.value);
                            any = true;
                        }
                    }
                    if !any {
                        return Err(EngineError::InvalidAdjust(format!("unknown relation {r}")));
                    }
                }
                (t, LoadMode::Concurrency) => {
                    let i = api_index(t)?;
                    let rel = plan.apis[i].relation;
                    if plan.relations[rel].apis.start != i {
                        return Err(EngineError::InvalidAdjust(format!(
                            "in concurrency mode the API must be the first of its relation (`{}` is not)",
                            plan.apis[i].name
                        )));
                    }
                    let u = plan.units.iter().position(|u| u.relation == rel).unwrap_or(0);
                    set(u, s.value);
                }
                (t, LoadMode::Rps) => {
                    let i = api_index(t)?;
                    let u = plan.unit_of_api(i).unwrap_or(0);
                    set(u, s.value);
                }
            }
        }
        let total: u64 = new.iter().map(|v| *v as u64).sum();
        match plan.mode {
            LoadMode::Concurrency if total > sh.max_concurrency as u64 => {
                return Err(EngineError::InvalidAdjust(format!(
                    "total concurrency {total} exceeds the cap {}",
                    sh.max_concurrency
                )));
            }
            LoadMode::Rps if sh.max_rps.is_some_and(|m| total > m as u64) => {
                return Err(EngineError::InvalidAdjust(format!(
                    "total RPS {total} exceeds the cap"
                )));
            }
            _ => {}
        }
        for (u, v) in new.iter().enumerate() {
            if touched[u] {
                sh.overrides[u].store(*v, Ordering::Relaxed);
                sh.levels[u].store(*v, Ordering::Relaxed);
            }
        }
        Ok(())
    }

    /// Asks the run to stop; returns at once (workers cancel in-flight requests immediately).
    pub fn stop(&self) {
        if self.sh.phase() == RunPhase::Running {
            self.sh.stop(StopReason::Stopped);
        }
    }

    pub fn phase(&self) -> RunPhase {
        self.sh.phase()
    }

    pub fn is_finished(&self) -> bool {
        self.sh.phase() == RunPhase::Finished
    }

    /// The final report once finished.
    pub fn report(&self) -> Option<Arc<RunReport>> {
        lock(&self.sh.report).clone()
    }

    /// Blocks until the run ends by itself (or is stopped elsewhere), then returns the report.
    pub fn wait(&self) -> Arc<RunReport> {
        let mut done = lock(&self.sh.done);
        while !*done {
            done = self.sh.done_cv.wait(done).unwrap_or_else(|e| e.into_inner());
        }
        drop(done);
        self.report().expect("report is set before done")
    }

    /// Like [`RunHandle::wait`] with a time limit.
    pub fn wait_timeout(&self, d: Duration) -> Option<Arc<RunReport>> {
        let deadline = Instant::now() + d;
        let mut done = lock(&self.sh.done);
        while !*done {
            let left = deadline.checked_duration_since(Instant::now())?;
            done = self.sh.done_cv.wait_timeout(done, left).unwrap_or_else(|e| e.into_inner()).0;
        }
        drop(done);
        self.report()
    }

    /// Async wait for the end of the run (any runtime), then the report.
    pub async fn finished(&self) -> Arc<RunReport> {
        let mut rx = self.sh.done_tx.subscribe();
        let _ = rx.wait_for(|d| *d).await;
        self.report().expect("report is set before done")
    }

    /// Stops and waits: the final report.
    pub fn finish(&self) -> Arc<RunReport> {
        self.stop();
        self.wait()
    }

    /// Sample logs kept so far (debug runs: every request).
    pub fn samples(&self) -> Vec<SampleLog> {
        lock(&self.sh.samples).logs.iter().cloned().collect()
    }

    /// The APIs of the run, in index order.
    pub fn apis(&self) -> Vec<ApiInfo> {
        (0..self.sh.plan.apis.len()).map(|i| self.sh.info(i)).collect()
    }

    /// Per-API timeline cap of this run (points).
    pub fn api_timeline_cap(&self) -> usize {
        lock(&self.sh.agg).api_timeline_cap()
    }
}

/// Starts worker threads for a compiled plan.
pub(crate) fn launch(
    plan: Plan,
    safety: Safety,
    cfg: &EngineConfig,
) -> Result<RunHandle, EngineError> {
    let workers = cfg.workers.max(1);
    let n_units = plan.units.len();
    let n_apis = plan.apis.len();
    let n_rel = plan.relations.len();
    let start = Instant::now();
    let (stop_tx, _) = watch::channel(false);
    let (done_tx, _) = watch::channel(false);
    let levels =
        plan.units.iter().map(|u| AtomicU32::new(u.schedule.level_at(Duration::ZERO))).collect();
    let sample_cap = if plan.debug { cfg.debug_sample_cap } else { cfg.sample_log_cap };
    let sh = Arc::new(Shared {
        deadline: start + plan.run_for,
        run_capped: plan.run_for >= cfg.max_run_duration,
        safety,
        limits: Limits { inspect: cfg.inspect_body_limit, sample_body: cfg.sample_body_limit },
        start,
        begin_epoch_ms: epoch_ms(),
        workers,
        max_pool: (cfg.max_concurrency / workers as u32).max(1),
        max_concurrency: cfg.max_concurrency,
        max_rps: cfg.max_rps,
        inline_conns: cfg.inline_connections,
        stop_tx,
        phase: AtomicU8::new(0),
        stop_reason: Mutex::new(None),
        overrides: (0..n_units).map(|_| AtomicU32::new(NONE)).collect(),
        levels,
        conc: (0..n_units * workers).map(|_| AtomicU32::new(0)).collect(),
        agg: Mutex::new(Aggregate::new(n_apis, cfg.timeline_cap, cfg.api_timeline_budget)),
        samples: Mutex::new(SampleStore::new(sample_cap, plan.debug)),
        cursors: (0..n_rel).map(|_| AtomicU64::new(0)).collect(),
        exhausted: (0..n_rel).map(|_| AtomicBool::new(false)).collect(),
        workers_left: AtomicUsize::new(workers),
        done: Mutex::new(false),
        done_cv: Condvar::new(),
        done_tx,
        report: Mutex::new(None),
        end: Mutex::new(None),
        plan,
    });
    for w in 0..workers {
        let sh2 = sh.clone();
        let cpu = (!cfg.pin_cpus.is_empty()).then(|| cfg.pin_cpus[w % cfg.pin_cpus.len()]);
        let spawned = std::thread::Builder::new()
            .name(format!("pts-engine-{w}"))
            .spawn(move || worker_main(sh2, w, cpu));
        if let Err(e) = spawned {
            sh.stop(StopReason::Failed);
            for _ in w..workers {
                sh.worker_finished(StopReason::Failed);
            }
            return Err(EngineError::Runtime(format!("cannot start worker thread: {e}")));
        }
    }
    Ok(RunHandle { sh })
}

/// Pins the current thread to `cpu` (Linux; best effort elsewhere).
pub fn pin_current_thread(cpu: usize) -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: cpu_set_t is plain data; CPU_ZERO/CPU_SET write inside it and
        // sched_setaffinity(0, ..) only affects the calling thread.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_ZERO(&mut set);
            libc::CPU_SET(cpu, &mut set);
            libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = cpu;
        false
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Free,
    Live,
    Done,
}

/// Worker-local state of one load unit.
struct LocalUnit {
    /// Concurrency: this worker's share of virtual users. RPS: unused.
    target: Cell<u32>,
    slots: RefCell<Vec<Slot>>,
    live: Cell<u32>,
    done: Cell<u32>,
    dirty: Cell<bool>,
    /// RPS: this worker's share of requests/s, schedule anchor, slots issued / gate passes.
    rate: Cell<f64>,
    anchor: Cell<Instant>,
    issued: Cell<u64>,
    pool: Cell<u32>,
    idle: Cell<u32>,
    busy: Cell<u32>,
}

struct Worker {
    sh: Arc<Shared>,
    idx: usize,
    n: usize,
    stats: RefCell<WorkerStats>,
    units: Vec<LocalUnit>,
    vu_seq: Cell<u64>,
    /// The second the current interval belongs to.
    cur_sec: Cell<u64>,
    /// Request deadlines of this worker's virtual users.
    deadlines: RefCell<Vec<std::rc::Weak<Deadline>>>,
}

impl Worker {
    fn flush(&self, sec: u64, span_ms: u32) {
        let sh = &self.sh;
        let n_units = sh.plan.units.len();
        let mine: Vec<u32> = self.units.iter().map(|u| self.unit_conc(u)).collect();
        let mut unit_conc = vec![0u32; n_units];
        unit_conc.copy_from_slice(&mine);
        let api_conc = sh.api_conc(&unit_conc);
        let total: u32 = mine.iter().sum();
        let mut stats = self.stats.borrow_mut();
        let mut agg = lock(&sh.agg);
        agg.flush(&mut stats, sec, span_ms, &api_conc, total);
        agg.finalize(Some(sec));
    }

    fn unit_conc(&self, u: &LocalUnit) -> u32 {
        match self.sh.plan.mode {
            LoadMode::Concurrency => u.live.get(),
            LoadMode::Rps => u.busy.get(),
        }
    }

    fn publish(&self) {
        let n = self.units.len();
        for (i, u) in self.units.iter().enumerate() {
            self.sh.conc[self.idx * n + i].store(self.unit_conc(u), Ordering::Relaxed);
        }
    }

    fn next_vu(&self, relation: usize) -> Vu {
        let seq = self.vu_seq.get();
        self.vu_seq.set(seq + 1);
        let plan = &self.sh.plan;
        let seed = (self.idx as u64) << 40 ^ seq.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xA5A5;
        Vu::new(
            plan.var_count,
            seed,
            format!("{} {}-{}", plan.relations[relation].name, self.idx + 1, seq + 1),
            self.sh.inline_conns,
            {
                let d = Rc::new(Deadline::default());
                self.deadlines.borrow_mut().push(Rc::downgrade(&d));
                d
            },
        )
    }

    /// Fires the request deadlines that passed; forgets those of finished virtual users.
    fn check_deadlines(&self, now: Instant) {
        self.deadlines.borrow_mut().retain(|w| match w.upgrade() {
            Some(d) => {
                d.check(now);
                true
            }
            None => false,
        });
    }

    /// Loads the next CSV rows into the VU's variables; false when a CycleOnce file ran out.
    fn next_row(&self, vu: &mut Vu, rel: usize) -> bool {
        let r = &self.sh.plan.relations[rel];
        if r.tables.is_empty() {
            return true;
        }
        let idx = self.sh.cursors[rel].fetch_add(1, Ordering::Relaxed) as usize;
        for t in &r.tables {
            if t.stop_at_eof && idx >= t.rows.len() {
                self.sh.exhausted[rel].store(true, Ordering::Relaxed);
                return false;
            }
            let row = &t.rows[idx % t.rows.len()];
            for (c, var) in t.cols.iter().enumerate() {
                vu.vars[*var as usize] = Some(row.get(c).cloned().unwrap_or_default());
            }
        }
        true
    }

    /// RPS gate of a non-first API: at most its rate.
    fn gate(&self, unit: usize) -> bool {
        let u = &self.units[unit];
        let rate = u.rate.get();
        if rate <= 0.0 {
            return false;
        }
        let allowed =
            Instant::now().saturating_duration_since(u.anchor.get()).as_secs_f64() * rate + 1.0;
        if (u.issued.get() as f64) < allowed {
            u.issued.set(u.issued.get() + 1);
            true
        } else {
            false
        }
    }

    async fn run_api(&self, vu: &mut Vu, ai: usize, intended: Option<Instant>) {
        let sh = &self.sh;
        let plan = &sh.plan;
        let api = &plan.apis[ai];
        if !api.think.is_zero() {
            tokio::time::sleep(api.think).await;
        }
        let sampled = {
            let mut st = self.stats.borrow_mut();
            let a = &mut st.apis[ai];
            a.started += 1;
            plan.sample_every > 0 && (a.started - 1).is_multiple_of(plan.sample_every)
        };
        let ctx =
            sampled.then_some(SampleCtx { relation_index: api.relation, api_index: ai, plan });
        let (out, sample) = exec(vu, plan, &sh.safety, api, intended, sh.limits, ctx).await;
        self.stats.borrow_mut().record(ai, &out);
        if let Some(s) = sample {
            lock(&sh.samples).push(s);
        }
    }
}

fn worker_main(sh: Arc<Shared>, idx: usize, cpu: Option<usize>) {
    if let Some(cpu) = cpu {
        pin_current_thread(cpu);
    }
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(_) => {
            sh.stop(StopReason::Failed);
            sh.worker_finished(StopReason::Failed);
            return;
        }
    };
    let now = Instant::now();
    let w = Rc::new(Worker {
        idx,
        n: sh.workers,
        stats: RefCell::new(WorkerStats::new(sh.plan.apis.len())),
        units: sh
            .plan
            .units
            .iter()
            .map(|_| LocalUnit {
                target: Cell::new(0),
                slots: RefCell::new(Vec::new()),
                live: Cell::new(0),
                done: Cell::new(0),
                dirty: Cell::new(true),
                rate: Cell::new(-1.0),
                anchor: Cell::new(now),
                issued: Cell::new(0),
                pool: Cell::new(0),
                idle: Cell::new(0),
                busy: Cell::new(0),
            })
            .collect(),
        vu_seq: Cell::new(0),
        cur_sec: Cell::new(0),
        deadlines: RefCell::new(Vec::new()),
        sh: sh.clone(),
    });
    let local = tokio::task::LocalSet::new();
    let mut stop_rx = sh.stop_tx.subscribe();
    let reason = local.block_on(&rt, async {
        tokio::select! {
            biased;
            _ = stop_rx.wait_for(|s| *s) => StopReason::Stopped,
            _ = tokio::time::sleep_until(sh.deadline.into()) => {
                if sh.run_capped { StopReason::ServiceCap } else { StopReason::MaxRunningTime }
            }
            _ = controller(w.clone()) => StopReason::Completed,
        }
    });
    // Dropping the LocalSet cancels every virtual user and its in-flight request.
    drop(local);
    let elapsed = Instant::now().saturating_duration_since(sh.start);
    let sec = elapsed.as_secs();
    let span = (elapsed.as_millis() as u64).saturating_sub(sec * 1000).max(1) as u32;
    for u in &w.units {
        u.live.set(0);
        u.busy.set(0);
    }
    w.publish();
    if sec > w.cur_sec.get() {
        w.flush(w.cur_sec.get(), 1000);
    }
    w.flush(sec, span);
    if reason != StopReason::Completed {
        sh.stop(reason);
    }
    sh.worker_finished(reason);
    drop(w);
    drop(rt);
}

async fn controller(w: Rc<Worker>) {
    let sh = w.sh.clone();
    let plan = &sh.plan;
    loop {
        let now = Instant::now();
        let el = now.saturating_duration_since(sh.start);
        let sec = el.as_secs();
        if sec > w.cur_sec.get() {
            w.flush(w.cur_sec.get(), 1000);
            w.cur_sec.set(sec);
        }
        let mut all_done = true;
        for (ui, up) in plan.units.iter().enumerate() {
            let ov = sh.overrides[ui].load(Ordering::Relaxed);
            let level = if ov != NONE { ov } else { up.schedule.level_at(el) };
            if w.idx == 0 && ov == NONE {
                sh.levels[ui].store(level, Ordering::Relaxed);
            }
            let lu = &w.units[ui];
            let rel = up.relation;
            let exhausted = sh.exhausted[rel].load(Ordering::Relaxed);
            match plan.mode {
                LoadMode::Concurrency => {
                    let share = split(level, w.n, w.idx);
                    if share != lu.target.get() {
                        lu.target.set(share);
                        lu.dirty.set(true);
                    }
                    if lu.dirty.get() && !exhausted {
                        lu.dirty.set(false);
                        let mut slots = lu.slots.borrow_mut();
                        if slots.len() < share as usize {
                            slots.resize(share as usize, Slot::Free);
                        }
                        for s in 0..share as usize {
                            if slots[s] == Slot::Free {
                                slots[s] = Slot::Live;
                                lu.live.set(lu.live.get() + 1);
                                tokio::task::spawn_local(conc_vu(w.clone(), ui, s));
                            }
                        }
                    }
                    let settled = ov != NONE || up.schedule.settled(el);
                    let finished = lu.live.get() == 0
                        && (exhausted
                            || (plan.relations[rel].max_iterations.is_some()
                                && settled
                                && lu.done.get() >= share));
                    all_done &= finished;
                }
                LoadMode::Rps => {
                    let rate = level as f64 / w.n as f64;
                    if rate != lu.rate.get() {
                        lu.rate.set(rate);
                        lu.anchor.set(now);
                        lu.issued.set(0);
                    }
                    let first = plan.relations[rel].apis.start == up.api.unwrap_or(usize::MAX);
                    if first {
                        if lu.pool.get() == 0 && rate > 0.0 && !exhausted {
                            let initial = ((rate / 100.0).ceil() as u32 + 1).min(sh.max_pool);
                            for _ in 0..initial {
                                lu.pool.set(lu.pool.get() + 1);
                                tokio::task::spawn_local(rps_vu(w.clone(), ui));
                            }
                        }
                        all_done &= exhausted && lu.pool.get() == 0;
                    }
                }
            }
        }
        w.publish();
        w.check_deadlines(now);
        if all_done {
            return;
        }
        tokio::time::sleep(TICK).await;
    }
}

async fn conc_vu(w: Rc<Worker>, unit: usize, slot: usize) {
    let sh = w.sh.clone();
    let plan = &sh.plan;
    let rel_idx = plan.units[unit].relation;
    let rel = &plan.relations[rel_idx];
    let mut vu = w.next_vu(rel_idx);
    let mut iters = 0u64;
    let lu = &w.units[unit];
    let end = loop {
        if slot as u32 >= lu.target.get() {
            break Slot::Free;
        }
        if sh.exhausted[rel_idx].load(Ordering::Relaxed) {
            break Slot::Done;
        }
        if rel.max_iterations.is_some_and(|m| iters >= m) {
            break Slot::Done;
        }
        if !w.next_row(&mut vu, rel_idx) {
            break Slot::Done;
        }
        for ai in rel.apis.clone() {
            w.run_api(&mut vu, ai, None).await;
        }
        iters += 1;
        tokio::task::coop::consume_budget().await;
    };
    lu.slots.borrow_mut()[slot] = end;
    lu.live.set(lu.live.get() - 1);
    if end == Slot::Done {
        lu.done.set(lu.done.get() + 1);
    }
    lu.dirty.set(true);
}

async fn rps_vu(w: Rc<Worker>, unit: usize) {
    let sh = w.sh.clone();
    let plan = &sh.plan;
    let rel_idx = plan.units[unit].relation;
    let rel = &plan.relations[rel_idx];
    let mut vu = w.next_vu(rel_idx);
    let lu = &w.units[unit];
    let gates: Vec<Option<usize>> = rel.apis.clone().map(|ai| plan.unit_of_api(ai)).collect();
    loop {
        if sh.exhausted[rel_idx].load(Ordering::Relaxed) {
            break;
        }
        let rate = lu.rate.get();
        let now = Instant::now();
        if rate <= 0.0 {
            lu.idle.set(lu.idle.get() + 1);
            tokio::time::sleep(TICK).await;
            lu.idle.set(lu.idle.get() - 1);
            continue;
        }
        let n = lu.issued.get();
        let t = lu.anchor.get() + Duration::from_secs_f64(n as f64 / rate);
        if t > now + HORIZON {
            lu.idle.set(lu.idle.get() + 1);
            tokio::time::sleep_until((t - HORIZON).into()).await;
            lu.idle.set(lu.idle.get() - 1);
            continue;
        }
        lu.issued.set(n + 1);
        if t > now + TIMER_SLACK {
            // The timer wheel rounds deadlines up to its 1 ms tick: aim one tick early so the
            // request leaves close to `t` (latency is measured from `t` only when it is late).
            lu.idle.set(lu.idle.get() + 1);
            tokio::time::sleep_until((t - TIMER_SLACK).into()).await;
            lu.idle.set(lu.idle.get() - 1);
        } else if now - t > LATE && lu.idle.get() == 0 && lu.pool.get() < sh.max_pool {
            lu.pool.set(lu.pool.get() + 1);
            tokio::task::spawn_local(rps_vu(w.clone(), unit));
        }
        lu.busy.set(lu.busy.get() + 1);
        if w.next_row(&mut vu, rel_idx) {
            for (k, ai) in rel.apis.clone().enumerate() {
                if k > 0 && !gates[k].is_some_and(|g| w.gate(g)) {
                    break;
                }
                w.run_api(&mut vu, ai, if k == 0 { Some(t) } else { None }).await;
            }
        }
        lu.busy.set(lu.busy.get() - 1);
        tokio::task::coop::consume_budget().await;
    }
    lu.pool.set(lu.pool.get() - 1);
}

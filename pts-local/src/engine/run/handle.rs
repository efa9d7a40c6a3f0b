//! The run handle (snapshots, adjustments, stop, waiting) and starting the worker threads.

use super::report::{AdjustTarget, ApiInfo, ApiLive, RunReport, RunSnapshot, Speed, StopReason};
use super::shared::{NONE, Shared, lock};
use super::worker_thread::worker_main;
use crate::engine::config::EngineConfig;
use crate::engine::error::EngineError;
use crate::engine::exec::Limits;
use crate::engine::lifecycle::{Lifecycle, RunPhase};
use crate::engine::plan::{LoadMode, Plan, RunKind, split};
use crate::engine::runlog::{LogLevel, LogLine, RunLog};
use crate::engine::safety::Safety;
use crate::engine::sample::{SampleLog, SampleStore};
use crate::engine::stats::{Aggregate, Latency, latency, quantile_ms};
use crate::engine::tls::Tls;
use crate::ids::now_ms;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

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
        if self.sh.phase().is_active() {
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
            sh.finalize(&mut agg, Some(elapsed.as_secs().saturating_sub(1)));
        }
        let (last_second, last_api) = agg.current();
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
                last_second: last_api[i],
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
            last_second,
            apis,
            vum: agg.vum(),
        }
    }

    /// Changes load while running (applies within ~20 ms). Adjusted units stop auto-stepping.
    pub fn adjust(&self, speeds: &[Speed]) -> Result<(), EngineError> {
        let sh = &self.sh;
        let plan = &sh.plan;
        if !sh.phase().is_active() {
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
        let mut changed = Vec::new();
        for (u, v) in new.iter().enumerate() {
            if touched[u] {
                sh.overrides[u].store(*v, Ordering::Relaxed);
                let old = sh.levels[u].swap(*v, Ordering::Relaxed);
                let up = &plan.units[u];
                let name = match up.api {
                    Some(a) if plan.mode == LoadMode::Rps => &plan.apis[a].name,
                    _ => &plan.relations[up.relation].name,
                };
                changed.push(format!("`{name}` {old} -> {v}"));
            }
        }
        let unit = match (plan.kind, plan.mode) {
            (RunKind::JMeter, _) => "threads",
            (_, LoadMode::Concurrency) => "virtual users",
            (_, LoadMode::Rps) => "requests/s",
        };
        sh.adjusted.notify_waiters();
        sh.note(LogLevel::Info, format!("Load adjusted ({unit}): {}", changed.join(", ")));
        Ok(())
    }

    /// Asks the run to stop; returns at once (requests in flight complete within a short grace
    /// or are cancelled, see `STOP_GRACE`).
    pub fn stop(&self) {
        if self.sh.phase().is_active() {
            self.sh.stop(StopReason::Stopped);
        }
    }

    pub fn phase(&self) -> RunPhase {
        self.sh.phase()
    }

    /// Every phase transition from now on (the receiver starts at the current phase).
    pub fn phases(&self) -> watch::Receiver<RunPhase> {
        self.sh.life.watch()
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

    /// The run's engine log so far (bounded).
    pub fn logs(&self) -> Vec<LogLine> {
        lock(&self.sh.log).lines()
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
    let tls = Arc::new(Tls::new(&cfg.ca_files));
    let may_tls = |a: &super::super::plan::ApiPlan| match &a.fixed {
        Some(p) => p.tls,
        None => {
            let url = a.url.render(&[]).trim_start().to_ascii_lowercase();
            url.starts_with("https:") || url.starts_with("${")
        }
    };
    if plan.apis.iter().any(may_tls) {
        // A bad CA file refuses the run now rather than failing every request.
        tls.precheck()?;
    }
    let sh = Arc::new(Shared {
        deadline: start + plan.run_for,
        run_capped: plan.run_for >= cfg.max_run_duration,
        safety,
        tls,
        limits: Limits { inspect: cfg.inspect_body_limit, sample_body: cfg.sample_body_limit },
        start,
        begin_epoch_ms: now_ms(),
        workers,
        max_pool: (cfg.max_concurrency / workers as u32).max(1),
        max_concurrency: cfg.max_concurrency,
        max_rps: cfg.max_rps,
        stop_tx,
        adjusted: tokio::sync::Notify::new(),
        life: Arc::new(Lifecycle::new()),
        stop_reason: Mutex::new(None),
        overrides: (0..n_units).map(|_| AtomicU32::new(NONE)).collect(),
        levels,
        conc: (0..n_units * workers).map(|_| AtomicU32::new(0)).collect(),
        agg: Mutex::new(Aggregate::new(
            n_apis,
            cfg.timeline_cap,
            cfg.api_timeline_budget,
            workers,
            cfg.time_scale,
        )),
        samples: Mutex::new(SampleStore::new(sample_cap, plan.debug)),
        cursors: (0..n_rel).map(|_| AtomicU64::new(0)).collect(),
        exhausted: (0..n_rel).map(|_| AtomicBool::new(false)).collect(),
        workers_left: AtomicUsize::new(workers),
        done: Mutex::new(false),
        done_cv: Condvar::new(),
        done_tx,
        report: Mutex::new(None),
        end: Mutex::new(None),
        log: Mutex::new(RunLog::default()),
        plan,
    });
    sh.note(LogLevel::Info, sh.start_line());
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

//! What a run shows: live snapshots, final reports and the adjustments it accepts.

use crate::engine::lifecycle::RunPhase;
use crate::engine::plan::{LoadMode, RunKind};
use crate::engine::runlog::LogLine;
use crate::engine::sample::SampleLog;
use crate::engine::stats::{ApiPoint, Counters, Latency, TimelinePoint};
use std::time::Duration;

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
    /// Per-second scene timeline (at most `TIMELINE_CAP` most recent points).
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
    /// The run's engine log (bounded, see [`runlog`](crate::engine::runlog)).
    pub logs: Vec<LogLine>,
}

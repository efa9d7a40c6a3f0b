//! The seam where the load engine plugs in.
//!
//! pts-local owns the state machine, the schedule and the records; the engine owns traffic
//! and measurement. The flow:
//! 1. A start operation commits the plan/report record and the new scene state, then calls
//!    [`RunEngine::start`] with a [`RunStart`] (scene snapshot, kind, real duration).
//! 2. While the run is active, the running-data operations ask [`RunEngine::pts_live`] /
//!    [`RunEngine::jmeter_live`] for measured values and overlay only what pts-local knows
//!    itself (ids, status, times, configured limits).
//!    Sample logs and engine logs of an active run come the same way
//!    ([`RunEngine::pts_samples`], [`RunEngine::jmeter_samples`], [`RunEngine::jmeter_logs`]).
//! 3. A stop operation, or the scheduler at the run's deadline, awaits [`RunEngine::stop`]; the
//!    [`RunResult`] it returns is stored with the record (report metrics, sample logs) in the
//!    same transaction that ends the run; then [`RunEngine::release`] lets the engine forget it.
//! 4. The status of an active run is the engine's [`RunPhase`] ([`RunEngine::phase`]), mapped to
//!    the PTS and JMeter status sets by `crate::engine::convert`; no clock is involved.
//!
//! [`NullEngine`] (chosen with `Config::with_null_engine`; the default is the load engine
//! through `crate::engine_adapter`) generates no traffic and measures
//! nothing: every measured field stays absent from responses, never invented.

use crate::clock::Clock;
pub use crate::engine::RunPhase;
use pts_api::ops::{
    get_jmeter_report_details as jrd, get_jmeter_scene_running_data as jrun,
    get_pts_debug_sample_logs as dbg, get_pts_report_details as prd,
    get_pts_scene_running_data as prun,
};
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunKind {
    PtsTest,
    PtsDebug,
    JMeterTest,
    JMeterDebug,
}

/// What the engine gets when a run starts.
#[derive(Debug, Clone)]
pub struct RunStart {
    /// PlanId (PTS) or ReportId (JMeter).
    pub run_id: String,
    pub scene_id: String,
    pub kind: RunKind,
    /// The scene as stored at start (wire keys): a PTS `Scene` or an `OpenJMeterScene`.
    pub snapshot: serde_json::Value,
    /// How long the run lasts in real time (already divided by the time scale).
    pub real_duration: Duration,
    pub clock: Clock,
    /// Directory of the file store, where referenced CSV/JMX/JAR files live.
    pub files_dir: std::path::PathBuf,
    /// Hosts allowed besides loopback.
    pub allowed_targets: Vec<String>,
}

/// A speed change: (ApiId or "" for a JMeter run, new speed).
pub type SpeedChange = Vec<(String, i64)>;

/// Measured data a PTS run produced, persisted with its plan when it ends.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PtsResult {
    pub scene_metrics: Option<prd::SceneMetrics>,
    pub api_metrics: Vec<prd::ApiMetrics>,
    pub vum: Option<i64>,
    pub agent_count: Option<i32>,
    /// Final running data (counts frozen; pts-local zeroes the rates).
    pub final_data: Option<prun::GetPtsSceneRunningDataResponse>,
    pub sample_logs: Vec<dbg::SamplingLog>,
}

/// Measured data a JMeter run produced, persisted with its report when it ends.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct JMeterResult {
    pub scene_metrics: Option<jrd::SceneMetrics>,
    pub sampler_metrics: Vec<jrd::SamplerMetrics>,
    pub vum: Option<i64>,
    pub agent_count: Option<i32>,
    pub final_data: Option<jrun::RunningData>,
    /// `SamplerMap` of GetJMeterSampleMetrics.
    pub sampler_map: Option<serde_json::Value>,
    /// (epoch ms, JSON text) per-second buckets for GetJMeterSampleMetrics.
    pub sample_metrics: Vec<(i64, String)>,
    /// (epoch ms, JSON text) sample results for GetJMeterSamplingLogs.
    pub sampling_logs: Vec<(i64, String)>,
    /// (agent index, epoch ms, log object) for GetJMeterLogs.
    pub logs: Vec<(i32, i64, serde_json::Value)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum RunResult {
    Pts(PtsResult),
    JMeter(JMeterResult),
}

pub type StopFuture<'a> = Pin<Box<dyn Future<Output = Option<RunResult>> + Send + 'a>>;

/// Why an engine refused to start a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The scene or JMX plan cannot run as written; the message names the element and field.
    Plan(String),
    /// The engine itself could not start the run (its configuration, threads, file store).
    Engine(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Plan(m) | Refusal::Engine(m) => f.write_str(m),
        }
    }
}

pub trait RunEngine: Send + Sync + 'static {
    /// Begins a run; an error refuses the start (the record is ended at once).
    fn start(&self, run: &RunStart) -> Result<(), Refusal>;
    /// Ends a run (idempotent) and hands back what it measured. The run's phase stays
    /// readable (`Finished`) until [`RunEngine::release`].
    fn stop(&self, run_id: &str) -> StopFuture<'_>;
    /// Forgets a run whose result is stored.
    fn release(&self, _run_id: &str) {}
    /// Where a run the engine was handed is in its lifecycle; `None` for a run it does not
    /// have (not handed yet, still compiling, or released).
    fn phase(&self, run_id: &str) -> Option<RunPhase>;
    /// Applies a speed change to a running run.
    fn adjust(&self, run_id: &str, change: &SpeedChange) -> Result<(), String>;
    /// Measured running data of an active PTS run.
    fn pts_live(&self, run_id: &str) -> Option<prun::GetPtsSceneRunningDataResponse>;
    /// Measured running data of an active JMeter run.
    fn jmeter_live(&self, run_id: &str) -> Option<jrun::RunningData>;
    /// Sample logs an active PTS run has recorded so far (debug runs: each request as soon
    /// as it completes).
    fn pts_samples(&self, _run_id: &str) -> Option<Vec<dbg::SamplingLog>> {
        None
    }
    /// (epoch ms, JSON text) sample results an active JMeter run has recorded so far.
    fn jmeter_samples(&self, _run_id: &str) -> Option<Vec<(i64, String)>> {
        None
    }
    /// (agent index, epoch ms, log object) engine log of an active JMeter run so far.
    fn jmeter_logs(&self, _run_id: &str) -> Option<Vec<(i32, i64, serde_json::Value)>> {
        None
    }
    /// SaveOpenJMeterScene's check: what this engine would refuse at start is refused at
    /// save. An engine that runs nothing refuses nothing.
    fn check_jmeter(
        &self,
        _files: &crate::files::FileStore,
        _scene: &pts_api::ops::save_open_jmeter_scene::OpenJMeterScene,
    ) -> Result<(), String> {
        Ok(())
    }
}

/// Runs nothing and measures nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NullEngine;

impl RunEngine for NullEngine {
    fn start(&self, _run: &RunStart) -> Result<(), Refusal> {
        Ok(())
    }
    fn stop(&self, _run_id: &str) -> StopFuture<'_> {
        Box::pin(async { None })
    }
    fn adjust(&self, _run_id: &str, _change: &SpeedChange) -> Result<(), String> {
        Ok(())
    }
    /// Nothing to prepare and nothing to drain: a run is running from its start to its end.
    fn phase(&self, _run_id: &str) -> Option<RunPhase> {
        Some(RunPhase::Running)
    }
    fn pts_live(&self, _run_id: &str) -> Option<prun::GetPtsSceneRunningDataResponse> {
        None
    }
    fn jmeter_live(&self, _run_id: &str) -> Option<jrun::RunningData> {
        None
    }
}

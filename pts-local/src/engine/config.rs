//! The engine's settings, passed in by the service (below every part that reads them).

use super::stats::{API_TIMELINE_BUDGET, TIMELINE_CAP};
use std::time::Duration;

/// Engine settings the service passes in.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Wall seconds per scene minute (60.0 = real time; tests use small values).
    pub time_scale: f64,
    /// Service-wide cap on any run's wall duration.
    pub max_run_duration: Duration,
    /// Hosts that may be targeted although they are not loopback (`--allow-target HOST`).
    pub allow_targets: Vec<String>,
    /// Worker threads, each a tokio current_thread runtime (default 1).
    pub workers: usize,
    /// CPUs to pin worker `i` to (`pin_cpus[i % len]`); empty = no pinning.
    pub pin_cpus: Vec<usize>,
    /// Cap on a run's total virtual users (sum of limits; RPS mode: pool size).
    pub max_concurrency: u32,
    /// Cap on a run's total requests/s (sum of limits), None = no cap.
    pub max_rps: Option<u32>,
    /// Sample logs kept per load run (most recent).
    pub sample_log_cap: usize,
    /// Sample logs kept per debug run (first).
    pub debug_sample_cap: usize,
    /// Bodies in sample logs are cut to this many bytes.
    pub sample_body_limit: usize,
    /// Response bytes inspected by checkpoints and exports.
    pub inspect_body_limit: usize,
    /// JMeter runs keep a sample log of 1 request in this many per sampler and worker.
    pub jmeter_sample_every: u64,
    /// Scene timeline points kept per run (default [`TIMELINE_CAP`], 24 h at 1 s).
    pub timeline_cap: usize,
    /// Per-API timeline points per run, shared by its APIs (default [`API_TIMELINE_BUDGET`]).
    pub api_timeline_budget: usize,
    /// PEM files of extra certificate authorities trusted for `https://` targets, besides the
    /// system's roots (`pts local serve --ca-file`).
    pub ca_files: Vec<std::path::PathBuf>,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            time_scale: 60.0,
            max_run_duration: Duration::from_secs(600),
            allow_targets: Vec::new(),
            workers: 1,
            pin_cpus: Vec::new(),
            max_concurrency: 1000,
            max_rps: None,
            sample_log_cap: 1000,
            debug_sample_cap: 10_000,
            sample_body_limit: 16 * 1024,
            inspect_body_limit: 1024 * 1024,
            jmeter_sample_every: 1000,
            timeline_cap: TIMELINE_CAP,
            api_timeline_budget: API_TIMELINE_BUDGET,
            ca_files: Vec::new(),
        }
    }
}

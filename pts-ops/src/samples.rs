//! One second of a running scene as `watch` and `run` see it: kept as `samples.jsonl` in
//! the run's evidence directory and drawn by `report export --format html`.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// The evidence file that holds a run's samples, one JSON object per line.
pub const SAMPLES_FILE: &str = "samples.jsonl";

/// Running data at one instant. Times in milliseconds; `tps` in requests per second.
/// The running data has no live p99, so `p90_rt_ms` is the highest percentile here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// UTC, RFC 3339.
    pub at: String,
    /// Seconds since the watch began.
    pub elapsed_s: f64,
    /// Runtime status (`RUNNING`, `STOPPING`, ...) or the JMeter status.
    pub status: String,
    pub concurrency: i64,
    pub tps: f64,
    pub avg_rt_ms: f64,
    pub p90_rt_ms: Option<f64>,
    pub total_requests: i64,
    pub failed_requests: i64,
    pub failed_business: i64,
    pub alive_agents: i64,
    pub total_agents: i64,
}

impl Sample {
    /// Failed requests over all requests so far, 0-1 (0 before the first request).
    pub fn error_rate(&self) -> f64 {
        if self.total_requests <= 0 {
            0.0
        } else {
            self.failed_requests as f64 / self.total_requests as f64
        }
    }
}

/// Reads a `samples.jsonl`; lines that do not parse are skipped (a run cut short may
/// leave half a line).
pub fn read(path: &Path) -> std::io::Result<Vec<Sample>> {
    let text = std::fs::read_to_string(path)?;
    Ok(text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect())
}

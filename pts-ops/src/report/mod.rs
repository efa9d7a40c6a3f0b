//! Reports as one shape for PTS and JMeter runs and for scene baselines: fetched and
//! normalised ([`fetch`](mod@fetch)), judged ([`findings`](mod@findings), after the reporter guide's thresholds),
//! compared ([`diff`](mod@diff)) and rendered ([`render`](mod@render): JSON, CSV, Markdown, self-contained HTML
//! with SVG charts; a terminal chart). Success rates are always fractions 0-1 here, RT is
//! always milliseconds, whatever the source used.

pub mod diff;
pub mod fetch;
pub mod findings;
pub mod render;
pub mod run_samples;
pub mod trend;

pub use crate::ids::check_id;
pub use diff::{ApiDelta, MetricDelta, ReportDiff, diff};
pub use fetch::{
    baseline_summary, fetch_baseline, fetch_jmeter, fetch_jmeter_samples, fetch_pts, jmeter_rate,
    jmeter_summary, pts_rate, pts_summary,
};
pub use findings::{Finding, Severity, findings};
pub use render::{ExportFormat, render, render_with_baseline, terminal_chart};
pub use run_samples::find_samples;

pub use crate::samples::Sample;
use serde::{Deserialize, Serialize};

/// Where a [`ReportSummary`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportKind {
    /// GetPtsReportDetails (success rates 0-1 on the wire).
    Pts,
    /// GetJMeterReportDetails (success rates 0-100 on the wire).
    #[serde(rename = "jmeter")]
    JMeter,
    /// GetPtsSceneBaseLine: a copy of a report's metrics without request counts
    /// (`total_requests` is 0 and means "not recorded").
    Baseline,
}

/// One set of metrics. Success rate 0-1, times in ms, throughput in requests/s.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub total_requests: i64,
    /// Request failures (transport, timeout, status); for JMeter a failed sample.
    pub failed_requests: i64,
    /// Checkpoint (business) failures; PTS only.
    pub failed_business: Option<i64>,
    /// Request success rate, 0-1.
    pub success_rate: f64,
    pub avg_rt_ms: f64,
    pub p50_rt_ms: Option<f64>,
    pub p90_rt_ms: Option<f64>,
    pub p99_rt_ms: Option<f64>,
    pub max_rt_ms: Option<f64>,
    pub avg_tps: f64,
}

impl Metrics {
    /// Failed share of requests, 0-1.
    pub fn error_rate(&self) -> f64 {
        (1.0 - self.success_rate).clamp(0.0, 1.0)
    }
}

/// One API (PTS) or sampler (JMeter), matched across reports by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiReport {
    pub name: String,
    pub metrics: Metrics,
}

/// The load the scene was configured for, from the report's scene snapshot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadTarget {
    /// `concurrency_mode` or `tps_mode` (PTS), `CONCURRENCY`/`TPS` (JMeter).
    pub mode: Option<String>,
    pub concurrency: Option<i64>,
    /// Requests/s the scene aims at (TPS mode only).
    pub tps: Option<f64>,
}

/// A report, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSummary {
    pub kind: ReportKind,
    pub scene_id: String,
    /// PlanId (== ReportId) for PTS; the ReportId for JMeter; empty for a baseline.
    pub plan_id: String,
    pub name: String,
    pub started: Option<String>,
    pub ended: Option<String>,
    pub vum: Option<i64>,
    pub agents: Option<i64>,
    pub target: LoadTarget,
    pub scene: Metrics,
    pub apis: Vec<ApiReport>,
}

impl ReportSummary {
    /// The API or sampler called `name`.
    pub fn api(&self, name: &str) -> Option<&ApiReport> {
        self.apis.iter().find(|a| a.name == name)
    }

    /// `scene S plan P` or `JMeter report R` or `baseline of scene S`.
    pub fn label(&self) -> String {
        match self.kind {
            ReportKind::Pts => format!("scene {} plan {}", self.scene_id, self.plan_id),
            ReportKind::JMeter => format!("JMeter report {}", self.plan_id),
            ReportKind::Baseline => format!("baseline of scene {}", self.scene_id),
        }
    }
}

#[cfg(test)]
mod testdata;

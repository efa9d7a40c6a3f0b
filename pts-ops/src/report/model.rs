//! The one shape of a report, whatever it came from: a run's summary, its scene and API
//! metrics, its load target.

use pts_api::time::{Timestamp, display_pts_text};
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
    /// RFC 3339 in the display zone, converted from the service's UTC+8 text.
    pub started: Option<String>,
    pub ended: Option<String>,
    /// How long the run went, from its start to its end (a run stopped early is short).
    #[serde(default)]
    pub actual_s: Option<f64>,
    /// How long the scene was configured to run.
    #[serde(default)]
    pub planned_s: Option<f64>,
    pub vum: Option<i64>,
    pub agents: Option<i64>,
    pub target: LoadTarget,
    pub scene: Metrics,
    pub apis: Vec<ApiReport>,
}

/// A report's start and end as the service wrote them (UTC+8 text) shown in the display
/// zone, and the seconds between them.
pub fn run_times(
    started: Option<&str>,
    ended: Option<&str>,
) -> (Option<String>, Option<String>, Option<f64>) {
    let parse = |t: Option<&str>| t.and_then(|t| Timestamp::parse(t).ok());
    let actual = parse(started).zip(parse(ended)).map(|(s, e)| s.until(e).as_secs_f64());
    (started.map(display_pts_text), ended.map(display_pts_text), actual)
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
mod tests {
    use super::run_times;
    use pts_api::time::Timestamp;

    #[test]
    fn run_times_convert_pts_text_and_measure_the_length() {
        let (s, e, len) = run_times(Some("2026-12-31 23:59:30"), Some("2027-01-01 00:01:35"));
        let at = |t: &Option<String>| Timestamp::parse(t.as_deref().unwrap()).unwrap().epoch_ms();
        assert_eq!(at(&s), Timestamp::parse("2026-12-31T15:59:30Z").unwrap().epoch_ms());
        assert_eq!(at(&e), Timestamp::parse("2026-12-31T16:01:35Z").unwrap().epoch_ms());
        assert_eq!(len, Some(125.0));
        let (s, _, len) = run_times(Some("soon"), Some("2024-03-01 12:00:00"));
        assert_eq!((s.as_deref(), len), (Some("soon"), None));
    }
}

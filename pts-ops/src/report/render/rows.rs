//! The text both Markdown and HTML show: the overview lines and the metric table's columns
//! and cells (unescaped; each renderer escapes for its own syntax).

use super::super::model::{Metrics, ReportKind, ReportSummary};
use super::format::{length, num, opt};

/// Label and value of each overview line.
pub fn overview(s: &ReportSummary) -> Vec<(&'static str, String)> {
    let kind = match s.kind {
        ReportKind::Pts => "PTS",
        ReportKind::JMeter => "JMeter",
        ReportKind::Baseline => "baseline",
    };
    let mut rows = vec![("Report", s.name.clone()), ("Kind", kind.into())];
    if !s.scene_id.is_empty() {
        rows.push(("Scene", s.scene_id.clone()));
    }
    if !s.plan_id.is_empty() {
        let label = if s.kind == ReportKind::JMeter { "Report id" } else { "Plan (report) id" };
        rows.push((label, s.plan_id.clone()));
    }
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    rows.push(("Started", text(&s.started)));
    rows.push(("Ended", text(&s.ended)));
    rows.push(("Length", length(s.actual_s)));
    rows.push(("Planned length", length(s.planned_s)));
    rows.push(("VUM", s.vum.map_or_else(|| "-".into(), |v| v.to_string())));
    rows.push(("Agents", s.agents.map_or_else(|| "-".into(), |v| v.to_string())));
    if let Some(mode) = &s.target.mode {
        let mut t = mode.clone();
        if let Some(c) = s.target.concurrency {
            t.push_str(&format!(", concurrency {c}"));
        }
        if let Some(tps) = s.target.tps {
            t.push_str(&format!(", {tps} RPS"));
        }
        rows.push(("Load target", t));
    }
    rows
}

pub const COLUMNS: [&str; 11] = [
    "Name",
    "Requests",
    "Failed",
    "Success %",
    "TPS (req/s)",
    "Avg RT (ms)",
    "P50 (ms)",
    "P90 (ms)",
    "P99 (ms)",
    "Max RT (ms)",
    "Checkpoint failures",
];

pub fn cells(name: &str, m: &Metrics, kind: ReportKind) -> Vec<String> {
    let total =
        if kind == ReportKind::Baseline { "-".into() } else { m.total_requests.to_string() };
    vec![
        name.to_string(),
        total,
        m.failed_requests.to_string(),
        num(m.success_rate * 100.0),
        num(m.avg_tps),
        num(m.avg_rt_ms),
        opt(m.p50_rt_ms),
        opt(m.p90_rt_ms),
        opt(m.p99_rt_ms),
        opt(m.max_rt_ms),
        m.failed_business.map_or_else(|| "-".into(), |n| n.to_string()),
    ]
}

/// The scene row then one row per API.
pub fn metric_rows(s: &ReportSummary) -> Vec<Vec<String>> {
    let mut rows = vec![cells("(scene)", &s.scene, s.kind)];
    rows.extend(s.apis.iter().map(|a| cells(&a.name, &a.metrics, s.kind)));
    rows
}

/// What the charts say when there is nothing to draw.
pub const NO_SAMPLES: &str = "No per-second samples were recorded for this run, so there are no \
charts. Charts are drawn from the samples a `pts watch` or `pts run` keeps (samples.jsonl in its \
evidence directory) or, for JMeter, from GetJMeterSampleMetrics. The tables come from the report.";

//! Trends across runs of one scene: each run's throughput, mean and P99 RT, success rate and
//! length, judged with the same findings and severities as `report diff` against the scene's
//! baseline, else against the median of the runs before it.

use super::findings::{Finding, Severity, findings};
use super::model::{Metrics, ReportKind, ReportSummary};
use serde::Serialize;

/// One run in the trend, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendRun {
    pub plan_id: String,
    pub started: Option<String>,
    pub ended: Option<String>,
    /// Actual length in seconds (from the report's start and end), when both are known.
    pub duration_s: Option<f64>,
    pub tps: f64,
    pub avg_rt_ms: f64,
    pub p99_rt_ms: Option<f64>,
    /// 0-1.
    pub success_rate: f64,
    /// What the run was judged against: `baseline`, `median of N previous runs`, or nothing
    /// for the first run without a baseline.
    pub judged_against: Option<String>,
    /// The worst finding's severity, when any.
    pub worst: Option<Severity>,
    pub findings: Vec<Finding>,
}

/// Every run, judged. `runs` oldest first.
pub fn trend(runs: &[ReportSummary], baseline: Option<&ReportSummary>) -> Vec<TrendRun> {
    runs.iter()
        .enumerate()
        .map(|(i, run)| {
            let median = (i > 0).then(|| median_of(&runs[..i]));
            let (reference, against) = match (baseline, &median) {
                (Some(b), _) => (Some(b), Some("baseline".to_string())),
                (None, Some(m)) => (Some(m), Some(format!("median of {i} previous run(s)"))),
                (None, None) => (None, None),
            };
            let found = findings(run, reference);
            TrendRun {
                plan_id: run.plan_id.clone(),
                started: run.started.clone(),
                ended: run.ended.clone(),
                duration_s: run.actual_s,
                tps: run.scene.avg_tps,
                avg_rt_ms: run.scene.avg_rt_ms,
                p99_rt_ms: run.scene.p99_rt_ms,
                success_rate: run.scene.success_rate,
                judged_against: against,
                worst: found.iter().map(|f| f.severity).min(),
                findings: found,
            }
        })
        .collect()
}

/// A summary whose scene metrics are the medians of `runs` (a reference with no API detail).
fn median_of(runs: &[ReportSummary]) -> ReportSummary {
    let m = |f: &dyn Fn(&Metrics) -> Option<f64>| {
        median(runs.iter().filter_map(|r| f(&r.scene)).collect())
    };
    let scene = Metrics {
        total_requests: m(&|s| Some(s.total_requests as f64)).unwrap_or(0.0).round() as i64,
        failed_requests: m(&|s| Some(s.failed_requests as f64)).unwrap_or(0.0).round() as i64,
        failed_business: None,
        success_rate: m(&|s| Some(s.success_rate)).unwrap_or(1.0),
        avg_rt_ms: m(&|s| Some(s.avg_rt_ms)).unwrap_or(0.0),
        p50_rt_ms: m(&|s| s.p50_rt_ms),
        p90_rt_ms: m(&|s| s.p90_rt_ms),
        p99_rt_ms: m(&|s| s.p99_rt_ms),
        max_rt_ms: m(&|s| s.max_rt_ms),
        avg_tps: m(&|s| Some(s.avg_tps)).unwrap_or(0.0),
    };
    let last = runs.last().expect("median of at least one run");
    ReportSummary {
        kind: ReportKind::Pts,
        plan_id: format!("median of {} run(s)", runs.len()),
        apis: Vec::new(),
        scene,
        ..last.clone()
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata::{metrics, summary};

    #[test]
    fn each_run_is_judged_against_the_median_of_the_runs_before_it() {
        let runs: Vec<ReportSummary> = [50.0, 52.0, 51.0, 90.0]
            .iter()
            .enumerate()
            .map(|(i, p99)| summary(&format!("P{i}"), metrics(1000, 0, 25.0, *p99, 100.0)))
            .collect();
        let t = trend(&runs, None);
        assert_eq!(t.len(), 4);
        assert_eq!(t[0].judged_against, None);
        assert_eq!(t[3].judged_against.as_deref(), Some("median of 3 previous run(s)"));
        // P99 90 ms against a median of 51 ms: more than 50 % worse, rated high.
        assert_eq!(t[3].worst, Some(Severity::High), "{:?}", t[3].findings);
        assert!(t[1].worst.is_none_or(|s| s != Severity::High), "{:?}", t[1].findings);
    }

    #[test]
    fn a_baseline_wins_over_the_median() {
        let base = summary("B", metrics(1000, 0, 10.0, 20.0, 100.0));
        let runs = vec![summary("P1", metrics(1000, 0, 10.0, 40.0, 100.0))];
        let t = trend(&runs, Some(&base));
        assert_eq!(t[0].judged_against.as_deref(), Some("baseline"));
        assert_eq!(t[0].worst, Some(Severity::High));
    }
}

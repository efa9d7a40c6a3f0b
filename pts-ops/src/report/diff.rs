//! Two reports side by side: the scene's metrics and each API's (matched by name), with
//! absolute and relative changes, and the findings of the current one against the other.

use super::findings::{Finding, findings};
use super::model::{Metrics, ReportKind, ReportSummary};
use serde::{Deserialize, Serialize};

/// One metric in both reports. `change` = current - reference; `change_pct` relative to
/// the reference (absent when the reference is 0 or a value is missing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricDelta {
    pub metric: String,
    pub unit: String,
    pub current: Option<f64>,
    pub reference: Option<f64>,
    pub change: Option<f64>,
    pub change_pct: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiDelta {
    pub name: String,
    /// `both`, `only_current` or `only_reference`.
    pub presence: String,
    pub metrics: Vec<MetricDelta>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDiff {
    pub current: String,
    pub reference: String,
    pub scene: Vec<MetricDelta>,
    pub apis: Vec<ApiDelta>,
    pub findings: Vec<Finding>,
}

/// The metrics compared, in order: name, unit, value. Success rate in percent for reading.
fn values(m: &Metrics, kind: ReportKind) -> Vec<(&'static str, &'static str, Option<f64>)> {
    let counted = kind != ReportKind::Baseline;
    vec![
        ("total_requests", "requests", counted.then_some(m.total_requests as f64)),
        ("failed_requests", "requests", Some(m.failed_requests as f64)),
        ("success_rate", "%", Some(m.success_rate * 100.0)),
        ("avg_tps", "req/s", Some(m.avg_tps)),
        ("avg_rt", "ms", Some(m.avg_rt_ms)),
        ("p90_rt", "ms", m.p90_rt_ms),
        ("p99_rt", "ms", m.p99_rt_ms),
        ("max_rt", "ms", m.max_rt_ms),
    ]
}

fn deltas(
    cur: Option<&Metrics>,
    cur_kind: ReportKind,
    reference: Option<&Metrics>,
    ref_kind: ReportKind,
) -> Vec<MetricDelta> {
    let empty = Metrics::default();
    let c = values(cur.unwrap_or(&empty), cur_kind);
    let r = values(reference.unwrap_or(&empty), ref_kind);
    c.into_iter()
        .zip(r)
        .map(|((metric, unit, cv), (_, _, rv))| {
            let cv = cur.and(cv);
            let rv = reference.and(rv);
            let change = cv.zip(rv).map(|(c, r)| c - r);
            let change_pct =
                cv.zip(rv).filter(|(_, r)| *r != 0.0).map(|(c, r)| (c - r) / r * 100.0);
            MetricDelta {
                metric: metric.into(),
                unit: unit.into(),
                current: cv,
                reference: rv,
                change,
                change_pct,
            }
        })
        .filter(|d| d.current.is_some() || d.reference.is_some())
        .collect()
}

/// `current` against `reference` (another run, or the scene's baseline).
pub fn diff(current: &ReportSummary, reference: &ReportSummary) -> ReportDiff {
    let mut apis: Vec<ApiDelta> = current
        .apis
        .iter()
        .map(|a| {
            let r = reference.api(&a.name);
            ApiDelta {
                name: a.name.clone(),
                presence: if r.is_some() { "both" } else { "only_current" }.into(),
                metrics: deltas(
                    Some(&a.metrics),
                    current.kind,
                    r.map(|r| &r.metrics),
                    reference.kind,
                ),
            }
        })
        .collect();
    for r in reference.apis.iter().filter(|r| current.api(&r.name).is_none()) {
        apis.push(ApiDelta {
            name: r.name.clone(),
            presence: "only_reference".into(),
            metrics: deltas(None, current.kind, Some(&r.metrics), reference.kind),
        });
    }
    ReportDiff {
        current: current.label(),
        reference: reference.label(),
        scene: deltas(Some(&current.scene), current.kind, Some(&reference.scene), reference.kind),
        apis,
        findings: findings(current, Some(reference)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata::{metrics, summary};

    #[test]
    fn per_api_and_scene_changes() {
        let reference = summary("P0", metrics(1000, 0, 10.0, 100.0, 50.0));
        let mut current = summary("P1", metrics(1200, 0, 12.0, 160.0, 60.0));
        current.apis[1].name = "new".into();
        let d = diff(&current, &reference);
        let p99 = d.scene.iter().find(|m| m.metric == "p99_rt").unwrap();
        assert_eq!(
            (p99.current, p99.reference, p99.change),
            (Some(160.0), Some(100.0), Some(60.0))
        );
        assert!((p99.change_pct.unwrap() - 60.0).abs() < 1e-9);
        let presence: Vec<(&str, &str)> =
            d.apis.iter().map(|a| (a.name.as_str(), a.presence.as_str())).collect();
        assert_eq!(
            presence,
            vec![("login", "both"), ("new", "only_current"), ("items,=cmd", "only_reference")]
        );
        assert!(d.apis[1].metrics.iter().all(|m| m.reference.is_none() && m.change.is_none()));
        assert_eq!(d.findings[0].severity, crate::report::findings::Severity::High);
        assert_eq!(d.reference, "scene SCENE001 plan P0");
    }

    #[test]
    fn baselines_have_no_request_count_to_compare() {
        let mut base = summary("", metrics(1000, 0, 10.0, 100.0, 50.0));
        base.kind = ReportKind::Baseline;
        let d = diff(&summary("P1", metrics(1200, 0, 10.0, 100.0, 50.0)), &base);
        let total = d.scene.iter().find(|m| m.metric == "total_requests").unwrap();
        assert_eq!((total.current, total.reference, total.change), (Some(1200.0), None, None));
    }
}

//! Crafted summaries and samples for the unit tests of this module.

use super::model::{ApiReport, LoadTarget, Metrics, ReportKind, ReportSummary};
use crate::samples::Sample;

pub fn metrics(total: i64, failed: i64, avg_rt: f64, p99: f64, tps: f64) -> Metrics {
    Metrics {
        total_requests: total,
        failed_requests: failed,
        failed_business: Some(0),
        success_rate: if total > 0 { 1.0 - failed as f64 / total as f64 } else { 0.0 },
        avg_rt_ms: avg_rt,
        p50_rt_ms: Some(avg_rt),
        p90_rt_ms: Some(p99 * 0.8),
        p99_rt_ms: Some(p99),
        max_rt_ms: Some(p99 * 1.5),
        avg_tps: tps,
    }
}

/// A PTS report of scene `SCENE001`, plan `plan`, with two APIs sharing the scene figures.
pub fn summary(plan: &str, scene: Metrics) -> ReportSummary {
    ReportSummary {
        kind: ReportKind::Pts,
        scene_id: "SCENE001".into(),
        plan_id: plan.into(),
        name: "shop <load> & \"co\"".into(),
        started: Some("2026-11-25T12:00:00+08:00".into()),
        ended: Some("2026-11-25T12:01:00+08:00".into()),
        actual_s: Some(60.0),
        planned_s: Some(120.0),
        vum: Some(3),
        agents: Some(1),
        target: LoadTarget {
            mode: Some("concurrency_mode".into()),
            concurrency: Some(5),
            tps: None,
        },
        apis: vec![
            ApiReport { name: "login".into(), metrics: scene.clone() },
            ApiReport { name: "items,=cmd".into(), metrics: scene.clone() },
        ],
        scene,
    }
}

pub fn samples(n: usize) -> Vec<Sample> {
    (0..n)
        .map(|i| Sample {
            at: format!("2026-11-25T12:00:{:02}Z", i % 60),
            elapsed_s: i as f64,
            status: "RUNNING".into(),
            concurrency: 5,
            tps: 100.0 + i as f64,
            avg_rt_ms: 10.0 + (i % 3) as f64,
            p90_rt_ms: Some(20.0),
            total_requests: 100 * (i as i64 + 1),
            failed_requests: i as i64 / 2,
            failed_business: 0,
            alive_agents: 1,
            total_agents: 1,
        })
        .collect()
}

//! The trend of a scene's runs as one self-contained HTML file: a table of every run with
//! its worst finding, and charts of throughput, mean and P99 RT and success rate by run.

use super::super::trend::TrendRun;
use super::format::{length, num, opt};
use super::html::{head, table};
use super::svg::{Series, line_chart_over};

pub fn render_trend(scene_id: &str, runs: &[TrendRun]) -> String {
    let mut out = head(&format!("Trend of scene {scene_id}"));
    let rows: Vec<Vec<String>> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                r.plan_id.clone(),
                r.started.clone().unwrap_or_else(|| "-".into()),
                length(r.duration_s),
                num(r.tps),
                num(r.avg_rt_ms),
                opt(r.p99_rt_ms),
                format!("{:.2} %", r.success_rate * 100.0),
                r.worst.map_or("-", |s| s.as_str()).to_string(),
                r.judged_against.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    let head = [
        "#",
        "PlanId",
        "started",
        "length",
        "TPS",
        "mean RT (ms)",
        "P99 RT (ms)",
        "success",
        "worst finding",
        "judged against",
    ];
    table(&mut out, &head, &rows);
    let line = |label: &str, color: &'static str, f: &dyn Fn(&TrendRun) -> Option<f64>| Series {
        label: label.into(),
        color,
        points: runs
            .iter()
            .enumerate()
            .filter_map(|(i, r)| f(r).map(|y| ((i + 1) as f64, y)))
            .collect(),
    };
    let charts = [
        ("Throughput by run (TPS)", "requests/s", vec![line("TPS", "#1f77b4", &|r| Some(r.tps))]),
        (
            "Response time by run",
            "ms",
            vec![
                line("mean RT", "#2ca02c", &|r| Some(r.avg_rt_ms)),
                line("P99 RT", "#ff7f0e", &|r| r.p99_rt_ms),
            ],
        ),
        (
            "Success rate by run",
            "%",
            vec![line("success", "#d62728", &|r| Some(r.success_rate * 100.0))],
        ),
    ];
    for (title, unit, series) in charts {
        out.push_str("<figure>\n");
        out.push_str(&line_chart_over(title, unit, "run", &series, 1.0, &[]));
        out.push_str("</figure>\n");
    }
    out.push_str("</body></html>\n");
    out
}

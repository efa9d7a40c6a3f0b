//! One self-contained HTML file: inline CSS, tables, findings and SVG charts of TPS, RT
//! and failures over time. No scripts, no external resources; all text escaped.

use super::super::findings::Finding;
use super::super::model::ReportSummary;
use super::format::failures_per_sample;
use super::rows;
use super::svg::{Marker, Series, escape, line_chart};
use crate::samples::Sample;
use pts_api::shapes::pts_runtime_status::PtsRuntimeStatus;

/// Readable from a phone (390 px) to print: charts scale down, wide tables scroll inside
/// their own box instead of widening the page, long words wrap, figures stay whole on a page.
pub(super) const STYLE: &str = "body{font-family:sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;\
text-align:right}th:first-child,td:first-child{text-align:left}th{background:#f3f3f3}\
.sev-high{color:#b00020;font-weight:bold}.sev-medium{color:#b36b00}.sev-low{color:#555}\
.no-data{background:#fff6e0;padding:1em;border:1px solid #e0c080}dt{font-weight:bold}\
figure{margin:1em 0}svg{max-width:100%;height:auto}.scroll{overflow-x:auto}\
h1,dd,td,p{overflow-wrap:anywhere}\
@media (max-width:600px){body{margin:0.6em}}\
@media print{body{margin:0}figure,tr{break-inside:avoid}.scroll{overflow:visible}}";

/// The document head every HTML export shares.
pub(super) fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title><style>{STYLE}</style></head><body>\n<h1>{t}</h1>\n",
        t = escape(title)
    )
}

pub(super) fn table(out: &mut String, head: &[&str], rows: &[Vec<String>]) {
    out.push_str("<div class=\"scroll\"><table><thead><tr>");
    for h in head {
        out.push_str(&format!("<th>{}</th>", escape(h)));
    }
    out.push_str("</tr></thead><tbody>\n");
    for r in rows {
        out.push_str("<tr>");
        for c in r {
            out.push_str(&format!("<td>{}</td>", escape(c)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

pub fn render(s: &ReportSummary, found: &[Finding], samples: &[Sample]) -> String {
    let mut out = head(&format!("Report {}", s.name));
    out.push_str("<dl>\n");
    for (label, value) in rows::overview(s) {
        out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", escape(label), escape(&value)));
    }
    out.push_str("</dl>\n<h2>Metrics</h2>\n");
    table(&mut out, &rows::COLUMNS, &rows::metric_rows(s));
    out.push_str("<h2>Findings</h2>\n");
    if found.is_empty() {
        out.push_str("<p>No findings.</p>\n");
    } else {
        out.push_str(
            "<div class=\"scroll\"><table><thead><tr><th>Severity</th><th>Area</th>\
             <th>Evidence</th><th>Suggestion</th></tr></thead><tbody>\n",
        );
        for f in found {
            out.push_str(&format!(
                "<tr><td class=\"sev-{s}\">{s}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape(&f.area),
                escape(&f.evidence),
                escape(&f.suggestion),
                s = f.severity.as_str()
            ));
        }
        out.push_str("</tbody></table></div>\n");
    }
    out.push_str("<h2>Over time</h2>\n");
    if samples.is_empty() {
        out.push_str(&format!("<p class=\"no-data\">{}</p>\n", escape(rows::NO_SAMPLES)));
    } else {
        charts(&mut out, s, samples);
    }
    out.push_str("</body></html>\n");
    out
}

fn charts(out: &mut String, s: &ReportSummary, samples: &[Sample]) {
    let t0 = samples[0].elapsed_s;
    let marks = phases(samples, s.planned_s);
    let line = |label: &str, color: &'static str, ys: Vec<f64>| Series {
        label: label.into(),
        color,
        points: samples.iter().zip(ys).map(|(s, y)| (s.elapsed_s - t0, y)).collect(),
    };
    let tps = line("TPS", "#1f77b4", samples.iter().map(|s| s.tps).collect());
    let mut rt = vec![line("mean RT", "#2ca02c", samples.iter().map(|s| s.avg_rt_ms).collect())];
    if samples.iter().all(|s| s.p90_rt_ms.is_some()) {
        rt.push(line(
            "P90 RT",
            "#ff7f0e",
            samples.iter().map(|s| s.p90_rt_ms.unwrap_or(0.0)).collect(),
        ));
    }
    let fails = line("failed requests", "#d62728", failures_per_sample(samples));
    for (title, unit, series, min_top) in [
        ("Throughput (TPS)", "requests/s", vec![tps], 1.0),
        ("Response time", "ms", rt, 1.0),
        ("Failures per second", "failed requests", vec![fails], 5.0),
    ] {
        out.push_str("<figure>\n");
        out.push_str(&line_chart(title, unit, &series, min_top, &marks));
        out.push_str("</figure>\n");
    }
    out.push_str(&format!(
        "<p>{} per-second samples, {:.0} s.</p>\n",
        samples.len(),
        samples.last().map_or(0.0, |s| s.elapsed_s) - t0
    ));
}

/// The run's phases on the samples' time axis: `ramp-up` while concurrency climbs to its
/// peak, `steady` from the first sample at the peak, `stopping` at the first sample that is
/// no longer RUNNING (else `last sample`), and `planned end` when the samples reach it.
pub(super) fn phases(samples: &[Sample], planned_s: Option<f64>) -> Vec<Marker> {
    let Some(first) = samples.first() else { return Vec::new() };
    let at =
        |x: &Sample, label: &str| Marker { x: x.elapsed_s - first.elapsed_s, label: label.into() };
    let mut marks = Vec::new();
    let peak = samples.iter().map(|x| x.concurrency).max().unwrap_or(0);
    let steady = samples.iter().find(|x| peak > 0 && x.concurrency >= peak);
    if steady.is_some_and(|x| x.elapsed_s > first.elapsed_s) {
        marks.push(at(first, "ramp-up"));
    }
    if let Some(x) = steady {
        marks.push(at(x, "steady"));
    }
    let ran = samples.iter().position(|x| x.status == PtsRuntimeStatus::Running);
    let stop =
        ran.and_then(|i| samples[i..].iter().find(|x| x.status != PtsRuntimeStatus::Running));
    match stop {
        Some(x) => marks.push(at(x, "stopping")),
        None => marks.push(at(samples.last().unwrap_or(first), "last sample")),
    }
    if let Some(p) = planned_s {
        marks.push(Marker { x: p, label: "planned end".into() });
    }
    marks
}

//! One self-contained HTML file: inline CSS, tables, findings and SVG charts of TPS, RT
//! and failures over time. No scripts, no external resources; all text escaped.

use super::super::{Finding, ReportSummary, Sample};
use super::svg::{Series, escape, line_chart};
use super::{failures_per_sample, rows};

pub(super) const STYLE: &str = "body{font-family:sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;\
text-align:right}th:first-child,td:first-child{text-align:left}th{background:#f3f3f3}\
.sev-high{color:#b00020;font-weight:bold}.sev-medium{color:#b36b00}.sev-low{color:#555}\
.no-data{background:#fff6e0;padding:1em;border:1px solid #e0c080}dt{font-weight:bold}\
figure{margin:1em 0}";

pub(super) fn table(out: &mut String, head: &[&str], rows: &[Vec<String>]) {
    out.push_str("<table><thead><tr>");
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
    out.push_str("</tbody></table>\n");
}

pub fn render(s: &ReportSummary, found: &[Finding], samples: &[Sample]) -> String {
    let title = format!("Report {}", s.name);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{t}</title><style>{STYLE}</style></head><body>\n<h1>{t}</h1>\n<dl>\n",
        t = escape(&title)
    );
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
            "<table><thead><tr><th>Severity</th><th>Area</th><th>Evidence</th>\
             <th>Suggestion</th></tr></thead><tbody>\n",
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
        out.push_str("</tbody></table>\n");
    }
    out.push_str("<h2>Over time</h2>\n");
    if samples.is_empty() {
        out.push_str(&format!("<p class=\"no-data\">{}</p>\n", escape(rows::NO_SAMPLES)));
    } else {
        charts(&mut out, samples);
    }
    out.push_str("</body></html>\n");
    out
}

fn charts(out: &mut String, samples: &[Sample]) {
    let t0 = samples[0].elapsed_s;
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
        out.push_str(&line_chart(title, unit, &series, min_top));
        out.push_str("</figure>\n");
    }
    out.push_str(&format!(
        "<p>{} per-second samples, {:.0} s.</p>\n",
        samples.len(),
        samples.last().map_or(0.0, |s| s.elapsed_s) - t0
    ));
}

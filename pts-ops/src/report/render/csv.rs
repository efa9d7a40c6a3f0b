//! CSV: a header, the scene row, then one row per API. Numbers as received (full
//! precision); success rate 0-1; RT in ms.

use super::super::model::{Metrics, ReportKind, ReportSummary};

pub const HEADER: &str = "scope,name,total_requests,failed_requests,failed_business,success_rate,\
avg_tps,avg_rt_ms,p50_rt_ms,p90_rt_ms,p99_rt_ms,max_rt_ms";

pub fn render(s: &ReportSummary) -> String {
    let mut out = format!("{HEADER}\n");
    out.push_str(&row("scene", &s.name, &s.scene, s.kind));
    for api in &s.apis {
        out.push_str(&row("api", &api.name, &api.metrics, s.kind));
    }
    out
}

fn row(scope: &str, name: &str, m: &Metrics, kind: ReportKind) -> String {
    let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    // A baseline records no request counts: an empty cell, not a 0.
    let total =
        if kind == ReportKind::Baseline { String::new() } else { m.total_requests.to_string() };
    let fields = [
        scope.to_string(),
        field(name),
        total,
        m.failed_requests.to_string(),
        m.failed_business.map(|n| n.to_string()).unwrap_or_default(),
        m.success_rate.to_string(),
        m.avg_tps.to_string(),
        m.avg_rt_ms.to_string(),
        opt(m.p50_rt_ms),
        opt(m.p90_rt_ms),
        opt(m.p99_rt_ms),
        opt(m.max_rt_ms),
    ];
    fields.join(",") + "\n"
}

/// Quotes a text field when it holds a comma, quote or line break (RFC 4180), and keeps a
/// spreadsheet from reading a name that starts with `=`, `+`, `-` or `@` as a formula.
pub fn field(text: &str) -> String {
    let text =
        if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.into() };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

//! Markdown: overview, the metric table, findings, and a text chart when samples exist.

use super::super::findings::Finding;
use super::super::model::ReportSummary;
use super::rows;
use crate::samples::Sample;

/// A table cell: pipes escaped, line breaks flattened.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn table(out: &mut String, head: &[&str], rows: &[Vec<String>]) {
    out.push_str(&format!(
        "| {} |\n",
        head.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")
    ));
    out.push_str(&format!("|{}\n", "---|".repeat(head.len())));
    for r in rows {
        out.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
}

pub fn render(s: &ReportSummary, found: &[Finding], samples: &[Sample]) -> String {
    let mut out = format!("# Report {}\n\n", cell(&s.name));
    for (label, value) in rows::overview(s) {
        out.push_str(&format!("- {label}: {}\n", cell(&value)));
    }
    out.push_str("\n## Metrics\n\n");
    table(&mut out, &rows::COLUMNS, &rows::metric_rows(s));
    out.push_str("\n## Findings\n\n");
    if found.is_empty() {
        out.push_str("No findings.\n");
    } else {
        let rows: Vec<Vec<String>> = found
            .iter()
            .map(|f| {
                vec![
                    f.severity.as_str().into(),
                    f.area.clone(),
                    f.evidence.clone(),
                    f.suggestion.clone(),
                ]
            })
            .collect();
        table(&mut out, &["Severity", "Area", "Evidence", "Suggestion"], &rows);
    }
    out.push_str("\n## Over time\n\n");
    if samples.is_empty() {
        out.push_str(rows::NO_SAMPLES);
        out.push('\n');
    } else {
        out.push_str("```text\n");
        out.push_str(&super::terminal::terminal_chart(samples, 60));
        out.push_str("```\n");
    }
    out
}

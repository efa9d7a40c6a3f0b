//! Report exports: JSON, CSV (one row per API plus a scene row), Markdown (tables and
//! findings) and one self-contained HTML file with SVG charts of the run's per-second
//! samples; and a compact text chart for terminals.

mod csv;
mod format;
mod html;
mod md;
mod rows;
pub mod svg;
mod terminal;
mod trend_html;

pub use trend_html::render_trend;

pub use terminal::terminal_chart;

pub use format::{length, num, opt};

use super::findings::{Finding, findings};
use super::model::ReportSummary;
use crate::samples::Sample;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Json,
    Csv,
    Md,
    Html,
}

impl ExportFormat {
    /// Every format, in the order `--format` lists them.
    pub const ALL: [ExportFormat; 4] =
        [ExportFormat::Json, ExportFormat::Csv, ExportFormat::Md, ExportFormat::Html];

    /// The format of this name (its file extension).
    pub fn from_extension(name: &str) -> Option<ExportFormat> {
        Self::ALL.into_iter().find(|f| f.extension() == name)
    }

    /// The file extension of an export, which is also the format's name.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Csv => "csv",
            ExportFormat::Md => "md",
            ExportFormat::Html => "html",
        }
    }
}

/// `summary` in `format`, with findings against no baseline; `samples` (possibly empty)
/// feed the charts.
pub fn render(summary: &ReportSummary, samples: &[Sample], format: ExportFormat) -> String {
    render_with_baseline(summary, samples, None, format)
}

/// As [`render`], with the findings judged against `baseline`.
pub fn render_with_baseline(
    summary: &ReportSummary,
    samples: &[Sample],
    baseline: Option<&ReportSummary>,
    format: ExportFormat,
) -> String {
    let found = findings(summary, baseline);
    match format {
        ExportFormat::Json => json(summary, &found, samples),
        ExportFormat::Csv => csv::render(summary),
        ExportFormat::Md => md::render(summary, &found, samples),
        ExportFormat::Html => html::render(summary, &found, samples),
    }
}

fn json(summary: &ReportSummary, found: &[Finding], samples: &[Sample]) -> String {
    let doc = serde_json::json!({"report": summary, "findings": found, "samples": samples});
    serde_json::to_string_pretty(&doc).expect("JSON values serialize") + "\n"
}

#[cfg(test)]
mod tests;

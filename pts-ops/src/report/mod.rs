//! Reports as one shape for PTS and JMeter runs and for scene baselines: fetched and
//! normalised ([`fetch`](mod@fetch)), judged ([`findings`](mod@findings), after the reporter guide's thresholds),
//! compared ([`diff`](mod@diff)) and rendered ([`render`](mod@render): JSON, CSV, Markdown, self-contained HTML
//! with SVG charts; a terminal chart). Success rates are always fractions 0-1 here, RT is
//! always milliseconds, whatever the source used.

pub mod diff;
pub mod fetch;
pub mod findings;
pub mod model;
pub mod render;
pub mod run_samples;
pub mod trend;

pub use crate::ids::check_id;
pub use diff::{ApiDelta, MetricDelta, ReportDiff, diff};
pub use fetch::{
    baseline_summary, fetch_baseline, fetch_jmeter, fetch_jmeter_samples, fetch_pts, jmeter_rate,
    jmeter_summary, pts_rate, pts_summary,
};
pub use findings::{Finding, Severity, findings};
pub use render::{ExportFormat, render, render_with_baseline, terminal_chart};
pub use run_samples::find_samples;

pub use crate::samples::Sample;
pub use model::{ApiReport, LoadTarget, Metrics, ReportKind, ReportSummary, run_times};

#[cfg(test)]
mod testdata;

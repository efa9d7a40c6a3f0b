//! What the fetchers share: success-rate scales, the empty-report error and the one retry.

use crate::exit::{CliError, CliResult, ExitCode};
use serde_json::Value;

/// A PTS success rate as 0-1. The API sends fractions; a value above 1 can only be a
/// percentage, so it is scaled rather than trusted.
pub fn pts_rate(wire: f64) -> f64 {
    if wire > 1.0 { wire / 100.0 } else { wire }
}

/// A JMeter success rate (0-100 on the wire) as 0-1.
pub fn jmeter_rate(wire: f64) -> f64 {
    wire / 100.0
}

pub(super) fn to_value<T: serde::Serialize>(body: &T) -> Value {
    serde_json::to_value(body).unwrap_or(Value::Null)
}

pub(super) fn empty(what: &str) -> CliError {
    CliError::new(ExitCode::Service, format!("{what}: the report has no metrics (empty report)"))
        .with_hint("no data, no analysis: wait until the report is generated, or pick another run")
}

/// Pause before the second attempt at a report that failed or came back empty.
const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// Runs `attempt` up to twice: a report can lag the end of its run by a moment, so a
/// service error or an empty report gets one more try; then the error stands (the
/// reporter guide's NO-DATA-NO-ANALYSIS, after at most two attempts).
pub(super) async fn at_most_twice<T, F, Fut>(mut attempt: F) -> CliResult<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = CliResult<T>>,
{
    match attempt().await {
        Err(e) if e.code == ExitCode::Service => {
            tracing::debug!(error = %e.message, "report not readable yet; one more attempt");
            tokio::time::sleep(RETRY_AFTER).await;
            attempt().await
        }
        other => other,
    }
}

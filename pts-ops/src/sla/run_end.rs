//! The end of an SLA run, shared by `pts run` and the MCP `sla_run` tool: how the watch
//! ended (a breach or the time limit stops the scene and waits for STOPPED), the report,
//! the judgement, and the files it leaves in the evidence (`report.json`, `report.html`
//! with charts from the samples, `report-raw.json`, `verdict.json`, `junit.xml`).

use super::criteria::Criterion;
use super::live::Breach;
use super::verdict::{FinalMetrics, Verdict, judge};
use crate::evidence::{Evidence, rfc3339};
use crate::exit::{CliError, CliResult, ExitCode};
use crate::lifecycle::{self, Until};
use crate::report::{self, ExportFormat, Metrics, ReportSummary};
use crate::samples::Sample;
use crate::session::api_err;
use crate::watch::{WatchEnd, WatchOutcome};
use serde_json::Value;
use std::time::{Duration, SystemTime};

const POLL: Duration = Duration::from_millis(300);

/// What a finished run hands to the judgement.
pub struct Ran {
    pub scene_id: String,
    pub plan_id: String,
    pub samples: Vec<Sample>,
    /// `completed`, `breach` or `time_limit`.
    pub ended: &'static str,
    pub breach: Option<Breach>,
    /// The normalised report and the response it came from.
    pub report: Option<(ReportSummary, Value)>,
    pub notes: Vec<String>,
}

/// The run after its watch: a breach or the time limit (`limit`: how the caller names it)
/// stops the scene and waits up to `max_wait` for STOPPED. The report is not fetched yet.
pub async fn settle(
    client: &pts_api::Client,
    scene_id: &str,
    plan_id: &str,
    watched: WatchOutcome,
    limit: &str,
    max_wait: Duration,
    ev: &mut Evidence,
) -> CliResult<Ran> {
    let (ended, breach) = match watched.end {
        WatchEnd::Interrupted => return Err(CliError::interrupted()),
        WatchEnd::Stopped => ("completed", None),
        WatchEnd::TimeLimit => ("time_limit", None),
        WatchEnd::Breach(b) => ("breach", Some(b)),
    };
    let mut notes = Vec::new();
    if ended != "completed" {
        let why = breach.as_ref().map_or(limit.to_string(), |b| format!("SLA breach: {b}"));
        tracing::info!(scene_id, "{why}: stopping the scene");
        notes.push(format!("stopped early: {why}"));
        lifecycle::stop_pts(client, scene_id, ev).await?;
        let w = lifecycle::wait_pts(client, scene_id, Until::Stopped, POLL, max_wait).await?;
        if w.timed_out {
            return Err(CliError::new(
                ExitCode::WaitTimeout,
                format!("scene {scene_id} did not reach STOPPED within {max_wait:?}"),
            ));
        }
    }
    Ok(Ran {
        scene_id: scene_id.to_string(),
        plan_id: plan_id.to_string(),
        samples: watched.samples,
        ended,
        breach,
        report: None,
        notes,
    })
}

/// The run's report once PTS has written it (waits up to `max`).
pub async fn fetch_report(
    client: &pts_api::Client,
    scene_id: &str,
    plan_id: &str,
    max: Duration,
) -> CliResult<(ReportSummary, Value)> {
    let cfg = pts_api::WaitConfig::default()
        .timeout(max)
        .poll_interval(POLL)
        .backoff(1.5)
        .max_interval(Duration::from_secs(3));
    if let Err(e) = client.wait_pts_report_ready(scene_id, plan_id, &cfg).await {
        return Err(match e {
            pts_api::WaitError::Call { error, .. } => api_err(error),
            other => {
                CliError::new(ExitCode::WaitTimeout, format!("report of plan {plan_id}: {other}"))
            }
        });
    }
    report::fetch_pts(client, scene_id, plan_id).await
}

/// A report's scene metrics as the judgement reads them.
pub fn final_metrics(m: &Metrics) -> FinalMetrics {
    FinalMetrics {
        avg_rt_ms: Some(m.avg_rt_ms),
        p90_rt_ms: m.p90_rt_ms,
        p99_rt_ms: m.p99_rt_ms,
        error_rate: Some(m.error_rate()),
        tps: Some(m.avg_tps),
    }
}

/// Judges `ran` and writes the report, `verdict.json` and `junit.xml` into `ev`.
pub fn judge_and_write(criteria: &[Criterion], ran: &Ran, ev: &Evidence) -> CliResult<Verdict> {
    let metrics = ran.report.as_ref().map(|(s, _)| final_metrics(&s.scene));
    let results = judge(criteria, metrics.as_ref(), ran.breach.as_ref());
    let verdict = Verdict {
        passed: results.iter().all(|c| c.passed),
        scene_id: ran.scene_id.clone(),
        plan_id: Some(ran.plan_id.clone()),
        ended: ran.ended.to_string(),
        stopped_early: ran.ended != "completed",
        breach: ran.breach.clone(),
        criteria: results,
        metrics,
        judged_at: rfc3339(SystemTime::now()),
        notes: ran.notes.clone(),
    };
    if let Some((summary, raw)) = &ran.report {
        ev.write_text("report.json", &report::render(summary, &ran.samples, ExportFormat::Json))?;
        ev.write_text("report.html", &report::render(summary, &ran.samples, ExportFormat::Html))?;
        ev.write_json("report-raw.json", raw)?;
    }
    ev.write_json("verdict.json", &verdict)?;
    ev.write_text("junit.xml", &verdict.to_junit_xml())?;
    Ok(verdict)
}

/// `SLA passed|failed` and one line per criterion (then the run's notes), for
/// `summary.md` and the printed summary.
pub fn outcome_lines(verdict: &Verdict) -> (String, Vec<String>) {
    let mut notes: Vec<String> = verdict
        .criteria
        .iter()
        .map(|c| {
            format!("{} `{}`: {}", if c.passed { "PASS" } else { "FAIL" }, c.criterion, c.detail)
        })
        .collect();
    notes.extend(verdict.notes.iter().cloned());
    (format!("SLA {}", if verdict.passed { "passed" } else { "failed" }), notes)
}

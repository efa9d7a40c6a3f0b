//! `sla_run`: pre-flight, start, a watch judged live against SLA criteria (the syntax of
//! `pts run --sla`), a stop on a sustained breach or at `duration_s`, the report, and the
//! verdict, on the same libraries as `pts run`. The evidence directory holds the
//! pre-flight, `samples.jsonl`, the report, `verdict.json` and `junit.xml`.

use super::context::Ctx;
use super::plan::Plan;
use super::reply;
use super::wf_runs::{MAX_WAIT, POLL, gate};
use crate::commands::run::output::final_metrics;
use crate::exit::{CliError, CliResult, ExitCode};
use crate::workflow::evidence::{Evidence, rfc3339};
use crate::workflow::lifecycle::{self, Until, preflight_pts, start_pts, stop_pts, wait_pts};
use crate::workflow::report::{self, ExportFormat};
use crate::workflow::sla::{self, LiveGuard, Verdict, judge};
use crate::workflow::watch::{Interrupt, WatchEnd, WatchOptions, watch_pts_with};
use rmcp::model::CallToolResult;
use serde_json::{Map, Value, json};
use std::time::{Duration, SystemTime};

const INTERVAL: Duration = Duration::from_secs(1);

pub async fn sla_run(ctx: &Ctx, scene_id: &str, args: &Map<String, Value>) -> CallToolResult {
    let text = args.get("sla").and_then(Value::as_str).unwrap_or("");
    let criteria = match sla::parse(text) {
        Ok(c) => c,
        Err(e) => {
            let message = format!(
                "invalid arguments: sla_run: parameter sla: {}; nothing was sent",
                e.message
            );
            return reply::fail(
                message.clone(),
                json!({"error": "validation", "field": "sla",
                "rule": e.message, "message": message, "sent": false}),
            );
        }
    };
    let max = args.get("duration_s").and_then(Value::as_u64).map(Duration::from_secs);
    let pf = match preflight_pts(&ctx.client, scene_id).await {
        Ok(pf) => pf,
        Err(e) => return reply::cli_error("sla_run", &e, json!({"scene_id": scene_id})),
    };
    if !pf.ok {
        return reply::fail(
            format!(
                "sla_run: pre-flight failed for scene {scene_id}: {}; nothing was sent",
                pf.failures()
            ),
            json!({"error": "preflight", "scene_id": scene_id, "preflight": pf, "sent": false}),
        );
    }
    let plan = || {
        let mut p = Plan::new(
            "sla_run",
            format!(
                "starts scene {scene_id} ({}), watches it against {text}, stops it on a sustained breach{}",
                pf.scene_name,
                max.map_or(String::new(), |m| format!(" or after {} s", m.as_secs()))
            ),
        );
        p.changes = json!({"scene_id": scene_id, "criteria": criteria, "preflight": pf});
        p.estimated_load = Some(json!({"vum_estimate": pf.vum_estimate, "summary": pf.summary}));
        p.rollback =
            Some("stop_scene with the same scene_id (sla_run stops it itself on a breach)".into());
        p
    };
    if let Err(r) = gate(
        ctx,
        "sla_run",
        args,
        plan,
        &["StartPtsScene", "GetPtsSceneRunningData", "StopPtsScene", "GetPtsReportDetails"],
    ) {
        return r;
    }
    let mut ev = match ctx.evidence("run", scene_id, "sla_run", args) {
        Ok(ev) => ev,
        Err(e) => return reply::cli_error("sla_run", &e, json!({"sent": false})),
    };
    ev.param("sla", text);
    let _ = ev.write_json("preflight.json", &pf);
    let _ = ev.write_json("criteria.json", &criteria);
    let guard = LiveGuard::new(&criteria, sla::DEFAULT_BREACH_FOR, INTERVAL);
    match run(ctx, scene_id, max, guard, &mut ev).await {
        Ok(ran) => verdict(ran, &criteria, ev),
        Err(e) => {
            let dir = ev.finish(&format!("failed: {}", e.message), &[]).ok().flatten();
            reply::cli_error(
                "sla_run",
                &e,
                json!({"scene_id": scene_id, "evidence_dir": dir.map(|d| d.display().to_string())}),
            )
        }
    }
}

struct Ran {
    scene_id: String,
    plan_id: String,
    ended: &'static str,
    breach: Option<sla::Breach>,
    samples: Vec<report::Sample>,
    /// The normalised report and the response it came from.
    report: Option<(report::ReportSummary, Value)>,
    notes: Vec<String>,
}

async fn run(
    ctx: &Ctx,
    scene_id: &str,
    max: Option<Duration>,
    guard: LiveGuard,
    ev: &mut Evidence,
) -> CliResult<Ran> {
    let client = &ctx.client;
    let started = start_pts(client, scene_id, ev).await?;
    let plan_id = started.plan_id.clone();
    let after = async {
        let w = wait_pts(client, scene_id, Until::Running, POLL, MAX_WAIT).await?;
        if w.timed_out {
            return Err(lifecycle::timeout_error(scene_id, &w, MAX_WAIT));
        }
        let opts = WatchOptions {
            interval: INTERVAL,
            max,
            stop_scene_on_interrupt: true,
            live: Some(guard),
        };
        let interrupt = Interrupt::listen();
        watch_pts_with(client, scene_id, &plan_id, &opts, ev, &interrupt, &mut |_| {}).await
    };
    let watched = match after.await {
        Ok(w) => w,
        Err(e) => {
            // Never leave load running behind a failure.
            let _ = stop_pts(client, scene_id, ev).await;
            return Err(e);
        }
    };
    let mut notes = Vec::new();
    let (ended, breach) = match watched.end {
        WatchEnd::Interrupted => return Err(CliError::interrupted()),
        WatchEnd::Stopped => ("completed", None),
        WatchEnd::TimeLimit => ("time_limit", None),
        WatchEnd::Breach(b) => ("breach", Some(b)),
    };
    if ended != "completed" {
        let why = breach
            .as_ref()
            .map_or("duration_s reached".to_string(), |b| format!("SLA breach: {b}"));
        notes.push(format!("stopped early: {why}"));
        stop_pts(client, scene_id, ev).await?;
        let w = wait_pts(client, scene_id, Until::Stopped, POLL, MAX_WAIT).await?;
        if w.timed_out {
            return Err(CliError::new(
                ExitCode::WaitTimeout,
                format!("scene {scene_id} did not reach STOPPED"),
            ));
        }
    }
    let report = match fetch_report(client, scene_id, &plan_id).await {
        Ok(r) => Some(r),
        Err(e) => {
            notes.push(format!("no report to judge: {}", e.message));
            None
        }
    };
    Ok(Ran {
        scene_id: scene_id.into(),
        plan_id,
        ended,
        breach,
        samples: watched.samples,
        report,
        notes,
    })
}

async fn fetch_report(
    client: &pts_api::Client,
    scene_id: &str,
    plan_id: &str,
) -> CliResult<(report::ReportSummary, Value)> {
    let cfg = pts_api::WaitConfig::default()
        .timeout(MAX_WAIT)
        .poll_interval(Duration::from_millis(300))
        .backoff(1.5)
        .max_interval(Duration::from_secs(3));
    if let Err(e) = client.wait_pts_report_ready(scene_id, plan_id, &cfg).await {
        return Err(CliError::new(ExitCode::WaitTimeout, format!("report of plan {plan_id}: {e}")));
    }
    report::fetch_pts(client, scene_id, plan_id).await
}

fn verdict(ran: Ran, criteria: &[sla::Criterion], ev: Evidence) -> CallToolResult {
    let metrics = ran.report.as_ref().map(|(s, _)| final_metrics(&s.scene));
    let results = judge(criteria, metrics.as_ref(), ran.breach.as_ref());
    let v = Verdict {
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
    // The files `pts run` leaves: the report (JSON, HTML with charts, raw), verdict, JUnit.
    if let Some((s, raw)) = &ran.report {
        let _ = ev.write_text("report.json", &report::render(s, &ran.samples, ExportFormat::Json));
        let _ = ev.write_text("report.html", &report::render(s, &ran.samples, ExportFormat::Html));
        let _ = ev.write_json("report-raw.json", raw);
    }
    let _ = ev.write_json("verdict.json", &v);
    let _ = ev.write_text("junit.xml", &v.to_junit_xml());
    let notes: Vec<String> = v
        .criteria
        .iter()
        .map(|c| {
            format!("{} `{}`: {}", if c.passed { "PASS" } else { "FAIL" }, c.criterion, c.detail)
        })
        .chain(v.notes.iter().cloned())
        .collect();
    let outcome = format!("SLA {}", if v.passed { "passed" } else { "failed" });
    let dir = ev.finish(&outcome, &notes).ok().flatten().map(|d| d.display().to_string());
    let text = format!(
        "{outcome} for scene {} plan {} ({}): {}; evidence in {}",
        ran.scene_id,
        ran.plan_id,
        ran.ended,
        notes.join("; "),
        dir.as_deref().unwrap_or("(off)")
    );
    let doc = json!({"verdict": v, "passed": v.passed, "scene_id": ran.scene_id, "plan_id": ran.plan_id,
        "samples": ran.samples.len(), "evidence_dir": dir,
        "next": {"report_summary": {"scene_id": ran.scene_id, "plan_id": ran.plan_id}}});
    // A failed SLA is a result, not a tool error: the run happened and the verdict is the answer.
    reply::ok(text, doc)
}

//! `sla_run`: pre-flight, start, a watch judged live against SLA criteria (the syntax of
//! `pts run --sla`), a stop on a sustained breach or at `duration_s`, the report, and the
//! verdict, on the same libraries as `pts run`. The evidence directory holds the
//! pre-flight, `samples.jsonl`, the report, `verdict.json` and `junit.xml`.

use super::context::Ctx;
use super::plan::Plan;
use super::reply;
use super::wf_runs::{MAX_WAIT, gate};
use pts_ops::evidence::Evidence;
use pts_ops::exit::CliResult;
use pts_ops::lifecycle::{POLL, preflight_pts, start_pts, stop_pts, wait_begun};
use pts_ops::sla::run_end::{Ran, fetch_report, judge_and_write, outcome_lines, settle};
use pts_ops::sla::{self, LiveGuard};
use pts_ops::watch::{Interrupt, WatchOptions, watch_pts_with};
use rmcp::model::CallToolResult;
use serde_json::{Map, Value, json};
use std::time::Duration;

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
    let health = ev.health();
    let result = match run(ctx, scene_id, max, guard, &mut ev).await {
        Ok(ran) => verdict(ran, &criteria, ev),
        Err(e) => {
            let dir = ev.finish(&format!("failed: {}", e.message), &[]).ok().flatten();
            reply::cli_error(
                "sla_run",
                &e,
                json!({"scene_id": scene_id, "evidence_dir": dir.map(|d| d.display().to_string())}),
            )
        }
    };
    reply::with_evidence(result, &health)
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
        wait_begun(client, scene_id, &plan_id, POLL, MAX_WAIT).await?;
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
    let mut ran =
        settle(client, scene_id, &plan_id, watched, "duration_s reached", MAX_WAIT, ev).await?;
    ran.report = match fetch_report(client, scene_id, &plan_id, MAX_WAIT).await {
        Ok(r) => Some(r),
        Err(e) => {
            ran.notes.push(format!("no report to judge: {}", e.message));
            None
        }
    };
    Ok(ran)
}

fn verdict(ran: Ran, criteria: &[sla::Criterion], ev: Evidence) -> CallToolResult {
    let v = match judge_and_write(criteria, &ran, &ev) {
        Ok(v) => v,
        Err(e) => return reply::cli_error("sla_run", &e, json!({"scene_id": ran.scene_id})),
    };
    let (outcome, notes) = outcome_lines(&v);
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

//! The run workflow tools on the lifecycle and report libraries the CLI's commands use:
//! pre-flight, start with verification, stop, report summary. (`sla_run`: [`super::wf_sla`].)
//! Mutating ones plan first (the pre-flight is the plan's evidence) and execute only with
//! the plan's token.

use super::context::Ctx;
use super::plan::Plan;
use super::schema::TOKEN_FIELD;
use super::{reply, tools_ops};
use pts_ops::evidence::Evidence;
use pts_ops::exit::{CliError, CliResult};
use pts_ops::lifecycle::{
    self, POLL, Preflight, Until, now_rfc3339, preflight_pts, start_pts, stop_pts, stoppable_pts,
    verify_flowing, wait_pts,
};
use pts_ops::outcome;
use pts_ops::report;
use rmcp::model::CallToolResult;
use serde_json::{Map, Value, json};
use std::time::Duration;

/// How long a start may take to reach RUNNING and a stop STOPPED.
pub const MAX_WAIT: Duration = Duration::from_secs(120);
/// How long to look for load flowing after a start (as `pts scene start`).
const VERIFY_WITHIN: Duration = Duration::from_secs(15);

/// No token: `Err(plan)` (the plan and its token, for the agent to confirm). A token:
/// `Ok(())` when it redeems for exactly these arguments, else `Err(refusal)`.
pub fn gate(
    ctx: &Ctx,
    tool: &str,
    args: &Map<String, Value>,
    plan: impl FnOnce() -> Plan,
    operations: &[&str],
) -> Result<(), CallToolResult> {
    match args.get(TOKEN_FIELD) {
        None | Some(Value::Null) => Err(tools_ops::planned(ctx, &plan(), operations, args)),
        Some(Value::String(token)) => {
            ctx.tokens.redeem(tool, args, token).map_err(|why| reply::refused("confirmation", why))
        }
        Some(_) => Err(reply::refused("usage", format!("{tool}: {TOKEN_FIELD} must be a string"))),
    }
}

fn preflight_json(pf: &Preflight) -> Value {
    serde_json::to_value(pf).unwrap_or(Value::Null)
}

/// `preflight_start`: the checks of `pts scene start`, read-only.
pub async fn preflight(ctx: &Ctx, scene_id: &str) -> CallToolResult {
    match preflight_pts(&ctx.client, scene_id).await {
        Ok(pf) => {
            let verdict = if pf.ok {
                "ready to start".to_string()
            } else {
                format!("not ready: {}", pf.failures())
            };
            let vum = pf.vum_estimate.map_or("not estimable".into(), |v| format!("at most {v}"));
            let summary =
                format!("Pre-flight of scene {scene_id} ({}): {verdict}; VUM {vum}", pf.scene_name);
            let next =
                if pf.ok { json!({"start_scene": {"scene_id": scene_id}}) } else { Value::Null };
            reply::ok(
                summary,
                json!({"scene_id": scene_id, "preflight": preflight_json(&pf),
                                      "ok": pf.ok, "vum_estimate": pf.vum_estimate, "next": next}),
            )
        }
        Err(e) => reply::cli_error("preflight_start", &e, json!({"scene_id": scene_id})),
    }
}

/// `start_scene`: pre-flight (the plan), then StartPtsScene, wait for RUNNING, verify load.
pub async fn start(ctx: &Ctx, scene_id: &str, args: &Map<String, Value>) -> CallToolResult {
    let pf = match preflight_pts(&ctx.client, scene_id).await {
        Ok(pf) => pf,
        Err(e) => return reply::cli_error("start_scene", &e, json!({"scene_id": scene_id})),
    };
    if !pf.ok {
        return reply::fail(
            format!(
                "start_scene: pre-flight failed for scene {scene_id}: {}; nothing was sent",
                pf.failures()
            ),
            json!({"error": "preflight", "scene_id": scene_id, "preflight": preflight_json(&pf), "sent": false}),
        );
    }
    let plan = || {
        let mut p = Plan::new(
            "start_scene",
            format!("starts a load test of scene {scene_id} ({})", pf.scene_name),
        );
        p.changes = json!({"scene_id": scene_id, "preflight": preflight_json(&pf)});
        p.estimated_load = Some(json!({"vum_estimate": pf.vum_estimate, "summary": pf.summary}));
        p.rollback = Some("stop_scene with the same scene_id".into());
        p
    };
    if let Err(r) = gate(
        ctx,
        "start_scene",
        args,
        plan,
        &["StartPtsScene", "GetPtsSceneRunningStatus", "GetPtsSceneRunningData"],
    ) {
        return r;
    }
    let mut ev = match ctx.evidence("start", scene_id, "start_scene", args) {
        Ok(ev) => ev,
        Err(e) => return reply::cli_error("start_scene", &e, json!({"sent": false})),
    };
    let _ = ev.write_json("preflight.json", &pf);
    let result = started(ctx, scene_id, &mut ev).await;
    finish(ev, "start_scene", result, |doc| {
        let v = &doc["verification"];
        format!(
            "Started scene {scene_id}: PlanId {}; {}",
            doc["plan_id"].as_str().unwrap_or("?"),
            v["detail"].as_str().unwrap_or("")
        )
    })
}

/// The start and what follows it; a document even when the wait or the verification fails.
async fn started(
    ctx: &Ctx,
    scene_id: &str,
    ev: &mut Evidence,
) -> CliResult<(Value, Option<CliError>)> {
    let s = start_pts(&ctx.client, scene_id, ev).await?;
    let mut doc = json!({"region": ctx.region(), "scene_id": scene_id, "plan_id": s.plan_id,
                         "started_at": s.started_at, "start_response": s.response});
    let next = json!({"running_snapshot": {"scene_id": scene_id, "plan_id": s.plan_id},
                      "stop_scene": {"scene_id": scene_id},
                      "report_summary": {"scene_id": scene_id, "plan_id": s.plan_id}});
    doc["next"] = next;
    match wait_pts(&ctx.client, scene_id, Until::Started(&s.plan_id), POLL, MAX_WAIT).await {
        Ok(p) => {
            doc["status_polling"] = serde_json::to_value(&p).unwrap_or(Value::Null);
            if p.timed_out {
                return Ok((doc, Some(lifecycle::timeout_error(scene_id, &p, MAX_WAIT))));
            }
        }
        Err(e) => return Ok((doc, Some(e))),
    }
    let v = verify_flowing(&ctx.client, scene_id, &s.plan_id, VERIFY_WITHIN).await?;
    let failure =
        (!v.flowing).then(|| CliError::new(pts_ops::exit::ExitCode::Service, v.detail.clone()));
    doc["verification"] = serde_json::to_value(&v).unwrap_or(Value::Null);
    Ok((doc, failure))
}

/// `stop_scene`: nothing to do when not running; else plan, then StopPtsScene and wait.
pub async fn stop(ctx: &Ctx, scene_id: &str, args: &Map<String, Value>) -> CallToolResult {
    let (running, runtime) = match stoppable_pts(&ctx.client, scene_id).await {
        Ok(r) => r,
        Err(e) => return reply::cli_error("stop_scene", &e, json!({"scene_id": scene_id})),
    };
    if !running {
        return reply::ok(
            format!("Scene {scene_id} is not running (runtime status {runtime}): nothing to stop"),
            json!({"scene_id": scene_id, "not_running": true, "final_status": runtime, "sent": false}),
        );
    }
    let plan = || {
        let mut p =
            Plan::new("stop_scene", format!("stops the running load test of scene {scene_id}"));
        p.changes = json!({"scene_id": scene_id, "runtime_status": runtime});
        p.rollback = Some("start_scene again (a new run and report)".into());
        p
    };
    if let Err(r) =
        gate(ctx, "stop_scene", args, plan, &["StopPtsScene", "GetPtsSceneRunningStatus"])
    {
        return r;
    }
    let mut ev = match ctx.evidence("stop", scene_id, "stop_scene", args) {
        Ok(ev) => ev,
        Err(e) => return reply::cli_error("stop_scene", &e, json!({"sent": false})),
    };
    let result = stopped(ctx, scene_id, &mut ev).await;
    finish(ev, "stop_scene", result, |doc| {
        format!(
            "Stopped scene {scene_id}: final status {}",
            doc["status_polling"]["final_status"].as_str().unwrap_or("?")
        )
    })
}

async fn stopped(
    ctx: &Ctx,
    scene_id: &str,
    ev: &mut Evidence,
) -> CliResult<(Value, Option<CliError>)> {
    let stopped_at = now_rfc3339();
    let resp = stop_pts(&ctx.client, scene_id, ev).await?;
    let mut doc = json!({"region": ctx.region(), "scene_id": scene_id, "stopped_at": stopped_at,
                         "stop_response": resp});
    let mut failure = None;
    match wait_pts(&ctx.client, scene_id, Until::Stopped, POLL, MAX_WAIT).await {
        Ok(p) => {
            if p.timed_out {
                failure = Some(lifecycle::timeout_error(scene_id, &p, MAX_WAIT));
            }
            doc["status_polling"] = serde_json::to_value(&p).unwrap_or(Value::Null);
        }
        Err(e) => failure = Some(e),
    }
    // The run's PlanId, for its report: the scene's newest report once it has stopped.
    let plan_id = lifecycle::read(
        &ctx.client,
        "GetPtsReportsBySceneId",
        json!({"SceneId": scene_id, "PageNumber": 1, "PageSize": 10}),
    )
    .await
    .ok()
    .and_then(|b| b.pointer("/ReportOverViewList/0/ReportId").cloned());
    doc["plan_id"] = plan_id.clone().unwrap_or(Value::Null);
    doc["next"] = json!({
        "report_summary": plan_id.map(|p| json!({"scene_id": scene_id, "plan_id": p}))
    });
    Ok((doc, failure))
}

/// Writes `result.json`, finishes the evidence and turns the outcome into a result that
/// names the evidence directory and any evidence write that failed.
fn finish(
    ev: Evidence,
    tool: &str,
    result: CliResult<(Value, Option<CliError>)>,
    summary: impl FnOnce(&Value) -> String,
) -> CallToolResult {
    let health = ev.health();
    reply::with_evidence(outcome(ev, tool, result, summary), &health)
}

fn outcome(
    ev: Evidence,
    tool: &str,
    result: CliResult<(Value, Option<CliError>)>,
    summary: impl FnOnce(&Value) -> String,
) -> CallToolResult {
    let (mut doc, failure) = match result {
        Ok(r) => r,
        Err(e) => {
            let dir = outcome::conclude_failed(ev, &e).ok().flatten();
            let dir = dir.map(|d| d.display().to_string());
            return reply::cli_error(tool, &e, json!({"evidence_dir": dir}));
        }
    };
    let end = outcome::conclude(ev, &mut doc, failure.as_ref(), "ok", &[]);
    let dir = end.ok().and_then(|e| e.evidence_dir).map(|d| d.display().to_string());
    doc["evidence_dir"] = json!(dir);
    let text = format!("{}; evidence in {}", summary(&doc), dir.as_deref().unwrap_or("(off)"));
    match failure {
        None => reply::ok(text, doc),
        Some(e) => {
            doc["error"] = json!(e.message);
            reply::fail(
                format!(
                    "{tool} failed: {}; evidence in {}",
                    e.message,
                    dir.as_deref().unwrap_or("(off)")
                ),
                doc,
            )
        }
    }
}

/// `report_summary`: the normalised report, the baseline if any, and the findings.
pub async fn report(ctx: &Ctx, scene_id: &str, plan_id: &str) -> CallToolResult {
    let (summary, _raw) = match report::fetch_pts(&ctx.client, scene_id, plan_id).await {
        Ok(r) => r,
        Err(e) => {
            return reply::cli_error(
                "report_summary",
                &e,
                json!({"scene_id": scene_id, "plan_id": plan_id}),
            );
        }
    };
    let baseline = report::fetch_baseline(&ctx.client, scene_id).await.ok().flatten();
    let found = report::findings(&summary, baseline.as_ref());
    let m = &summary.scene;
    let worst = ["high", "medium", "low"]
        .into_iter()
        .find(|s| found.iter().any(|f| f.severity.as_str() == *s));
    let text = format!(
        "Report of scene {scene_id} plan {plan_id}: {} requests, success {:.2} %, avg RT {:.0} ms, p99 {}, {:.1} TPS; {} finding(s){}",
        m.total_requests,
        m.success_rate * 100.0,
        m.avg_rt_ms,
        m.p99_rt_ms.map_or("-".into(), |v| format!("{v:.0} ms")),
        m.avg_tps,
        found.len(),
        worst.map_or(String::new(), |w| format!(", worst {w}"))
    );
    reply::ok(
        text,
        json!({
            "scene_id": scene_id, "plan_id": plan_id,
            "summary_metrics": summary.scene, "report": summary, "baseline": baseline,
            "findings": found,
            "next": {"CreatePtsSceneBaseLineFromReport": {"SceneId": scene_id, "ReportId": plan_id}},
        }),
    )
}

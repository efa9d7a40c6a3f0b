//! The read-only workflow tools: scene inventory (every page), scene detail, and one
//! snapshot of a running scene.

use super::context::Ctx;
use super::{plan, reply};
use pts_api::shapes::pts_runtime_status::PtsRuntimeStatus;
use pts_ops::errors;
use pts_ops::exit::CliResult;
use pts_ops::lifecycle;
use pts_ops::samples::Sample;
use pts_ops::watch::poll_sample;
use rmcp::model::CallToolResult;
use serde_json::{Value, json};
use std::time::Instant;

fn op(name: &str) -> &'static pts_api::meta::OperationMeta {
    pts_api::operation_meta(name).expect("operation in the inventory")
}

async fn send(ctx: &Ctx, name: &str, params: Value) -> CliResult<Value> {
    let out = ctx.client.send_json(op(name), params).await.map_err(|e| errors::from_api(&e))?;
    Ok(out.body)
}

/// `scene_inventory`: ListPtsScene, every page (as `pts scene list --all`).
pub async fn inventory(ctx: &Ctx, keyword: Option<String>) -> CallToolResult {
    let list = match lifecycle::all_pts(&ctx.client, keyword.as_deref()).await {
        Ok(v) => v,
        Err(e) => return reply::cli_error("scene_inventory", &e, json!({})),
    };
    let scenes: Vec<Value> = list
        .iter()
        .map(|s| {
            json!({
                "SceneId": s.get("SceneId"),
                "SceneName": s.get("SceneName"),
                "Status": s.get("Status"),
                "CreateTime": s.get("CreateTime"),
            })
        })
        .collect();
    let ids: Vec<&Value> = scenes.iter().map(|s| &s["SceneId"]).collect();
    let summary = match keyword {
        Some(k) => format!("{} PTS scene(s) matching {k:?} on {}", scenes.len(), ctx.endpoint()),
        None => format!("{} PTS scene(s) on {}", scenes.len(), ctx.endpoint()),
    };
    reply::ok(
        summary,
        json!({
            "count": scenes.len(),
            "scenes": scenes,
            "target": ctx.where_(),
            "next": {"tool": "scene_detail", "scene_ids": ids},
        }),
    )
}

/// `scene_detail`: the scene, its runtime status and its latest reports.
pub async fn detail(ctx: &Ctx, scene_id: &str) -> CallToolResult {
    let scene = match send(ctx, "GetPtsScene", json!({"SceneId": scene_id})).await {
        Ok(b) => b.get("Scene").cloned().unwrap_or(Value::Null),
        Err(e) => return reply::cli_error("scene_detail", &e, json!({"scene_id": scene_id})),
    };
    let status = send(ctx, "GetPtsSceneRunningStatus", json!({"SceneId": scene_id}))
        .await
        .map(|b| b.get("Status").cloned().unwrap_or(Value::Null))
        .unwrap_or_else(|e| json!({"error": e.message}));
    let reports = send(
        ctx,
        "GetPtsReportsBySceneId",
        json!({"SceneId": scene_id, "PageNumber": 1, "PageSize": 10}),
    )
    .await
    .map(|b| b.get("ReportOverViewList").cloned().unwrap_or(json!([])))
    .unwrap_or_else(|e| json!({"error": e.message}));
    let latest_plan =
        reports.as_array().and_then(|r| r.first()).and_then(|r| r.get("ReportId")).cloned();
    let brief = plan::summarize_scene(&scene);
    let summary = format!(
        "Scene {scene_id} {:?}: status {}, {} URL(s), load {}",
        scene["SceneName"].as_str().unwrap_or(""),
        status.as_str().unwrap_or("unknown"),
        brief["Urls"].as_array().map_or(0, Vec::len),
        scene["LoadConfig"]
    );
    reply::ok(
        summary,
        json!({
            "scene_id": scene_id,
            "summary_fields": brief,
            "runtime_status": status,
            "reports": reports,
            "scene": scene,
            "vum_estimate": lifecycle::vum_estimate(&scene),
            "next": {"preflight_start": {"scene_id": scene_id},
                     "report_summary": latest_plan.map(|p| json!({"scene_id": scene_id, "plan_id": p}))},
        }),
    )
}

/// `running_snapshot`: one [`Sample`] of the plan, as `pts scene watch` takes them.
pub async fn snapshot(ctx: &Ctx, scene_id: &str, plan_id: &str) -> CallToolResult {
    let sample = match poll_sample(&ctx.client, scene_id, plan_id, Instant::now()).await {
        Ok(s) => s,
        Err(e) => {
            let ids = json!({"scene_id": scene_id, "plan_id": plan_id});
            return reply::cli_error("running_snapshot", &e, ids);
        }
    };
    let next = if sample.status == PtsRuntimeStatus::Stopped {
        json!({"report_summary": {"scene_id": scene_id, "plan_id": plan_id}})
    } else {
        json!({"running_snapshot": {"scene_id": scene_id, "plan_id": plan_id},
               "stop_scene": {"scene_id": scene_id}})
    };
    reply::ok(
        line(scene_id, &sample),
        json!({
            "scene_id": scene_id,
            "plan_id": plan_id,
            "sample": sample,
            "error_rate": sample.error_rate(),
            "load_flowing": sample.alive_agents > 0 && sample.total_requests > 0,
            "next": next,
        }),
    )
}

/// `Scene X RUNNING: 10 VUs, 812 TPS, avg 12 ms, p90 20 ms, 0.00% errors, 4031 requests, 1/1 agents`.
fn line(scene_id: &str, s: &Sample) -> String {
    format!(
        "Scene {scene_id} {}: {} VUs, {:.0} TPS, avg {:.0} ms, p90 {}, {:.2}% errors, {} requests, {}/{} agents",
        s.status,
        s.concurrency,
        s.tps,
        s.avg_rt_ms,
        s.p90_rt_ms.map_or("-".to_string(), |v| format!("{v:.0} ms")),
        s.error_rate() * 100.0,
        s.total_requests,
        s.alive_agents,
        s.total_agents
    )
}

//! The read-only workflow tools: scene inventory (every page), scene detail, and one
//! snapshot of a running scene.

use super::context::Ctx;
use super::{plan, reply};
use crate::errors;
use crate::exit::CliResult;
use rmcp::model::CallToolResult;
use serde_json::{Value, json};

fn op(name: &str) -> &'static pts_api::meta::OperationMeta {
    pts_api::operation_meta(name).expect("operation in the inventory")
}

async fn send(ctx: &Ctx, name: &str, params: Value) -> CliResult<Value> {
    let out = ctx.client.send_json(op(name), params).await.map_err(|e| errors::from_api(&e))?;
    Ok(out.body)
}

/// `scene_inventory`: ListPtsScene, every page.
pub async fn inventory(ctx: &Ctx, keyword: Option<String>) -> CallToolResult {
    let mut params = json!({"PageNumber": 1, "PageSize": 100});
    if let Some(k) = &keyword {
        params["KeyWord"] = k.clone().into();
    }
    let merged =
        match crate::commands::paginate::run(&ctx.client, op("ListPtsScene"), params, None).await {
            Ok(v) => v,
            Err(e) => return reply::cli_error("scene_inventory", &e, json!({})),
        };
    let scenes: Vec<Value> = merged["SceneViewList"]
        .as_array()
        .into_iter()
        .flatten()
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
            "estimated_load": super::load::from_scene(&scene),
            "next": {"preflight_start": {"scene_id": scene_id},
                     "report_summary": latest_plan.map(|p| json!({"scene_id": scene_id, "plan_id": p}))},
        }),
    )
}

/// `running_snapshot`: runtime status plus running data, reduced to a [`Sample`].
///
/// [`Sample`]: crate::workflow::samples::Sample
pub async fn snapshot(ctx: &Ctx, scene_id: &str, plan_id: Option<String>) -> CallToolResult {
    let status = match send(ctx, "GetPtsSceneRunningStatus", json!({"SceneId": scene_id})).await {
        Ok(b) => b,
        Err(e) => return reply::cli_error("running_snapshot", &e, json!({"scene_id": scene_id})),
    };
    let mut params = json!({"SceneId": scene_id});
    if let Some(p) = &plan_id {
        params["PlanId"] = p.clone().into();
    }
    let data = match send(ctx, "GetPtsSceneRunningData", params).await {
        Ok(b) => b,
        Err(e) => {
            let st = status["Status"].as_str().unwrap_or("unknown");
            return reply::ok(
                format!("Scene {scene_id}: status {st}; no running data ({})", e.message),
                json!({"scene_id": scene_id, "plan_id": plan_id, "status": status["Status"],
                       "running_data": null, "note": e.message}),
            );
        }
    };
    let sample = super::metrics::sample(&status, &data);
    let summary = super::metrics::line(scene_id, &sample);
    reply::ok(
        summary,
        json!({
            "scene_id": scene_id,
            "plan_id": plan_id,
            "sample": sample,
            "running_data": data,
            "next": {"stop_scene": {"scene_id": scene_id}},
        }),
    )
}

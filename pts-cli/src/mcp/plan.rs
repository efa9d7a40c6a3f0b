//! The plan a mutating call gets before anything is sent: what will change, on which
//! endpoint and account, the estimated load of a start, and how to undo it. Read-only
//! look-ups (the current scene) make the plan concrete; when one fails, the plan says so
//! instead of guessing.

use super::context::Ctx;
use pts_ops::lifecycle;
use serde_json::{Map, Value, json};

/// A plan for `tool` (an operation or a workflow tool) with these arguments.
pub struct Plan {
    pub tool: String,
    pub effect: String,
    pub changes: Value,
    pub estimated_load: Option<Value>,
    pub rollback: Option<String>,
    pub notes: Vec<String>,
}

impl Plan {
    pub fn new(tool: &str, effect: impl Into<String>) -> Plan {
        Plan {
            tool: tool.to_string(),
            effect: effect.into(),
            changes: Value::Null,
            estimated_load: None,
            rollback: None,
            notes: Vec::new(),
        }
    }

    /// The plan as JSON, with the target and the (masked) account.
    pub fn to_json(&self, ctx: &Ctx, operations: &[&str]) -> Value {
        json!({
            "tool": self.tool,
            "operations": operations,
            "effect": self.effect,
            "target": ctx.where_(),
            "changes": self.changes,
            "estimated_load": self.estimated_load,
            "rollback": self.rollback,
            "notes": self.notes,
        })
    }
}

/// The plan of a generated operation tool.
pub async fn for_operation(ctx: &Ctx, op: &'static str, args: &Map<String, Value>) -> Plan {
    let scene_id = args.get("SceneId").and_then(Value::as_str);
    let mut plan = Plan::new(op, super::describe::one_line(op).unwrap_or(op));
    plan.changes = Value::Object(args.clone());
    match op {
        "SavePtsScene" | "ModifyPtsScene" | "CreatePtsScene" => {
            scene_changes(ctx, op, args, &mut plan).await;
        }
        "StartPtsScene" | "StartDebugPtsScene" => {
            if let Some(id) = scene_id {
                start_load(ctx, id, &mut plan).await;
            }
            plan.rollback = Some(if op == "StartPtsScene" {
                "StopPtsScene with the same SceneId".into()
            } else {
                "StopDebugPtsScene with the SceneId and the returned PlanId".into()
            });
        }
        "DeletePtsScene" | "DeletePtsSceneBaseLine" => {
            if let Some(id) = scene_id {
                plan.changes = json!({"deletes": describe_scene(ctx, id).await});
            }
            plan.rollback = Some("none: deletion cannot be undone".into());
        }
        "DeletePtsScenes" | "RemoveEnv" | "RemoveOpenJMeterScene" => {
            plan.rollback = Some("none: deletion cannot be undone".into());
        }
        "StopPtsScene" | "StopTestingJMeterScene" | "StopDebugPtsScene" => {
            plan.rollback = Some("start the scene again (a new run and report)".into());
        }
        _ => {}
    }
    plan
}

/// The pre-flight of a start (the checks of `pts scene start`) and its VUM estimate.
pub async fn start_load(ctx: &Ctx, scene_id: &str, plan: &mut Plan) {
    match lifecycle::preflight_pts(&ctx.client, scene_id).await {
        Ok(pf) => {
            if !pf.ok {
                plan.notes.push(format!("pre-flight fails: {}", pf.failures()));
            }
            plan.estimated_load = Some(json!({
                "vum_estimate": pf.vum_estimate,
                "summary": pf.summary,
            }));
            plan.changes = json!({"scene_id": scene_id, "preflight": pf});
        }
        Err(e) => plan.notes.push(format!("pre-flight not run: {}", e.message)),
    }
}

/// For scene saves: what `pts scene apply` would do (create, or a diff against the current
/// scene), secret-looking values masked.
async fn scene_changes(ctx: &Ctx, op: &str, args: &Map<String, Value>, plan: &mut Plan) {
    let scene = match args.get("Scene") {
        Some(Value::String(text)) => serde_json::from_str(text).unwrap_or(Value::Null),
        Some(v) => v.clone(),
        None => Value::Null,
    };
    let scene = pts_api::operation_meta(op)
        .and_then(|m| m.param("Scene"))
        .map_or(scene.clone(), |p| pts_api::__private::params::keys_to_wire(&scene, p.shape));
    plan.changes = json!({"scene": summarize_scene(&scene)});
    match lifecycle::plan_apply_pts(&ctx.client, &scene, lifecycle::Match::IdOnly).await {
        Ok(a) if a.created => {
            plan.effect = "creates a new PTS scene".into();
            plan.rollback = Some("DeletePtsScene with the returned SceneId".into());
        }
        Ok(a) => {
            plan.effect = if a.changed {
                format!(
                    "replaces the definition of scene {} ({} change(s))",
                    a.scene_id,
                    a.diff.len()
                )
            } else {
                format!("saves scene {} unchanged (no difference found)", a.scene_id)
            };
            plan.changes["scene_id"] = a.scene_id.clone().into();
            plan.changes["diff"] = json!(a.diff);
            plan.rollback =
                Some("save the previous definition again (the `-`/`~` values of the diff)".into());
        }
        Err(e) => plan.notes.push(format!("no diff: {}", e.message)),
    }
}

/// The current scene (`Scene` of GetPtsScene), PascalCase keys.
pub async fn get_scene(ctx: &Ctx, id: &str) -> Result<Value, String> {
    lifecycle::get_pts(&ctx.client, id).await.map_err(|e| e.message)
}

async fn describe_scene(ctx: &Ctx, id: &str) -> Value {
    match get_scene(ctx, id).await {
        Ok(s) => json!({"scene_id": id, "scene": summarize_scene(&s)}),
        Err(e) => json!({"scene_id": id, "note": format!("scene not read: {e}")}),
    }
}

/// Name, URLs and load settings of a scene: what an operator checks before a change.
pub fn summarize_scene(s: &Value) -> Value {
    let urls: Vec<&Value> = s["RelationList"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["ApiList"].as_array().into_iter().flatten())
        .map(|a| &a["Url"])
        .collect();
    json!({
        "SceneId": s.get("SceneId"),
        "SceneName": s.get("SceneName"),
        "Urls": urls,
        "LoadConfig": s.get("LoadConfig"),
        "VumEstimate": lifecycle::vum_estimate(s),
    })
}

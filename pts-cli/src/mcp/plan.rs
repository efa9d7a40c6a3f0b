//! The plan a mutating call gets before anything is sent: what will change, on which
//! endpoint and account, the estimated load of a start, and how to undo it. Read-only
//! look-ups (the current scene) make the plan concrete; when one fails, the plan says so
//! instead of guessing.

use super::context::Ctx;
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
            scene_changes(ctx, args, &mut plan).await;
        }
        "StartPtsScene" | "StartDebugPtsScene" => {
            if let Some(id) = scene_id {
                plan.estimated_load = Some(super::load::estimate(ctx, id).await);
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

/// For scene saves: the fields, and for an update a diff against the current scene.
async fn scene_changes(ctx: &Ctx, args: &Map<String, Value>, plan: &mut Plan) {
    let scene = match args.get("Scene") {
        Some(Value::String(text)) => serde_json::from_str(text).unwrap_or(Value::Null),
        Some(v) => v.clone(),
        None => Value::Null,
    };
    let id = scene.get("SceneId").and_then(Value::as_str).filter(|s| !s.is_empty());
    let Some(id) = id else {
        plan.effect = "creates a new PTS scene".into();
        plan.changes = json!({"creates": summarize_scene(&scene)});
        plan.rollback = Some("DeletePtsScene with the returned SceneId".into());
        return;
    };
    plan.effect = format!("replaces the definition of scene {id}");
    plan.rollback = Some("save the previous definition again (shown as `from` in changes)".into());
    match get_scene(ctx, id).await {
        Ok(current) => {
            let diff = diff(&current, &scene);
            plan.changes = json!({"scene_id": id, "diff": diff});
        }
        Err(e) => {
            plan.notes.push(format!("current scene not read ({e}); no diff"));
            plan.changes = json!({"scene_id": id, "fields": summarize_scene(&scene)});
        }
    }
}

/// The current scene (`Scene` of GetPtsScene), PascalCase keys.
pub async fn get_scene(ctx: &Ctx, id: &str) -> Result<Value, String> {
    let op = pts_api::operation_meta("GetPtsScene").expect("GetPtsScene exists");
    let out = ctx
        .client
        .send_json(op, json!({"SceneId": id}))
        .await
        .map_err(|e| crate::errors::from_api(&e).message)?;
    Ok(out.body.get("Scene").cloned().unwrap_or(Value::Null))
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
    })
}

/// Leaf-level differences between the current and the new scene, as `{path, from, to}`;
/// only the top-level sections the new scene sets are compared (a save replaces them).
pub fn diff(current: &Value, new: &Value) -> Vec<Value> {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let sections: Vec<&String> = new.as_object().map(|m| m.keys().collect()).unwrap_or_default();
    for key in &sections {
        flatten(key, &current[key.as_str()], &mut a);
        flatten(key, &new[key.as_str()], &mut b);
    }
    let mut out = Vec::new();
    for (path, to) in &b {
        let from = a.iter().find(|(p, _)| p == path).map(|(_, v)| v.clone());
        if from.as_ref() != Some(to) {
            out.push(json!({"path": path, "from": from, "to": to}));
        }
    }
    for (path, from) in &a {
        if !b.iter().any(|(p, _)| p == path) {
            out.push(json!({"path": path, "from": from, "to": null}));
        }
    }
    out.truncate(100);
    out
}

fn flatten(path: &str, v: &Value, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, c)| flatten(&format!("{path}.{k}"), c, out)),
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, c)| flatten(&format!("{path}[{i}]"), c, out))
        }
        Value::Null => {}
        other => out.push((path.to_string(), other.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::diff;
    use serde_json::json;

    #[test]
    fn diff_lists_changed_added_and_removed_leaves() {
        let cur = json!({"SceneName": "a", "LoadConfig": {"MaxRunningTime": 2, "X": 1}, "Status": "Draft"});
        let new = json!({"SceneName": "a", "LoadConfig": {"MaxRunningTime": 3, "Y": 1}});
        let d = diff(&cur, &new);
        let paths: Vec<&str> = d.iter().map(|c| c["path"].as_str().unwrap()).collect();
        assert_eq!(paths, ["LoadConfig.MaxRunningTime", "LoadConfig.Y", "LoadConfig.X"]);
    }
}

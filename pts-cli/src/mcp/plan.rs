//! The plan a mutating call gets before anything is sent: what will change, on which
//! endpoint and account, the estimated load of a start, and how to undo it. Read-only
//! look-ups (the current scene) make the plan concrete; when one fails, the plan says so
//! instead of guessing.

use super::context::Ctx;
use crate::workflow::evidence::{REDACTED, redact_json};
use crate::workflow::lifecycle;
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
        .map_or(scene.clone(), |p| pts_api::params::keys_to_wire(&scene, p.shape));
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
            let diff: Vec<String> = a.diff.iter().map(|l| mask_diff_line(l, &scene)).collect();
            plan.changes["scene_id"] = a.scene_id.clone().into();
            plan.changes["diff"] = json!(diff);
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

/// A diff line (`~ path: old -> new`, `+ path: v`, `- path: v`) with its values masked when
/// the field is a credential (by the evidence rules) or the value of a secret-looking
/// header (looked up in `scene`; a header no longer there is masked too).
pub fn mask_diff_line(line: &str, scene: &Value) -> String {
    let Some((head, _)) = line.split_once(": ") else { return line.to_string() };
    let path = head.get(2..).unwrap_or("");
    let field = path.rsplit('.').next().unwrap_or(path);
    let secret = if matches!(field, "HeaderValue" | "Value" | "value") {
        let parent = &path[..path.len() - field.len()];
        ["HeaderName", "Name", "name"]
            .iter()
            .find_map(|n| at_path(scene, &format!("{parent}{n}")).and_then(Value::as_str))
            .is_none_or(pts_api::wire::redact::looks_secret)
    } else {
        let mut probe = json!({ field: "x" });
        redact_json(&mut probe);
        probe[field] != "x"
    };
    if secret { format!("{head}: {REDACTED}") } else { line.to_string() }
}

/// `A.B[2].C` in `v`.
fn at_path<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = v;
    for part in path.split('.') {
        let (name, idx) = match part.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        if !name.is_empty() {
            cur = cur.get(name)?;
        }
        if let Some(i) = idx {
            cur = cur.get(i)?;
        }
    }
    Some(cur)
}

#[cfg(test)]
mod tests {
    use super::mask_diff_line;
    use serde_json::json;

    #[test]
    fn diff_lines_mask_secret_headers_and_credential_fields() {
        let scene = json!({"RelationList": [{"ApiList": [{"HeaderList": [
            {"HeaderName": "Authorization", "HeaderValue": "Bearer s"},
            {"HeaderName": "Accept", "HeaderValue": "text/plain"}]}]}]});
        let p = "RelationList[0].ApiList[0].HeaderList";
        assert_eq!(
            mask_diff_line(&format!("+ {p}[0].HeaderValue: \"Bearer s\""), &scene),
            format!("+ {p}[0].HeaderValue: <redacted>")
        );
        let plain = format!("~ {p}[1].HeaderValue: \"a\" -> \"text/plain\"");
        assert_eq!(mask_diff_line(&plain, &scene), plain);
        assert_eq!(
            mask_diff_line(&format!("- {p}[5].HeaderValue: \"x\""), &scene),
            format!("- {p}[5].HeaderValue: <redacted>")
        );
        assert_eq!(mask_diff_line("~ A.Password: 1 -> 2", &scene), "~ A.Password: <redacted>");
        assert_eq!(
            mask_diff_line("~ LoadConfig.MaxRunningTime: 1 -> 2", &scene),
            "~ LoadConfig.MaxRunningTime: 1 -> 2"
        );
    }
}

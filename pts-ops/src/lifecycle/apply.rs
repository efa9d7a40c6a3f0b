//! Create or modify a PTS scene through SavePtsScene, check-then-act: the file is matched to
//! a stored scene (`identify`: its SceneId, else the one scene of its name), the plan (diff
//! against that scene) is computed first and nothing is sent when it is empty; an update
//! always carries its SceneId; a create whose outcome is unknown (network failure, timeout)
//! is looked up by name before it is retried, so a retry never makes a duplicate.

use super::call::{raw, read, refused, sent};
use super::delete::Kind;
use super::identify::{Match, MatchedBy, identify, with_id};
use super::listing;
use crate::evidence::Evidence;
use crate::exit::{CliError, CliResult};
use crate::scene_doc::service_ids::without_ids_the_file_omits;
use crate::scene_doc::{self, canonical, diff::diff, validate::validate};
use crate::session::api_err;
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Debug, Clone, Serialize)]
pub struct Applied {
    /// The scene's id (empty in a plan that would create one).
    pub scene_id: String,
    pub created: bool,
    pub changed: bool,
    /// How the file was matched to the stored scene.
    pub matched_by: MatchedBy,
    pub diff: Vec<String>,
}

impl Applied {
    /// The plan for a new scene: all of it the diff.
    pub fn new_scene(wanted: &Value) -> Applied {
        let d = diff(&json!({}), wanted);
        Applied {
            scene_id: String::new(),
            created: true,
            changed: true,
            matched_by: MatchedBy::New,
            diff: d,
        }
    }

    /// The plan for an existing scene, given the diff against it.
    pub fn existing(scene_id: String, matched_by: MatchedBy, diff: Vec<String>) -> Applied {
        Applied { scene_id, created: false, changed: !diff.is_empty(), matched_by, diff }
    }

    /// `scene` as it is sent for this plan (SceneId set for an update, removed for a create).
    pub fn wire_scene(&self, scene: &Value) -> Value {
        with_id(scene, if self.created { "" } else { &self.scene_id })
    }
}

/// The stored scene `id` as `op` (GetPtsScene, GetOpenJMeterScene) returns it, for a file
/// that names it; a scene that does not exist is the service's error with `missing` as hint.
pub(super) async fn stored_scene(
    client: &pts_api::Client,
    op: &str,
    id: &str,
    missing: String,
) -> CliResult<Value> {
    match raw(client, op, json!({"SceneId": id})).await {
        Ok(body) => Ok(body.get("Scene").cloned().unwrap_or(Value::Null)),
        Err(e) if e.is_not_found() => Err(api_err(e).with_hint(missing)),
        Err(e) => Err(api_err(e)),
    }
}

/// A usage error listing every problem of an invalid scene (nothing is sent).
pub fn invalid(issues: &[scene_doc::validate::Issue]) -> CliError {
    let lines: Vec<String> = issues.iter().map(|i| format!("  {i}")).collect();
    CliError::usage(format!(
        "the scene is invalid ({} problem(s)):\n{}",
        issues.len(),
        lines.join("\n")
    ))
    .with_hint("`pts scene validate FILE` lists the problems without contacting PTS")
}

/// What [`apply_pts`] would do; only ListPtsScene (to match by name) and GetPtsScene are
/// called.
pub async fn plan_apply_pts(
    client: &pts_api::Client,
    scene: &Value,
    how: Match,
) -> CliResult<Applied> {
    let issues = validate(scene);
    if !issues.is_empty() {
        return Err(invalid(&issues));
    }
    let (id, matched_by) = identify(client, Kind::Pts, scene, how).await?;
    if matched_by == MatchedBy::New {
        return Ok(Applied::new_scene(&canonical(&with_id(scene, ""))));
    }
    let missing =
        format!("scene {id} does not exist; remove SceneId from the file to create a new scene");
    let current = stored_scene(client, "GetPtsScene", &id, missing).await?;
    let wanted = canonical(&with_id(scene, &id));
    let d = diff(&without_ids_the_file_omits(&canonical(&current), &wanted), &wanted);
    Ok(Applied::existing(id, matched_by, d))
}

/// Applies `scene` (the caller has confirmed the plan). Nothing is sent when unchanged.
pub async fn apply_pts(
    client: &pts_api::Client,
    scene: &Value,
    how: Match,
    ev: &mut Evidence,
) -> CliResult<Applied> {
    let mut plan = plan_apply_pts(client, scene, how).await?;
    ev.param("matched_by", plan.matched_by);
    if !plan.changed {
        ev.param("scene_id", &plan.scene_id);
        return Ok(plan);
    }
    let name = scene_doc::scene_name(scene);
    ev.param("scene_name", &name);
    let body = json!({"Scene": plan.wire_scene(scene)});
    let id = if plan.created {
        create(client, &name, body, ev).await?
    } else {
        // An update names its scene, so sending it twice does no harm.
        match save(client, ev, body.clone()).await {
            Err(e) if e.outcome_unknown() => save(client, ev, body).await.map_err(api_err)?,
            other => other.map_err(api_err)?,
        };
        plan.scene_id.clone()
    };
    ev.param("scene_id", &id);
    plan.scene_id = id;
    Ok(plan)
}

async fn create(
    client: &pts_api::Client,
    name: &str,
    body: Value,
    ev: &mut Evidence,
) -> CliResult<String> {
    let before = listing::ids_named(&listing::all_pts(client, Some(name)).await?, name);
    // What a retry would be judged against.
    ev.write_json("same-name-before.json", &json!({"SceneName": name, "SceneIds": before}))?;
    let first = save(client, ev, body.clone()).await;
    let e = match first {
        Ok(resp) => return new_id(&resp),
        Err(e) if e.outcome_unknown() => e,
        Err(e) => return Err(api_err(e)),
    };
    // Did the save land? A scene of that name that was not there before is ours.
    let after = listing::ids_named(&listing::all_pts(client, Some(name)).await?, name);
    let fresh: Vec<&String> = after.iter().filter(|id| !before.contains(id)).collect();
    match fresh.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            tracing::warn!(
                "SavePtsScene outcome unknown ({e}); no new scene named {name:?}: retrying once"
            );
            new_id(&save(client, ev, body).await.map_err(api_err)?)
        }
        many => Err(refused(format!(
            "SavePtsScene outcome unknown ({e}) and {} new scenes named {name:?} appeared ({}); not retrying",
            many.len(),
            many.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

async fn save(
    client: &pts_api::Client,
    ev: &mut Evidence,
    body: Value,
) -> Result<Value, pts_api::Error> {
    sent(client, ev, "SavePtsScene", body).await
}

fn new_id(resp: &Value) -> CliResult<String> {
    resp.get("SceneId")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .ok_or_else(|| refused("SavePtsScene returned no SceneId"))
}

/// The scene as stored, for `get`/`export` (GetPtsScene's `Scene`).
pub async fn get_pts(client: &pts_api::Client, scene_id: &str) -> CliResult<Value> {
    let body = read(client, "GetPtsScene", json!({"SceneId": scene_id})).await?;
    Ok(body.get("Scene").cloned().unwrap_or(Value::Null))
}

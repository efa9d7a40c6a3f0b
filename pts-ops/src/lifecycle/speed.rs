//! Changing a running scene's load (AdjustPtsSceneSpeed, AdjustJMeterSceneSpeed), refusing before
//! anything is sent what PTS would refuse: a scene that is not running, a speed below 1, in
//! concurrency mode an API that is not the first of its relation (load is set per relation there),
//! in RPS mode a chain whose RPS would increase (PTS requires the RPS of a relation's APIs not to
//! increase along its chain).

use super::apply::get_pts;
use super::call::{read, recorded};
use crate::evidence::Evidence;
use crate::exit::{CliError, CliResult};
use crate::scene_doc::load::{self, TestMode};
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Debug, Clone, Serialize)]
pub struct SpeedChange {
    pub scene_id: String,
    /// `concurrency_mode` or `tps_mode`.
    pub mode: String,
    /// `{relation, api, api_id, speed}` per API whose speed changes.
    pub targets: Vec<Value>,
    /// The AdjustPtsSceneSpeed parameters.
    pub request: Value,
}

/// Works out and checks the change; reads GetPtsScene and GetPtsSceneRunningStatus only.
/// `api` names an API (RPS mode), or a relation or the first API of one (concurrency mode);
/// without it every relation (concurrency) or every API (RPS) gets `speed`.
pub async fn plan_adjust_pts(
    client: &pts_api::Client,
    scene_id: &str,
    speed: i64,
    api: Option<&str>,
) -> CliResult<SpeedChange> {
    if speed < 1 {
        return Err(CliError::usage(format!("--speed must be at least 1 (got {speed})")));
    }
    let scene = get_pts(client, scene_id).await?;
    let status = read(client, "GetPtsSceneRunningStatus", json!({"SceneId": scene_id})).await?;
    let runtime = status.get("Status").and_then(Value::as_str).unwrap_or("");
    if !runtime.eq_ignore_ascii_case("RUNNING") {
        return Err(CliError::usage(format!(
            "scene {scene_id} is not running (runtime status {}); PTS adjusts only a running scene",
            if runtime.is_empty() { "-" } else { runtime }
        )));
    }
    let mode = TestMode::of(&scene)
        .ok_or_else(|| CliError::usage(format!("scene {scene_id} has no known TestMode")))?;
    let rels = load::relations(&scene);
    let targets = match mode {
        TestMode::Concurrency => concurrency_targets(&rels, api, speed)?,
        TestMode::Rps => rps_targets(&scene, &rels, api, speed)?,
    };
    let list: Vec<Value> =
        targets.iter().map(|t| json!({"ApiId": t["api_id"], "Speed": speed})).collect();
    Ok(SpeedChange {
        scene_id: scene_id.to_string(),
        mode: mode.wire().to_string(),
        targets,
        request: json!({"SceneId": scene_id, "ApiSpeedList": list}),
    })
}

type Relations = [load::Relation];

fn target(rel: &str, api: &str, id: &Option<String>, speed: i64) -> CliResult<Value> {
    let id = id.clone().ok_or_else(|| {
        CliError::usage(format!("API {api} of relation {rel} has no ApiId in the scene"))
    })?;
    Ok(json!({"relation": rel, "api": api, "api_id": id, "speed": speed}))
}

fn concurrency_targets(rels: &Relations, api: Option<&str>, speed: i64) -> CliResult<Vec<Value>> {
    let mut out = Vec::new();
    for (rel, chain) in rels {
        let Some((first, id)) = chain.first() else { continue };
        let named = match api {
            None => true,
            Some(n) => n == rel || n == first,
        };
        if named {
            out.push(target(rel, first, id, speed)?);
        } else if let Some(n) = api
            && chain.iter().skip(1).any(|(a, _)| a == n)
        {
            return Err(CliError::usage(format!(
                "in concurrency mode load is set per relation: API {n} is not the first API of relation {rel} (name the relation or {first})"
            )));
        }
    }
    if out.is_empty() {
        return Err(CliError::usage(format!("no relation or API named {:?}", api.unwrap_or(""))));
    }
    Ok(out)
}

fn rps_targets(
    scene: &Value,
    rels: &Relations,
    api: Option<&str>,
    speed: i64,
) -> CliResult<Vec<Value>> {
    let limits = load::rps_limits(scene);
    let mut out = Vec::new();
    for ((rel, chain), current) in rels.iter().zip(limits) {
        let mut after = current.clone();
        for (i, (name, id)) in chain.iter().enumerate() {
            if api.is_none_or(|n| n == name) {
                after[i] = speed;
                out.push(target(rel, name, id, speed)?);
            }
        }
        if after.windows(2).any(|w| w[1] > w[0]) {
            return Err(CliError::usage(format!(
                "RPS must not increase along relation {rel}: {current:?} would become {after:?} (PTS refuses it)"
            ))
            .with_hint("adjust the earlier APIs of the chain first, or omit --api to set every API"));
        }
    }
    if out.is_empty() {
        return Err(CliError::usage(format!("no API named {:?}", api.unwrap_or(""))));
    }
    Ok(out)
}

/// Sends a planned change.
pub async fn adjust_pts(
    client: &pts_api::Client,
    change: &SpeedChange,
    ev: &mut Evidence,
) -> CliResult<Value> {
    ev.param("scene_id", &change.scene_id);
    ev.param("targets", &change.targets);
    recorded(client, ev, "AdjustPtsSceneSpeed", change.request.clone()).await
}

/// AdjustJMeterSceneSpeed on the scene's active run (its ReportId from the running data).
pub async fn adjust_jmeter(
    client: &pts_api::Client,
    scene_id: &str,
    speed: i64,
    ev: &mut Evidence,
) -> CliResult<Value> {
    if speed < 1 {
        return Err(CliError::usage(format!("--speed must be at least 1 (got {speed})")));
    }
    let data = read(client, "GetJMeterSceneRunningData", json!({"SceneId": scene_id})).await?;
    let rd = data.get("RunningData").cloned().unwrap_or(Value::Null);
    let status = rd.get("Status").and_then(Value::as_str).unwrap_or("");
    let report = rd.get("ReportId").and_then(Value::as_str).unwrap_or("");
    if !status.eq_ignore_ascii_case("RUNNING") || report.is_empty() {
        return Err(CliError::usage(format!(
            "JMeter scene {scene_id} is not running (status {}); PTS adjusts only a running scene",
            if status.is_empty() { "-" } else { status }
        )));
    }
    ev.param("scene_id", scene_id);
    ev.param("report_id", report);
    recorded(client, ev, "AdjustJMeterSceneSpeed", json!({"ReportId": report, "Speed": speed}))
        .await
}

#[cfg(test)]
mod tests {
    use super::{concurrency_targets, rps_targets};
    use crate::scene_doc::load;
    use serde_json::json;

    fn scene(mode: &str) -> serde_json::Value {
        json!({"RelationList": [{"RelationName": "r", "ApiList": [
                {"ApiName": "a", "ApiId": "A1"}, {"ApiName": "b", "ApiId": "A2"}]}],
               "LoadConfig": {"TestMode": mode, "Configuration": {"AllRpsLimit": 20}}})
    }

    #[test]
    fn rps_chain_may_not_increase() {
        let s = scene("tps_mode");
        let rels = load::relations(&s);
        assert!(rps_targets(&s, &rels, Some("b"), 11).is_err());
        assert!(rps_targets(&s, &rels, Some("a"), 9).is_err());
        assert_eq!(rps_targets(&s, &rels, Some("b"), 4).unwrap().len(), 1);
        assert_eq!(rps_targets(&s, &rels, None, 50).unwrap().len(), 2);
        assert!(rps_targets(&s, &rels, Some("nope"), 5).is_err());
    }

    #[test]
    fn concurrency_is_set_per_relation() {
        let s = scene("concurrency_mode");
        let rels = load::relations(&s);
        let t = concurrency_targets(&rels, Some("r"), 5).unwrap();
        assert_eq!(t[0]["api_id"], "A1");
        assert_eq!(concurrency_targets(&rels, Some("a"), 5).unwrap().len(), 1);
        let e = concurrency_targets(&rels, Some("b"), 5).unwrap_err();
        assert!(e.message.contains("not the first API of relation r"), "{}", e.message);
    }
}

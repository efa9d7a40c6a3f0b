//! Deleting scenes: "already gone" counts as done ([Skill-task]); a running scene is
//! stopped and waited for first, but only when the caller says so (it asked the operator).

use super::call::{is_not_found, sent};
use super::wait::{Until, wait_pts};
use crate::exit::{CliError, CliResult};
use crate::workflow::evidence::Evidence;
use crate::workflow::session::api_err;
use serde::Serialize;
use serde_json::json;
use std::time::Duration;

#[derive(Debug, Clone, Serialize)]
pub struct Deleted {
    pub scene_id: String,
    /// `deleted`, `already gone`.
    pub outcome: String,
    /// It was running and was stopped first.
    pub stopped_first: bool,
}

/// Deletes PTS scene `scene_id`. `running` says whether the caller saw it running;
/// `stop_first` allows stopping it (StopPtsScene, then a wait for STOPPED).
pub async fn delete_pts(
    client: &pts_api::Client,
    scene_id: &str,
    running: bool,
    stop_first: bool,
    max_wait: Duration,
    ev: &mut Evidence,
) -> CliResult<Deleted> {
    let mut stopped_first = false;
    if running {
        if !stop_first {
            return Err(CliError::usage(format!("scene {scene_id} is running; not deleting it"))
                .with_hint("stop it first (`pts scene stop ID --wait`) or confirm stopping it"));
        }
        match sent(client, ev, "StopPtsScene", json!({"SceneId": scene_id})).await {
            Ok(_) => {}
            Err(e) if is_not_found(&e) => return Ok(gone(scene_id)),
            Err(e) => return Err(api_err(e)),
        }
        let p = wait_pts(client, scene_id, Until::Stopped, Duration::from_millis(500), max_wait)
            .await?;
        if p.timed_out {
            return Err(super::wait::timeout_error(scene_id, &p, max_wait));
        }
        stopped_first = true;
    }
    match sent(client, ev, "DeletePtsScene", json!({"SceneId": scene_id})).await {
        Ok(_) => {
            Ok(Deleted { scene_id: scene_id.into(), outcome: "deleted".into(), stopped_first })
        }
        Err(e) if is_not_found(&e) => Ok(gone(scene_id)),
        Err(e) => Err(api_err(e)),
    }
}

/// Removes JMeter scene `scene_id` (StopTestingJMeterScene first when running and allowed).
pub async fn delete_jmeter(
    client: &pts_api::Client,
    scene_id: &str,
    running: bool,
    stop_first: bool,
    max_wait: Duration,
    ev: &mut Evidence,
) -> CliResult<Deleted> {
    let mut stopped_first = false;
    if running {
        if !stop_first {
            return Err(CliError::usage(format!(
                "JMeter scene {scene_id} is running; not deleting it"
            ))
            .with_hint("stop it first (`pts jmeter stop ID --wait`) or confirm stopping it"));
        }
        match sent(client, ev, "StopTestingJMeterScene", json!({"SceneId": scene_id})).await {
            Ok(_) => {}
            Err(e) if is_not_found(&e) && !e.message().unwrap_or("").contains("not running") => {
                return Ok(gone(scene_id));
            }
            Err(e) => return Err(api_err(e)),
        }
        let p = super::jmeter::wait_jmeter(
            client,
            scene_id,
            Until::Stopped,
            Duration::from_millis(500),
            max_wait,
        )
        .await?;
        if p.timed_out {
            return Err(super::wait::timeout_error(scene_id, &p, max_wait));
        }
        stopped_first = true;
    }
    match sent(client, ev, "RemoveOpenJMeterScene", json!({"SceneId": scene_id})).await {
        Ok(_) => {
            Ok(Deleted { scene_id: scene_id.into(), outcome: "deleted".into(), stopped_first })
        }
        Err(e) if is_not_found(&e) => Ok(gone(scene_id)),
        Err(e) => Err(api_err(e)),
    }
}

fn gone(scene_id: &str) -> Deleted {
    Deleted { scene_id: scene_id.into(), outcome: "already gone".into(), stopped_first: false }
}

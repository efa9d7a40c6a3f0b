//! Deleting scenes: "already gone" counts as done (PTS has no idempotency token, so a repeated
//! delete may find the scene gone); a running scene is stopped and waited for first, but only when
//! the caller says so (it asked the operator).

use super::call::sent;
use super::jmeter::wait_jmeter;
use super::wait::{StatusPolling, Until, timeout_error, wait_pts};
use crate::evidence::Evidence;
use crate::exit::{CliError, CliResult};
use crate::session::api_err;
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

/// The two id spaces (PTS scenes, JMeter scenes): their operations and words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pts,
    Jmeter,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Pts => "scene",
            Kind::Jmeter => "JMeter scene",
        }
    }
    fn command(self) -> &'static str {
        match self {
            Kind::Pts => "scene",
            Kind::Jmeter => "jmeter",
        }
    }
    fn stop_op(self) -> &'static str {
        match self {
            Kind::Pts => "StopPtsScene",
            Kind::Jmeter => "StopTestingJMeterScene",
        }
    }
    fn delete_op(self) -> &'static str {
        match self {
            Kind::Pts => "DeletePtsScene",
            Kind::Jmeter => "RemoveOpenJMeterScene",
        }
    }
    async fn wait_stopped(
        self,
        client: &pts_api::Client,
        scene_id: &str,
        max_wait: Duration,
    ) -> CliResult<StatusPolling> {
        let poll = Duration::from_millis(500);
        match self {
            Kind::Pts => wait_pts(client, scene_id, Until::Stopped, poll, max_wait).await,
            Kind::Jmeter => wait_jmeter(client, scene_id, Until::Stopped, poll, max_wait).await,
        }
    }
}

/// Deletes scene `scene_id` (DeletePtsScene, RemoveOpenJMeterScene). `running` says
/// whether the caller saw it running; `stop_first` allows stopping it (StopPtsScene or
/// StopTestingJMeterScene, then a wait for STOPPED of at most `max_wait`).
pub async fn delete_scene(
    client: &pts_api::Client,
    kind: Kind,
    scene_id: &str,
    running: bool,
    stop_first: bool,
    max_wait: Duration,
    ev: &mut Evidence,
) -> CliResult<Deleted> {
    let mut stopped_first = false;
    if running {
        if !stop_first {
            let (noun, command) = (kind.noun(), kind.command());
            return Err(CliError::usage(format!("{noun} {scene_id} is running; not deleting it"))
                .with_hint(format!(
                    "stop it first (`pts {command} stop ID --wait`) or confirm stopping it"
                )));
        }
        match sent(client, ev, kind.stop_op(), json!({"SceneId": scene_id})).await {
            Ok(_) => {}
            Err(e) if e.is_not_found() => return Ok(gone(scene_id)),
            Err(e) => return Err(api_err(e)),
        }
        let p = kind.wait_stopped(client, scene_id, max_wait).await?;
        if p.timed_out {
            return Err(timeout_error(scene_id, &p, max_wait));
        }
        stopped_first = true;
    }
    match sent(client, ev, kind.delete_op(), json!({"SceneId": scene_id})).await {
        Ok(_) => Ok(Deleted { stopped_first, ..deleted(scene_id) }),
        Err(e) if e.is_not_found() => Ok(gone(scene_id)),
        Err(e) => Err(api_err(e)),
    }
}

/// Deletes a scene this command created and ran (`pts run --ephemeral`), whatever the run's
/// outcome: a delete refused because the run is still winding down (a conflict) waits for
/// STOPPED and is sent once more.
pub async fn delete_after_run(
    client: &pts_api::Client,
    scene_id: &str,
    max_wait: Duration,
    ev: &mut Evidence,
) -> CliResult<Deleted> {
    let params = json!({"SceneId": scene_id});
    match sent(client, ev, Kind::Pts.delete_op(), params.clone()).await {
        Ok(_) => return Ok(deleted(scene_id)),
        Err(e) if e.is_not_found() => return Ok(gone(scene_id)),
        Err(e) if e.is_conflict() => {}
        Err(e) => return Err(api_err(e)),
    }
    let p = Kind::Pts.wait_stopped(client, scene_id, max_wait).await?;
    if p.timed_out {
        return Err(timeout_error(scene_id, &p, max_wait));
    }
    match sent(client, ev, Kind::Pts.delete_op(), params).await {
        Ok(_) => Ok(deleted(scene_id)),
        Err(e) if e.is_not_found() => Ok(gone(scene_id)),
        Err(e) => Err(api_err(e)),
    }
}

fn deleted(scene_id: &str) -> Deleted {
    Deleted { scene_id: scene_id.into(), outcome: "deleted".into(), stopped_first: false }
}

fn gone(scene_id: &str) -> Deleted {
    Deleted { scene_id: scene_id.into(), outcome: "already gone".into(), stopped_first: false }
}

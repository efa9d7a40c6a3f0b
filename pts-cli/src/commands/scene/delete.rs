//! `pts scene delete ID...`: shows each scene's name and id and asks once; a scene that
//! is running is stopped first only when the operator confirms that too; a scene already
//! gone counts as done.

use crate::args::GlobalArgs;
use crate::output::Output;
use crate::progress::during;
use crate::steps::{failed, show_evidence};
use pts_ops::exit::CliResult;
use pts_ops::ids::check_id;
use pts_ops::lifecycle::{self, SceneKind, busy_runtime, busy_scene, delete_scene};
use pts_ops::session::{Session, api_err};
use serde_json::{Value, json};
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct DeleteArgs {
    #[arg(required = true)]
    pub scene_ids: Vec<String>,
    /// Longest wait for a running scene to stop, in seconds
    #[arg(long, default_value_t = 120.0, value_parser = crate::args::groups::seconds)]
    pub max_wait: f64,
}

/// What the read-only look-up found about one id.
struct Found {
    id: String,
    name: Option<String>,
    running: bool,
}

pub fn run(g: &GlobalArgs, args: DeleteArgs) -> CliResult<()> {
    for id in &args.scene_ids {
        check_id("scene id", id)?;
    }
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let found = session.block_on(look_up(&session.client, &args.scene_ids))?;
    let mut lines = Vec::new();
    for f in &found {
        lines.push(match (&f.name, f.running) {
            (None, _) => format!("  {} (already gone)", f.id),
            (Some(n), true) => format!("  {} {n:?} RUNNING: it will be stopped first", f.id),
            (Some(n), false) => format!("  {} {n:?}", f.id),
        });
    }
    let present = found.iter().filter(|f| f.name.is_some()).count();
    if present > 0 {
        let running = found.iter().filter(|f| f.running).count();
        let action = if running > 0 {
            format!("stop {running} running scene(s) and delete {present} scene(s)")
        } else {
            format!("delete {present} scene(s)")
        };
        eprintln!("{action}:\n{}", lines.join("\n"));
        session.confirm(&action, "")?;
    }
    if g.dry_run {
        return out.emit(&json!({"dry_run": true, "would_delete": found.iter().filter(|f| f.name.is_some()).map(|f| &f.id).collect::<Vec<_>>()}));
    }
    let mut results = Vec::new();
    for f in &found {
        if f.name.is_none() {
            eprintln!("scene {}: already gone", f.id);
            results
                .push(json!({"scene_id": f.id, "outcome": "already gone", "stopped_first": false}));
            continue;
        }
        let mut ev = session.evidence("delete", &f.id)?;
        ev.param("scene_name", &f.name);
        let max = Duration::from_secs_f64(args.max_wait);
        let c = &session.client;
        let deleting = delete_scene(c, SceneKind::Pts, &f.id, f.running, true, max, &mut ev);
        match session.block_on(during(format!("scene {}: deleting", f.id), deleting)) {
            Ok(d) => {
                eprintln!("scene {}: {}", f.id, d.outcome);
                show_evidence(ev.finish(&d.outcome, &[])?);
                results.push(serde_json::to_value(&d).unwrap_or(Value::Null));
            }
            Err(e) => return failed(ev, e),
        }
    }
    out.emit(&json!({"deleted": results}))
}

async fn look_up(client: &pts_api::Client, ids: &[String]) -> CliResult<Vec<Found>> {
    let mut out = Vec::new();
    for id in ids {
        let scene = match lifecycle::call_raw(client, "GetPtsScene", json!({"SceneId": id})).await {
            Ok(b) => b.get("Scene").cloned().unwrap_or(Value::Null),
            Err(e) if e.is_not_found() => {
                out.push(Found { id: id.clone(), name: None, running: false });
                continue;
            }
            Err(e) => return Err(api_err(e)),
        };
        let status =
            lifecycle::read(client, "GetPtsSceneRunningStatus", json!({"SceneId": id})).await?;
        let runtime =
            status.get("Status").and_then(Value::as_str).unwrap_or("").to_ascii_uppercase();
        let level = scene.get("Status").and_then(Value::as_str).unwrap_or("");
        let running = busy_runtime(&runtime) || busy_scene(level);
        let name = scene.get("SceneName").and_then(Value::as_str).unwrap_or("").to_string();
        out.push(Found { id: id.clone(), name: Some(name), running });
    }
    Ok(out)
}

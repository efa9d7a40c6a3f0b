//! `pts scene start` and `pts scene stop`. Start: read-only pre-flight and a summary with
//! the VUM estimate to confirm, StartPtsScene, the PlanId, an optional wait for RUNNING,
//! then proof that load flows. Stop: StopPtsScene and an optional wait for STOPPED.
//! Results keep the operator scripts' keys (`region`, `scene_id`, `start_response` /
//! `stop_response`, `status_polling`) and add `plan_id` and timestamps.

use super::{WaitArgs, check_id, show_evidence};
use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult};
use crate::output::Output;
use crate::workflow::evidence::Evidence;
use crate::workflow::lifecycle::{
    Until, now_rfc3339, preflight_pts, start_pts, stop_pts, stoppable_pts, timeout_error,
    verify_flowing, wait_pts,
};
use crate::workflow::session::Session;
use serde_json::{Value, json};
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct StartArgs {
    pub scene_id: String,
    #[command(flatten)]
    pub wait: WaitArgs,
    /// After the start, show the live view until the scene stops (Ctrl-C stops the scene)
    #[arg(long)]
    pub watch: bool,
    /// How long to look for load flowing after the start, in seconds
    #[arg(long, default_value_t = 15.0, value_parser = super::seconds)]
    pub verify_within: f64,
}

pub fn start(g: &GlobalArgs, args: StartArgs) -> CliResult<()> {
    let id = args.scene_id.as_str();
    check_id("scene id", id)?;
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let pf = session.block_on(preflight_pts(&session.client, id))?;
    for c in &pf.checks {
        eprintln!("pre-flight {} {}: {}", if c.ok { "ok  " } else { "FAIL" }, c.name, c.detail);
    }
    if !pf.ok {
        let mut err =
            CliError::usage(format!("pre-flight failed for scene {id}: {}", pf.failures()));
        if pf.checks.iter().any(|c| c.name == "not already running" && !c.ok) {
            err = err.with_hint(
                "the scene is already running: not starting it again (`pts scene status ID`)",
            );
        }
        return Err(err);
    }
    let action = format!("start scene {id} ({})", pf.scene_name);
    eprintln!(
        "{action}:\n{}",
        pf.summary.iter().map(|s| format!("  {s}")).collect::<Vec<_>>().join("\n")
    );
    session.confirm(&action, "")?;
    if g.dry_run {
        eprintln!("dry run: StartPtsScene was not sent");
        return out.emit(&json!({"dry_run": true, "would_send": {"StartPtsScene": {"SceneId": id}}, "preflight": pf}));
    }
    let mut ev = session.evidence("start", id)?;
    ev.write_json("preflight.json", &pf)?;
    let result = session.block_on(started(&session, &args, &mut ev));
    let (mut doc, failure) = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = ev.finish(&format!("failed: {}", e.message), &[]);
            return Err(e);
        }
    };
    doc["preflight"] = serde_json::to_value(&pf).unwrap_or(Value::Null);
    if args.watch && failure.is_none() {
        let plan = doc["plan_id"].as_str().unwrap_or("").to_string();
        watch(&session, id, &plan, &ev)?;
    }
    doc["ended_at"] = json!(now_rfc3339());
    ev.write_json("result.json", &doc)?;
    let outcome = match &failure {
        Some(e) => format!("failed: {}", e.message),
        None => "started".into(),
    };
    let note = doc["verification"]["detail"].as_str().unwrap_or("").to_string();
    show_evidence(ev.finish(&outcome, &[note])?);
    out.emit(&doc)?;
    failure.map_or(Ok(()), Err)
}

/// The start and what follows it; the error beside the document is reported after the
/// document was printed (wait timeout, failure state).
async fn started(
    session: &Session,
    args: &StartArgs,
    ev: &mut Evidence,
) -> CliResult<(Value, Option<CliError>)> {
    let id = args.scene_id.as_str();
    let client = &session.client;
    let s = start_pts(client, id, ev).await?;
    eprintln!("started scene {id}: PlanId {}", s.plan_id);
    let mut doc = json!({
        "region": session.region(),
        "scene_id": id,
        "plan_id": s.plan_id,
        "started_at": s.started_at,
        "start_response": s.response,
    });
    if args.wait.wait {
        match wait_pts(client, id, Until::Running, args.wait.poll(), args.wait.max()).await {
            Ok(p) => {
                doc["status_polling"] = serde_json::to_value(&p).unwrap_or(Value::Null);
                if p.timed_out {
                    return Ok((doc, Some(timeout_error(id, &p, args.wait.max()))));
                }
                eprintln!("scene {id} is {}", p.final_status.as_deref().unwrap_or("?"));
            }
            Err(e) => return Ok((doc, Some(e))),
        }
    }
    let within = Duration::from_secs_f64(args.verify_within);
    let v = verify_flowing(client, id, &s.plan_id, within).await?;
    eprintln!("{}", v.detail);
    doc["verification"] = serde_json::to_value(&v).unwrap_or(Value::Null);
    Ok((doc, None))
}

fn watch(session: &Session, id: &str, plan: &str, ev: &Evidence) -> CliResult<()> {
    use crate::commands::watch::LiveView;
    use crate::workflow::watch::{WatchEnd, WatchOptions, watch_pts};
    let opts = WatchOptions {
        interval: Duration::from_secs(1),
        max: None,
        stop_scene_on_interrupt: true,
        live: None,
    };
    let mut view = LiveView::for_stderr();
    let outcome = session
        .block_on_raw(watch_pts(&session.client, id, plan, &opts, ev, &mut |s| view.show(s)));
    view.finish();
    match outcome?.end {
        WatchEnd::Interrupted => Err(CliError::interrupted()),
        _ => Ok(()),
    }
}

pub fn stop(g: &GlobalArgs, id: &str, wait: &WaitArgs) -> CliResult<()> {
    check_id("scene id", id)?;
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let (running, runtime) = session.block_on(stoppable_pts(&session.client, id))?;
    if !running {
        eprintln!("scene {id} is not running (runtime status {runtime}): nothing to stop");
        return out.emit(&json!({
            "region": session.region(), "scene_id": id, "stop_response": null,
            "not_running": true, "final_status": runtime,
        }));
    }
    let action = format!("stop scene {id}");
    session.confirm(&action, "")?;
    if g.dry_run {
        return out
            .emit(&json!({"dry_run": true, "would_send": {"StopPtsScene": {"SceneId": id}}}));
    }
    let mut ev = session.evidence("stop", id)?;
    let stopped_at = now_rfc3339();
    let result = session.block_on(async {
        let resp = stop_pts(&session.client, id, &mut ev).await?;
        let mut doc = json!({
            "region": session.region(),
            "scene_id": id,
            "stopped_at": stopped_at,
            "stop_response": resp,
        });
        let mut failure = None;
        if wait.wait {
            match wait_pts(&session.client, id, Until::Stopped, wait.poll(), wait.max()).await {
                Ok(p) => {
                    if p.timed_out {
                        failure = Some(timeout_error(id, &p, wait.max()));
                    }
                    doc["status_polling"] = serde_json::to_value(&p).unwrap_or(Value::Null);
                }
                Err(e) => failure = Some(e),
            }
        }
        Ok((doc, failure))
    });
    let (mut doc, failure) = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = ev.finish(&format!("failed: {}", e.message), &[]);
            return Err(e);
        }
    };
    doc["ended_at"] = json!(now_rfc3339());
    ev.write_json("result.json", &doc)?;
    let outcome =
        failure.as_ref().map_or("stopped".to_string(), |e| format!("failed: {}", e.message));
    show_evidence(ev.finish(&outcome, &[])?);
    eprintln!("scene {id}: {outcome}");
    out.emit(&doc)?;
    failure.map_or(Ok(()), Err)
}

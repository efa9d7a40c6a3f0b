//! `pts scene start` and `pts scene stop`. Start: read-only pre-flight and a summary with
//! the VUM estimate to confirm, StartPtsScene, the PlanId, an optional wait for RUNNING,
//! then proof that load flows. Stop: StopPtsScene and an optional wait for STOPPED.
//! Results keep the operator scripts' keys (`region`, `scene_id`, `start_response` /
//! `stop_response`, `status_polling`) and add `plan_id` and timestamps.

use crate::args::GlobalArgs;
use crate::args::groups::WaitArgs;
use crate::output::Output;
use crate::progress::during;
use crate::steps::{announce, conclude, failed, preflight_refusal, show_checks};
use pts_ops::evidence::Evidence;
use pts_ops::exit::{CliError, CliResult};
use pts_ops::ids::check_id;
use pts_ops::lifecycle::{
    self, Until, now_rfc3339, preflight_pts, record_wait, start_pts, stop_pts, stoppable_pts,
    verify_flowing, wait_pts,
};
use pts_ops::session::Session;
use pts_ops::watch::{Interrupt, stop_after_interrupt};
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
    #[arg(long, default_value_t = 15.0, value_parser = crate::args::groups::seconds)]
    pub verify_within: f64,
}

pub fn start(g: &GlobalArgs, args: StartArgs) -> CliResult<()> {
    let id = args.scene_id.as_str();
    check_id("scene id", id)?;
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let pf = session.block_on(preflight_pts(&session.client, id))?;
    show_checks(&pf);
    if let Some(mut err) = preflight_refusal(&pf, &format!("scene {id}")) {
        if pf.checks.iter().any(|c| c.name == "not already running" && !c.ok) {
            err = err.with_hint(
                "the scene is already running: not starting it again (`pts scene status ID`)",
            );
        }
        return Err(err);
    }
    let action = format!("start scene {id} ({})", pf.scene_name);
    announce(&action, &pf);
    session.confirm(&action, "")?;
    if g.dry_run {
        eprintln!("dry run: StartPtsScene was not sent");
        return out.emit(&json!({"dry_run": true, "would_send": {"StartPtsScene": {"SceneId": id}}, "preflight": pf}));
    }
    let mut ev = session.evidence("start", id)?;
    ev.write_json("preflight.json", &pf)?;
    let result = if args.watch {
        match session.block_on_raw(start_and_watch(&session, &args, &mut ev)) {
            AfterStart::Done(r) => r,
            AfterStart::Interrupted { stopped_by_watch } => {
                let note = if stopped_by_watch {
                    "the watch stopped the scene".to_string()
                } else {
                    let s = session.block_on_raw(stop_after_interrupt(&session.client, id, &ev));
                    format!("scene stopped; last status {s}")
                };
                ev.finish("interrupted", &[note])?;
                return Err(CliError::interrupted());
            }
        }
    } else {
        session.block_on(started(&session, &args, &mut ev))
    };
    let (mut doc, failure) = match result {
        Ok(r) => r,
        Err(e) => return failed(ev, e),
    };
    doc["preflight"] = serde_json::to_value(&pf).unwrap_or(Value::Null);
    let note = doc["verification"]["detail"].as_str().unwrap_or("").to_string();
    conclude(&out, ev, doc, failure, "started", &[note]).map(drop)
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
        let (poll, max) = (args.wait.poll(), args.wait.max());
        let waited = during(
            format!("scene {id}: waiting for RUNNING"),
            wait_pts(client, id, Until::Started(&s.plan_id), poll, max),
        )
        .await;
        if let Some(e) = record_wait(&mut doc, id, waited, args.wait.max()) {
            return Ok((doc, Some(e)));
        }
        let status = doc["status_polling"]["final_status"].as_str().unwrap_or("?");
        eprintln!("scene {id} is {status}");
    }
    let within = Duration::from_secs_f64(args.verify_within);
    let v = during(
        format!("scene {id}: checking that requests flow"),
        verify_flowing(client, id, &s.plan_id, within),
    )
    .await?;
    eprintln!("{}", v.detail);
    doc["verification"] = serde_json::to_value(&v).unwrap_or(Value::Null);
    Ok((doc, None))
}

/// How `start --watch` ended.
enum AfterStart {
    Done(CliResult<(Value, Option<CliError>)>),
    /// A signal arrived; the watch may already have stopped the scene.
    Interrupted {
        stopped_by_watch: bool,
    },
}

/// The start, its checks and the live view under one signal listener, so a Ctrl-C or
/// SIGTERM at any point after StartPtsScene was sent leads to a stop before pts exits.
async fn start_and_watch(session: &Session, args: &StartArgs, ev: &mut Evidence) -> AfterStart {
    let interrupt = Interrupt::listen();
    let result = tokio::select! {
        biased;
        _ = interrupt.wait() => return AfterStart::Interrupted { stopped_by_watch: false },
        r = started(session, args, ev) => r,
    };
    let (doc, failure) = match result {
        Ok((doc, None)) => (doc, None),
        other => return AfterStart::Done(other),
    };
    let plan = doc["plan_id"].as_str().unwrap_or("").to_string();
    match watch(session, &args.scene_id, &plan, ev, &interrupt).await {
        Ok(true) => AfterStart::Interrupted { stopped_by_watch: true },
        Ok(false) => AfterStart::Done(Ok((doc, failure))),
        Err(e) => AfterStart::Done(Ok((doc, Some(e)))),
    }
}

/// The live view until the scene stops; `Ok(true)` when a signal ended it (the watch has
/// stopped the scene then).
async fn watch(
    session: &Session,
    id: &str,
    plan: &str,
    ev: &Evidence,
    interrupt: &Interrupt,
) -> CliResult<bool> {
    use crate::live_view::LiveView;
    use pts_ops::watch::{WatchEnd, WatchOptions, watch_pts_with};
    let opts = WatchOptions {
        interval: Duration::from_secs(1),
        max: None,
        stop_scene_on_interrupt: true,
        live: None,
    };
    // As `pts scene watch`: a live line on a terminal, JSON lines in a pipe (the result
    // document follows as the last line).
    let mut view = LiveView::for_stdout();
    let outcome =
        watch_pts_with(&session.client, id, plan, &opts, ev, interrupt, &mut |s| view.show(s))
            .await;
    view.finish();
    Ok(matches!(outcome?.end, WatchEnd::Interrupted))
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
            let waited = during(
                format!("scene {id}: waiting for STOPPED"),
                wait_pts(&session.client, id, Until::Stopped, wait.poll(), wait.max()),
            )
            .await;
            failure = record_wait(&mut doc, id, waited, wait.max());
            if failure.is_none() {
                // The run just stopped is the newest report: its PlanId opens the report.
                let plan = lifecycle::latest_plan_id(&session.client, id).await?;
                if let Some(p) = &plan {
                    eprintln!("scene {id} plan {p}: `pts report show --scene {id} --plan {p}`");
                }
                doc["plan_id"] = json!(plan);
            }
        }
        Ok((doc, failure))
    });
    let (doc, failure) = match result {
        Ok(r) => r,
        Err(e) => return failed(ev, e),
    };
    let outcome = conclude(&out, ev, doc, failure, "stopped", &[]).inspect_err(|e| {
        eprintln!("scene {id}: failed: {}", e.message);
    })?;
    eprintln!("scene {id}: {outcome}");
    Ok(())
}

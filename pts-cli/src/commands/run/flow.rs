//! The steps of `pts run` once its input is checked: plan the apply (read-only), confirm,
//! apply, pre-flight, start, watch under the live guard, stop early on a breach or at
//! `--max-duration`, fetch the report and judge it.

use super::output;
use super::plan::Plan;
use crate::live_view::LiveView;
use crate::progress::during;
use pts_ops::evidence::Evidence;
use pts_ops::exit::{CliError, CliResult, ExitCode};
use pts_ops::lifecycle::{self, POLL};
use pts_ops::session::Session;
use pts_ops::sla::run_end::{Ran, fetch_report, settle};
use pts_ops::sla::{LiveGuard, Verdict};
use pts_ops::watch::{Interrupt, WatchOptions, stop_after_interrupt, watch_pts_with};
use std::future::Future;

/// How the file is matched to a stored scene: `--ephemeral` always creates one.
fn matching(plan: &Plan) -> lifecycle::Match {
    if plan.args.ephemeral { lifecycle::Match::Create } else { lifecycle::Match::IdOrName }
}

pub fn execute(session: &Session, plan: &Plan) -> CliResult<Verdict> {
    let would = session.block_on(lifecycle::plan_apply_pts(
        &session.client,
        &plan.scene,
        matching(plan),
    ))?;
    let mut summary = vec![match (would.created, would.changed) {
        (true, _) if plan.args.ephemeral => {
            format!("create scene {:?} for this run and delete it at the end", plan.scene_name)
        }
        (true, _) => format!("create scene {:?}", plan.scene_name),
        (false, true) => {
            format!("update scene {} ({} change(s))", would.scene_id, would.diff.len())
        }
        (false, false) => format!("scene {} is up to date", would.scene_id),
    }];
    summary.push(format!("then start it and judge: {}", plan.args.sla));
    let action = format!("run scene {:?} under an SLA", plan.scene_name);
    session.confirm(&action, &summary.join("\n"))?;

    let id = if would.scene_id.is_empty() { plan.scene_name.as_str() } else { &would.scene_id };
    let mut ev = session.evidence("run", id)?;
    ev.param("sla", &plan.args.sla);
    ev.param("file", plan.args.file.display().to_string());
    ev.write_json("scene.json", &plan.scene)?;
    ev.write_json("criteria.json", &plan.criteria)?;
    match session.block_on_raw(run_scene(session, plan, &mut ev)) {
        Ok(ran) => output::judge_and_record(plan, ran, ev),
        Err(e) => {
            let outcome = if e.code == ExitCode::Interrupted {
                "interrupted: the scene was stopped".to_string()
            } else {
                format!("failed: {}", e.message)
            };
            if let Some(dir) = ev.finish(&outcome, &[])? {
                eprintln!("evidence: {}", dir.display());
            }
            Err(e)
        }
    }
}

/// `work`, unless Ctrl-C/SIGTERM comes first (nothing is running yet when this is used).
async fn unless_interrupted<T>(
    interrupt: &Interrupt,
    work: impl Future<Output = CliResult<T>>,
) -> CliResult<T> {
    tokio::select! {
        biased;
        _ = interrupt.wait() => Err(CliError::interrupted()),
        r = work => r,
    }
}

async fn run_scene(session: &Session, plan: &Plan, ev: &mut Evidence) -> CliResult<Ran> {
    let interrupt = Interrupt::listen();
    let client = &session.client;
    let applied = lifecycle::apply_pts(client, &plan.scene, matching(plan), ev);
    let applied = unless_interrupted(&interrupt, applied).await?;
    let scene_id = applied.scene_id.clone();
    ev.param("scene_id", &scene_id);
    let ran = run_applied(session, plan, &applied, ev, &interrupt).await;
    if plan.args.ephemeral {
        // Whatever the outcome: the scene was made for this run only.
        match lifecycle::delete_after_run(client, &scene_id, plan.args.max_wait, ev).await {
            Ok(d) => {
                eprintln!("ephemeral scene {scene_id}: {}", d.outcome);
                ev.param("ephemeral_scene", &d);
            }
            Err(e) => eprintln!("ephemeral scene {scene_id} was not deleted: {}", e.message),
        }
    }
    ran
}

async fn run_applied(
    session: &Session,
    plan: &Plan,
    applied: &lifecycle::Applied,
    ev: &mut Evidence,
    interrupt: &Interrupt,
) -> CliResult<Ran> {
    let client = &session.client;
    let interrupt = interrupt.clone();
    let scene_id = applied.scene_id.clone();
    ev.write_json("apply.json", applied)?;
    let pf = unless_interrupted(&interrupt, lifecycle::preflight_pts(client, &scene_id)).await?;
    ev.write_json("preflight.json", &pf)?;
    if !pf.ok {
        return Err(CliError::new(
            ExitCode::Service,
            format!("pre-flight of scene {scene_id} failed: {}", pf.failures()),
        ));
    }
    if interrupt.is_set() {
        return Err(CliError::interrupted());
    }
    let started = lifecycle::start_pts(client, &scene_id, ev).await?;
    let plan_id = started.plan_id.clone();
    eprintln!("started scene {scene_id} plan {plan_id}");
    match after_start(session, plan, &scene_id, &plan_id, ev, &interrupt).await {
        Err(e) if e.code != ExitCode::Interrupted => {
            // Never leave load running behind a failure.
            eprintln!("error after the start ({}): stopping scene {scene_id}", e.message);
            let _ = lifecycle::stop_pts(client, &scene_id, ev).await;
            Err(e)
        }
        other => other,
    }
}

async fn after_start(
    session: &Session,
    plan: &Plan,
    scene_id: &str,
    plan_id: &str,
    ev: &mut Evidence,
    interrupt: &Interrupt,
) -> CliResult<Ran> {
    let client = &session.client;
    let args = &plan.args;
    let reached = tokio::select! {
        biased;
        _ = interrupt.wait() => None,
        r = during(format!("scene {scene_id}: waiting for the run to start"), lifecycle::wait_begun(client, scene_id, plan_id, POLL, args.max_wait)) => Some(r),
    };
    if reached.is_none() {
        stop_after_interrupt(client, scene_id, ev).await;
        return Err(CliError::interrupted());
    }
    reached.expect("checked")?;
    let opts = WatchOptions {
        interval: args.interval,
        max: args.max_duration,
        stop_scene_on_interrupt: true,
        live: Some(LiveGuard::new(&plan.criteria, args.breach_for, args.interval)),
    };
    let mut view = LiveView::for_stderr();
    let watched =
        watch_pts_with(client, scene_id, plan_id, &opts, ev, interrupt, &mut |s| view.show(s))
            .await;
    view.finish();
    let settled =
        settle(client, scene_id, plan_id, watched?, "--max-duration reached", args.max_wait, ev);
    let mut ran = during(format!("scene {scene_id}: waiting for STOPPED"), settled).await?;
    for n in &ran.notes {
        eprintln!("{n}: scene {scene_id} stopped");
    }
    let fetched = during(
        format!("plan {plan_id}: waiting for the report"),
        fetch_report(client, scene_id, plan_id, args.max_wait),
    );
    // The scene has stopped by now: a signal only cuts the wait for its report short.
    ran.report = match unless_interrupted(interrupt, fetched).await {
        Err(e) if e.code == ExitCode::Interrupted => return Err(e),
        Ok(r) => Some(r),
        Err(e) => {
            ran.notes.push(format!("no report to judge: {}", e.message));
            None
        }
    };
    Ok(ran)
}

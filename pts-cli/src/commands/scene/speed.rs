//! `pts scene adjust` (AdjustPtsSceneSpeed, checked first against PTS's rules) and
//! `pts scene debug` (StartDebugPtsScene ... StopDebugPtsScene with both ids).

use crate::args::GlobalArgs;
use crate::args::groups::DebugArgs;
use crate::output::Output;
use crate::progress::during;
use crate::steps::{failed, preflight_refusal, show_evidence};
use pts_ops::exit::CliResult;
use pts_ops::ids::check_id;
use pts_ops::lifecycle::{adjust_pts, debug_pts, plan_adjust_pts, preflight_pts};
use pts_ops::session::Session;
use serde_json::{Value, json};

#[derive(Debug, clap::Args)]
pub struct AdjustArgs {
    pub scene_id: String,
    /// New speed: concurrency per relation (concurrency mode) or RPS per API (RPS mode)
    #[arg(long)]
    pub speed: i64,
    /// Only this API (RPS mode), or this relation / first API of a relation (concurrency mode)
    #[arg(long)]
    pub api: Option<String>,
}

pub fn adjust(g: &GlobalArgs, args: AdjustArgs) -> CliResult<()> {
    let id = args.scene_id.as_str();
    check_id("scene id", id)?;
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let change =
        session.block_on(plan_adjust_pts(&session.client, id, args.speed, args.api.as_deref()))?;
    let lines: Vec<String> = change
        .targets
        .iter()
        .map(|t| {
            format!(
                "  relation {} API {} -> {}",
                t["relation"].as_str().unwrap_or(""),
                t["api"].as_str().unwrap_or(""),
                t["speed"]
            )
        })
        .collect();
    let action = format!("adjust scene {id} ({})", change.mode);
    eprintln!("{action}:\n{}", lines.join("\n"));
    session.confirm(&action, "")?;
    if g.dry_run {
        return out.emit(
            &json!({"dry_run": true, "would_send": {"AdjustPtsSceneSpeed": change.request}}),
        );
    }
    let mut ev = session.evidence("adjust", id)?;
    match session.block_on(adjust_pts(&session.client, &change, &mut ev)) {
        Ok(resp) => {
            show_evidence(ev.finish("adjusted", &lines)?);
            out.emit(&json!({"scene_id": id, "mode": change.mode, "targets": change.targets, "response": resp}))
        }
        Err(e) => failed(ev, e),
    }
}

pub fn debug(g: &GlobalArgs, id: &str, timing: &DebugArgs) -> CliResult<()> {
    check_id("scene id", id)?;
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let pf = session.block_on(preflight_pts(&session.client, id))?;
    if let Some(err) = preflight_refusal(&pf, &format!("scene {id}")) {
        return Err(err);
    }
    let action = format!("debug scene {id} (StartDebugPtsScene, then StopDebugPtsScene)");
    session.confirm(&action, "")?;
    if g.dry_run {
        return out.emit(
            &json!({"dry_run": true, "would_send": {"StartDebugPtsScene": {"SceneId": id}}}),
        );
    }
    let mut ev = session.evidence("debug", id)?;
    let debugged = debug_pts(&session.client, id, timing.poll(), timing.max(), &mut ev);
    match session
        .block_on(during(format!("scene {id}: debugging, waiting for sample logs"), debugged))
    {
        Ok(run) => {
            eprintln!(
                "debug of scene {id}: PlanId {}, {} sample log(s)",
                run.plan_id,
                run.logs.len()
            );
            for l in &run.logs {
                eprintln!("  {}", log_line(l));
            }
            show_evidence(ev.finish("debugged", &[format!("{} sample log(s)", run.logs.len())])?);
            out.emit(&run)
        }
        Err(e) => failed(ev, e),
    }
}

/// `POST http://... -> 200 (12 ms)`.
fn log_line(l: &Value) -> String {
    let s = |k: &str| {
        l.get(k)
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .unwrap_or_default()
    };
    format!(
        "{} {} {} -> {} ({} ms)",
        s("ChainName"),
        s("HttpRequestMethod"),
        s("HttpRequestUrl"),
        s("HttpResponseStatus"),
        s("Rt")
    )
}

//! `pts scene watch ID [--plan PLAN] [--for 30s] [--interval 1s]`: the live view of a
//! running scene until it stops (or `--for` elapses). Each sample is also kept as
//! `samples.jsonl` in the watch's evidence directory, where `pts report export` finds it.
//! The watch only reads: Ctrl-C ends it (exit 130) and leaves the scene running.

use crate::args::GlobalArgs;
use crate::args::groups::parse_duration;
use crate::live_view::LiveView;
use pts_api::ops::get_pts_reports_by_scene_id::GetPtsReportsBySceneIdRequest;
use pts_api::ops::get_pts_scene_running_status::GetPtsSceneRunningStatusRequest;
use pts_api::shapes::pts_runtime_status::PtsRuntimeStatus;
use pts_ops::exit::{CliError, CliResult};
use pts_ops::session::{Session, api_err};
use pts_ops::watch::{WatchEnd, WatchOptions, watch_pts};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// Scene id (8 characters)
    pub scene_id: String,
    /// Plan id of the run (printed by `pts scene start`); default: the plan a recent
    /// `pts scene start` recorded in the evidence, else the latest report's
    #[arg(long, value_name = "PLAN_ID")]
    pub plan: Option<String>,
    /// Stop watching after this long (e.g. 30s, 5m); the scene keeps running
    #[arg(long = "for", value_name = "DURATION", value_parser = parse_duration)]
    pub for_: Option<Duration>,
    /// Time between samples
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration)]
    pub interval: Duration,
}

/// A scene id as the metadata wants it, checked before anything is sent.
pub fn check_scene_id(scene_id: &str) -> CliResult<()> {
    GetPtsSceneRunningStatusRequest::builder()
        .scene_id(scene_id)
        .build()
        .map(|_| ())
        .map_err(|e| pts_ops::errors::validation(&e))
}

pub fn run(g: &GlobalArgs, args: WatchArgs) -> CliResult<()> {
    check_scene_id(&args.scene_id)?;
    let session = Session::new(g)?;
    let scene = args.scene_id.clone();
    let plan = match args.plan.clone() {
        Some(p) => p,
        None => session.block_on(resolve_plan(&session, &scene))?,
    };
    let mut ev = session.evidence("watch", &scene)?;
    ev.param("scene_id", &scene);
    ev.param("plan_id", &plan);
    let opts = WatchOptions {
        interval: args.interval,
        max: args.for_,
        stop_scene_on_interrupt: false,
        live: None,
    };
    let mut view = LiveView::for_stdout();
    let outcome =
        session.block_on_raw(watch_pts(&session.client, &scene, &plan, &opts, &ev, &mut |s| {
            view.show(s)
        }));
    view.finish();
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => return crate::steps::failed(ev, e),
    };
    let end = match &outcome.end {
        WatchEnd::Stopped => "the scene stopped".to_string(),
        WatchEnd::TimeLimit => "--for elapsed; the scene keeps running".to_string(),
        WatchEnd::Breach(b) => format!("SLA breach: {b}"),
        WatchEnd::Interrupted => "interrupted; the scene keeps running".to_string(),
    };
    let note = format!("{} sample(s); {end}", outcome.samples.len());
    let dir = ev.finish(&end, std::slice::from_ref(&note))?;
    eprintln!("watch of scene {scene} plan {plan} ended: {note}");
    if let Some(d) = dir {
        eprintln!("evidence: {}", d.display());
    }
    match outcome.end {
        WatchEnd::Interrupted => Err(CliError::interrupted()),
        _ => Ok(()),
    }
}

/// The plan to watch when `--plan` is absent: the newest evidence of this scene that names
/// a plan (what `pts scene start` records), else the latest report's plan when the scene
/// is not running; otherwise a usage error that says how to find it.
async fn resolve_plan(session: &Session, scene: &str) -> CliResult<String> {
    if let Some(plan) = plan_from_evidence(&session.evidence_options().root, scene) {
        return Ok(plan);
    }
    let invalid = |e: pts_api::ValidationError| api_err(e.into());
    let request = GetPtsSceneRunningStatusRequest::builder().scene_id(scene).build();
    let status = session
        .client
        .get_pts_scene_running_status(request.map_err(invalid)?)
        .await
        .map_err(api_err)?
        .body
        .status
        .unwrap_or_default();
    let unknown = || {
        CliError::usage(format!(
            "scene {scene} is {status}: its plan id is not in the evidence here; pass --plan PLAN_ID"
        ))
        .with_hint("`pts scene start` prints the PlanId of the run it starts")
    };
    if status != PtsRuntimeStatus::Stopped {
        return Err(unknown());
    }
    let req = GetPtsReportsBySceneIdRequest::builder()
        .scene_id(scene)
        .page_number(1)
        .page_size(5)
        .build()
        .map_err(invalid)?;
    // A scene that never ran has no report either: say how to find a plan instead.
    let Ok(reports) = session.client.get_pts_reports_by_scene_id(req).await else {
        return Err(unknown());
    };
    let body = serde_json::to_value(&reports.body).unwrap_or(Value::Null);
    let latest = body
        .get("ReportOverViewList")
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter()
                .filter_map(|r| {
                    let id = r.get("ReportId").and_then(Value::as_str)?;
                    let start = r.get("StartTime").and_then(Value::as_str).unwrap_or("");
                    Some((start.to_string(), id.to_string()))
                })
                .max()
        })
        .map(|(_, id)| id);
    latest.ok_or_else(unknown)
}

/// The plan id the newest finished evidence directory of `scene` recorded.
pub fn plan_from_evidence(root: &Path, scene: &str) -> Option<String> {
    let mut dirs: Vec<_> = std::fs::read_dir(root).ok()?.flatten().map(|e| e.path()).collect();
    dirs.sort();
    dirs.iter().rev().find_map(|dir| {
        let text = std::fs::read_to_string(dir.join("params.json")).ok()?;
        let params: Value = serde_json::from_str(&text).ok()?;
        (params.get("scene_id")?.as_str()? == scene)
            .then(|| params.get("plan_id")?.as_str().map(str::to_string))
            .flatten()
            .filter(|p| !p.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::{parse_duration, plan_from_evidence};
    use std::time::Duration;

    #[test]
    fn the_newest_evidence_naming_the_scene_gives_the_plan() {
        let root = tempfile::tempdir().unwrap();
        let put = |dir: &str, params: serde_json::Value| {
            let d = root.path().join(dir);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("params.json"), params.to_string()).unwrap();
        };
        put(
            "20261125T100000Z-start-AAAA1111",
            serde_json::json!({"scene_id": "AAAA1111", "plan_id": "OLDPLAN1"}),
        );
        put(
            "20261125T110000Z-start-AAAA1111",
            serde_json::json!({"scene_id": "AAAA1111", "plan_id": "NEWPLAN1"}),
        );
        put("20261125T120000Z-stop-AAAA1111", serde_json::json!({"scene_id": "AAAA1111"}));
        put(
            "20261125T130000Z-start-BBBB2222",
            serde_json::json!({"scene_id": "BBBB2222", "plan_id": "OTHER001"}),
        );
        assert_eq!(plan_from_evidence(root.path(), "AAAA1111").as_deref(), Some("NEWPLAN1"));
        assert_eq!(plan_from_evidence(root.path(), "CCCC3333"), None);
        assert_eq!(plan_from_evidence(&root.path().join("missing"), "AAAA1111"), None);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("1m 30s"), Ok(Duration::from_secs(90)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("soon").unwrap_err().contains("not a duration"));
    }
}

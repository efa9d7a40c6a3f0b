//! `pts baseline set --from-report --scene S --plan P` and `pts baseline show SCENE`.
//!
//! Setting reads the report first (GetPtsReportDetails; an empty one is refused), the confirmation
//! gate, CreatePtsSceneBaseLineFromReport, then GetPtsSceneBaseLine as the post-check, all kept as
//! evidence with the reason that report was chosen.

use crate::args::GlobalArgs;
use crate::output::Output;
use pts_api::ops::{
    create_pts_scene_base_line_from_report as create_op, get_pts_scene_base_line as get_op,
};
use pts_ops::evidence::Evidence;
use pts_ops::exit::{CliError, CliResult, ExitCode};
use pts_ops::report::{self, ReportSummary, check_id};
use pts_ops::session::{Session, api_err};
use serde::Serialize;
use serde_json::json;

#[derive(Debug, clap::Subcommand)]
pub enum BaselineCommand {
    /// Make a run's report the scene's baseline (CreatePtsSceneBaseLineFromReport)
    Set(SetArgs),
    /// The scene's baseline (GetPtsSceneBaseLine), normalised like a report
    Show {
        /// SceneId
        scene: String,
    },
}

#[derive(Debug, clap::Args)]
pub struct SetArgs {
    /// Copy the metrics of a report (the only source PTS offers for a whole baseline)
    #[arg(long, required = true)]
    pub from_report: bool,
    /// SceneId of the run
    #[arg(long, value_name = "SCENE_ID")]
    pub scene: String,
    /// PlanId (== ReportId) of the run
    #[arg(long, value_name = "PLAN_ID")]
    pub plan: String,
    /// Why this report is the reference (kept in the evidence)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

pub fn run(g: &GlobalArgs, cmd: BaselineCommand) -> CliResult<()> {
    match cmd {
        BaselineCommand::Set(args) => set(g, args),
        BaselineCommand::Show { scene } => show(g, &scene),
    }
}

fn show(g: &GlobalArgs, scene: &str) -> CliResult<()> {
    check_id("SCENE", scene)?;
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let found = session.block_on(report::fetch_baseline(&session.client, scene))?;
    let baseline = found.ok_or_else(|| {
        CliError::new(ExitCode::Service, format!("scene {scene} has no baseline"))
            .with_hint("set one with `pts baseline set --from-report --scene S --plan P`")
    })?;
    out.emit(&baseline)
}

#[derive(Debug, Serialize)]
struct SetResult {
    scene_id: String,
    report_id: String,
    /// The baseline as read back after setting it.
    baseline: ReportSummary,
    evidence: Option<String>,
}

fn set(g: &GlobalArgs, args: SetArgs) -> CliResult<()> {
    check_id("--scene", &args.scene)?;
    check_id("--plan", &args.plan)?;
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let client = &session.client;
    let (scene, plan) = (args.scene.as_str(), args.plan.as_str());
    // Read-only first: the report must exist and hold data.
    let (summary, raw) = session.block_on(report::fetch_pts(client, scene, plan))?;
    let m = &summary.scene;
    let what = format!(
        "scene {scene}: baseline <- report {plan} ({:?}: {} requests, success {:.2} %, mean RT {:.2} ms, P99 {} ms, {:.2} req/s)",
        summary.name,
        m.total_requests,
        m.success_rate * 100.0,
        m.avg_rt_ms,
        m.p99_rt_ms.map_or_else(|| "-".into(), |v| format!("{v:.2}")),
        m.avg_tps
    );
    session.confirm("CreatePtsSceneBaseLineFromReport (replaces the scene's baseline)", &what)?;
    let params = json!({"SceneId": scene, "ReportId": plan});
    if g.dry_run {
        let op =
            pts_api::operation_meta("CreatePtsSceneBaseLineFromReport").expect("known operation");
        let prepared =
            session.block_on(async { client.prepare_json(op, &params).await.map_err(api_err) })?;
        let r = prepared.redacted();
        return out
            .emit(&json!({"DryRun": true, "Method": r.method, "Url": r.url, "Body": r.body}));
    }
    let mut ev = session.evidence("baseline-set", scene)?;
    ev.param("scene_id", scene);
    ev.param("plan_id", plan);
    ev.param("report_id", plan);
    let reason =
        args.reason.clone().unwrap_or_else(|| "chosen by the operator (no --reason given)".into());
    ev.param("reason", &reason);
    ev.call("GetPtsReportDetails", &json!({"SceneId": scene, "PlanId": plan}), Ok(&raw))?;
    let result = session.block_on(async {
        let req = create_op::CreatePtsSceneBaseLineFromReportRequest::builder()
            .scene_id(scene)
            .report_id(plan)
            .build()
            .map_err(|e| pts_ops::errors::validation(&e))?;
        let sent = client.create_pts_scene_base_line_from_report(req).await.map_err(api_err);
        record(
            &mut ev,
            "CreatePtsSceneBaseLineFromReport",
            &params,
            sent.as_ref().map(|o| &o.body),
        )?;
        sent?;
        // Post-check: the baseline now reads back with this report's scene metrics.
        let req = get_op::GetPtsSceneBaseLineRequest::builder()
            .scene_id(scene)
            .build()
            .map_err(|e| pts_ops::errors::validation(&e))?;
        let read = client.get_pts_scene_base_line(req).await.map_err(api_err);
        record(
            &mut ev,
            "GetPtsSceneBaseLine",
            &json!({"SceneId": scene}),
            read.as_ref().map(|o| &o.body),
        )?;
        let baseline = report::baseline_summary(scene, read?.into_body()).ok_or_else(|| {
            CliError::new(
                ExitCode::Service,
                format!("post-check: scene {scene} still has no baseline"),
            )
        })?;
        verify(&summary, &baseline)?;
        Ok(baseline)
    });
    let notes = vec![what.clone(), format!("reason: {reason}")];
    let outcome = if result.is_ok() { "baseline set and verified" } else { "failed" };
    let dir = ev.finish(outcome, &notes)?;
    if let Some(d) = &dir {
        eprintln!("evidence: {}", d.display());
    }
    let baseline = result?;
    out.emit(&SetResult {
        scene_id: scene.into(),
        report_id: plan.into(),
        baseline,
        evidence: dir.map(|d| std::path::absolute(&d).unwrap_or(d).display().to_string()),
    })
}

/// Records one call's typed response (or error) in the evidence.
fn record<T: Serialize>(
    ev: &mut Evidence,
    op: &str,
    params: &serde_json::Value,
    outcome: Result<&T, &CliError>,
) -> CliResult<()> {
    match outcome {
        Ok(body) => ev.call(op, params, Ok(&serde_json::to_value(body).unwrap_or_default())),
        Err(e) => ev.call(op, params, Err(e)),
    }
}

/// The baseline read back must carry the report's scene metrics.
fn verify(report: &ReportSummary, baseline: &ReportSummary) -> CliResult<()> {
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * a.abs().max(1.0);
    let (r, b) = (&report.scene, &baseline.scene);
    if close(r.avg_rt_ms, b.avg_rt_ms)
        && close(r.avg_tps, b.avg_tps)
        && close(r.success_rate, b.success_rate)
    {
        Ok(())
    } else {
        Err(CliError::new(
            ExitCode::Service,
            format!(
                "post-check: the baseline of scene {} does not match report {} (AvgRt {} vs {}, AvgTps {} vs {})",
                report.scene_id, report.plan_id, b.avg_rt_ms, r.avg_rt_ms, b.avg_tps, r.avg_tps
            ),
        ))
    }
}

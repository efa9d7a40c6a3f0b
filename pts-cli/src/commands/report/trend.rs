//! `pts report trend --scene ID [--last N] [--html FILE]`: every run of a scene (oldest
//! first) with TPS, mean and P99 RT, success rate and length, each judged against the
//! scene's baseline, else the median of the runs before it, with `report diff`'s severities.

use crate::args::GlobalArgs;
use crate::output::Output;
use crate::table::grid;
use pts_api::Paginator;
use pts_api::ops::get_pts_reports_by_scene_id as by_scene;
use pts_api::shapes::report_over_view::ReportOverView;
use pts_ops::errors;
use pts_ops::exit::{CliError, CliResult};
use pts_ops::report::render::{length, num, opt, render_trend};
use pts_ops::report::trend::{TrendRun, trend};
use pts_ops::report::{self, check_id};
use pts_ops::session::{Session, api_err};
use serde_json::json;
use std::path::PathBuf;

/// Reports per GetPtsReportsBySceneId page (its maximum).
const PAGE: i32 = 100;
/// A bound on pages read.
const MAX_PAGES: u64 = 100;

#[derive(Debug, clap::Args)]
pub struct TrendArgs {
    /// The scene whose runs to compare
    #[arg(long, value_name = "SCENE_ID")]
    pub scene: String,
    /// Only the most recent N runs
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub last: u32,
    /// Also write the trend as one self-contained HTML file with charts
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Judge every run against the median of the runs before it, even with a baseline
    #[arg(long)]
    pub no_baseline: bool,
}

pub fn run(g: &GlobalArgs, args: TrendArgs) -> CliResult<()> {
    check_id("--scene", &args.scene)?;
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let client = &session.client;
    let scene = args.scene.as_str();
    let (runs, baseline) = session.block_on(async {
        let mut rows = all_reports(client, scene).await?;
        // PTS writes start times as `YYYY-MM-DD hh:mm:ss`, so text order is time order.
        rows.sort_by(|a, b| a.start_time.cmp(&b.start_time));
        let skip = rows.len().saturating_sub(args.last as usize);
        let mut runs = Vec::new();
        for row in &rows[skip..] {
            let plan = row.report_id.as_deref().unwrap_or_default();
            match report::fetch_pts(client, scene, plan).await {
                Ok((summary, _)) => runs.push(summary),
                Err(e) => eprintln!("run {plan} left out: {}", e.message),
            }
        }
        let baseline = if args.no_baseline {
            None
        } else {
            report::fetch_baseline(client, scene).await.unwrap_or_else(|e| {
                eprintln!("warning: baseline not read ({}); judging against the median", e.message);
                None
            })
        };
        Ok::<_, CliError>((runs, baseline))
    })?;
    let judged = trend(&runs, baseline.as_ref());
    if let Some(path) = &args.html {
        std::fs::write(path, render_trend(scene, &judged))
            .map_err(|e| CliError::io("write", path, &e))?;
        eprintln!("trend written to {}", path.display());
    }
    if g.output.is_some() || g.query.is_some() {
        return out.emit(&json!({"scene_id": scene, "runs": judged}));
    }
    crate::steps::emit_text(g, &text(scene, &judged))
}

/// Every report of the scene, through the operation's generated paginator; a scene that
/// never ran answers "has not started", which is no reports.
async fn all_reports(client: &pts_api::Client, scene: &str) -> CliResult<Vec<ReportOverView>> {
    let req = by_scene::GetPtsReportsBySceneIdRequest::builder()
        .scene_id(scene)
        .page_number(1)
        .page_size(PAGE)
        .build()
        .map_err(|e| errors::validation(&e))?;
    let pages =
        Paginator::<by_scene::GetPtsReportsBySceneId>::new(client, req).max_pages(MAX_PAGES);
    match pages.collect_items().await {
        Ok(items) => Ok(items),
        Err(e) if e.message().is_some_and(|m| m.contains("has not started")) => Ok(Vec::new()),
        Err(e) => Err(api_err(e)),
    }
}

fn text(scene: &str, runs: &[TrendRun]) -> String {
    if runs.is_empty() {
        return format!("scene {scene} has no runs with report data\n");
    }
    let rows = runs.iter().enumerate().map(|(i, r)| {
        let flag = match r.worst {
            Some(sev) => {
                format!("{} (against {})", sev.as_str(), r.judged_against.as_deref().unwrap_or("-"))
            }
            None => "-".into(),
        };
        vec![
            (i + 1).to_string(),
            r.plan_id.clone(),
            r.started.as_deref().unwrap_or("-").to_string(),
            length(r.duration_s),
            num(r.tps),
            num(r.avg_rt_ms),
            opt(r.p99_rt_ms),
            format!("{:.2}%", r.success_rate * 100.0),
            flag,
        ]
    });
    let header =
        ["#", "PlanId", "started", "length", "TPS", "mean RT", "P99 RT", "success", "flag"];
    let mut s = grid(&header, rows);
    s.push('\n');
    s.push_str("RT in ms; flag: the worst finding, with what the run was judged against\n");
    s
}

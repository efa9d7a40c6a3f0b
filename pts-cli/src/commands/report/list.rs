//! `pts report list [--scene ID]`: PTS reports with SceneId and PlanId.
//!
//! GetPtsReportsBySceneId answers for one scene. ListPtsReports rows carry no SceneId, so
//! the scene of each row is resolved the only way the API allows: the scenes' own report
//! lists (ListPtsScene, then GetPtsReportsBySceneId per scene until every id is found).

use crate::args::{GlobalArgs, OutputFormat};
use crate::output::Output;
use pts_api::Client;
use pts_api::ops::{
    get_pts_reports_by_scene_id as by_scene, list_pts_reports as list_op, list_pts_scene as scenes,
};
use pts_api::time::{Timestamp, display_pts_text, human_duration, parse_duration};
use pts_ops::errors;
use pts_ops::exit::{CliError, CliResult};
use pts_ops::report::check_id;
use pts_ops::session::{Session, api_err};
use serde::Serialize;
use std::collections::HashMap;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only this scene's reports (GetPtsReportsBySceneId)
    #[arg(long, value_name = "SCENE_ID")]
    pub scene: Option<String>,
    /// Page number (ListPtsReports: 1-50)
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(i32).range(1..))]
    pub page: i32,
    /// Page size (ListPtsReports: 1-20; GetPtsReportsBySceneId: 5-100)
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(i32).range(1..=100))]
    pub page_size: i32,
}

/// One row. `PlanId` and `ReportId` are the same id for PTS runs. Times are RFC 3339 in
/// the display zone; the length is seconds (`DurationSeconds`) in data and `2m 05s`
/// (`Duration`) in a table.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Row {
    pub scene_id: Option<String>,
    pub plan_id: String,
    pub report_name: Option<String>,
    pub start_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    pub vum: Option<i64>,
}

impl Row {
    /// For a table: the length as `2m 05s` instead of seconds.
    fn for_table(mut self) -> Row {
        let secs = self.duration_seconds.take();
        self.duration = secs.map(|s| human_duration(Duration::from_secs_f64(s.max(0.0))));
        self
    }
}

/// Seconds of a length the service wrote as text (`10分钟`); text that does not read as a
/// length is left out, with a note on stderr.
fn seconds_of(text: &str) -> Option<f64> {
    match parse_duration(text) {
        Ok(d) => Some(d.as_secs_f64()),
        Err(e) => {
            eprintln!("Duration: {e}");
            None
        }
    }
}

pub fn run(g: &GlobalArgs, args: ListArgs) -> CliResult<()> {
    match &args.scene {
        Some(s) => {
            check_id("--scene", s)?;
            if args.page_size < 5 {
                return Err(CliError::usage(
                    "--page-size: GetPtsReportsBySceneId takes 5-100 (with --scene)",
                ));
            }
        }
        None if args.page_size > 20 || args.page > 50 => {
            return Err(CliError::usage(
                "--page-size/--page: ListPtsReports takes page sizes 1-20 and pages 1-50 \
                 (without --scene)",
            ));
        }
        None => {}
    }
    let out = Output::listing(g)?;
    let session = Session::new(g)?;
    let client = &session.client;
    let rows = session.block_on(async {
        match &args.scene {
            Some(scene) => for_scene(client, scene, args.page, args.page_size).await,
            None => all(client, args.page, args.page_size).await,
        }
    })?;
    if out.format() == OutputFormat::Table {
        let rows: Vec<Row> = rows.into_iter().map(Row::for_table).collect();
        return out.emit(&rows);
    }
    out.emit(&rows)
}

async fn for_scene(client: &Client, scene: &str, page: i32, size: i32) -> CliResult<Vec<Row>> {
    let req = by_scene::GetPtsReportsBySceneIdRequest::builder()
        .scene_id(scene)
        .page_number(page)
        .page_size(size)
        .build()
        .map_err(|e| errors::validation(&e))?;
    let body = match client.get_pts_reports_by_scene_id(req).await {
        Ok(o) => o.into_body(),
        // PTS's answer for a scene that never ran: no reports, said on stderr.
        Err(e) if e.message().is_some_and(|m| m.contains("has not started")) => {
            eprintln!(
                "scene {scene} has no reports ({}: {})",
                e.code().unwrap_or(""),
                e.message().unwrap_or("")
            );
            return Ok(Vec::new());
        }
        Err(e) => return Err(api_err(e)),
    };
    Ok(body
        .report_over_view_list
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            let start = r.start_time.as_deref().and_then(|t| Timestamp::parse(t).ok());
            let end = r.end_time.as_deref().and_then(|t| Timestamp::parse(t).ok());
            Row {
                scene_id: Some(scene.to_string()),
                plan_id: r.report_id.unwrap_or_default(),
                report_name: r.report_name,
                start_time: r.start_time.as_deref().map(display_pts_text),
                end_time: r.end_time.as_deref().map(display_pts_text),
                duration_seconds: start.zip(end).map(|(s, e)| s.until(e).as_secs_f64()),
                duration: None,
                vum: r.vum,
            }
        })
        .collect())
}

async fn all(client: &Client, page: i32, size: i32) -> CliResult<Vec<Row>> {
    let req = list_op::ListPtsReportsRequest::builder()
        .page_number(page)
        .page_size(size)
        .build()
        .map_err(|e| errors::validation(&e))?;
    let body = client.list_pts_reports(req).await.map_err(api_err)?.into_body();
    let mut rows: Vec<Row> = body
        .reports
        .unwrap_or_default()
        .into_iter()
        .map(|r| Row {
            scene_id: None,
            plan_id: r.report_id.unwrap_or_default(),
            report_name: r.report_name,
            start_time: r.actual_start_time.map(|ms| Timestamp::from_epoch_ms(ms).display_text()),
            end_time: None,
            duration_seconds: r.duration.as_deref().and_then(seconds_of),
            duration: None,
            vum: r.vum,
        })
        .collect();
    let wanted: Vec<String> = rows.iter().map(|r| r.plan_id.clone()).collect();
    let scenes = resolve_scenes(client, &wanted).await?;
    for r in &mut rows {
        r.scene_id = scenes.get(&r.plan_id).cloned();
    }
    let missing = rows.iter().filter(|r| r.scene_id.is_none()).count();
    if missing > 0 {
        eprintln!(
            "{missing} report(s) whose scene was not found (deleted scene?): SceneId is null"
        );
    }
    Ok(rows)
}

/// Scenes scanned for report ids at most (ListPtsScene pages of 100).
const MAX_SCENE_PAGES: i32 = 10;

/// ReportId -> SceneId for `wanted`, from each scene's report list; stops once all are found.
async fn resolve_scenes(client: &Client, wanted: &[String]) -> CliResult<HashMap<String, String>> {
    let mut found = HashMap::new();
    if wanted.is_empty() {
        return Ok(found);
    }
    for page in 1..=MAX_SCENE_PAGES {
        let req = scenes::ListPtsSceneRequest::builder()
            .page_number(page)
            .page_size(100)
            .build()
            .map_err(|e| errors::validation(&e))?;
        let list = client.list_pts_scene(req).await.map_err(api_err)?.into_body();
        let views = list.scene_view_list.unwrap_or_default();
        for scene in views.iter().filter_map(|v| v.scene_id.as_deref()) {
            for r in scene_report_ids(client, scene).await? {
                if wanted.contains(&r) {
                    found.insert(r, scene.to_string());
                }
            }
            if wanted.iter().all(|w| found.contains_key(w)) {
                return Ok(found);
            }
        }
        if views.len() < 100 {
            break;
        }
    }
    Ok(found)
}

/// Every report id of `scene` (pages of 100); none for a scene that never ran.
async fn scene_report_ids(client: &Client, scene: &str) -> CliResult<Vec<String>> {
    let mut ids = Vec::new();
    for page in 1.. {
        let req = by_scene::GetPtsReportsBySceneIdRequest::builder()
            .scene_id(scene)
            .page_number(page)
            .page_size(100)
            .build()
            .map_err(|e| errors::validation(&e))?;
        let list = match client.get_pts_reports_by_scene_id(req).await {
            Ok(o) => o.into_body().report_over_view_list.unwrap_or_default(),
            Err(e) if e.code() == Some("GetPtsReportsBySceneIdFail") => break,
            Err(e) => return Err(api_err(e)),
        };
        let n = list.len();
        ids.extend(list.into_iter().filter_map(|r| r.report_id));
        if n < 100 {
            break;
        }
    }
    Ok(ids)
}

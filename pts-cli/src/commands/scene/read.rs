//! The read-only scene commands: list, get, export, status, validate.

use crate::args::groups::PageArgs;
use crate::args::{GlobalArgs, OutputFormat};
use crate::output::Output;
use crate::steps::emit_text;
use crate::table::grid;
use pts_api::time::display_pts_text;
use pts_ops::exit::{CliError, CliResult};
use pts_ops::ids::check_id;
use pts_ops::lifecycle::{self, read as call};
use pts_ops::scene_doc::{self, canonical, validate::validate as check};
use pts_ops::session::Session;
use serde_json::{Value, json};
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Name (fuzzy) or id (exact), sent as KeyWord
    #[arg(long)]
    pub keyword: Option<String>,
    /// Only scenes with this status (Draft, WaitStart, Debugging, Running; any case)
    #[arg(long)]
    pub status: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

pub fn list(g: &GlobalArgs, args: ListArgs) -> CliResult<()> {
    args.page.check()?;
    let PageArgs { page_number, page_size } = args.page;
    if args.keyword.as_deref().is_some_and(|k| k.chars().count() > 30) {
        return Err(CliError::usage("--keyword must be at most 30 characters"));
    }
    let out = Output::listing(g)?;
    let session = Session::new(g)?;
    let kw = args.keyword.as_deref();
    let mut scenes = session.block_on(async {
        match page_number {
            Some(n) => lifecycle::pts_page(&session.client, kw, n, page_size).await,
            None => lifecycle::all_pts(&session.client, kw).await,
        }
    })?;
    if let Some(s) = &args.status {
        scenes.retain(|x| {
            x.get("Status").and_then(Value::as_str).is_some_and(|v| v.eq_ignore_ascii_case(s))
        });
    }
    scenes.iter_mut().for_each(pts_api::time::display_times);
    let page = page_number.map_or("all".to_string(), |n| n.to_string());
    if out.format() == OutputFormat::Table {
        let footer = format!(
            "Total page items: {} (region={}, page_number={page}, page_size={})",
            scenes.len(),
            session.region(),
            if page_number.is_some() { page_size.to_string() } else { "all".into() }
        );
        return emit_text(g, &table(&scenes, &footer));
    }
    out.emit(&json!({
        "SceneViewList": scenes,
        "Count": scenes.len(),
        "PageNumber": page,
        "Region": session.region(),
    }))
}

/// One row per scene, `-` for a missing value, then the footer.
fn table(scenes: &[Value], footer: &str) -> String {
    let rows = scenes.iter().map(|s| {
        let empty = serde_json::Map::new();
        let m = s.as_object().unwrap_or(&empty);
        ["SceneId", "SceneName", "Status", "CreateTime"].map(|k| scene_doc::text(m, k))
    });
    format!("{}\n{footer}\n", grid(&["SceneId", "SceneName", "Status", "CreateTime"], rows))
}

pub fn get(g: &GlobalArgs, id: &str) -> CliResult<()> {
    check_id("scene id", id)?;
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let scene = session.block_on(lifecycle::get_pts(&session.client, id))?;
    out.emit(&scene)
}

pub fn export(g: &GlobalArgs, id: &str, format: &str) -> CliResult<()> {
    check_id("scene id", id)?;
    let session = Session::new(g)?;
    let scene = session.block_on(lifecycle::get_pts(&session.client, id))?;
    emit_text(g, &scene_doc::render(&canonical(&scene), format)?)
}

pub fn status(g: &GlobalArgs, id: &str) -> CliResult<()> {
    check_id("scene id", id)?;
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let (runtime, scene) = session.block_on(async {
        let c = &session.client;
        let r = call(c, "GetPtsSceneRunningStatus", json!({"SceneId": id})).await?;
        let s = lifecycle::get_pts(c, id).await?;
        Ok((r, s))
    })?;
    out.emit(&json!({
        "scene_id": id,
        "scene_name": scene.get("SceneName"),
        "status": runtime.get("Status"),
        "scene_status": scene.get("Status"),
        "modified_time": runtime.get("ModifiedTime").and_then(Value::as_str).map(display_pts_text),
    }))
}

/// Offline: prints every problem (exit 2) or `valid` (exit 0). Nothing is sent.
pub fn validate(g: &GlobalArgs, file: &Path) -> CliResult<()> {
    let out = Output::new(g)?;
    let scene = scene_doc::read_file(file)?;
    let issues = check(&scene);
    if issues.is_empty() {
        eprintln!("{}: valid", file.display());
        return out.emit(&json!({"file": file, "valid": true, "problems": []}));
    }
    for i in &issues {
        eprintln!("{}: {i}", file.display());
    }
    out.emit(&json!({"file": file, "valid": false, "problems": issues}))?;
    Err(CliError::usage(format!("{}: {} problem(s)", file.display(), issues.len())))
}

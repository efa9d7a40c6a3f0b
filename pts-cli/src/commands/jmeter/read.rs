//! Read-only JMeter commands: list, get, logs.

use crate::args::groups::PageArgs;
use crate::args::{GlobalArgs, OutputFormat};
use crate::output::Output;
use crate::steps::emit_text;
use crate::table::grid;
use pts_ops::exit::{CliError, CliResult};
use pts_ops::ids::check_id;
use pts_ops::lifecycle::{self, latest_report, read as call, sampling_logs};
use pts_ops::scene_doc;
use pts_ops::session::Session;
use serde_json::{Value, json};

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Scene name (fuzzy)
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

pub fn list(g: &GlobalArgs, args: ListArgs) -> CliResult<()> {
    args.page.check()?;
    let PageArgs { page_number, page_size } = args.page;
    let out = Output::listing(g)?;
    let session = Session::new(g)?;
    let name = args.name.as_deref();
    let mut scenes = session.block_on(async {
        match page_number {
            Some(n) => Ok(lifecycle::jmeter_page(&session.client, name, n, page_size).await?.0),
            None => lifecycle::all_jmeter(&session.client, name).await,
        }
    })?;
    scenes.iter_mut().for_each(pts_api::time::display_times);
    if out.format() == OutputFormat::Table {
        let rows = scenes.iter().map(|s| {
            let empty = serde_json::Map::new();
            let m = s.as_object().unwrap_or(&empty);
            let f = |k| scene_doc::text(m, k);
            [f("SceneId"), f("SceneName"), f("Status"), human_length(&f("DurationStr"))]
        });
        let t = format!(
            "{}\nTotal items: {} (region={})\n",
            grid(&["SceneId", "SceneName", "Status", "Duration"], rows),
            scenes.len(),
            session.region()
        );
        return emit_text(g, &t);
    }
    out.emit(&json!({"JMeterScene": scenes, "Count": scenes.len(), "Region": session.region()}))
}

pub fn get(g: &GlobalArgs, id: &str) -> CliResult<()> {
    check_id("scene id", id)?;
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let scene = session.block_on(lifecycle::get_jmeter(&session.client, id))?;
    out.emit(&scene)
}

#[derive(Debug, clap::Args)]
pub struct LogsArgs {
    pub scene_id: String,
    /// The run (ReportId); default: the current run, else the latest report
    #[arg(long)]
    pub report_id: Option<String>,
    /// Sampling logs (GetJMeterSamplingLogs) instead of engine logs
    #[arg(long)]
    pub samples: bool,
    /// Entries to read (1-200)
    #[arg(long, default_value_t = 50)]
    pub page_size: i64,
}

pub fn logs(g: &GlobalArgs, args: LogsArgs) -> CliResult<()> {
    check_id("scene id", &args.scene_id)?;
    if let Some(r) = &args.report_id {
        check_id("--report-id", r)?;
    }
    if !(1..=200).contains(&args.page_size) {
        return Err(CliError::usage(format!("--page-size must be 1-200 (got {})", args.page_size)));
    }
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let c = &session.client;
    let (report, logs) = session.block_on(async {
        let report = match &args.report_id {
            Some(r) => r.clone(),
            None => latest_report(c, &args.scene_id).await?,
        };
        let logs = if args.samples {
            sampling_logs(c, &report, args.page_size).await?
        } else {
            let body = call(
                c,
                "GetJMeterLogs",
                json!({"ReportId": report, "PageNumber": 1, "PageSize": args.page_size}),
            )
            .await?;
            body.get("Logs").and_then(Value::as_array).cloned().unwrap_or_default()
        };
        Ok((report, logs))
    })?;
    eprintln!(
        "{} {} log entr(ies) of report {report}",
        logs.len(),
        if args.samples { "sampling" } else { "engine" }
    );
    out.emit(&json!({"scene_id": args.scene_id, "report_id": report, "kind": if args.samples { "sampling" } else { "engine" }, "logs": logs}))
}

/// The service's localised length (`10分钟`) as `10m 00s`; anything else as it came.
fn human_length(text: &str) -> String {
    pts_api::time::parse_duration(text)
        .map(pts_api::time::human_duration)
        .unwrap_or_else(|_| text.to_string())
}

//! `pts jmeter report`: JMeter reports (ListJMeterReports, GetJMeterReportDetails,
//! GetJMeterSampleMetrics for the charts). JMeter success rates arrive as 0-100 and are
//! shown, judged and exported as the PTS ones.

use crate::args::GlobalArgs;
use crate::output::Output;
use pts_api::Client;
use pts_api::ops::list_jmeter_reports as list_op;
use pts_ops::errors;
use pts_ops::exit::{CliError, CliResult, ExitCode};
use pts_ops::report::{self, ExportFormat, check_id, findings, render};
use pts_ops::session::{Session, api_err};
use serde::Serialize;

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("which").required(true).multiple(true).args(["report", "scene", "list"]))]
pub struct JmeterReportArgs {
    /// The report (ReportId)
    #[arg(long, value_name = "REPORT_ID", conflicts_with = "scene")]
    pub report: Option<String>,
    /// The latest report of this JMeter scene (or, with --list, only its reports)
    #[arg(long, value_name = "SCENE_ID")]
    pub scene: Option<String>,
    /// List reports (ListJMeterReports) instead of showing one
    #[arg(long, conflicts_with_all = ["report", "format"])]
    pub list: bool,
    /// Export instead of the summary: json, csv, md, or html with charts from GetJMeterSampleMetrics
    #[arg(long, value_parser = crate::args::export_format())]
    pub format: Option<ExportFormat>,
    /// Show up to N sampled requests instead (GetJMeterSamplingLogs; N 1-200)
    #[arg(long, value_name = "N", conflicts_with_all = ["format", "list"],
          value_parser = clap::value_parser!(i32).range(1..=200))]
    pub sampling_logs: Option<i32>,
    /// With --sampling-logs: failed requests only
    #[arg(long, requires = "sampling_logs")]
    pub failed_only: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Row {
    report_id: Option<String>,
    report_name: Option<String>,
    /// RFC 3339 in the display zone.
    actual_start_time: Option<String>,
    #[serde(skip)]
    started_ms: Option<i64>,
    /// The service's length text (`10分钟`) in seconds.
    duration_seconds: Option<f64>,
    vum: Option<i64>,
}

pub fn jmeter(g: &GlobalArgs, args: JmeterReportArgs) -> CliResult<()> {
    if let Some(r) = &args.report {
        check_id("--report", r)?;
    }
    if let Some(s) = &args.scene {
        check_id("--scene", s)?;
    }
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let client = &session.client;
    if args.list {
        let rows = session.block_on(list(client, args.scene.as_deref(), 20))?;
        return out.emit(&rows);
    }
    if let Some(n) = args.sampling_logs {
        let logs = session.block_on(async {
            let id = report_id(client, &args).await?;
            super::sampling::sampling_logs(client, &id, n, args.failed_only).await
        })?;
        return out.emit(&logs);
    }
    let (summary, samples) = session.block_on(async {
        let id = report_id(client, &args).await?;
        let (mut summary, _raw) = report::fetch_jmeter(client, &id).await?;
        if let Some(scene) = &args.scene {
            summary.scene_id = scene.clone();
        }
        // Charts only: a report without per-second metrics still shows.
        let samples = match args.format {
            Some(ExportFormat::Html | ExportFormat::Md | ExportFormat::Json) | None => {
                report::fetch_jmeter_samples(client, &id).await.unwrap_or_else(|e| {
                    eprintln!("warning: GetJMeterSampleMetrics failed ({}): no charts", e.message);
                    Vec::new()
                })
            }
            Some(ExportFormat::Csv) => Vec::new(),
        };
        Ok((summary, samples))
    })?;
    if let Some(format) = args.format {
        return crate::steps::emit_text(g, &render(&summary, &samples, format));
    }
    let found = findings(&summary, None);
    if g.output.is_some() || g.query.is_some() {
        let shown = serde_json::json!({"report": summary, "findings": found});
        return out.emit(&shown);
    }
    let next = vec![format!(
        "pts jmeter report --report {} --format html --output-file report-{}.html",
        summary.plan_id, summary.plan_id
    )];
    crate::steps::emit_text(g, &super::show::pilot_text(&summary, &found, &next, &samples))
}

/// `--report`, or the latest report of `--scene`.
async fn report_id(client: &Client, args: &JmeterReportArgs) -> CliResult<String> {
    match (&args.report, &args.scene) {
        (Some(r), _) => Ok(r.clone()),
        (None, Some(scene)) => latest(client, scene).await,
        (None, None) => Err(CliError::usage("give --report or --scene")),
    }
}

async fn list(client: &Client, scene: Option<&str>, size: i32) -> CliResult<Vec<Row>> {
    let mut b = list_op::ListJMeterReportsRequest::builder().page_number(1).page_size(size);
    if let Some(s) = scene {
        b = b.scene_id(s);
    }
    let req = b.build().map_err(|e| errors::validation(&e))?;
    let body = client.list_jmeter_reports(req).await.map_err(api_err)?.into_body();
    Ok(body
        .reports
        .unwrap_or_default()
        .into_iter()
        .map(|r| Row {
            report_id: r.report_id,
            report_name: r.report_name,
            started_ms: r.actual_start_time,
            actual_start_time: r
                .actual_start_time
                .map(|ms| pts_api::time::Timestamp::from_epoch_ms(ms).display_text()),
            duration_seconds: r
                .duration
                .as_deref()
                .and_then(|d| pts_api::time::parse_duration(d).ok())
                .map(|d| d.as_secs_f64()),
            vum: r.vum,
        })
        .collect())
}

/// The newest report of `scene` (by ActualStartTime).
async fn latest(client: &Client, scene: &str) -> CliResult<String> {
    let rows = list(client, Some(scene), 50).await?;
    rows.into_iter()
        .filter(|r| r.report_id.is_some())
        .max_by_key(|r| r.started_ms.unwrap_or(0))
        .and_then(|r| r.report_id)
        .ok_or_else(|| {
            CliError::new(ExitCode::Service, format!("JMeter scene {scene} has no reports"))
        })
}

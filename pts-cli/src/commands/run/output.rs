//! The judgement of a run and what it leaves: `report.json`, `report.html` (charts from the
//! samples), `report-raw.json`, `verdict.json`, `junit.xml` and `summary.md` in the
//! evidence; the verdict on stdout; a short human summary on stderr.

use super::Plan;
use super::flow::Ran;
use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult};
use crate::output::Output;
use crate::workflow::evidence::{Evidence, rfc3339};
use crate::workflow::report::{self, ExportFormat, Metrics};
use crate::workflow::sla::{FinalMetrics, Verdict, judge};
use serde_json::json;
use std::path::Path;
use std::time::SystemTime;

/// A report's scene metrics as the judgement reads them.
pub fn final_metrics(m: &Metrics) -> FinalMetrics {
    FinalMetrics {
        avg_rt_ms: Some(m.avg_rt_ms),
        p90_rt_ms: m.p90_rt_ms,
        p99_rt_ms: m.p99_rt_ms,
        error_rate: Some(m.error_rate()),
        tps: Some(m.avg_tps),
    }
}

pub fn judge_and_record(plan: &Plan, ran: Ran, ev: Evidence) -> CliResult<Verdict> {
    let metrics = ran.report.as_ref().map(|(s, _)| final_metrics(&s.scene));
    let criteria = judge(&plan.criteria, metrics.as_ref(), ran.breach.as_ref());
    let verdict = Verdict {
        passed: criteria.iter().all(|c| c.passed),
        scene_id: ran.scene_id.clone(),
        plan_id: Some(ran.plan_id.clone()),
        ended: ran.ended.to_string(),
        stopped_early: ran.ended != "completed",
        breach: ran.breach.clone(),
        criteria,
        metrics,
        judged_at: rfc3339(SystemTime::now()),
        notes: ran.notes.clone(),
    };
    if let Some((summary, raw)) = &ran.report {
        ev.write_text("report.json", &report::render(summary, &ran.samples, ExportFormat::Json))?;
        ev.write_text("report.html", &report::render(summary, &ran.samples, ExportFormat::Html))?;
        ev.write_json("report-raw.json", raw)?;
    }
    ev.write_json("verdict.json", &verdict)?;
    let junit = verdict.to_junit_xml();
    ev.write_text("junit.xml", &junit)?;
    if let Some(path) = &plan.args.junit {
        write_file(path, &junit)?;
    }
    if let Some(path) = &plan.args.verdict {
        let text = serde_json::to_string_pretty(&verdict).expect("a verdict serializes") + "\n";
        write_file(path, &text)?;
    }
    let mut notes: Vec<String> = verdict
        .criteria
        .iter()
        .map(|c| {
            format!("{} `{}`: {}", if c.passed { "PASS" } else { "FAIL" }, c.criterion, c.detail)
        })
        .collect();
    notes.extend(verdict.notes.iter().cloned());
    let outcome = format!("SLA {}", if verdict.passed { "passed" } else { "failed" });
    let dir = ev.finish(&outcome, &notes)?;
    for n in &notes {
        eprintln!("{n}");
    }
    eprintln!("{outcome} (scene {} plan {}, {})", verdict.scene_id, ran.plan_id, verdict.ended);
    if let Some(d) = dir {
        eprintln!("evidence: {}", d.display());
    }
    Ok(verdict)
}

fn write_file(path: &Path, text: &str) -> CliResult<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| CliError::io("create", parent, &e))?;
    }
    std::fs::write(path, text).map_err(|e| CliError::io("write", path, &e))
}

/// The verdict on stdout (`--output`, `--query` apply).
pub fn emit(g: &GlobalArgs, verdict: &Verdict) -> CliResult<()> {
    Output::new(g)?.emit(verdict)
}

/// `--dry-run`: what would happen; nothing is sent.
pub fn dry_run(g: &GlobalArgs, plan: &Plan) -> CliResult<()> {
    Output::new(g)?.emit(&json!({
        "dry_run": true,
        "file": plan.args.file.display().to_string(),
        "scene_name": plan.scene_name,
        "criteria": plan.criteria,
        "steps": ["apply the scene (SavePtsScene when it differs)", "pre-flight checks",
                  "StartPtsScene", "watch the running data each interval; stop on a sustained breach",
                  "StopPtsScene when stopped early", "judge the report (GetPtsReportDetails)",
                  "write verdict.json and junit.xml"],
        "breach_for_s": plan.args.breach_for.as_secs_f64(),
        "max_duration_s": plan.args.max_duration.map(|d| d.as_secs_f64()),
    }))
}

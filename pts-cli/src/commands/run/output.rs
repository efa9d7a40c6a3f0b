//! What `pts run` adds to the shared judgement ([`pts_ops::sla::run_end`]): the
//! `--junit`/`--verdict` copies, `summary.md`, the verdict on stdout and a short human
//! summary on stderr.

use super::plan::Plan;
use crate::args::GlobalArgs;
use crate::output::Output;
use pts_ops::evidence::Evidence;
use pts_ops::exit::{CliError, CliResult};
use pts_ops::sla::Verdict;
use pts_ops::sla::run_end::{Ran, judge_and_write, outcome_lines};
use serde_json::json;
use std::path::Path;

pub fn judge_and_record(plan: &Plan, ran: Ran, ev: Evidence) -> CliResult<Verdict> {
    let verdict = judge_and_write(&plan.criteria, &ran, &ev)?;
    if let Some(path) = &plan.args.junit {
        write_file(path, &verdict.to_junit_xml())?;
    }
    if let Some(path) = &plan.args.verdict {
        let text = serde_json::to_string_pretty(&verdict).expect("a verdict serializes") + "\n";
        write_file(path, &text)?;
    }
    let (outcome, notes) = outcome_lines(&verdict);
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

//! `pts report show --scene S --plan P`: the pilot summary of a run (QPS, mean RT, P99 RT,
//! success %, concurrency, total requests), its findings and 1-3 next actions; with
//! `--output json|yaml|table` the same as structured data.

use super::run_ref::RunRef;
use crate::args::GlobalArgs;
use crate::output::Output;
use pts_ops::evidence::EvidenceOptions;
use pts_ops::exit::CliResult;
use pts_ops::report::{self, Finding, ReportKind, ReportSummary, Sample, findings, terminal_chart};
use pts_ops::session::Session;
use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub run: RunRef,
    /// Judge the findings without the scene's baseline (one call fewer)
    #[arg(long)]
    pub no_baseline: bool,
}

/// The structured form of `report show`.
#[derive(Debug, Serialize)]
pub struct Shown {
    pub report: ReportSummary,
    /// Whether the findings were judged against the scene's baseline.
    pub against_baseline: bool,
    pub findings: Vec<Finding>,
    pub next_actions: Vec<String>,
}

pub fn run(g: &GlobalArgs, args: ShowArgs) -> CliResult<()> {
    args.run.check()?;
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let (scene, plan) = (&args.run.scene, &args.run.plan);
    let (summary, baseline) = session.block_on(async {
        let (summary, _raw) = report::fetch_pts(&session.client, scene, plan).await?;
        let baseline = if args.no_baseline {
            None
        } else {
            // The baseline only sharpens the findings: without it the report still shows.
            report::fetch_baseline(&session.client, scene).await.unwrap_or_else(|e| {
                eprintln!("warning: baseline not read ({}); findings without it", e.message);
                None
            })
        };
        Ok((summary, baseline))
    })?;
    let found = findings(&summary, baseline.as_ref());
    let next = next_actions(&summary, baseline.is_some(), &found);
    let samples = report::find_samples(&EvidenceOptions::from_options(&g.into()).root, scene, plan)
        .unwrap_or_default();
    if g.output.is_some() || g.query.is_some() {
        let shown = Shown {
            report: summary,
            against_baseline: baseline.is_some(),
            findings: found,
            next_actions: next,
        };
        return out.emit(&shown);
    }
    crate::steps::emit_text(g, &pilot_text(&summary, &found, &next, &samples))
}

/// 1-3 suggested commands after looking at a report.
pub fn next_actions(s: &ReportSummary, has_baseline: bool, found: &[Finding]) -> Vec<String> {
    let run = format!("--scene {} --plan {}", s.scene_id, s.plan_id);
    let mut next = vec![format!(
        "pts report export {run} --format html --output-file report-{}.html",
        s.plan_id
    )];
    if has_baseline {
        next.push(format!("pts report diff {run} --against-baseline"));
    } else if s.kind == ReportKind::Pts
        && !found.iter().any(|f| f.severity != report::Severity::Low)
    {
        next.push(format!("pts baseline set --from-report {run}"));
    }
    if found.iter().any(|f| f.severity == report::Severity::High) {
        next.push(format!(
            "pts call GetPtsSceneRunningData --SceneId {} --PlanId {}",
            s.scene_id, s.plan_id
        ));
    }
    next.truncate(3);
    next
}

/// The human summary.
/// The "Findings:" block of a summary or a diff: severity, area, evidence, suggestion.
pub fn findings_text(found: &[Finding]) -> String {
    let mut t = String::from("\nFindings:\n");
    if found.is_empty() {
        t.push_str("  none\n");
    }
    for f in found {
        t.push_str(&format!(
            "  [{}] {}: {}\n      -> {}\n",
            f.severity.as_str(),
            f.area,
            f.evidence,
            f.suggestion
        ));
    }
    t
}

pub fn pilot_text(
    s: &ReportSummary,
    found: &[Finding],
    next: &[String],
    samples: &[Sample],
) -> String {
    use pts_ops::report::render::{length, num, opt};
    let m = &s.scene;
    let concurrency = match samples.iter().map(|x| x.concurrency).max() {
        Some(c) if c > 0 => c.to_string(),
        _ => s.target.concurrency.map_or_else(|| "-".into(), |c| format!("{c} (configured)")),
    };
    let mut t = format!("Report {:?}: {}\n", s.name, s.label());
    if let (Some(a), Some(b)) = (&s.started, &s.ended) {
        t.push_str(&format!("  {a} .. {b}"));
        if let Some(v) = s.vum {
            t.push_str(&format!(", {v} VUM"));
        }
        t.push('\n');
    }
    t.push_str(&format!("  length {} (planned {})\n", length(s.actual_s), length(s.planned_s)));
    t.push_str(&format!(
        "  QPS {} req/s | mean RT {} ms | P99 RT {} ms | success {} % | concurrency {} | total requests {}\n",
        num(m.avg_tps),
        num(m.avg_rt_ms),
        opt(m.p99_rt_ms),
        num(m.success_rate * 100.0),
        concurrency,
        m.total_requests
    ));
    for a in &s.apis {
        let am = &a.metrics;
        t.push_str(&format!(
            "  - {}: {} requests, {} failed, success {} %, {} req/s, mean {} ms, P99 {} ms\n",
            a.name,
            am.total_requests,
            am.failed_requests,
            num(am.success_rate * 100.0),
            num(am.avg_tps),
            num(am.avg_rt_ms),
            opt(am.p99_rt_ms)
        ));
    }
    if !samples.is_empty() {
        t.push('\n');
        t.push_str(&terminal_chart(samples, 72));
    }
    t.push_str(&findings_text(found));
    t.push_str("\nNext:\n");
    for n in next {
        t.push_str(&format!("  {n}\n"));
    }
    t
}

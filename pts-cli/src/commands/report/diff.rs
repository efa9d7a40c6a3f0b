//! `pts report diff --scene S --plan A (--against-plan B | --against-baseline)`: scene and
//! per-API changes, and the findings of A against the reference.

use super::run_ref::RunRef;
use crate::args::GlobalArgs;
use crate::output::Output;
use pts_ops::exit::{CliError, CliResult, ExitCode};
use pts_ops::report::render::opt;
use pts_ops::report::{self, MetricDelta, ReportDiff, check_id, diff};
use pts_ops::session::Session;

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("reference").required(true).args(["against_plan", "against_baseline"]))]
pub struct DiffArgs {
    #[command(flatten)]
    pub run: RunRef,
    /// The other run of the same scene (its PlanId)
    #[arg(long, value_name = "PLAN_ID")]
    pub against_plan: Option<String>,
    /// Compare with the scene's baseline (GetPtsSceneBaseLine)
    #[arg(long)]
    pub against_baseline: bool,
    /// The scene of --against-plan when it is another scene
    #[arg(long, value_name = "SCENE_ID", requires = "against_plan")]
    pub against_scene: Option<String>,
}

pub fn run(g: &GlobalArgs, args: DiffArgs) -> CliResult<()> {
    args.run.check()?;
    if let Some(p) = &args.against_plan {
        check_id("--against-plan", p)?;
    }
    if let Some(s) = &args.against_scene {
        check_id("--against-scene", s)?;
    }
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let (scene, plan) = (&args.run.scene, &args.run.plan);
    let d = session.block_on(async {
        let client = &session.client;
        let (current, _) = report::fetch_pts(client, scene, plan).await?;
        let reference = match &args.against_plan {
            Some(other) => {
                let other_scene = args.against_scene.as_deref().unwrap_or(scene);
                report::fetch_pts(client, other_scene, other).await?.0
            }
            None => report::fetch_baseline(client, scene).await?.ok_or_else(|| {
                CliError::new(ExitCode::Service, format!("scene {scene} has no baseline"))
                    .with_hint("set one with `pts baseline set --from-report --scene S --plan P`")
            })?,
        };
        Ok(diff(&current, &reference))
    })?;
    if g.output.is_some() || g.query.is_some() {
        return out.emit(&d);
    }
    crate::steps::emit_text(g, &diff_text(&d))
}

fn delta_line(d: &MetricDelta) -> String {
    // Counts are whole numbers; the rest two decimals.
    let counted = d.unit == "requests";
    let value = |v: Option<f64>| match v {
        Some(x) if counted => format!("{}", x.round() as i64),
        other => opt(other),
    };
    let change = match d.change {
        Some(c) if counted => format!("{:+}", c.round() as i64),
        Some(c) => format!("{c:+.2}"),
        None => "-".into(),
    };
    let pct = d.change_pct.map_or_else(String::new, |p| format!(" ({p:+.1} %)"));
    format!(
        "{:<16} {:>12} -> {:>12} {:<9} {change}{pct}",
        d.metric,
        value(d.reference),
        value(d.current),
        d.unit
    )
}

/// The human form: reference -> current per metric.
pub fn diff_text(d: &ReportDiff) -> String {
    let mut t = format!("{} against {}\n\nScene:\n", d.current, d.reference);
    for m in &d.scene {
        t.push_str(&format!("  {}\n", delta_line(m)));
    }
    for a in &d.apis {
        let note = match a.presence.as_str() {
            "only_current" => " (only in the current run)",
            "only_reference" => " (only in the reference)",
            _ => "",
        };
        t.push_str(&format!("\nAPI {}{note}:\n", a.name));
        for m in &a.metrics {
            t.push_str(&format!("  {}\n", delta_line(m)));
        }
    }
    t.push_str(&super::show::findings_text(&d.findings));
    t
}

//! `pts report export --scene S --plan P --format json|csv|md|html`: to stdout or
//! `--output-file`. Charts come from the run's samples (`--samples FILE`, else the evidence
//! directory of the watch or run of that plan); without samples the HTML says so.

use super::run_ref::RunRef;
use crate::args::GlobalArgs;
use pts_ops::evidence::EvidenceOptions;
use pts_ops::exit::{CliError, CliResult, ExitCode};
use pts_ops::report::{self, ExportFormat, Sample, render_with_baseline};
use pts_ops::samples;
use pts_ops::session::Session;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub run: RunRef,
    /// Export format
    #[arg(long, value_parser = crate::args::export_format())]
    pub format: ExportFormat,
    /// The run's samples.jsonl (default: found in the evidence directories by scene and plan)
    #[arg(long, value_name = "FILE")]
    pub samples: Option<std::path::PathBuf>,
    /// Judge the findings against the scene's baseline
    #[arg(long)]
    pub against_baseline: bool,
}

pub fn run(g: &GlobalArgs, args: ExportArgs) -> CliResult<()> {
    args.run.check()?;
    let samples = load_samples(g, &args)?;
    let session = Session::new(g)?;
    let (scene, plan) = (&args.run.scene, &args.run.plan);
    let (summary, baseline) = session.block_on(async {
        let (summary, _raw) = report::fetch_pts(&session.client, scene, plan).await?;
        let baseline = match args.against_baseline {
            true => {
                Some(report::fetch_baseline(&session.client, scene).await?.ok_or_else(|| {
                    CliError::new(ExitCode::Service, format!("scene {scene} has no baseline"))
                        .with_hint(
                            "set one with `pts baseline set --from-report --scene S --plan P`",
                        )
                })?)
            }
            false => None,
        };
        Ok((summary, baseline))
    })?;
    if samples.is_empty() {
        eprintln!("no per-second samples found for scene {scene} plan {plan}: no charts");
    }
    let text = render_with_baseline(&summary, &samples, baseline.as_ref(), args.format);
    crate::steps::emit_text(g, &text)
}

fn load_samples(g: &GlobalArgs, args: &ExportArgs) -> CliResult<Vec<Sample>> {
    match &args.samples {
        Some(path) => samples::read(path).map_err(|e| CliError::io("read", path, &e)),
        None => Ok(report::find_samples(
            &EvidenceOptions::from_options(&g.into()).root,
            &args.run.scene,
            &args.run.plan,
        )
        .unwrap_or_default()),
    }
}

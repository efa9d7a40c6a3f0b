//! `pts run FILE --sla "p99<200ms,error_rate<1%,tps>=500" [--max-duration D]`: a load
//! test as a CI gate. The criteria are checked first (a bad one is exit 2, nothing sent);
//! then the scene file is applied, the scene started and watched; a sustained breach of a
//! criterion the running data shows (RT, p90, error rate, TPS) stops it early; the rest
//! (p99) is judged from the report. Writes the report, `verdict.json` and `junit.xml` into
//! the run's evidence, prints the verdict, and exits 0 on pass or 6 on an SLA failure.
//! Ctrl-C/SIGTERM after the start stops the scene before exiting 130.

mod flow;
mod output;

use crate::cli::GlobalArgs;
use crate::commands::watch::parse_duration;
use crate::exit::{CliError, CliResult, ExitCode};
use pts_ops::scene_doc;
use pts_ops::session::Session;
use pts_ops::sla::{self, Criterion};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, clap::Args)]
#[command(after_help = "Metrics: avg_rt, p90, p99 (ms, s), error_rate, success_rate (% or 0-1), \
                        tps. Operators: < <= > >=. p99 is judged from the report; the others \
                        also live, where a breach lasting --breach-for stops the run early.")]
pub struct RunArgs {
    /// Scene file (YAML or JSON, the SavePtsScene `Scene` object); applied before the run to
    /// the scene it names (its SceneId, else the one scene with its name, else a new one)
    pub file: PathBuf,
    /// Create a scene for this run and delete it at the end, whatever the outcome
    #[arg(long)]
    pub ephemeral: bool,
    /// Criteria, comma-separated: "p99<200ms,error_rate<1%,tps>=500"
    #[arg(long, value_name = "CRITERIA")]
    pub sla: String,
    /// Stop the run after this long (e.g. 10m) and judge what ran
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub max_duration: Option<Duration>,
    /// How long a live breach must last to stop the run
    #[arg(long, value_name = "DURATION", default_value = "3s", value_parser = parse_duration)]
    pub breach_for: Duration,
    /// Time between live samples
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration)]
    pub interval: Duration,
    /// Longest wait for the scene to reach RUNNING, and then STOPPED and its report
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = parse_duration)]
    pub max_wait: Duration,
    /// Also write the JUnit XML here (CI test reports)
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,
    /// Also write the verdict JSON here
    #[arg(long, value_name = "PATH")]
    pub verdict: Option<PathBuf>,
}

/// Everything checked offline, before the session exists.
pub struct Plan {
    pub scene: serde_json::Value,
    pub scene_name: String,
    pub criteria: Vec<Criterion>,
    pub args: RunArgs,
}

pub fn run(g: &GlobalArgs, args: RunArgs) -> CliResult<()> {
    let criteria = sla::parse(&args.sla)?;
    let scene = scene_doc::read_file(&args.file)?;
    let issues = scene_doc::validate::validate(&scene);
    if !issues.is_empty() {
        let lines: Vec<String> = issues.iter().map(|i| format!("  {i}")).collect();
        return Err(CliError::usage(format!(
            "{}: the scene is invalid ({} problem(s)):\n{}",
            args.file.display(),
            issues.len(),
            lines.join("\n")
        ))
        .with_hint("`pts scene validate FILE` lists the problems without contacting PTS"));
    }
    let scene_name = scene_doc::scene_name(&scene);
    let plan = Plan { scene, scene_name, criteria, args };
    let session = Session::new(g)?;
    if g.dry_run {
        return output::dry_run(g, &plan);
    }
    let verdict = flow::execute(&session, &plan)?;
    output::emit(g, &verdict)?;
    if verdict.passed {
        Ok(())
    } else {
        let failed: Vec<&str> =
            verdict.criteria.iter().filter(|c| !c.passed).map(|c| c.criterion.as_str()).collect();
        Err(CliError::new(ExitCode::SlaFailed, format!("SLA failed: {}", failed.join(", ")))
            .with_hint("verdict.json and junit.xml in the evidence directory say why"))
    }
}

//! What `pts run` is given: its arguments, and the plan checked from them offline.

use crate::args::groups::parse_duration;
use pts_ops::sla::Criterion;
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

//! `pts run FILE --sla "p99<200ms,error_rate<1%,tps>=500" [--max-duration D]`: a load
//! test as a CI gate. The criteria are checked first (a bad one is exit 2, nothing sent);
//! then the scene file is applied, the scene started and watched; a sustained breach of a
//! criterion the running data shows (RT, p90, error rate, TPS) stops it early; the rest
//! (p99) is judged from the report. Writes the report, `verdict.json` and `junit.xml` into
//! the run's evidence, prints the verdict, and exits 0 on pass or 6 on an SLA failure.
//! Ctrl-C/SIGTERM after the start stops the scene before exiting 130.

mod flow;
mod output;
mod plan;

pub use plan::RunArgs;

use plan::Plan;

use crate::args::GlobalArgs;
use pts_ops::exit::{CliError, CliResult, ExitCode};
use pts_ops::scene_doc;
use pts_ops::session::Session;
use pts_ops::sla;

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

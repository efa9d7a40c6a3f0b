//! The run every command on one PTS report names.

use pts_ops::exit::CliResult;
use pts_ops::report::check_id;

/// One PTS run: GetPtsReportDetails takes both ids.
#[derive(Debug, Clone, clap::Args)]
pub struct RunRef {
    /// SceneId of the run
    #[arg(long, value_name = "SCENE_ID")]
    pub scene: String,
    /// PlanId of the run (== its ReportId)
    #[arg(long, value_name = "PLAN_ID")]
    pub plan: String,
}

impl RunRef {
    pub fn check(&self) -> CliResult<()> {
        check_id("--scene", &self.scene)?;
        check_id("--plan", &self.plan)
    }
}

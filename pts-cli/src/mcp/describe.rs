//! The one-line description of each operation tool, written here (the metadata's prose is
//! long, Chinese-first and sometimes wrong), and its annotations.

use pts_api::meta::OperationMeta;
use rmcp::model::ToolAnnotations;

/// One line per operation; `None` for an operation this table does not know (a test
/// keeps the table complete).
pub fn one_line(op: &str) -> Option<&'static str> {
    Some(match op {
        "AdjustJMeterSceneSpeed" => "Change the target speed (RPS) of a running JMeter test.",
        "AdjustPtsSceneSpeed" => "Change the per-API target speed (RPS) of a running PTS scene.",
        "CreatePtsScene" => "Create a PTS scene from a Scene definition.",
        "CreatePtsSceneBaseLineFromReport" => "Make a report the baseline of its PTS scene.",
        "DeletePtsScene" => "Delete one PTS scene.",
        "DeletePtsSceneBaseLine" => "Delete the baseline of a PTS scene.",
        "DeletePtsScenes" => "Delete several PTS scenes at once.",
        "GetAllRegions" => "List the regions PTS can run load from.",
        "GetJMeterLogs" => "Page through the engine logs of a JMeter test.",
        "GetJMeterReportDetails" => {
            "Get the report of a JMeter test: overview, samplers, scene metrics."
        }
        "GetJMeterSampleMetrics" => "Get the time series of one JMeter sampler in a report.",
        "GetJMeterSamplingLogs" => "Page through the sampled requests of a JMeter test.",
        "GetJMeterSceneRunningData" => "Get live metrics of a running JMeter scene.",
        "GetOpenJMeterScene" => "Get the definition of a JMeter scene.",
        "GetPtsDebugSampleLogs" => "Page through the sampled requests of a PTS debug run.",
        "GetPtsReportDetails" => {
            "Get the report of a PTS run: overview, per-API metrics, scene snapshot."
        }
        "GetPtsReportsBySceneId" => "Page through the reports of one PTS scene.",
        "GetPtsScene" => "Get the full definition of a PTS scene.",
        "GetPtsSceneBaseLine" => "Get the baseline of a PTS scene.",
        "GetPtsSceneRunningData" => {
            "Get live metrics of a running PTS scene (concurrency, TPS, RT, failures, agents)."
        }
        "GetPtsSceneRunningStatus" => {
            "Get the runtime status of a PTS scene (CREATED ... RUNNING ... STOPPED)."
        }
        "GetUserVpcSecurityGroup" => "Page through the security groups of a VPC.",
        "GetUserVpcVSwitch" => "Page through the vSwitches of a VPC.",
        "GetUserVpcs" => "Page through the VPCs of the account in a region.",
        "ListEnvs" => "Page through the JMeter environments (files, properties, dependencies).",
        "ListJMeterReports" => "Page through JMeter reports, filtered by scene, time or keyword.",
        "ListOpenJMeterScenes" => "Page through the JMeter scenes.",
        "ListPtsReports" => "Page through PTS reports, filtered by scene, time or keyword.",
        "ListPtsScene" => "Page through the PTS scenes, optionally filtered by name or id.",
        "ModifyPtsScene" => "Replace the definition of an existing PTS scene.",
        "RemoveEnv" => "Delete a JMeter environment.",
        "RemoveOpenJMeterScene" => "Delete a JMeter scene.",
        "SaveEnv" => "Create or update a JMeter environment.",
        "SaveOpenJMeterScene" => "Create or update a JMeter scene.",
        "SavePtsScene" => "Create a PTS scene, or update it when Scene.SceneId is set.",
        "StartDebugPtsScene" => "Start a short debug run of a PTS scene (returns its PlanId).",
        "StartDebuggingJMeterScene" => "Start a debug run of a JMeter scene.",
        "StartPtsScene" => "Start a load test of a PTS scene (returns its PlanId).",
        "StartTestingJMeterScene" => "Start a load test of a JMeter scene.",
        "StopDebugPtsScene" => "Stop a debug run of a PTS scene (needs its PlanId).",
        "StopDebuggingJMeterScene" => "Stop the debug run of a JMeter scene.",
        "StopPtsScene" => "Stop the running load test of a PTS scene.",
        "StopTestingJMeterScene" => "Stop the running load test of a JMeter scene.",
        "UpdatePtsSceneBaseLine" => "Replace the baseline values of a PTS scene.",
        _ => return None,
    })
}

/// True for operations that delete something.
pub fn deletes(op: &str) -> bool {
    op.starts_with("Delete") || op.starts_with("Remove")
}

/// Read-only operations are marked so; mutating ones not, and destructive when they delete
/// or stop a run.
pub fn annotations(op: &OperationMeta) -> ToolAnnotations {
    let a = ToolAnnotations::with_title(op.name).open_world(true);
    if op.is_mutating() {
        let destructive = deletes(op.name) || op.name.starts_with("Stop");
        a.read_only(false).destructive(destructive).idempotent(false)
    } else {
        a.read_only(true)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_operation_has_one_line() {
        for op in pts_api::OPERATIONS {
            let d = super::one_line(op.name).unwrap_or_else(|| panic!("{} undescribed", op.name));
            assert!(!d.contains('\n') && d.len() < 120, "{}", op.name);
        }
    }
}

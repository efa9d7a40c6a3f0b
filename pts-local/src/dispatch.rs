//! Operation dispatch: wire text -> typed pts-api request -> handler -> typed pts-api response.
//!
//! Parameters are decoded by declared type with `pts_api::__private::params::decode` (JSON-style values
//! parsed, booleans in any case), JSON keys of structured parameters are mapped onto wire
//! names case-insensitively (`keys_to_wire`, so lowerCamel and PascalCase both work), then
//! `pts_api::__private::validate::validate_params` applies exactly the client's rules and messages.
//! How a validation failure is answered is decided in [`invalid`].

use crate::ctx::Ctx;
use crate::envelope::{self, Fail};
use crate::ops::*;
use pts_api::__private::params::{NameMatch, decode, keys_to_wire};
use pts_api::__private::validate::{Rule, ValidationError, validate_params};
use pts_api::meta::{OperationMeta, Style};
use pts_api::{Operation, ops};
use serde_json::Value;
use std::sync::Arc;

/// Decodes and validates the parameters of `O` into its typed request.
pub fn decode_request<O: Operation>(
    meta: &'static OperationMeta,
    pairs: Vec<(&str, &str)>,
) -> Result<O::Request, Fail> {
    empty_payload(meta, &pairs)?;
    let mut v = decode(meta, pairs, NameMatch::Exact).map_err(|e| invalid(meta, e))?;
    if let Value::Object(map) = &mut v {
        for p in meta.params.iter().filter(|p| {
            p.style == Style::Json && (!p.shape.fields.is_empty() || p.shape.items.is_some())
        }) {
            if let Some(val) = map.get_mut(p.name) {
                *val = keys_to_wire(val, p.shape);
            }
        }
    }
    validate_params(meta, &v).map_err(|e| invalid(meta, e))?;
    serde_json::from_value(v).map_err(|e| Fail::invalid(format!("{}: {e}", meta.name)))
}

/// Payload parameters whose absence or emptiness PTS answers with the operation's own code
/// (CreatePtsScene, SaveOpenJMeterScene, SaveEnv).
fn empty_payload(meta: &OperationMeta, pairs: &[(&str, &str)]) -> Result<(), Fail> {
    let (param, fail) = match meta.name {
        "CreatePtsScene" => {
            ("Scene", Fail::service(400, "CreateSceneFail", "Create scene cannot be empty"))
        }
        "SaveOpenJMeterScene" => (
            "OpenJMeterScene",
            Fail::service(403, "SaveOpenJMeterSceneFail", "The scene cannot be empty."),
        ),
        "SaveEnv" => ("Env", Fail::service(503, "SaveEnvFail", "The env cannot be empty.")),
        _ => return Ok(()),
    };
    let value = pairs.iter().find(|(n, _)| *n == param).map(|(_, v)| v.trim());
    match value {
        None | Some("" | "{}" | "null") => Err(fail),
        Some(_) => Ok(()),
    }
}

/// How a validation failure is answered, always with the client's message text:
/// - unparsable Scene JSON (CreatePtsScene, SavePtsScene, ModifyPtsScene): 400, Code `4001`,
///   PTS's own Chinese message;
/// - inside `OpenJMeterScene` / `Env`: the operation's code (403 `SaveOpenJMeterSceneFail`,
///   503 `SaveEnvFail`) for unparsable JSON and missing fields;
/// - other unparsable JSON parameters: the operation's own metadata error code;
/// - ListPtsScene `KeyWord` over 30 characters: 400 `ListPtsSceneFail`;
/// - otherwise a missing required parameter is 400 `MissingParameter` and any other broken
///   rule (type, range, length, pattern, unknown field) is 400 `InvalidParameter`.
pub fn invalid(meta: &OperationMeta, e: ValidationError) -> Fail {
    let message = e.to_string();
    let top = e.field.split(['.', '[']).next().unwrap_or("");
    let nested = e.field.len() > top.len();
    match (meta.name, top, &e.rule) {
        ("CreatePtsScene" | "SavePtsScene" | "ModifyPtsScene", "Scene", Rule::InvalidJson(_)) => {
            crate::ops::scene_rules::unreadable_scene()
        }
        ("SaveOpenJMeterScene", "OpenJMeterScene", Rule::InvalidJson(_) | Rule::Required) => {
            Fail::service(403, "SaveOpenJMeterSceneFail", message)
        }
        ("SaveEnv", "Env", Rule::InvalidJson(_) | Rule::Required) => {
            Fail::service(503, "SaveEnvFail", message)
        }
        (_, _, Rule::InvalidJson(_)) => Fail::op(meta, message),
        (_, _, Rule::Required) if !nested => Fail::gateway(400, "MissingParameter", message),
        _ => Fail::invalid(message),
    }
}

macro_rules! operations {
    ($($op:ident => $handler:path),* $(,)?) => {
        /// The wire names of every operation pts-local serves.
        pub const SERVED: &[&str] = &[$(stringify!($op)),*];

        /// Runs the operation `meta` names and returns the success body.
        pub async fn dispatch(
            ctx: Arc<Ctx>,
            meta: &'static OperationMeta,
            pairs: Vec<(&str, &str)>,
            request_id: &str,
        ) -> Result<Vec<u8>, Fail> {
            match meta.name {
                $(stringify!($op) => {
                    let req = decode_request::<$op>(meta, pairs)?;
                    let resp = $handler(ctx, req).await?;
                    Ok(envelope::success_body(meta, &resp, request_id))
                })*
                other => Err(Fail::internal(format!("no handler for {other}"))),
            }
        }
    };
}

use ops::adjust_jmeter_scene_speed::AdjustJMeterSceneSpeed;
use ops::adjust_pts_scene_speed::AdjustPtsSceneSpeed;
use ops::create_pts_scene::CreatePtsScene;
use ops::create_pts_scene_base_line_from_report::CreatePtsSceneBaseLineFromReport;
use ops::delete_pts_scene::DeletePtsScene;
use ops::delete_pts_scene_base_line::DeletePtsSceneBaseLine;
use ops::delete_pts_scenes::DeletePtsScenes;
use ops::get_all_regions::GetAllRegions;
use ops::get_jmeter_logs::GetJMeterLogs;
use ops::get_jmeter_report_details::GetJMeterReportDetails;
use ops::get_jmeter_sample_metrics::GetJMeterSampleMetrics;
use ops::get_jmeter_sampling_logs::GetJMeterSamplingLogs;
use ops::get_jmeter_scene_running_data::GetJMeterSceneRunningData;
use ops::get_open_jmeter_scene::GetOpenJMeterScene;
use ops::get_pts_debug_sample_logs::GetPtsDebugSampleLogs;
use ops::get_pts_report_details::GetPtsReportDetails;
use ops::get_pts_reports_by_scene_id::GetPtsReportsBySceneId;
use ops::get_pts_scene::GetPtsScene;
use ops::get_pts_scene_base_line::GetPtsSceneBaseLine;
use ops::get_pts_scene_running_data::GetPtsSceneRunningData;
use ops::get_pts_scene_running_status::GetPtsSceneRunningStatus;
use ops::get_user_vpc_security_group::GetUserVpcSecurityGroup;
use ops::get_user_vpc_vswitch::GetUserVpcVSwitch;
use ops::get_user_vpcs::GetUserVpcs;
use ops::list_envs::ListEnvs;
use ops::list_jmeter_reports::ListJMeterReports;
use ops::list_open_jmeter_scenes::ListOpenJMeterScenes;
use ops::list_pts_reports::ListPtsReports;
use ops::list_pts_scene::ListPtsScene;
use ops::modify_pts_scene::ModifyPtsScene;
use ops::remove_env::RemoveEnv;
use ops::remove_open_jmeter_scene::RemoveOpenJMeterScene;
use ops::save_env::SaveEnv;
use ops::save_open_jmeter_scene::SaveOpenJMeterScene;
use ops::save_pts_scene::SavePtsScene;
use ops::start_debug_pts_scene::StartDebugPtsScene;
use ops::start_debugging_jmeter_scene::StartDebuggingJMeterScene;
use ops::start_pts_scene::StartPtsScene;
use ops::start_testing_jmeter_scene::StartTestingJMeterScene;
use ops::stop_debug_pts_scene::StopDebugPtsScene;
use ops::stop_debugging_jmeter_scene::StopDebuggingJMeterScene;
use ops::stop_pts_scene::StopPtsScene;
use ops::stop_testing_jmeter_scene::StopTestingJMeterScene;
use ops::update_pts_scene_base_line::UpdatePtsSceneBaseLine;

operations! {
    CreatePtsScene => pts_scenes::create,
    SavePtsScene => pts_scenes::save,
    ModifyPtsScene => pts_scenes::modify,
    GetPtsScene => pts_scenes::get,
    ListPtsScene => pts_scenes::list,
    DeletePtsScene => pts_scenes::delete,
    DeletePtsScenes => pts_scenes::delete_many,
    StartPtsScene => pts_runs::start,
    StopPtsScene => pts_runs::stop,
    StartDebugPtsScene => pts_runs::start_debug,
    StopDebugPtsScene => pts_runs::stop_debug,
    GetPtsSceneRunningStatus => pts_runs::running_status,
    GetPtsSceneRunningData => pts_runs::running_data,
    AdjustPtsSceneSpeed => pts_runs::adjust_speed,
    GetPtsDebugSampleLogs => reports::debug_sample_logs,
    ListPtsReports => reports::list,
    GetPtsReportsBySceneId => reports::by_scene,
    GetPtsReportDetails => reports::details,
    GetPtsSceneBaseLine => baselines::get,
    CreatePtsSceneBaseLineFromReport => baselines::from_report,
    UpdatePtsSceneBaseLine => baselines::update,
    DeletePtsSceneBaseLine => baselines::delete,
    SaveOpenJMeterScene => jmeter_scenes::save,
    GetOpenJMeterScene => jmeter_scenes::get,
    ListOpenJMeterScenes => jmeter_scenes::list,
    RemoveOpenJMeterScene => jmeter_scenes::remove,
    StartTestingJMeterScene => jmeter_runs::start_testing,
    StopTestingJMeterScene => jmeter_runs::stop_testing,
    StartDebuggingJMeterScene => jmeter_runs::start_debugging,
    StopDebuggingJMeterScene => jmeter_runs::stop_debugging,
    GetJMeterSceneRunningData => jmeter_runs::running_data,
    AdjustJMeterSceneSpeed => jmeter_runs::adjust_speed,
    ListJMeterReports => jmeter_reports::list,
    GetJMeterReportDetails => jmeter_reports::details,
    GetJMeterSampleMetrics => jmeter_reports::sample_metrics,
    GetJMeterSamplingLogs => jmeter_reports::sampling_logs,
    GetJMeterLogs => jmeter_reports::logs,
    SaveEnv => envs::save,
    ListEnvs => envs::list,
    RemoveEnv => envs::remove,
    GetAllRegions => regions::get_all,
    GetUserVpcs => vpc::vpcs,
    GetUserVpcSecurityGroup => vpc::security_groups,
    GetUserVpcVSwitch => vpc::vswitches,
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_operation_is_served() {
        let mut served: Vec<&str> = super::SERVED.to_vec();
        served.sort_unstable();
        let all: Vec<&str> = pts_api::OPERATIONS.iter().map(|m| m.name).collect();
        assert_eq!(served, all);
    }
}

//! Conformance (a): our pts-api client calls every one of the 44 operations against an
//! in-process pts-local, on its success and its error paths, and checks the state it reads
//! back. All traffic goes to 127.0.0.1; every server stops at the end of its test.

use pts_api::client::Protocol;
use pts_api::ops::*;
use pts_api::wire::SignatureVersion;
use pts_api::{CallOptions, Client, Operation, RetryPolicy};
use pts_local::{Config, Key, RunningServer, Server};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::Duration;

const AK: &str = "LTAI5tConformanceKey01";
const SK: &str = "Conformance/Secret+With=Chars";

/// One scene minute = one real second.
async fn start(dir: &std::path::Path) -> RunningServer {
    let config = Config::new(dir).with_keys(vec![
        Key::new(AK, SK),
        Key::sts("STS.LocalTemp01", "StsSecret", "CAIS+token/x=y"),
    ]);
    // The NullEngine: these tests pin the control plane (records, states, errors) and assert
    // that nothing is measured; real load is covered by pts-local's engine_service_* tests.
    Server::start(config.with_time_scale(60.0).with_null_engine()).await.expect("server starts")
}

fn client(server: &RunningServer, v: SignatureVersion) -> Client {
    Client::builder()
        .endpoint(server.endpoint())
        .protocol(Protocol::Http)
        .env_proxy(false)
        .static_credentials(AK, SK, None)
        .signature_version(v)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

/// Calls `O` with a request given as JSON (wire names); the client validates first.
async fn call<O: Operation>(c: &Client, v: Value) -> O::Response {
    let req: O::Request = serde_json::from_value(v.clone())
        .unwrap_or_else(|e| panic!("{} request {v}: {e}", O::NAME));
    match c.send::<O>(req).await {
        Ok(out) => out.body,
        Err(e) => panic!("{} failed: {e}", O::NAME),
    }
}

/// Sends `O` without client-side validation and returns (HTTP status, Code) of the error.
async fn fail<O: Operation>(c: &Client, v: Value) -> (u16, String) {
    let e = c
        .send_json_unchecked(O::meta(), v, &CallOptions::default())
        .await
        .expect_err(&format!("{} should fail", O::NAME));
    (e.status().unwrap_or(0), e.code().unwrap_or("").to_string())
}

fn is_id(s: &str) -> bool {
    s.len() == 8 && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn pts_scene(name: &str, minutes: i32) -> Value {
    json!({
        "SceneName": name,
        "RelationList": [{
            "RelationName": "chain",
            "ApiList": [
                {"ApiName": "home", "Url": "http://127.0.0.1:9/", "Method": "GET", "RedirectCountLimit": 10, "TimeoutInSecond": 5},
                {"ApiName": "detail", "Url": "http://127.0.0.1:9/d", "Method": "POST", "RedirectCountLimit": 0,
                 "Body": {"ContentType": "application/json", "BodyValue": "{}"}}
            ]
        }],
        "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": minutes,
                       "Configuration": {"AllConcurrencyBegin": 1, "AllConcurrencyLimit": 2}},
        "AdvanceSetting": {"LogRate": 1},
        "FileParameterList": [{"FileName": "users.csv", "FileOssAddress": "https://b.oss-cn-shanghai.aliyuncs.com/users.csv"}],
        "GlobalParameterList": [{"ParamName": "g", "ParamValue": "1"}]
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pts_scenes_runs_reports_and_baselines() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    server.upload_bytes("users.csv", b"alice\nbob\n").unwrap();
    let c = client(&server, SignatureVersion::V3);

    // CreatePtsScene: lowerCamel JSON text, as documented.
    let camel = r#"{"sceneName":"camel","relationList":[{"relationName":"r","apiList":[{"apiName":"a","url":"http://127.0.0.1:9/","method":"GET","redirectCountLimit":10}]}],"loadConfig":{"testMode":"tps_mode","maxRunningTime":1,"configuration":{"allRpsBegin":1,"allRpsLimit":5}}}"#;
    let created = call::<create_pts_scene::CreatePtsScene>(&c, json!({"Scene": camel})).await;
    let camel_id = created.scene_id.unwrap();
    assert!(is_id(&camel_id));
    assert_eq!(
        fail::<create_pts_scene::CreatePtsScene>(&c, json!({"Scene": ""})).await,
        (400, "CreateSceneFail".into())
    );
    assert_eq!(
        fail::<create_pts_scene::CreatePtsScene>(&c, json!({"Scene": "{not json"})).await,
        (400, "4001".into())
    );

    // SavePtsScene: create, then update keeping the ids that were echoed.
    let id =
        call::<save_pts_scene::SavePtsScene>(&c, json!({"Scene": pts_scene("conformance", 10)}))
            .await
            .scene_id
            .unwrap();
    let got = call::<get_pts_scene::GetPtsScene>(&c, json!({"SceneId": id})).await.scene.unwrap();
    assert_eq!(got.scene_name.as_deref(), Some("conformance"));
    assert_eq!(got.status.as_ref().map(|s| format!("{s:?}")), Some("Draft".into()));
    assert_eq!(got.load_config.as_ref().unwrap().test_mode.as_deref(), Some("CONCURRENCY"));
    let rel = &got.relation_list.as_ref().unwrap()[0];
    let (rel_id, api_ids): (String, Vec<String>) = (
        rel.relation_id.clone().unwrap(),
        rel.api_list.as_ref().unwrap().iter().map(|a| a.api_id.clone().unwrap()).collect(),
    );
    assert!(is_id(&rel_id) && api_ids.iter().all(|a| is_id(a)));
    let mut update = pts_scene("conformance v2", 10);
    update["SceneId"] = json!(id);
    update["RelationList"][0]["RelationId"] = json!(rel_id);
    update["RelationList"][0]["ApiList"][0]["ApiId"] = json!(api_ids[0]);
    call::<save_pts_scene::SavePtsScene>(&c, json!({"Scene": update})).await;
    let got = call::<get_pts_scene::GetPtsScene>(&c, json!({"SceneId": id})).await.scene.unwrap();
    let rel = &got.relation_list.unwrap()[0];
    assert_eq!(rel.relation_id.as_deref(), Some(rel_id.as_str()));
    assert_eq!(rel.api_list.as_ref().unwrap()[0].api_id.as_deref(), Some(api_ids[0].as_str()));
    assert_eq!(got.scene_name.as_deref(), Some("conformance v2"));
    let mut unknown = pts_scene("x", 1);
    unknown["SceneId"] = json!("NOSUCHID");
    assert_eq!(
        fail::<save_pts_scene::SavePtsScene>(&c, json!({"Scene": unknown})).await,
        (400, "ModifyPtsSceneFail".into())
    );
    let mut missing_file = pts_scene("x", 1);
    missing_file["FileParameterList"][0]["FileName"] = json!("absent.csv");
    assert_eq!(
        fail::<save_pts_scene::SavePtsScene>(&c, json!({"Scene": missing_file})).await,
        (400, "ModifyPtsSceneFail".into())
    );
    let mut bad = pts_scene("x", 1);
    bad["LoadConfig"]["MaxRunningTime"] = json!(2000);
    assert_eq!(
        fail::<save_pts_scene::SavePtsScene>(&c, json!({"Scene": bad})).await,
        (400, "InvalidParameter".into())
    );

    // ModifyPtsScene: form body, lowerCamel text with the sceneId.
    let modify = json!({"sceneId": id, "sceneName": "modified", "relationList": [{"relationName": "r", "apiList": [{"apiName": "a", "url": "http://127.0.0.1:9/", "method": "GET", "redirectCountLimit": 0}]}], "loadConfig": {"testMode": "concurrency_mode", "maxRunningTime": 10, "configuration": {"allConcurrencyBegin": 1, "allConcurrencyLimit": 1}}});
    call::<modify_pts_scene::ModifyPtsScene>(&c, json!({"Scene": modify.to_string()})).await;
    let mut gone = modify.clone();
    gone["sceneId"] = json!("NOSUCHID");
    assert_eq!(
        fail::<modify_pts_scene::ModifyPtsScene>(&c, json!({"Scene": gone.to_string()})).await,
        (400, "ModifyPtsSceneFail".into())
    );
    let got = call::<get_pts_scene::GetPtsScene>(&c, json!({"SceneId": id})).await.scene.unwrap();
    assert_eq!(got.scene_name.as_deref(), Some("modified"));
    assert_eq!(
        fail::<get_pts_scene::GetPtsScene>(&c, json!({"SceneId": "NOSUCHID"})).await,
        (400, "GetPtsSceneFail".into())
    );

    // ListPtsScene: newest first, keyword by name or id, no TotalCount.
    let list =
        call::<list_pts_scene::ListPtsScene>(&c, json!({"PageNumber": 1, "PageSize": 10})).await;
    let ids: Vec<String> =
        list.scene_view_list.unwrap().into_iter().map(|v| v.scene_id.unwrap()).collect();
    assert_eq!(ids, vec![id.clone(), camel_id.clone()]);
    let list = call::<list_pts_scene::ListPtsScene>(
        &c,
        json!({"PageNumber": 1, "PageSize": 10, "KeyWord": "cam"}),
    )
    .await;
    assert_eq!(list.scene_view_list.unwrap().len(), 1);
    let long = "k".repeat(31);
    assert_eq!(
        fail::<list_pts_scene::ListPtsScene>(
            &c,
            json!({"PageNumber": 1, "PageSize": 10, "KeyWord": long})
        )
        .await,
        (400, "ListPtsSceneFail".into())
    );
    assert_eq!(
        fail::<list_pts_scene::ListPtsScene>(&c, json!({"PageNumber": 1, "PageSize": 5})).await,
        (400, "InvalidParameter".into())
    );
    assert_eq!(
        fail::<list_pts_scene::ListPtsScene>(&c, json!({"PageSize": 10})).await,
        (400, "MissingParameter".into())
    );

    // Never ran: status STOPPED, no reports, no baseline.
    let st =
        call::<get_pts_scene_running_status::GetPtsSceneRunningStatus>(&c, json!({"SceneId": id}))
            .await;
    assert_eq!(st.status.map(|s| format!("{s:?}")), Some("Stopped".into()));
    assert_eq!(
        fail::<get_pts_scene_running_status::GetPtsSceneRunningStatus>(
            &c,
            json!({"SceneId": "NOSUCHID"})
        )
        .await,
        (403, "GetPtsSceneRunningStatusFail".into())
    );
    assert_eq!(
        fail::<get_pts_reports_by_scene_id::GetPtsReportsBySceneId>(
            &c,
            json!({"SceneId": id, "PageNumber": 1, "PageSize": 10})
        )
        .await,
        (400, "GetPtsReportsBySceneIdFail".into())
    );
    assert_eq!(
        fail::<stop_pts_scene::StopPtsScene>(&c, json!({"SceneId": id})).await,
        (400, "StopPtsSceneFail".into())
    );
    assert_eq!(
        fail::<adjust_pts_scene_speed::AdjustPtsSceneSpeed>(
            &c,
            json!({"SceneId": id, "ApiSpeedList": []})
        )
        .await,
        (403, "SceneNotExist".into())
    );

    // StartPtsScene -> Running; second start, edit and delete are refused.
    let plan =
        call::<start_pts_scene::StartPtsScene>(&c, json!({"SceneId": id})).await.plan_id.unwrap();
    assert!(is_id(&plan));
    assert_eq!(
        fail::<start_pts_scene::StartPtsScene>(&c, json!({"SceneId": id})).await,
        (400, "StartPtsSceneFail".into())
    );
    assert_eq!(
        fail::<start_pts_scene::StartPtsScene>(&c, json!({"SceneId": "NOSUCHID"})).await,
        (400, "StartPtsSceneFail".into())
    );
    assert_eq!(
        fail::<start_debug_pts_scene::StartDebugPtsScene>(&c, json!({"SceneId": id})).await,
        (400, "StartDebugPtsSceneFail".into())
    );
    assert_eq!(
        fail::<delete_pts_scene::DeletePtsScene>(&c, json!({"SceneId": id})).await,
        (400, "DeletePtsScenesFail".into())
    );
    assert_eq!(
        fail::<delete_pts_scenes::DeletePtsScenes>(&c, json!({"SceneIds": [id]})).await,
        (400, "DeletePtsScenesFail".into())
    );
    let mut edit = pts_scene("edit", 1);
    edit["SceneId"] = json!(id);
    assert_eq!(
        fail::<save_pts_scene::SavePtsScene>(&c, json!({"Scene": edit})).await,
        (400, "ModifyPtsSceneFail".into())
    );
    let got = call::<get_pts_scene::GetPtsScene>(&c, json!({"SceneId": id})).await.scene.unwrap();
    assert_eq!(got.status.map(|s| format!("{s:?}")), Some("Running".into()));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let st =
        call::<get_pts_scene_running_status::GetPtsSceneRunningStatus>(&c, json!({"SceneId": id}))
            .await;
    assert_eq!(st.status.map(|s| format!("{s:?}")), Some("Running".into()));
    let data = call::<get_pts_scene_running_data::GetPtsSceneRunningData>(
        &c,
        json!({"SceneId": id, "PlanId": plan}),
    )
    .await;
    assert_eq!(
        (data.status, data.has_report, data.concurrency_limit),
        (Some(7), Some(false), Some(1))
    );
    assert!(
        data.total_request_count.is_none() && data.average_rt.is_none(),
        "nothing measured, nothing reported"
    );
    assert_eq!(
        fail::<get_pts_scene_running_data::GetPtsSceneRunningData>(
            &c,
            json!({"SceneId": id, "PlanId": "NOSUCHID"})
        )
        .await,
        (400, "GetPtsSceneRunningDataFail".into())
    );
    let first_api =
        got.relation_list.unwrap()[0].api_list.as_ref().unwrap()[0].api_id.clone().unwrap();
    call::<adjust_pts_scene_speed::AdjustPtsSceneSpeed>(
        &c,
        json!({"SceneId": id, "ApiSpeedList": [{"ApiId": first_api, "Speed": 3}]}),
    )
    .await;
    assert_eq!(
        fail::<adjust_pts_scene_speed::AdjustPtsSceneSpeed>(
            &c,
            json!({"SceneId": "NOSUCHID", "ApiSpeedList": []})
        )
        .await,
        (403, "SceneNotExist".into())
    );

    // StopPtsScene -> report.
    call::<stop_pts_scene::StopPtsScene>(&c, json!({"SceneId": id})).await;
    let got = call::<get_pts_scene::GetPtsScene>(&c, json!({"SceneId": id})).await.scene.unwrap();
    assert_eq!(got.status.map(|s| format!("{s:?}")), Some("WaitStart".into()));
    let data = call::<get_pts_scene_running_data::GetPtsSceneRunningData>(
        &c,
        json!({"SceneId": id, "PlanId": plan}),
    )
    .await;
    assert_eq!((data.status, data.has_report), (Some(9), Some(true)));
    let reports = call::<list_pts_reports::ListPtsReports>(
        &c,
        json!({"PageNumber": 1, "PageSize": 10, "SceneId": id}),
    )
    .await;
    assert_eq!(reports.total_count, Some(1));
    let r = &reports.reports.unwrap()[0];
    assert_eq!(r.report_id.as_deref(), Some(plan.as_str()));
    assert_eq!(r.duration.as_deref(), Some("2分钟"), "ran ~1.1 scene minutes, rounded up");
    assert!(r.vum.is_none());
    let none = call::<list_pts_reports::ListPtsReports>(
        &c,
        json!({"PageNumber": 1, "PageSize": 10, "ReportId": "NOSUCHID"}),
    )
    .await;
    assert_eq!(none.total_count, Some(0));
    let by_scene = call::<get_pts_reports_by_scene_id::GetPtsReportsBySceneId>(
        &c,
        json!({"SceneId": id, "PageNumber": 1, "PageSize": 10}),
    )
    .await;
    assert_eq!(
        by_scene.report_over_view_list.unwrap()[0].report_id.as_deref(),
        Some(plan.as_str())
    );
    let details = call::<get_pts_report_details::GetPtsReportDetails>(
        &c,
        json!({"SceneId": id, "PlanId": plan}),
    )
    .await;
    let snap = details.scene_snap_shot.unwrap();
    assert_eq!(
        (snap.scene_name.as_deref(), snap.status.as_deref()),
        (Some("modified"), Some("STOPPED"))
    );
    assert!(details.scene_metrics.is_none() && details.api_metrics_list.is_none());
    assert_eq!(
        fail::<get_pts_report_details::GetPtsReportDetails>(
            &c,
            json!({"SceneId": id, "PlanId": "NOSUCHID"})
        )
        .await,
        (400, "GetPtsReportDetailsFail".into())
    );

    // Baselines.
    assert_eq!(
        fail::<get_pts_scene_base_line::GetPtsSceneBaseLine>(&c, json!({"SceneId": id})).await,
        (400, "GetPtsSceneBaseLineFail".into())
    );
    call::<create_pts_scene_base_line_from_report::CreatePtsSceneBaseLineFromReport>(
        &c,
        json!({"SceneId": id, "ReportId": plan}),
    )
    .await;
    assert_eq!(
        fail::<create_pts_scene_base_line_from_report::CreatePtsSceneBaseLineFromReport>(
            &c,
            json!({"SceneId": camel_id, "ReportId": plan})
        )
        .await,
        (400, "CreatePtsSceneBaseLineFromReportFail".into())
    );
    call::<update_pts_scene_base_line::UpdatePtsSceneBaseLine>(
        &c,
        json!({"SceneId": id, "SceneBaseline": {"avgRt": 12.5, "successRateReq": 0.99}, "ApiBaselines": [{"id": 1, "name": "home", "maxRt": 40}]}),
    )
    .await;
    call::<update_pts_scene_base_line::UpdatePtsSceneBaseLine>(
        &c,
        json!({"SceneId": id, "SceneBaseline": {"AvgTps": 100.0}}),
    )
    .await;
    let b = call::<get_pts_scene_base_line::GetPtsSceneBaseLine>(&c, json!({"SceneId": id}))
        .await
        .baseline
        .unwrap();
    let sb = b.scene_baseline.unwrap();
    assert_eq!((sb.avg_rt, sb.avg_tps, sb.success_rate_req), (Some(12.5), Some(100.0), Some(0.99)));
    assert_eq!(b.api_baselines.unwrap()[0].max_rt, Some(40));
    assert_eq!(b.name.as_deref(), Some("modified"));
    assert_eq!(
        fail::<update_pts_scene_base_line::UpdatePtsSceneBaseLine>(
            &c,
            json!({"SceneId": "NOSUCHID"})
        )
        .await,
        (400, "UpdatePtsSceneBaseLineFail".into())
    );
    call::<delete_pts_scene_base_line::DeletePtsSceneBaseLine>(&c, json!({"SceneId": id})).await;
    assert_eq!(
        fail::<get_pts_scene_base_line::GetPtsSceneBaseLine>(&c, json!({"SceneId": id})).await,
        (400, "GetPtsSceneBaseLineFail".into())
    );
    assert_eq!(
        fail::<delete_pts_scene_base_line::DeletePtsSceneBaseLine>(
            &c,
            json!({"SceneId": "NOSUCHID"})
        )
        .await,
        (400, "DeletePtsSceneBaseLineFail".into())
    );

    // Debug: Debugging until StopDebugPtsScene; sample logs stay empty (nothing ran).
    let dplan = call::<start_debug_pts_scene::StartDebugPtsScene>(&c, json!({"SceneId": id}))
        .await
        .plan_id
        .unwrap();
    let got = call::<get_pts_scene::GetPtsScene>(&c, json!({"SceneId": id})).await.scene.unwrap();
    assert_eq!(got.status.map(|s| format!("{s:?}")), Some("Debugging".into()));
    assert_eq!(
        fail::<stop_pts_scene::StopPtsScene>(&c, json!({"SceneId": id})).await,
        (400, "StopPtsSceneFail".into())
    );
    assert_eq!(
        fail::<stop_debug_pts_scene::StopDebugPtsScene>(&c, json!({"SceneId": id, "PlanId": plan}))
            .await,
        (400, "StopDebugPtsSceneFail".into())
    );
    call::<stop_debug_pts_scene::StopDebugPtsScene>(&c, json!({"SceneId": id, "PlanId": dplan}))
        .await;
    call::<stop_debug_pts_scene::StopDebugPtsScene>(&c, json!({"SceneId": id, "PlanId": dplan}))
        .await;
    let logs = call::<get_pts_debug_sample_logs::GetPtsDebugSampleLogs>(
        &c,
        json!({"PlanId": dplan, "PageNumber": 1, "PageSize": 10}),
    )
    .await;
    assert_eq!((logs.total_count, logs.sampling_logs.map(|l| l.len())), (Some(0), Some(0)));
    assert_eq!(
        fail::<get_pts_debug_sample_logs::GetPtsDebugSampleLogs>(&c, json!({"PlanId": "NOSUCHID"}))
            .await,
        (400, "GetPtsDebugSampleLogsFail".into())
    );
    assert_eq!(
        fail::<start_debug_pts_scene::StartDebugPtsScene>(&c, json!({"SceneId": "NOSUCHID"})).await,
        (400, "StartDebugPtsSceneFail".into())
    );

    // A run ends by itself at MaxRunningTime (1 scene minute = 1 s here).
    let short_plan = call::<start_pts_scene::StartPtsScene>(&c, json!({"SceneId": camel_id}))
        .await
        .plan_id
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let data = call::<get_pts_scene_running_data::GetPtsSceneRunningData>(
        &c,
        json!({"SceneId": camel_id, "PlanId": short_plan}),
    )
    .await;
    assert_eq!((data.status, data.has_report, data.tps_limit), (Some(9), Some(true), Some(5)));

    // Deletes: reports outlive their scene.
    assert_eq!(
        fail::<delete_pts_scene::DeletePtsScene>(&c, json!({"SceneId": "NOSUCHID"})).await,
        (400, "DeletePtsSceneFail".into())
    );
    call::<delete_pts_scene::DeletePtsScene>(&c, json!({"SceneId": camel_id})).await;
    call::<delete_pts_scenes::DeletePtsScenes>(&c, json!({"SceneIds": [id, "NOSUCHID"]})).await;
    let list =
        call::<list_pts_scene::ListPtsScene>(&c, json!({"PageNumber": 1, "PageSize": 10})).await;
    assert!(list.scene_view_list.unwrap().is_empty());
    let reports =
        call::<list_pts_reports::ListPtsReports>(&c, json!({"PageNumber": 1, "PageSize": 10}))
            .await;
    assert_eq!(reports.total_count, Some(2));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jmeter_scenes_runs_reports_and_envs() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let c = client(&server, SignatureVersion::V1);
    server.upload_bytes("plan.jmx", b"<jmeterTestPlan/>").unwrap();
    server.upload_bytes("data.csv", b"a\n").unwrap();
    server.upload_bytes("ext.jar", b"PK").unwrap();

    let env = json!({"EnvName": "env-1", "Files": [{"FileName": "ext.jar", "FileOssAddress": "https://b.oss-cn-shanghai.aliyuncs.com/ext.jar"}],
                     "Properties": [{"Name": "k", "Value": "v"}]});
    let env_id = call::<save_env::SaveEnv>(&c, json!({"Env": env})).await.env_id.unwrap();
    assert!(is_id(&env_id));
    assert_eq!(
        fail::<save_env::SaveEnv>(&c, json!({"Env": {}})).await,
        (503, "SaveEnvFail".into())
    );
    let missing = json!({"EnvName": "e", "Files": [{"FileName": "nope.jar", "FileOssAddress": "x/nope.jar"}]});
    assert_eq!(
        fail::<save_env::SaveEnv>(&c, json!({"Env": missing})).await,
        (503, "SaveEnvFail".into())
    );
    let envs = call::<list_envs::ListEnvs>(&c, json!({"PageNumber": 1, "PageSize": 10})).await;
    assert_eq!(envs.total_count, Some(1));
    let e = &envs.envs.unwrap()[0];
    assert_eq!((e.env_version.as_deref(), e.used_capacity), (Some("5.0"), Some(2)));
    assert_eq!(
        e.files.as_ref().unwrap()[0].md5.as_deref(),
        Some(pts_local::files::md5_hex(b"PK").as_str())
    );
    assert_eq!(
        fail::<list_envs::ListEnvs>(
            &c,
            json!({"PageNumber": 1, "PageSize": 10, "EnvId": "NOSUCHID"})
        )
        .await,
        (503, "EnvNotExist".into())
    );

    let scene = json!({
        "SceneName": "jm", "TestFile": "plan.jmx", "Duration": 60, "Mode": "CONCURRENCY", "AgentCount": 1, "Concurrency": 10,
        "EnvironmentId": env_id,
        "FileList": [{"FileName": "plan.jmx", "FileOssAddress": "https://b.oss-cn-shanghai.aliyuncs.com/plan.jmx"},
                     {"FileName": "data.csv", "FileOssAddress": "https://b.oss-cn-shanghai.aliyuncs.com/data.csv", "SplitCsv": true}]
    });
    let sid =
        call::<save_open_jmeter_scene::SaveOpenJMeterScene>(&c, json!({"OpenJMeterScene": scene}))
            .await
            .scene_id
            .unwrap();
    assert_eq!(
        fail::<save_open_jmeter_scene::SaveOpenJMeterScene>(&c, json!({"OpenJMeterScene": {}}))
            .await,
        (403, "SaveOpenJMeterSceneFail".into())
    );
    let mut short = scene.clone();
    short["Duration"] = json!(59);
    assert_eq!(
        fail::<save_open_jmeter_scene::SaveOpenJMeterScene>(&c, json!({"OpenJMeterScene": short}))
            .await,
        (400, "InvalidParameter".into())
    );
    let got = call::<get_open_jmeter_scene::GetOpenJMeterScene>(&c, json!({"SceneId": sid}))
        .await
        .scene
        .unwrap();
    assert_eq!(
        (got.scene_name.as_deref(), got.duration, got.pool.as_deref()),
        (Some("jm"), Some(60), Some(""))
    );
    assert_eq!(got.file_list.unwrap()[1].file_size, Some(2));
    assert_eq!(
        fail::<get_open_jmeter_scene::GetOpenJMeterScene>(&c, json!({"SceneId": "NOSUCHID"})).await,
        (403, "SceneNotExist".into())
    );
    let list = call::<list_open_jmeter_scenes::ListOpenJMeterScenes>(
        &c,
        json!({"PageNumber": 1, "PageSize": 10}),
    )
    .await;
    assert_eq!(list.total_count, Some(1));
    let row = &list.jmeter_scene.unwrap()[0];
    assert_eq!(
        (row.duration_str.as_deref(), row.status.as_ref().map(|s| format!("{s:?}"))),
        (Some("1分钟"), Some("Stopped".into()))
    );

    // Test run: states, refusals, speed, stop, report.
    let no_run = call::<get_jmeter_scene_running_data::GetJMeterSceneRunningData>(
        &c,
        json!({"SceneId": sid}),
    )
    .await
    .running_data
    .unwrap();
    assert_eq!(no_run.has_report, Some(false));
    let report =
        call::<start_testing_jmeter_scene::StartTestingJMeterScene>(&c, json!({"SceneId": sid}))
            .await
            .report_id
            .unwrap();
    assert_eq!(
        fail::<start_testing_jmeter_scene::StartTestingJMeterScene>(&c, json!({"SceneId": sid}))
            .await,
        (403, "SceneNotExist".into())
    );
    assert_eq!(
        fail::<remove_open_jmeter_scene::RemoveOpenJMeterScene>(&c, json!({"SceneId": sid})).await,
        (403, "SceneNotExist".into())
    );
    assert_eq!(
        fail::<remove_env::RemoveEnv>(&c, json!({"EnvId": env_id})).await,
        (503, "EnvNotExist".into())
    );
    assert_eq!(
        fail::<stop_debugging_jmeter_scene::StopDebuggingJMeterScene>(&c, json!({"SceneId": sid}))
            .await,
        (403, "SceneNotExist".into())
    );
    let envs =
        call::<list_envs::ListEnvs>(&c, json!({"PageNumber": 1, "PageSize": 10, "EnvId": env_id}))
            .await;
    assert_eq!(envs.envs.unwrap()[0].running_scenes.as_deref(), Some(&[sid.clone()][..]));
    let d = call::<get_jmeter_scene_running_data::GetJMeterSceneRunningData>(
        &c,
        json!({"SceneId": sid}),
    )
    .await
    .running_data
    .unwrap();
    assert_eq!(
        (d.report_id.as_deref(), d.is_debugging, d.hold_for),
        (Some(report.as_str()), Some(false), Some(60))
    );
    assert!(d.all_sample_stat.is_none() && d.vum.is_none());
    let adj = call::<adjust_jmeter_scene_speed::AdjustJMeterSceneSpeed>(
        &c,
        json!({"ReportId": report, "Speed": 5}),
    )
    .await;
    assert_eq!(adj.report_id.as_deref(), Some(report.as_str()));
    assert_eq!(
        fail::<adjust_jmeter_scene_speed::AdjustJMeterSceneSpeed>(
            &c,
            json!({"ReportId": report, "Speed": 0})
        )
        .await,
        (400, "InvalidParameter".into())
    );
    assert_eq!(
        fail::<adjust_jmeter_scene_speed::AdjustJMeterSceneSpeed>(
            &c,
            json!({"ReportId": "NOSUCHID", "Speed": 1})
        )
        .await,
        (403, "SceneNotExist".into())
    );
    assert_eq!(
        fail::<get_jmeter_report_details::GetJMeterReportDetails>(&c, json!({"ReportId": report}))
            .await,
        (403, "ReportNotExist".into())
    );
    call::<stop_testing_jmeter_scene::StopTestingJMeterScene>(&c, json!({"SceneId": sid})).await;
    assert_eq!(
        fail::<stop_testing_jmeter_scene::StopTestingJMeterScene>(&c, json!({"SceneId": sid}))
            .await,
        (403, "SceneNotExist".into())
    );
    let reports = call::<list_jmeter_reports::ListJMeterReports>(
        &c,
        json!({"PageNumber": 1, "PageSize": 10}),
    )
    .await;
    assert_eq!(reports.total_count, Some(1));
    let details =
        call::<get_jmeter_report_details::GetJMeterReportDetails>(&c, json!({"ReportId": report}))
            .await;
    assert_eq!(details.report_over_view.unwrap().report_id.as_deref(), Some(report.as_str()));
    assert!(details.scene_metrics.is_none());
    let m =
        call::<get_jmeter_sample_metrics::GetJMeterSampleMetrics>(&c, json!({"ReportId": report}))
            .await;
    assert_eq!(m.sample_metric_list, Some(vec![]));
    let s = call::<get_jmeter_sampling_logs::GetJMeterSamplingLogs>(
        &c,
        json!({"ReportId": report, "PageNumber": 1, "PageSize": 10, "Success": true}),
    )
    .await;
    assert_eq!(s.total_count, Some(0));
    let l = call::<get_jmeter_logs::GetJMeterLogs>(
        &c,
        json!({"ReportId": report, "PageNumber": 1, "PageSize": 10, "AgentIndex": 7}),
    )
    .await;
    assert_eq!((l.total_count, l.agent_count), (Some(0), Some(1)));
    for (status, code) in [
        fail::<get_jmeter_sample_metrics::GetJMeterSampleMetrics>(
            &c,
            json!({"ReportId": "NOSUCHID"}),
        )
        .await,
        fail::<get_jmeter_sampling_logs::GetJMeterSamplingLogs>(
            &c,
            json!({"ReportId": "NOSUCHID", "PageNumber": 1, "PageSize": 10}),
        )
        .await,
        fail::<get_jmeter_logs::GetJMeterLogs>(
            &c,
            json!({"ReportId": "NOSUCHID", "PageNumber": 1, "PageSize": 10}),
        )
        .await,
        fail::<get_jmeter_report_details::GetJMeterReportDetails>(
            &c,
            json!({"ReportId": "NOSUCHID"}),
        )
        .await,
        fail::<get_jmeter_scene_running_data::GetJMeterSceneRunningData>(
            &c,
            json!({"SceneId": "NOSUCHID"}),
        )
        .await,
    ] {
        assert_eq!((status, code.as_str()), (403, "ReportNotExist"));
    }

    // Debug run.
    let dbg = call::<start_debugging_jmeter_scene::StartDebuggingJMeterScene>(
        &c,
        json!({"SceneId": sid}),
    )
    .await
    .report_id
    .unwrap();
    assert_ne!(dbg, report);
    let d = call::<get_jmeter_scene_running_data::GetJMeterSceneRunningData>(
        &c,
        json!({"SceneId": sid}),
    )
    .await
    .running_data
    .unwrap();
    assert_eq!(d.is_debugging, Some(true));
    assert_eq!(
        fail::<stop_testing_jmeter_scene::StopTestingJMeterScene>(&c, json!({"SceneId": sid}))
            .await,
        (403, "SceneNotExist".into())
    );
    call::<stop_debugging_jmeter_scene::StopDebuggingJMeterScene>(&c, json!({"SceneId": sid}))
        .await;
    assert_eq!(
        fail::<start_debugging_jmeter_scene::StartDebuggingJMeterScene>(
            &c,
            json!({"SceneId": "NOSUCHID"})
        )
        .await,
        (403, "SceneNotExist".into())
    );

    // Removal.
    call::<remove_open_jmeter_scene::RemoveOpenJMeterScene>(&c, json!({"SceneId": sid})).await;
    assert_eq!(
        fail::<remove_open_jmeter_scene::RemoveOpenJMeterScene>(&c, json!({"SceneId": sid})).await,
        (403, "SceneNotExist".into())
    );
    call::<remove_env::RemoveEnv>(&c, json!({"EnvId": env_id})).await;
    assert_eq!(
        fail::<remove_env::RemoveEnv>(&c, json!({"EnvId": env_id})).await,
        (503, "EnvNotExist".into())
    );
    let reports = call::<list_jmeter_reports::ListJMeterReports>(
        &c,
        json!({"PageNumber": 1, "PageSize": 10, "SceneId": sid}),
    )
    .await;
    assert_eq!(reports.total_count, Some(2), "reports outlive the scene");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regions_and_vpc_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let c = client(&server, SignatureVersion::V3);
    let regions = call::<get_all_regions::GetAllRegions>(&c, json!({})).await.all_regions.unwrap();
    assert_eq!(regions.len(), 10);
    assert!(regions.contains_key("cn-hangzhou"));
    let vpcs = call::<get_user_vpcs::GetUserVpcs>(
        &c,
        json!({"RegionId": "cn-hangzhou", "PageNumber": 1, "PageSize": 10}),
    )
    .await;
    assert_eq!(vpcs.total_count, Some(1));
    let vpc = vpcs.vpcs.unwrap()[0].vpc_id.clone().unwrap();
    let sg = call::<get_user_vpc_security_group::GetUserVpcSecurityGroup>(
        &c,
        json!({"RegionId": "cn-hangzhou", "VpcId": vpc, "PageNumber": 1, "PageSize": 10}),
    )
    .await;
    assert_eq!(sg.security_group_count, Some(1));
    let vsw = call::<get_user_vpc_vswitch::GetUserVpcVSwitch>(
        &c,
        json!({"RegionId": "cn-hangzhou", "VpcId": vpc, "PageNumber": 1, "PageSize": 1}),
    )
    .await;
    assert_eq!((vsw.vswitch_count, vsw.vswitch_list.map(|l| l.len())), (Some(2), Some(1)));
    for (status, code) in [
        fail::<get_user_vpcs::GetUserVpcs>(
            &c,
            json!({"RegionId": "mars-1", "PageNumber": 1, "PageSize": 10}),
        )
        .await,
        fail::<get_user_vpc_security_group::GetUserVpcSecurityGroup>(
            &c,
            json!({"RegionId": "cn-hangzhou", "VpcId": "vpc-x", "PageNumber": 1, "PageSize": 10}),
        )
        .await,
        fail::<get_user_vpc_vswitch::GetUserVpcVSwitch>(
            &c,
            json!({"RegionId": "cn-hangzhou", "VpcId": "vpc-x", "PageNumber": 1, "PageSize": 10}),
        )
        .await,
    ] {
        assert_eq!((status, code.as_str()), (403, "Code"));
    }
    assert_eq!(
        fail::<get_user_vpcs::GetUserVpcs>(
            &c,
            json!({"RegionId": "cn-hangzhou", "PageNumber": 1, "PageSize": 101})
        )
        .await,
        (400, "InvalidParameter".into())
    );
    server.shutdown().await;
}

/// Every operation was exercised above: keeps the list honest when operations are added.
#[test]
fn all_44_operations_are_covered() {
    let src = include_str!("local_client.rs");
    let covered: HashSet<&str> = pts_api::OPERATIONS
        .iter()
        .map(|m| m.name)
        .filter(|name| {
            let module =
                pts_api::OPERATIONS.iter().find(|m| m.name == *name).map(|m| m.name).unwrap();
            src.contains(&format!("::{module}>"))
        })
        .collect();
    let missing: Vec<&str> =
        pts_api::OPERATIONS.iter().map(|m| m.name).filter(|n| !covered.contains(n)).collect();
    assert_eq!(pts_api::OPERATIONS.len(), 44);
    assert!(missing.is_empty(), "not exercised: {missing:?}");
}

//! Conformance (a), PTS scenes: our pts-api client calls the PTS scene, run, report and
//! baseline operations against an in-process pts-local, on success and error paths, and
//! checks the state it reads back. All traffic goes to 127.0.0.1.

mod local_support;

use local_support::*;
use pts_api::__private::wire::SignatureVersion;
use pts_api::ops::*;
use serde_json::json;
use std::time::Duration;

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
    assert_eq!(
        got.load_config.as_ref().unwrap().test_mode.as_ref().map(|m| m.as_str()),
        Some("CONCURRENCY")
    );
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

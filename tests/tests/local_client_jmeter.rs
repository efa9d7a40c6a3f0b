//! Conformance (a), JMeter scenes, environments, regions and VPC lookups: our pts-api client
//! against an in-process pts-local, on success and error paths. All traffic goes to
//! 127.0.0.1. Also checks that the two conformance files together cover all 44 operations.

mod local_support;

use local_support::*;
use pts_api::__private::wire::SignatureVersion;
use pts_api::ops::*;
use serde_json::json;

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

/// Every operation is exercised by the two conformance files: keeps the list honest when
/// operations are added.
#[test]
fn all_44_operations_are_covered() {
    let src =
        [include_str!("local_client_pts.rs"), include_str!("local_client_jmeter.rs")].concat();
    let missing: Vec<&str> = pts_api::OPERATIONS
        .iter()
        .map(|m| m.name)
        .filter(|name| !src.contains(&format!("::{name}>")))
        .collect();
    assert_eq!(pts_api::OPERATIONS.len(), 44);
    assert!(missing.is_empty(), "not exercised: {missing:?}");
}

use super::*;
use crate::exit::ExitCode;
use pts_api::ops::{get_jmeter_report_details as jrd, get_pts_scene_base_line as gbl};
use serde_json::json;

fn pts_body(v: Value) -> prd::GetPtsReportDetailsResponse {
    serde_json::from_value(v).expect("a GetPtsReportDetails body")
}

#[test]
fn pts_report_is_normalised_with_its_target() {
    let body = pts_body(json!({
        "ReportOverView": {"ReportId": "P1", "ReportName": "r", "StartTime": "2026-11-25 10:00:00",
                           "EndTime": "2026-11-25 10:01:00", "AgentCount": 2, "Vum": 7},
        "SceneMetrics": {"AllCount": 1000, "FailCountReq": 3, "FailCountBiz": 1, "SuccessRateReq": 0.997,
                         "SuccessRateBiz": 0.996, "AvgRt": 12.5, "Seg90Rt": 20.0, "Seg99Rt": 40.0, "AvgTps": 16.6},
        "ApiMetricsList": [{"ApiName": "a", "AllCount": 1000, "FailCountReq": 3, "SuccessRateReq": 0.997,
                            "AvgRt": 12.5, "MaxRt": 90.0, "Seg50Rt": 10.0, "Seg99Rt": 40.0, "AvgTps": 16.6}],
        "SceneSnapShot": {"SceneName": "s", "LoadConfig": {"TestMode": "tps_mode",
            "Configuration": {"AllRpsLimit": 20}, "RelationLoadConfigList": [{"ConcurrencyLimit": 4}]}}
    }));
    let s = pts_summary("S1", "P1", &body).unwrap();
    assert_eq!(s.kind, ReportKind::Pts);
    assert_eq!((s.scene_id.as_str(), s.plan_id.as_str(), s.name.as_str()), ("S1", "P1", "r"));
    assert_eq!((s.vum, s.agents), (Some(7), Some(2)));
    assert_eq!(s.scene.total_requests, 1000);
    assert_eq!(s.scene.failed_business, Some(1));
    assert_eq!(s.scene.success_rate, 0.997);
    assert_eq!(s.scene.p99_rt_ms, Some(40.0));
    assert_eq!(s.apis[0].metrics.max_rt_ms, Some(90.0));
    assert_eq!(s.apis[0].metrics.p50_rt_ms, Some(10.0));
    assert_eq!(s.target.tps, Some(20.0));
    assert_eq!(s.target.concurrency, Some(4));
}

#[test]
fn empty_reports_are_errors_not_zeros() {
    for body in [json!({}), json!({"SceneMetrics": {"AllCount": 0}})] {
        let e = pts_summary("S1", "P1", &pts_body(body)).unwrap_err();
        assert_eq!(e.code, ExitCode::Service);
        assert!(
            e.message.contains("empty report") && e.message.contains("plan P1"),
            "{}",
            e.message
        );
    }
    let e = jmeter_summary("R1", &serde_json::from_value(json!({})).unwrap()).unwrap_err();
    assert!(e.message.contains("GetJMeterReportDetails report R1"), "{}", e.message);
}

#[test]
fn jmeter_rates_arrive_as_percentages() {
    let body: jrd::GetJMeterReportDetailsResponse = serde_json::from_value(json!({
        "ReportOverView": {"ReportId": "R1", "ReportName": "j"},
        "SceneMetrics": {"AllCount": 2000, "FailCountReq": 10, "SuccessRateReq": 99.5, "AvgRt": 8.0,
                         "Seg90Rt": 12.0, "Seg99Rt": 30.0, "AvgTps": 33.3},
        "SamplerMetricsList": [{"ApiName": "HTTP Request", "AllCount": 2000, "FailCountReq": 10,
                                "SuccessRateReq": 99.5, "AvgRt": 8.0, "MaxRt": 70.0, "AvgTps": 33.3}]
    }))
    .unwrap();
    let s = jmeter_summary("R1", &body).unwrap();
    assert_eq!(s.kind, ReportKind::JMeter);
    assert!((s.scene.success_rate - 0.995).abs() < 1e-12);
    assert!((s.apis[0].metrics.success_rate - 0.995).abs() < 1e-12);
    assert_eq!(s.apis[0].metrics.failed_business, None);
    assert_eq!(s.plan_id, "R1");
}

#[test]
fn baselines_have_no_invented_counts() {
    let body: gbl::GetPtsSceneBaseLineResponse = serde_json::from_value(json!({
        "SceneId": "S1",
        "Baseline": {"Name": "shop", "SceneBaseline": {"AvgRt": 5.0, "AvgTps": 10.0, "Seg99Rt": 9.0,
                     "SuccessRateReq": 1.0, "FailCountReq": 0},
                     "ApiBaselines": [{"Name": "a", "AvgRt": 5.0, "MaxRt": 12, "SuccessRateReq": 0.99}]}
    }))
    .unwrap();
    let b = baseline_summary("S1", body).unwrap();
    assert_eq!(b.kind, ReportKind::Baseline);
    assert_eq!(b.scene.total_requests, 0);
    assert_eq!(b.scene.p99_rt_ms, Some(9.0));
    assert_eq!(b.apis[0].metrics.max_rt_ms, Some(12.0));
    assert_eq!(b.label(), "baseline of scene S1");
    let none: gbl::GetPtsSceneBaseLineResponse =
        serde_json::from_value(json!({"Baseline": {"Name": "x"}})).unwrap();
    assert!(baseline_summary("S1", none).is_none());
}

#[test]
fn jmeter_buckets_become_cumulative_samples_in_time_order() {
    let buckets = vec![
        json!({"timestamp": 1_700_000_001_000i64, "tps": 12.0, "rtAvg": 4.0, "totalCount": 12,
               "reqFailureCount": 1, "concurrency": 3}),
        json!({"timestamp": 1_700_000_000_000i64, "tps": 10.0, "rtAvg": 5.0, "totalCount": 10,
               "reqFailureCount": 0, "concurrency": 2}),
    ];
    let s = samples_from_buckets(&buckets);
    assert_eq!(s.len(), 2);
    assert_eq!((s[0].elapsed_s, s[1].elapsed_s), (0.0, 1.0));
    assert_eq!((s[0].tps, s[1].tps), (10.0, 12.0));
    assert_eq!((s[0].total_requests, s[1].total_requests), (10, 22));
    assert_eq!(s[1].failed_requests, 1);
    assert_eq!(s[1].concurrency, 3);
    assert_eq!(s[0].at, "2023-11-14T22:13:20Z");
}

//! PTS runs through the service, as seen while they run: VUM from measured concurrency over
//! scene time, running data with rates from the first second and refreshed every second, and
//! debug samples listed as soon as each request completes.

mod common;
mod engine_support;

use engine_support::{Reply, Target, api, conc_scene, relation};
use pts_api::Client;
use pts_api::ops::get_pts_debug_sample_logs::{
    GetPtsDebugSampleLogs, GetPtsDebugSampleLogsRequest, GetPtsDebugSampleLogsResponse,
};
use pts_api::ops::get_pts_report_details::{GetPtsReportDetails, GetPtsReportDetailsRequest};
use pts_api::ops::get_pts_scene_running_data::{
    GetPtsSceneRunningData, GetPtsSceneRunningDataRequest, GetPtsSceneRunningDataResponse,
};
use pts_api::ops::get_pts_scene_running_status::{
    GetPtsSceneRunningStatus, GetPtsSceneRunningStatusRequest,
};
use pts_api::ops::list_pts_reports::{ListPtsReports, ListPtsReportsRequest};
use pts_api::ops::save_pts_scene::{SavePtsScene, SavePtsSceneRequest};
use pts_api::ops::start_debug_pts_scene::{StartDebugPtsScene, StartDebugPtsSceneRequest};
use pts_api::ops::start_pts_scene::{StartPtsScene, StartPtsSceneRequest};
use pts_api::ops::stop_pts_scene::{StopPtsScene, StopPtsSceneRequest};
use pts_api::shapes::scene::Scene;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

async fn save(client: &Client, scene: Scene) -> String {
    let req = SavePtsSceneRequest::builder().scene(scene).build().unwrap();
    client.send::<SavePtsScene>(req).await.unwrap().body.scene_id.unwrap()
}

async fn start(client: &Client, scene: &str) -> String {
    let req = StartPtsSceneRequest::builder().scene_id(scene).build().unwrap();
    client.send::<StartPtsScene>(req).await.unwrap().body.plan_id.unwrap()
}

async fn running(client: &Client, scene: &str, plan: &str) -> GetPtsSceneRunningDataResponse {
    let req =
        GetPtsSceneRunningDataRequest::builder().scene_id(scene).plan_id(plan).build().unwrap();
    client.send::<GetPtsSceneRunningData>(req).await.unwrap().body
}

async fn debug_logs(client: &Client, plan: &str) -> GetPtsDebugSampleLogsResponse {
    let req = GetPtsDebugSampleLogsRequest::builder()
        .plan_id(plan)
        .page_number(1)
        .page_size(10)
        .build()
        .unwrap();
    client.send::<GetPtsDebugSampleLogs>(req).await.unwrap().body
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64
}

/// 3 virtual users for 2 scene minutes are 6 VUM (time scale 60: 2 wall seconds), in the
/// report, the report list and the final running data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vum_is_concurrency_over_scene_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(dir.path(), 60.0).await;
    let client = common::client(&server);
    let t = Target::start_counting(|_| Reply::ok("x").delay(Duration::from_millis(2)));
    let scene = conc_scene(vec![relation("r", vec![api("a", "GET", &t.url("/a"))])], 3, 2);
    let id = save(&client, scene).await;
    let plan = start(&client, &id).await;
    let t0 = Instant::now();
    let mut vums = Vec::new();
    let last = loop {
        let d = running(&client, &id, &plan).await;
        vums.push(d.vum.unwrap_or(0));
        if d.has_report == Some(true) {
            break d;
        }
        assert!(t0.elapsed() < Duration::from_secs(6), "run did not end");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(vums.windows(2).all(|w| w[0] <= w[1]), "VUM only grows: {vums:?}");
    assert!(vums.iter().any(|v| (1..6).contains(v)), "VUM grows while running: {vums:?}");
    assert_eq!(last.vum, Some(6));
    let req = GetPtsReportDetailsRequest::builder().scene_id(&id).plan_id(&plan).build().unwrap();
    let r = client.send::<GetPtsReportDetails>(req).await.unwrap().body;
    assert_eq!(r.report_over_view.unwrap().vum, Some(6));
    let req = ListPtsReportsRequest::builder().page_number(1).page_size(10).scene_id(&id).build();
    let list = client.send::<ListPtsReports>(req.unwrap()).await.unwrap().body;
    assert_eq!(list.reports.unwrap()[0].vum, Some(6));
    server.shutdown().await;
}

/// Rates are real within the first second (over the part of it measured so far) and the
/// window they come from is never more than ~1.2 s old; counts and VUM never go down.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn running_data_is_live_from_the_first_second() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(dir.path(), 60.0).await;
    let client = common::client(&server);
    let t = Target::start_counting(|_| Reply::ok("x").delay(Duration::from_millis(5)));
    let scene = conc_scene(vec![relation("r", vec![api("a", "GET", &t.url("/a"))])], 2, 10);
    let id = save(&client, scene).await;
    let plan = start(&client, &id).await;
    let t0 = Instant::now();
    let first = loop {
        let d = running(&client, &id, &plan).await;
        if d.total_real_qps.unwrap_or(0) > 0 {
            break d;
        }
        assert!(t0.elapsed() < Duration::from_millis(900), "no rate in the first second");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    // 2 virtual users, 5 ms answers: at most 400 requests/s.
    let qps = first.total_real_qps.unwrap();
    assert!(qps > 20 && qps <= 440, "{qps}");
    let chain = &first.chain_monitor_data_list.as_ref().unwrap()[0];
    assert!(chain.real_qps.unwrap() > 0.0 && chain.qps2_xx.unwrap() > 0.0, "{chain:?}");
    let begin = first.begin_time.unwrap();
    let mut points = Vec::new();
    let mut prev = 0;
    while t0.elapsed() < Duration::from_millis(2600) {
        let d = running(&client, &id, &plan).await;
        let n = d.total_request_count.unwrap();
        assert!(n >= prev && d.total_real_qps.unwrap() > 0, "{d:?}");
        prev = n;
        let tp = d.chain_monitor_data_list.unwrap()[0].time_point.unwrap();
        // The window [tp, tp + 1 s) ended at most ~1.2 s ago.
        let age = now_ms() - (tp + 1000);
        assert!(age <= 1200, "window {age} ms old");
        points.push(tp - begin);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    points.dedup();
    assert!(points.len() >= 2 && points.windows(2).all(|w| w[1] == w[0] + 1000), "{points:?}");
    let req = StopPtsSceneRequest::builder().scene_id(&id).build().unwrap();
    client.send::<StopPtsScene>(req).await.unwrap();
    server.shutdown().await;
}

/// StopPtsScene with requests hanging in flight: the stop is acknowledged and the requests are
/// cancelled (the target sees the connections closed) within 2 s; the scene is STOPPED and the
/// report, written from measured data, exists when the call returns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_cancels_in_flight_requests_and_writes_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(dir.path(), 60.0).await;
    let client = common::client(&server);
    let t = Target::start(
        false,
        |seen| {
            if seen.path == "/hang" { Reply::hang() } else { Reply::ok("x") }
        },
    );
    let mut hang = api("hang", "GET", &t.url("/hang"));
    hang.timeout_in_second = Some(60);
    let apis = vec![api("ok", "GET", &t.url("/ok")), hang];
    let id = save(&client, conc_scene(vec![relation("r", apis)], 3, 10)).await;
    let plan = start(&client, &id).await;
    let t0 = Instant::now();
    while t.count() < 6 {
        assert!(t0.elapsed() < Duration::from_secs(3), "requests not in flight");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let stop_at = Instant::now();
    let req = StopPtsSceneRequest::builder().scene_id(&id).build().unwrap();
    client.send::<StopPtsScene>(req).await.unwrap();
    let took = stop_at.elapsed();
    assert!(took < Duration::from_secs(2), "stop took {took:?}");
    let req = GetPtsSceneRunningStatusRequest::builder().scene_id(&id).build().unwrap();
    let status = client.send::<GetPtsSceneRunningStatus>(req).await.unwrap().body;
    assert_eq!(status.status.as_ref().map(|s| s.as_str()), Some("STOPPED"));
    while t.abandoned() < 3 {
        assert!(stop_at.elapsed() < Duration::from_secs(2), "in-flight requests not cancelled");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let req = GetPtsReportDetailsRequest::builder().scene_id(&id).plan_id(&plan).build().unwrap();
    let r = client.send::<GetPtsReportDetails>(req).await.unwrap().body;
    let m = r.scene_metrics.expect("report written");
    // The 3 /ok requests completed; the 3 hanging ones were cancelled and count as failed
    // requests: the report accounts for every request the target received.
    assert_eq!(m.all_count, Some(6));
    assert_eq!(m.fail_count_req, Some(3));
    assert_eq!(t.count(), 6);
    server.shutdown().await;
}

/// StartPtsScene and StartDebugPtsScene refuse a scene whose target is not loopback (nor
/// bound to loopback, nor allowed); nothing runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_loopback_targets_are_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(dir.path(), 60.0).await;
    let client = common::client(&server);
    let scene = conc_scene(vec![relation("r", vec![api("a", "GET", "http://10.0.0.1:9/x")])], 1, 1);
    let id = save(&client, scene).await;
    let req = StartPtsSceneRequest::builder().scene_id(&id).build().unwrap();
    let err = client.send::<StartPtsScene>(req).await.unwrap_err();
    assert!(err.to_string().contains("Target must be loopback"), "{err}");
    let req = StartDebugPtsSceneRequest::builder().scene_id(&id).build().unwrap();
    let err = client.send::<StartDebugPtsScene>(req).await.unwrap_err();
    assert!(err.to_string().contains("10.0.0.1"), "{err}");
    let req = GetPtsSceneRunningStatusRequest::builder().scene_id(&id).build().unwrap();
    let status = client.send::<GetPtsSceneRunningStatus>(req).await.unwrap().body;
    assert_eq!(status.status.as_ref().map(|s| s.as_str()), Some("STOPPED"));
    server.shutdown().await;
}

/// A debug run's first sample is listed while its second request is still in flight.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_samples_are_listed_as_recorded() {
    let dir = tempfile::tempdir().unwrap();
    // Time scale 10: the debug window (60 scene seconds) is 6 s.
    let server = common::start(dir.path(), 10.0).await;
    let client = common::client(&server);
    let t = Target::start(false, |seen| {
        let slow = seen.path.starts_with("/slow");
        Reply::ok("x").delay(if slow { Duration::from_millis(1200) } else { Duration::ZERO })
    });
    let apis = vec![api("fast", "GET", &t.url("/fast")), api("slow", "GET", &t.url("/slow"))];
    let id = save(&client, conc_scene(vec![relation("r", apis)], 1, 1)).await;
    let req = StartDebugPtsSceneRequest::builder().scene_id(&id).build().unwrap();
    let plan = client.send::<StartDebugPtsScene>(req).await.unwrap().body.plan_id.unwrap();
    let t0 = Instant::now();
    loop {
        let out = debug_logs(&client, &plan).await;
        if out.total_count == Some(1) {
            let logs = out.sampling_logs.unwrap();
            assert!(logs[0].http_request_url.as_deref().unwrap().ends_with("/fast"));
            break;
        }
        assert!(t0.elapsed() < Duration::from_millis(1000), "first sample not listed in time");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(t0.elapsed() < Duration::from_millis(1100), "listed before /slow answered");
    loop {
        let out = debug_logs(&client, &plan).await;
        if out.total_count == Some(2) {
            assert!(out.sampling_logs.unwrap()[1].rt.is_some());
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(4), "second sample not listed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(t0.elapsed() < Duration::from_secs(5), "listed while the debug plan is active");
    server.shutdown().await;
}

//! The service with its default load engine: PTS runs through the API against a local target.

mod common;
mod engine_support;

use engine_support::{Reply, Target, api, check, export, relation};
use pts_api::Client;
use pts_api::ops::adjust_pts_scene_speed::{
    AdjustPtsSceneSpeed, AdjustPtsSceneSpeedRequest, ApiSpeed,
};
use pts_api::ops::get_pts_report_details::{
    GetPtsReportDetails, GetPtsReportDetailsRequest, GetPtsReportDetailsResponse,
};
use pts_api::ops::get_pts_scene_running_data::{
    GetPtsSceneRunningData, GetPtsSceneRunningDataRequest, GetPtsSceneRunningDataResponse,
};
use pts_api::ops::save_pts_scene::{SavePtsScene, SavePtsSceneRequest};
use pts_api::ops::start_pts_scene::{StartPtsScene, StartPtsSceneRequest};
use pts_api::ops::stop_pts_scene::{StopPtsScene, StopPtsSceneRequest};
use pts_api::shapes::scene::{Configuration, LoadConfig, Scene};
use std::time::{Duration, Instant};

/// Two APIs in one relation: `login` (checkpoint on the status, exports `token` from the JSON
/// body) and `items` (sends the token).
fn target() -> Target {
    Target::start(false, |seen| {
        if seen.path.starts_with("/login") {
            Reply::ok(r#"{"data":{"token":"T42"}}"#).header("Content-Type", "application/json")
        } else {
            Reply::ok("items")
        }
    })
}

fn scene(t: &Target, mode: &str, begin: i32, minutes: i32) -> Scene {
    let mut login = api("login", "GET", &t.url("/login"));
    login.check_point_list = Some(vec![check("STATUS_CODE", "", "eq", "200")]);
    login.export_list = Some(vec![export("token", "BODY_JSON", "data.token", None)]);
    let items = api("items", "GET", &t.url("/items?t=${token}"));
    let configuration = if mode == "tps_mode" {
        pts_api::make!(Configuration { all_rps_begin: Some(begin), all_rps_limit: Some(begin) })
    } else {
        pts_api::make!(Configuration {
            all_concurrency_begin: Some(begin),
            all_concurrency_limit: Some(begin),
        })
    };
    pts_api::make!(Scene {
        scene_name: "engine service".into(),
        relation_list: vec![relation("chain", vec![login, items])],
        load_config: pts_api::make!(LoadConfig {
            test_mode: mode.into(),
            max_running_time: minutes,
            configuration: configuration,
        }),
    })
}

async fn save(client: &Client, scene: Scene) -> String {
    let out = client
        .send::<SavePtsScene>(SavePtsSceneRequest::builder().scene(scene).build().unwrap())
        .await
        .unwrap();
    out.body.scene_id.unwrap()
}

async fn running(client: &Client, scene: &str, plan: &str) -> GetPtsSceneRunningDataResponse {
    let req =
        GetPtsSceneRunningDataRequest::builder().scene_id(scene).plan_id(plan).build().unwrap();
    client.send::<GetPtsSceneRunningData>(req).await.unwrap().body
}

async fn report(client: &Client, scene: &str, plan: &str) -> GetPtsReportDetailsResponse {
    let req = GetPtsReportDetailsRequest::builder().scene_id(scene).plan_id(plan).build().unwrap();
    client.send::<GetPtsReportDetails>(req).await.unwrap().body
}

async fn start(client: &Client, scene: &str) -> String {
    let req = StartPtsSceneRequest::builder().scene_id(scene).build().unwrap();
    client.send::<StartPtsScene>(req).await.unwrap().body.plan_id.unwrap()
}

fn check_report(r: &GetPtsReportDetailsResponse, expected: u64, tolerance: u64) -> i64 {
    let m = r.scene_metrics.as_ref().expect("scene metrics");
    let all = m.all_count.unwrap();
    assert!(
        (all as u64) <= expected && expected <= all as u64 + tolerance,
        "report {all} vs target {expected} (tolerance {tolerance})"
    );
    assert!(all > 0);
    assert_eq!(m.fail_count_req, Some(0));
    assert_eq!(m.fail_count_biz, Some(0));
    assert_eq!(m.success_rate_req, Some(1.0));
    assert_eq!(m.success_rate_biz, Some(1.0));
    assert!(m.avg_rt.unwrap() >= 0.0 && m.avg_rt.unwrap() < 1000.0);
    assert!(m.avg_tps.unwrap() > 0.0);
    assert!(m.seg99_rt.unwrap() >= m.seg90_rt.unwrap());
    let apis = r.api_metrics_list.as_ref().expect("api metrics");
    assert_eq!(apis.len(), 2);
    assert_eq!(apis.iter().map(|a| a.all_count.unwrap()).sum::<i64>(), all);
    assert_eq!(apis[0].api_name.as_deref(), Some("login"));
    let ov = r.report_over_view.as_ref().expect("overview");
    assert!(ov.vum.is_some());
    assert_eq!(ov.agent_count, Some(1));
    all
}

/// A run that ends by MaxRunningTime: the report counts exactly what the target received.
/// RPS mode, 7 requests/s per API, 1 scene minute = 1.5 s (time scale 40): sends at k/7 s, the
/// end falls half an interval after the last send, so nothing is in flight at the end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn natural_end_counts_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(dir.path(), 40.0).await;
    let client = common::client(&server);
    let t = target();
    let id = save(&client, scene(&t, "tps_mode", 14, 1)).await;
    let plan = start(&client, &id).await;
    let t0 = Instant::now();
    let mut live = None;
    loop {
        let d = running(&client, &id, &plan).await;
        if d.has_report == Some(true) {
            break;
        }
        if d.total_request_count.unwrap_or(0) > 0 && live.is_none() {
            live = Some(d);
        }
        assert!(t0.elapsed() < Duration::from_secs(10), "run did not end");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    let real = t0.elapsed();
    // 1 scene minute at 40 scene seconds per real second = 1.5 s.
    assert!(real >= Duration::from_millis(1400) && real < Duration::from_secs(3), "{real:?}");
    let live = live.expect("running data while running");
    assert_eq!(live.tps_limit, Some(14));
    assert_eq!(live.chain_monitor_data_list.as_ref().unwrap().len(), 2);
    let r = report(&client, &id, &plan).await;
    let all = check_report(&r, t.count(), 0);
    // 1.5 s at 7/s per API: 11 sends each (k = 0..=10).
    assert!((18..=24).contains(&all), "{all}");
    // Final running data keeps the counts, rates are 0.
    let d = running(&client, &id, &plan).await;
    assert_eq!(d.total_request_count, Some(all));
    assert_eq!(d.total_real_qps, Some(0));
    server.shutdown().await;
}

/// A stopped run: live data grows, StopPtsScene ends it, the report matches the target
/// exactly (the requests in flight at the stop complete within its grace and are counted).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopped_run_reports_and_running_data() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(dir.path(), 60.0).await;
    let client = common::client(&server);
    let t = target();
    let id = save(&client, scene(&t, "concurrency_mode", 2, 10)).await;
    let plan = start(&client, &id).await;
    let t0 = Instant::now();
    let mut seen = Vec::new();
    let live = loop {
        let d = running(&client, &id, &plan).await;
        let n = d.total_request_count.unwrap_or(0);
        seen.push(n);
        // The service reports RUNNING once its ~1 s preparation phases have passed.
        if n > 200 && d.total_real_qps.unwrap_or(0) > 0 && d.status == Some(7) {
            break d;
        }
        assert!(t0.elapsed() < Duration::from_secs(8), "no traffic: {seen:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "counts never go down: {seen:?}");
    assert_eq!(live.concurrency, Some(2));
    assert_eq!(live.concurrency_limit, Some(2));
    assert_eq!(live.status, Some(7), "RUNNING");
    assert_eq!(live.has_report, Some(false));
    assert_eq!(live.failed_request_count, Some(0));
    assert!(live.total_real_qps.unwrap() > 0, "{live:?}");
    let chain = live.chain_monitor_data_list.unwrap();
    assert_eq!(chain.len(), 2);
    assert_eq!(chain[0].api_id.as_deref(), Some("APIlogin"));
    assert!(chain[1].count2_xx.unwrap() > 0, "the exported token chain runs");
    // AdjustPtsSceneSpeed reaches the engine: the relation drops to 1 virtual user.
    let speed = pts_api::make!(ApiSpeed { api_id: Some("APIlogin".into()), speed: Some(1) });
    let req =
        AdjustPtsSceneSpeedRequest::builder().scene_id(&id).api_speed_list(vec![speed]).build();
    client.send::<AdjustPtsSceneSpeed>(req.unwrap()).await.unwrap();
    loop {
        if running(&client, &id, &plan).await.concurrency == Some(1) {
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(8), "adjustment not applied");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    client
        .send::<StopPtsScene>(StopPtsSceneRequest::builder().scene_id(&id).build().unwrap())
        .await
        .unwrap();
    let r = report(&client, &id, &plan).await;
    let all = check_report(&r, t.count(), 0);
    let d = running(&client, &id, &plan).await;
    assert_eq!(d.has_report, Some(true));
    assert_eq!(d.status, Some(9));
    assert_eq!(d.total_request_count, Some(all));
    assert!(t0.elapsed() < Duration::from_secs(8), "stopped long before MaxRunningTime");
    server.shutdown().await;
}

/// A debug run samples every request; GetPtsDebugSampleLogs lists them after the stop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_run_produces_sample_logs() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(dir.path(), 60.0).await;
    let client = common::client(&server);
    let t = Target::start(true, |seen| {
        if seen.path.starts_with("/login") {
            Reply::ok(r#"{"data":{"token":"T42"}}"#)
        } else {
            Reply::ok("items")
        }
    });
    let id = save(&client, scene(&t, "concurrency_mode", 1, 1)).await;
    let logs = engine_support::service::debug_samples(&client, &id, &t, 2).await;
    assert_eq!(logs.total_count, Some(2));
    let logs = logs.sampling_logs.unwrap();
    assert_eq!(logs.len(), 2);
    assert!(logs[0].http_request_url.as_deref().unwrap().ends_with("/login"));
    assert_eq!(logs[0].http_response_status.as_deref(), Some("200"));
    assert!(logs[1].http_request_url.as_deref().unwrap().ends_with("/items?t=T42"));
    let seen = t.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].path, "/items?t=T42");
    server.shutdown().await;
}

/// The NullEngine stays selectable: no traffic, measured fields absent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn null_engine_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = pts_local::Config::new(dir.path())
        .with_keys(vec![pts_local::Key::new(common::AK, common::SK)])
        .with_time_scale(60.0)
        .with_null_engine();
    let server = pts_local::Server::start(config).await.unwrap();
    let client = common::client(&server);
    let t = target();
    let id = save(&client, scene(&t, "concurrency_mode", 2, 10)).await;
    let plan = start(&client, &id).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let d = running(&client, &id, &plan).await;
    assert_eq!(d.total_request_count, None);
    client
        .send::<StopPtsScene>(StopPtsSceneRequest::builder().scene_id(&id).build().unwrap())
        .await
        .unwrap();
    assert_eq!(t.count(), 0);
    let r = report(&client, &id, &plan).await;
    assert!(r.scene_metrics.is_none());
    server.shutdown().await;
}

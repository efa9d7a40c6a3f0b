//! JMeter runs through the service: the engine log (GetJMeterLogs), live data from the first
//! second, debug samples while the run is active, and a JMX changed after saving.

mod common;
mod engine_support;

use engine_support::jmeter::{body_assertion, jmx, running, save, scene};
use engine_support::{Reply, Target};
use pts_api::Client;
use pts_api::ops::adjust_jmeter_scene_speed::{
    AdjustJMeterSceneSpeed, AdjustJMeterSceneSpeedRequest,
};
use pts_api::ops::get_jmeter_logs::{GetJMeterLogs, GetJMeterLogsRequest};
use pts_api::ops::get_jmeter_sampling_logs::{GetJMeterSamplingLogs, GetJMeterSamplingLogsRequest};
use pts_api::ops::start_debugging_jmeter_scene::{
    StartDebuggingJMeterScene, StartDebuggingJMeterSceneRequest,
};
use pts_api::ops::start_testing_jmeter_scene::{
    StartTestingJMeterScene, StartTestingJMeterSceneRequest,
};
use pts_api::ops::stop_testing_jmeter_scene::{
    StopTestingJMeterScene, StopTestingJMeterSceneRequest,
};
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// GetJMeterLogs of a report: (TotalCount, log texts, levels).
async fn logs(
    client: &Client,
    report: &str,
    level: Option<&str>,
    keyword: Option<&str>,
    size: i32,
) -> (i64, Vec<String>, Vec<String>) {
    let mut b = GetJMeterLogsRequest::builder().report_id(report).page_number(1).page_size(size);
    if let Some(l) = level {
        b = b.level(l);
    }
    if let Some(k) = keyword {
        b = b.keyword(k);
    }
    let out = client.send::<GetJMeterLogs>(b.build().unwrap()).await.unwrap().body;
    let items: Vec<Value> = out.logs.unwrap_or_default();
    let field = |k: &str| -> Vec<String> {
        items.iter().map(|v| v[k].as_str().unwrap_or_default().to_string()).collect()
    };
    for v in &items {
        assert!(v["timeTS"].as_i64().unwrap() > 0 && v["time"].is_string(), "{v}");
    }
    (out.total_count.unwrap(), field("logText"), field("level"))
}

/// Start (with thread counts), per-second assertion-failure summaries, an adjustment, the stop
/// and its reason are logged while the run is active and kept with the report; paging, level
/// and keyword filters apply. Live data has rates within the first second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jmeter_logs_and_first_second_live_data() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(dir.path(), 60.0).await;
    let client = common::client(&server);
    // Every other answer lacks the asserted text.
    let n = AtomicU64::new(0);
    let t = Target::start_counting(move |_| {
        Reply::ok(if n.fetch_add(1, Ordering::Relaxed).is_multiple_of(2) { "home" } else { "oops" })
    });
    let xml = jmx(t.addr.port(), &body_assertion("home"));
    pts_local::FileStore::open(dir.path()).unwrap().add_bytes("logs.jmx", xml.as_bytes()).unwrap();
    let id = save(&client, scene("logs.jmx")).await.unwrap();
    let req = StartTestingJMeterSceneRequest::builder().scene_id(&id).build().unwrap();
    let report = client.send::<StartTestingJMeterScene>(req).await.unwrap().body.report_id.unwrap();
    let t0 = Instant::now();
    let tps = loop {
        let d = running(&client, &id).await;
        let tps = d.all_sample_stat.as_ref().and_then(|s| s["tps"].as_f64()).unwrap_or(0.0);
        if tps > 0.0 {
            break tps;
        }
        assert!(t0.elapsed() < Duration::from_millis(900), "no rate within the first second");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(t0.elapsed() < Duration::from_secs(1) && tps > 0.0);
    let req = AdjustJMeterSceneSpeedRequest::builder().report_id(&report).speed(3).build();
    client.send::<AdjustJMeterSceneSpeed>(req.unwrap()).await.unwrap();
    // Second 0 is summarised once it ends.
    let live = loop {
        let (total, texts, _) = logs(&client, &report, None, None, 200).await;
        if texts.iter().any(|t| t.contains("assertion failures")) {
            break (total, texts);
        }
        assert!(t0.elapsed() < Duration::from_secs(3), "no failure summary: {texts:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(live.1[0].starts_with("Starting test") && live.1[0].contains("`Users`: 2"), "{live:?}");
    assert!(live.1.iter().any(|t| t == "Load adjusted (threads): `Users` 2 -> 3"), "{live:?}");
    let req = StopTestingJMeterSceneRequest::builder().scene_id(&id).build().unwrap();
    client.send::<StopTestingJMeterScene>(req).await.unwrap();
    let (total, texts, _) = logs(&client, &report, None, None, 200).await;
    assert!(total as usize == texts.len() && texts.len() > live.0 as usize, "{texts:?}");
    assert!(texts.iter().any(|t| t.starts_with("Stopping (stop requested)")), "{texts:?}");
    let last = texts.last().unwrap();
    assert!(last.starts_with("Test ended (stop requested)"), "{texts:?}");
    let (_, page, _) = logs(&client, &report, None, None, 2).await;
    assert_eq!(page.len(), 2);
    let (warn_total, _, levels) = logs(&client, &report, Some("WARN"), None, 200).await;
    assert!(warn_total >= 1 && levels.iter().all(|l| l == "WARN" || l == "ERROR"), "{levels:?}");
    let (adj, _, _) = logs(&client, &report, None, Some("adjusted"), 200).await;
    assert_eq!(adj, 1);
    server.shutdown().await;
}

/// A debug run's samples are listed by GetJMeterSamplingLogs as soon as each is recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jmeter_debug_samples_are_listed_while_active() {
    let dir = tempfile::tempdir().unwrap();
    // Time scale 10: the debug window (60 scene seconds) is 6 s.
    let server = common::start(dir.path(), 10.0).await;
    let client = common::client(&server);
    let t = Target::start(false, |_| Reply::ok("home"));
    let xml = jmx(t.addr.port(), "");
    pts_local::FileStore::open(dir.path()).unwrap().add_bytes("dbg.jmx", xml.as_bytes()).unwrap();
    let id = save(&client, scene("dbg.jmx")).await.unwrap();
    let req = StartDebuggingJMeterSceneRequest::builder().scene_id(&id).build().unwrap();
    let report =
        client.send::<StartDebuggingJMeterScene>(req).await.unwrap().body.report_id.unwrap();
    let t0 = Instant::now();
    loop {
        let req = GetJMeterSamplingLogsRequest::builder()
            .report_id(&report)
            .page_number(1)
            .page_size(10)
            .build()
            .unwrap();
        let out = client.send::<GetJMeterSamplingLogs>(req).await.unwrap().body;
        if out.total_count == Some(1) {
            assert!(out.sample_results.unwrap()[0].contains("/home"));
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(2), "no live debug sample");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(running(&client, &id).await.has_report != Some(true), "still active");
    assert_eq!(t.count(), 1);
    server.shutdown().await;
}

/// A JMX that passed SaveOpenJMeterScene but was replaced by one outside the subset is refused
/// at start, naming the element; nothing is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jmx_changed_after_save_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(dir.path(), 60.0).await;
    let client = common::client(&server);
    let t = Target::start(false, |_| Reply::ok("home"));
    let files = pts_local::FileStore::open(dir.path()).unwrap();
    files.add_bytes("p.jmx", jmx(t.addr.port(), "").as_bytes()).unwrap();
    let id = save(&client, scene("p.jmx")).await.unwrap();
    let jsr = r#"<JSR223Sampler guiclass="TestBeanGUI" testclass="JSR223Sampler" testname="Script"/>
        <hashTree/>"#;
    files.add_bytes("p.jmx", jmx(t.addr.port(), jsr).as_bytes()).unwrap();
    let req = StartTestingJMeterSceneRequest::builder().scene_id(&id).build().unwrap();
    let err = client.send::<StartTestingJMeterScene>(req).await.unwrap_err();
    assert!(err.to_string().contains("JSR223Sampler"), "{err}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(t.count(), 0);
    // The scene is startable again once the file is fixed.
    files.add_bytes("p.jmx", jmx(t.addr.port(), "").as_bytes()).unwrap();
    let req = StartTestingJMeterSceneRequest::builder().scene_id(&id).build().unwrap();
    client.send::<StartTestingJMeterScene>(req).await.unwrap();
    let req = StopTestingJMeterSceneRequest::builder().scene_id(&id).build().unwrap();
    client.send::<StopTestingJMeterScene>(req).await.unwrap();
    server.shutdown().await;
}

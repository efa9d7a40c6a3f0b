//! The service with its default load engine: JMeter scenes run their JMX from the file store.

mod common;
mod engine_support;

use engine_support::jmeter::{jmx, running, save, scene};
use engine_support::{Reply, Target};
use pts_api::ops::adjust_jmeter_scene_speed::{
    AdjustJMeterSceneSpeed, AdjustJMeterSceneSpeedRequest,
};
use pts_api::ops::get_jmeter_report_details::{
    GetJMeterReportDetails, GetJMeterReportDetailsRequest,
};
use pts_api::ops::get_jmeter_sample_metrics::{
    GetJMeterSampleMetrics, GetJMeterSampleMetricsRequest,
};
use pts_api::ops::get_jmeter_sampling_logs::{GetJMeterSamplingLogs, GetJMeterSamplingLogsRequest};
use pts_api::ops::get_jmeter_scene_running_data::RunningData;
use pts_api::ops::start_testing_jmeter_scene::{
    StartTestingJMeterScene, StartTestingJMeterSceneRequest,
};
use std::time::{Duration, Instant};

/// 120 JMeter seconds at time scale 60 = 2 s of 2 threads, adjusted to 3 while running; the
/// report counts exactly what the target got (requests in flight at the end complete first).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jmeter_run_produces_report() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(dir.path(), 60.0).await;
    let client = common::client(&server);
    let t = Target::start(false, |_| Reply::ok("home"));
    pts_local::FileStore::open(dir.path())
        .unwrap()
        .add_bytes("plan.jmx", jmx(t.addr.port(), "").as_bytes())
        .unwrap();
    let id = save(&client, scene("plan.jmx")).await.unwrap();
    let req = StartTestingJMeterSceneRequest::builder().scene_id(&id).build().unwrap();
    let report_id =
        client.send::<StartTestingJMeterScene>(req).await.unwrap().body.report_id.unwrap();
    let t0 = Instant::now();
    let mut live = None;
    let mut adjusted = RunningData::default();
    loop {
        let d = running(&client, &id).await;
        if d.has_report == Some(true) {
            break;
        }
        if d.concurrency.unwrap_or(0) > 0 && live.is_none() {
            live = Some(d);
            let req = AdjustJMeterSceneSpeedRequest::builder()
                .report_id(&report_id)
                .speed(3)
                .build()
                .unwrap();
            client.send::<AdjustJMeterSceneSpeed>(req).await.unwrap();
        } else if d.concurrency == Some(3) {
            adjusted = d;
        }
        assert!(t0.elapsed() < Duration::from_secs(10), "run did not end");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    let live = live.expect("live data");
    assert_eq!(live.concurrency, Some(2));
    assert_eq!(adjusted.concurrency, Some(3), "AdjustJMeterSceneSpeed reached the engine");
    assert!(live.all_sample_stat.is_some());
    let req = GetJMeterReportDetailsRequest::builder().report_id(&report_id).build().unwrap();
    let r = client.send::<GetJMeterReportDetails>(req).await.unwrap().body;
    let m = r.scene_metrics.expect("scene metrics");
    let all = m.all_count.unwrap() as u64;
    let got = t.count();
    assert!(all > 0);
    assert_eq!(all, got, "report vs target");
    assert_eq!(m.fail_count_req, Some(0));
    let samplers = r.sampler_metrics_list.expect("sampler metrics");
    assert_eq!(samplers.len(), 1);
    assert_eq!(samplers[0].api_name.as_deref(), Some("Home"));
    assert_eq!(r.report_over_view.unwrap().agent_count, Some(1));
    let req = GetJMeterSamplingLogsRequest::builder()
        .report_id(&report_id)
        .page_number(1)
        .page_size(10)
        .build()
        .unwrap();
    let logs = client.send::<GetJMeterSamplingLogs>(req).await.unwrap().body;
    assert!(logs.total_count.unwrap() >= 1);
    assert!(logs.sample_results.unwrap()[0].contains("/home"));
    let req = GetJMeterSampleMetricsRequest::builder().report_id(&report_id).build().unwrap();
    let metrics = client.send::<GetJMeterSampleMetrics>(req).await.unwrap().body;
    assert!(!metrics.sample_metric_list.unwrap_or_default().is_empty());
    server.shutdown().await;
}

/// SaveOpenJMeterScene refuses a JMX outside the supported subset, naming the element.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsupported_jmx_is_refused_at_save() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(dir.path(), 60.0).await;
    let client = common::client(&server);
    let jsr = r#"<JSR223Sampler guiclass="TestBeanGUI" testclass="JSR223Sampler" testname="Script">
          <stringProp name="script">vars.put("a","b")</stringProp>
        </JSR223Sampler>
        <hashTree/>"#;
    pts_local::FileStore::open(dir.path())
        .unwrap()
        .add_bytes("bad.jmx", jmx(80, jsr).as_bytes())
        .unwrap();
    let err = save(&client, scene("bad.jmx")).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("JSR223Sampler"), "{text}");
    let code = pts_api::ops::save_open_jmeter_scene::META.error_codes[0].1;
    assert_eq!(err.code(), Some(code), "{text}");
    server.shutdown().await;
}

/// SaveOpenJMeterScene compiles the plan: a variable nothing sets is refused there (not at
/// start), naming the sampler, its path and the property.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unresolved_variable_is_refused_at_save() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(dir.path(), 60.0).await;
    let client = common::client(&server);
    let api = r#"<HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Api" enabled="true">
          <stringProp name="HTTPSampler.domain">127.0.0.1</stringProp>
          <stringProp name="HTTPSampler.path">/api?u=${user}</stringProp>
        </HTTPSamplerProxy>
        <hashTree/>"#;
    pts_local::FileStore::open(dir.path())
        .unwrap()
        .add_bytes("vars.jmx", jmx(80, api).as_bytes())
        .unwrap();
    let err = save(&client, scene("vars.jmx")).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("HTTPSamplerProxy \"Api\" at TestPlan > ThreadGroup"), "{text}");
    assert!(text.contains("`HTTPSampler.path`") && text.contains("${user}"), "{text}");
    server.shutdown().await;
}

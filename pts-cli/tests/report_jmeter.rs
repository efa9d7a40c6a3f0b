//! End to end against pts-local's real load engine: a short JMeter run, then
//! `pts jmeter report` (summary, list, HTML with charts from GetJMeterSampleMetrics), with
//! JMeter's 0-100 success rate normalised to 0-1.

mod common;

use common::live::Live;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// A JMX with one thread looping GET /health on the shop target for 600 JMeter seconds
/// (the scene's Duration cuts it).
fn jmx(port: u16) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3">
  <hashTree>
    <TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="Plan" enabled="true"/>
    <hashTree>
      <ThreadGroup guiclass="ThreadGroupGui" testclass="ThreadGroup" testname="Users" enabled="true">
        <stringProp name="ThreadGroup.on_sample_error">continue</stringProp>
        <elementProp name="ThreadGroup.main_controller" elementType="LoopController" guiclass="LoopControlPanel" testclass="LoopController">
          <boolProp name="LoopController.continue_forever">false</boolProp>
          <stringProp name="LoopController.loops">-1</stringProp>
        </elementProp>
        <stringProp name="ThreadGroup.num_threads">1</stringProp>
        <stringProp name="ThreadGroup.ramp_time">0</stringProp>
        <boolProp name="ThreadGroup.scheduler">true</boolProp>
        <stringProp name="ThreadGroup.duration">600</stringProp>
      </ThreadGroup>
      <hashTree>
        <HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Health" enabled="true">
          <stringProp name="HTTPSampler.domain">127.0.0.1</stringProp>
          <stringProp name="HTTPSampler.port">{port}</stringProp>
          <stringProp name="HTTPSampler.protocol">http</stringProp>
          <stringProp name="HTTPSampler.path">/health</stringProp>
          <stringProp name="HTTPSampler.method">GET</stringProp>
        </HTTPSamplerProxy>
        <hashTree/>
      </hashTree>
    </hashTree>
  </hashTree>
</jmeterTestPlan>
"#
    )
}

#[test]
fn jmeter_reports_are_normalised_and_charted() {
    let live = Live::start(60.0, Duration::from_millis(1));
    live.upload("health.jmx", jmx(live.target.addr().port()).as_bytes());
    let scene = json!({
        "SceneName": "jmeter-report-e2e", "AgentCount": 1, "Concurrency": 2, "Duration": 120,
        "Mode": "CONCURRENCY", "TestFile": "health.jmx",
        "FileList": [{"FileName": "health.jmx", "FileOssAddress": "https://oss.example/health.jmx"}]
    })
    .to_string();
    let saved = live.run(&["call", "SaveOpenJMeterScene", "--OpenJMeterScene", &scene, "--yes"]);
    saved.assert_code(0);
    let scene_id = saved.json()["SceneId"].as_str().unwrap().to_string();
    let started = live.run(&["call", "StartTestingJMeterScene", "--SceneId", &scene_id, "--yes"]);
    started.assert_code(0);
    let report_id = started.json()["ReportId"].as_str().unwrap().to_string();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let d = live.run(&["call", "GetJMeterSceneRunningData", "--SceneId", &scene_id]);
        if d.code == 0 && d.json()["RunningData"]["HasReport"] == true {
            break;
        }
        assert!(Instant::now() < deadline, "JMeter run did not end in 30 s");
        std::thread::sleep(Duration::from_millis(200));
    }
    let details = live.run(&["call", "GetJMeterReportDetails", "--ReportId", &report_id]);
    details.assert_code(0);
    let wire = details.json()["SceneMetrics"].clone();
    assert!(wire["AllCount"].as_i64().unwrap() > 0, "{wire}");

    // Structured: success rate 0-100 on the wire, 0-1 here.
    let shown = live.run(&["-o", "json", "jmeter", "report", "--report", &report_id]);
    shown.assert_code(0);
    let s = shown.json();
    assert_eq!(s["report"]["kind"], "jmeter");
    assert_eq!(s["report"]["scene"]["total_requests"], wire["AllCount"]);
    let rate = f(&s["report"]["scene"]["success_rate"]);
    assert!((rate - f(&wire["SuccessRateReq"]) / 100.0).abs() < 1e-12, "{rate} vs {wire}");
    assert!(rate <= 1.0);

    // The latest report of the scene, as HTML with charts from GetJMeterSampleMetrics.
    let html = live.run(&["jmeter", "report", "--scene", &scene_id, "--format", "html"]);
    html.assert_code(0);
    assert_eq!(html.stdout.matches("<svg").count(), 3, "{}", html.stdout);
    assert!(html.stdout.contains(&report_id) && !html.stdout.contains("https://"));

    // The pilot summary, and the list.
    let text = live.run(&["jmeter", "report", "--report", &report_id]);
    text.assert_code(0);
    assert!(
        text.stdout.contains("JMeter report") && text.stdout.contains("TPS"),
        "{}",
        text.stdout
    );
    let list = live.run(&["jmeter", "report", "--list", "--scene", &scene_id]);
    list.assert_code(0);
    assert_eq!(list.json()[0]["ReportId"], report_id.as_str());

    // Sampled requests for triage: only the triage fields.
    let logs = live.run(&["jmeter", "report", "--report", &report_id, "--sampling-logs", "5"]);
    logs.assert_code(0);
    let logs = logs.json();
    let logs = logs.as_array().unwrap();
    assert!(!logs.is_empty() && logs.len() <= 5, "{logs:?}");
    assert!(logs.iter().all(|l| l["url"].as_str().unwrap().ends_with("/health")), "{logs:?}");
    assert!(logs.iter().all(|l| l.get("requestHeaders").is_none()));
    let failed = live.run(&[
        "jmeter",
        "report",
        "--report",
        &report_id,
        "--sampling-logs",
        "5",
        "--failed-only",
    ]);
    failed.assert_code(0);
    assert_eq!(failed.json(), json!([]), "the target answered every request");

    // An unknown report: the service's error, exit 1.
    let missing = live.run(&["jmeter", "report", "--report", "NOPE1234"]);
    missing.assert_code(1);
    assert!(missing.stderr.contains("ReportNotExist"), "{}", missing.stderr);
    assert!(missing.stdout.is_empty());
}

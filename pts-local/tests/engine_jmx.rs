//! The JMX subset: a supported plan runs on the engine; anything else is refused by name.

mod engine_support;

use engine_support::*;
use pts_local::engine::{
    self, EngineError, FileResolver, JmeterOptions, NoFiles, RunKind, StopReason,
};
use std::collections::HashMap;
use std::time::Duration;

fn plan_xml(port: u16, extra_in_group: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3">
  <hashTree>
    <TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="Shop plan" enabled="true">
      <boolProp name="TestPlan.functional_mode">false</boolProp>
      <elementProp name="TestPlan.user_defined_variables" elementType="Arguments">
        <collectionProp name="Arguments.arguments">
          <elementProp name="env" elementType="Argument">
            <stringProp name="Argument.name">env</stringProp>
            <stringProp name="Argument.value">staging</stringProp>
          </elementProp>
        </collectionProp>
      </elementProp>
    </TestPlan>
    <hashTree>
      <HeaderManager guiclass="HeaderPanel" testclass="HeaderManager" testname="Headers">
        <collectionProp name="HeaderManager.headers">
          <elementProp name="" elementType="Header">
            <stringProp name="Header.name">X-Env</stringProp>
            <stringProp name="Header.value">${{env}}</stringProp>
          </elementProp>
        </collectionProp>
      </HeaderManager>
      <hashTree/>
      <ThreadGroup guiclass="ThreadGroupGui" testclass="ThreadGroup" testname="Buyers" enabled="true">
        <stringProp name="ThreadGroup.on_sample_error">continue</stringProp>
        <elementProp name="ThreadGroup.main_controller" elementType="LoopController" guiclass="LoopControlPanel" testclass="LoopController">
          <boolProp name="LoopController.continue_forever">false</boolProp>
          <stringProp name="LoopController.loops">3</stringProp>
        </elementProp>
        <stringProp name="ThreadGroup.num_threads">${{__P(threads,2)}}</stringProp>
        <stringProp name="ThreadGroup.ramp_time">0</stringProp>
        <boolProp name="ThreadGroup.scheduler">false</boolProp>
        <stringProp name="ThreadGroup.duration"></stringProp>
      </ThreadGroup>
      <hashTree>
        <CSVDataSet guiclass="TestBeanGUI" testclass="CSVDataSet" testname="Users">
          <stringProp name="filename">C:\data\users.csv</stringProp>
          <stringProp name="variableNames">user,pw</stringProp>
          <stringProp name="delimiter">;</stringProp>
          <boolProp name="ignoreFirstLine">true</boolProp>
          <boolProp name="recycle">true</boolProp>
        </CSVDataSet>
        <hashTree/>
        <ConstantTimer guiclass="ConstantTimerGui" testclass="ConstantTimer" testname="Think">
          <stringProp name="ConstantTimer.delay">10</stringProp>
        </ConstantTimer>
        <hashTree/>
        {extra_in_group}
        <HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Login" enabled="true">
          <elementProp name="HTTPsampler.Arguments" elementType="Arguments">
            <collectionProp name="Arguments.arguments">
              <elementProp name="user" elementType="HTTPArgument">
                <stringProp name="Argument.name">user</stringProp>
                <stringProp name="Argument.value">${{user}}</stringProp>
              </elementProp>
            </collectionProp>
          </elementProp>
          <stringProp name="HTTPSampler.domain">127.0.0.1</stringProp>
          <stringProp name="HTTPSampler.port">{port}</stringProp>
          <stringProp name="HTTPSampler.protocol">http</stringProp>
          <stringProp name="HTTPSampler.path">/login</stringProp>
          <stringProp name="HTTPSampler.method">POST</stringProp>
        </HTTPSamplerProxy>
        <hashTree>
          <ResponseAssertion guiclass="AssertionGui" testclass="ResponseAssertion" testname="Code is 200">
            <collectionProp name="Asserion.test_strings">
              <stringProp name="49586">200</stringProp>
            </collectionProp>
            <stringProp name="Assertion.test_field">Assertion.response_code</stringProp>
            <intProp name="Assertion.test_type">8</intProp>
          </ResponseAssertion>
          <hashTree/>
        </hashTree>
        <HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Browse" enabled="true">
          <elementProp name="HTTPsampler.Arguments" elementType="Arguments">
            <collectionProp name="Arguments.arguments"/>
          </elementProp>
          <stringProp name="HTTPSampler.domain">127.0.0.1</stringProp>
          <stringProp name="HTTPSampler.port">{port}</stringProp>
          <stringProp name="HTTPSampler.path">/browse?u=${{user}}</stringProp>
          <stringProp name="HTTPSampler.method">GET</stringProp>
        </HTTPSamplerProxy>
        <hashTree>
          <ResponseAssertion guiclass="AssertionGui" testclass="ResponseAssertion" testname="Has items">
            <collectionProp name="Asserion.test_strings">
              <stringProp name="1">items</stringProp>
            </collectionProp>
            <stringProp name="Assertion.test_field">Assertion.response_data</stringProp>
            <intProp name="Assertion.test_type">16</intProp>
          </ResponseAssertion>
          <hashTree/>
        </hashTree>
        <HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Disabled" enabled="false">
          <stringProp name="HTTPSampler.path">/never</stringProp>
        </HTTPSamplerProxy>
        <hashTree/>
      </hashTree>
      <ResultCollector guiclass="SummaryReport" testclass="ResultCollector" testname="Summary Report"/>
      <hashTree/>
    </hashTree>
  </hashTree>
</jmeterTestPlan>
"#
    )
}

#[test]
fn supported_jmx_plan_runs_on_the_engine() {
    let target = Target::start(true, |r| {
        if r.path.starts_with("/browse?u=bob") {
            Reply::ok("nothing")
        } else {
            Reply::ok("items: 3")
        }
    });
    let xml = plan_xml(target.addr.port(), "");
    let plan = engine::parse_jmx(&xml).unwrap();
    assert_eq!(plan.name, "Shop plan");
    assert_eq!(plan.thread_groups.len(), 1);
    let tg = &plan.thread_groups[0];
    assert_eq!((tg.num_threads, tg.loops, tg.duration_secs), (2, Some(3), None));
    assert_eq!(tg.samplers.len(), 2);
    assert_eq!(tg.samplers[0].think_ms, 10);
    assert_eq!(tg.samplers[0].body.as_deref(), Some("user=${user}"));
    let files: HashMap<String, Vec<u8>> =
        HashMap::from([("users.csv".into(), b"user;pw\nann;1\nbob;2\ncid;3\n".to_vec())]);
    let run = engine::start_jmeter_run(
        &plan,
        &JmeterOptions::default(),
        &files as &dyn FileResolver,
        &cfg(60.0),
    )
    .unwrap();
    let report = run.wait_timeout(Duration::from_secs(20)).unwrap();
    assert_eq!(report.kind, RunKind::JMeter);
    assert_eq!(report.stop_reason, StopReason::Completed);
    // 2 threads x 3 loops x 2 samplers.
    assert_eq!(report.scene.count, 12);
    assert_eq!(target.count(), 12);
    let seen = target.seen();
    let logins: Vec<_> = seen.iter().filter(|s| s.path == "/login").collect();
    assert_eq!(logins.len(), 6);
    assert!(logins.iter().all(|s| s.headers["x-env"] == "staging"));
    assert!(
        logins.iter().all(|s| s.headers["content-type"] == "application/x-www-form-urlencoded")
    );
    let mut users: Vec<&str> = logins.iter().map(|s| s.body.as_str()).collect();
    users.sort();
    assert_eq!(users, vec!["user=ann", "user=ann", "user=bob", "user=bob", "user=cid", "user=cid"]);
    // "Has items" fails for bob's two browse requests: failed samples in JMeter terms.
    let browse = &report.apis[1];
    assert_eq!(browse.info.api_name, "Browse");
    assert_eq!(browse.counters.failed_business, 2);
    let sm = report.jmeter_sampler_metrics();
    assert_eq!(sm[0].success_rate_req, Some(100.0));
    assert!((sm[1].success_rate_req.unwrap() - 400.0 / 6.0).abs() < 1e-9);
    let scene = report.jmeter_scene_metrics();
    assert_eq!(scene.all_count, Some(12));
    assert_eq!(scene.fail_count_req, Some(2));
    assert_eq!(report.jmeter_sampler_map(), serde_json::json!({"0": "Login", "1": "Browse"}));
    let buckets = report.jmeter_sample_metrics(None, None, Some(-1));
    let total: u64 = buckets
        .iter()
        .map(|b| {
            serde_json::from_str::<serde_json::Value>(b).unwrap()["totalCount"].as_u64().unwrap()
        })
        .sum();
    assert_eq!(total, 12);
    // Think time: each sampler waits 10 ms first, so a thread's 6 requests take >= 60 ms.
    assert!(report.duration >= Duration::from_millis(60));
    // A JMeter debug run: 1 thread, 1 iteration, every sample kept.
    let dbg = engine::start_jmeter_debug(&plan, &files as &dyn FileResolver, &cfg(60.0))
        .unwrap()
        .wait_timeout(Duration::from_secs(20))
        .unwrap();
    assert_eq!(dbg.scene.count, 2);
    assert_eq!(dbg.samples.len(), 2);
    let js: serde_json::Value =
        serde_json::from_str(&dbg.samples[0].to_jmeter_sample_json()).unwrap();
    assert_eq!(js["samplerLabel"], "Login");
    assert_eq!(js["success"], true);
}

#[test]
fn jmx_options_override_threads_and_duration() {
    let target = Target::start(false, |_| Reply::ok("items"));
    let plan = engine::parse_jmx(&plan_xml(target.addr.port(), "")).unwrap();
    let files: HashMap<String, Vec<u8>> =
        HashMap::from([("users.csv".into(), b"h\nann;1\n".to_vec())]);
    let opts =
        JmeterOptions { concurrency: Some(3), duration_secs: Some(60), ramp_up_secs: Some(0) };
    // 60 JMeter seconds at time_scale 1.5 (wall s per minute) = 1.5 s wall.
    let run =
        engine::start_jmeter_run(&plan, &opts, &files as &dyn FileResolver, &cfg(1.5)).unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let snap = run.snapshot();
    assert_eq!(snap.concurrency, 3);
    let rd = snap.to_jmeter_running_data();
    assert_eq!(rd.concurrency, Some(3));
    assert_eq!(rd.sample_stat_list.as_ref().unwrap().len(), 2);
    let report = run.wait_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(report.stop_reason, StopReason::MaxRunningTime);
    assert!(
        report.duration >= Duration::from_millis(1400)
            && report.duration < Duration::from_millis(2500)
    );
}

#[test]
fn unsupported_elements_are_refused_by_name() {
    let jsr = r#"<JSR223Sampler guiclass="TestBeanGUI" testclass="JSR223Sampler" testname="Script">
          <stringProp name="script">vars.put("a","b")</stringProp>
        </JSR223Sampler>
        <hashTree/>
        <IfController guiclass="IfControllerPanel" testclass="IfController" testname="later"/>
        <hashTree/>"#;
    let err = engine::parse_jmx(&plan_xml(80, jsr)).unwrap_err();
    match &err {
        EngineError::UnsupportedElement { name, testname, path } => {
            assert_eq!(name, "JSR223Sampler");
            assert_eq!(testname.as_deref(), Some("Script"));
            assert_eq!(path, "TestPlan > ThreadGroup");
        }
        e => panic!("{e}"),
    }
    assert!(err.to_string().contains("JSR223Sampler"), "{err}");
    // A disabled unsupported element is ignored.
    let disabled =
        r#"<JSR223Sampler testclass="JSR223Sampler" testname="off" enabled="false"/><hashTree/>"#;
    engine::parse_jmx(&plan_xml(80, disabled)).unwrap();
    // Nested inside a sampler (a post-processor) is refused too.
    let xml = plan_xml(80, "").replace(
        "<ResponseAssertion guiclass=\"AssertionGui\" testclass=\"ResponseAssertion\" testname=\"Code is 200\">",
        "<JSR223PostProcessor testname=\"rx\"/><hashTree/><ResponseAssertion guiclass=\"AssertionGui\" testclass=\"ResponseAssertion\" testname=\"Code is 200\">",
    );
    match engine::parse_jmx(&xml).unwrap_err() {
        EngineError::UnsupportedElement { name, path, .. } => {
            assert_eq!(name, "JSR223PostProcessor");
            assert_eq!(path, "TestPlan > ThreadGroup > HTTPSamplerProxy");
        }
        e => panic!("{e}"),
    }
    // Not XML / not a JMX.
    assert!(matches!(engine::parse_jmx("<nope"), Err(EngineError::InvalidJmx(_))));
    assert!(matches!(engine::parse_jmx("<a/>"), Err(EngineError::InvalidJmx(_))));
    // Missing CSV file.
    let plan = engine::parse_jmx(&plan_xml(80, "")).unwrap();
    let err =
        engine::validate_jmx(&plan, &JmeterOptions::default(), &NoFiles, &cfg(60.0)).unwrap_err();
    assert!(matches!(&err, EngineError::File { name, .. } if name == "users.csv"), "{err}");
}

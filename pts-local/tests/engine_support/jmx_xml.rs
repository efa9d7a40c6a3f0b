//! JMX plans in the layout JMeter saves (jmeterTestPlan / hashTree, typed properties,
//! guiclass/testclass attributes), built element by element for the engine tests, and a
//! runner that checks a plan as a save would and runs it to completion.

use super::{Reply, Target, cfg};
use pts_local::engine::{self, FileResolver, JmeterOptions, RunReport, StopReason};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Checks `xml` as SaveOpenJMeterScene does, then runs it until every thread is done.
pub fn run_jmx(xml: &str, files: &[(&str, &str)]) -> Arc<RunReport> {
    let plan = engine::parse_jmx(xml).unwrap();
    let files: HashMap<String, Vec<u8>> =
        files.iter().map(|(k, v)| (k.to_string(), v.as_bytes().to_vec())).collect();
    let r = &files as &dyn FileResolver;
    engine::check_jmx(&plan, &JmeterOptions::default(), r).unwrap();
    let report = engine::start_jmeter_run(&plan, &JmeterOptions::default(), r, &cfg(60.0))
        .unwrap()
        .wait_timeout(Duration::from_secs(30))
        .unwrap();
    assert_eq!(report.stop_reason, StopReason::Completed);
    report
}

/// A target that hands out a session cookie on /login (and on /login-then-home, with a
/// redirect to /home) and wants it back elsewhere (401).
pub fn session_target() -> Target {
    let n = Arc::new(AtomicU64::new(0));
    Target::start(true, move |r| {
        if r.path == "/login" || r.path == "/login-then-home" {
            let id = n.fetch_add(1, Ordering::SeqCst);
            let reply = if r.path == "/login" {
                Reply::ok("welcome")
            } else {
                Reply::ok("").status(302).header("Location", "/home")
            };
            reply.header("Set-Cookie", &format!("sid=s{id}; Path=/; HttpOnly"))
        } else if r.headers.get("cookie").is_some_and(|c| c.starts_with("sid=s")) {
            Reply::ok("yours")
        } else {
            Reply::ok("who are you").status(401)
        }
    })
}

/// `<stringProp>`s from name/value pairs.
pub fn props(p: &[(&str, &str)]) -> String {
    p.iter().map(|(k, v)| format!("<stringProp name=\"{k}\">{v}</stringProp>")).collect()
}

/// An element with its properties and child hashTree.
pub fn el(tag: &str, gui: &str, name: &str, inner: &str, children: &str) -> String {
    format!(
        "<{tag} guiclass=\"{gui}\" testclass=\"{tag}\" testname=\"{name}\" enabled=\"true\">{inner}</{tag}>\n<hashTree>{children}</hashTree>\n"
    )
}

/// A whole plan: TestPlan with User Defined Variables, then `body` (thread groups, config).
pub fn plan(udv: &[(&str, &str)], body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3">
  <hashTree>
    <TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="Test Plan" enabled="true">
      <boolProp name="TestPlan.functional_mode">false</boolProp>
      <elementProp name="TestPlan.user_defined_variables" elementType="Arguments" guiclass="ArgumentsPanel" testclass="Arguments" testname="User Defined Variables">
        <collectionProp name="Arguments.arguments">{}</collectionProp>
      </elementProp>
    </TestPlan>
    <hashTree>
{body}
    </hashTree>
  </hashTree>
</jmeterTestPlan>
"#,
        args(udv)
    )
}

fn args(a: &[(&str, &str)]) -> String {
    a.iter()
        .map(|(k, v)| {
            format!(
                "<elementProp name=\"{k}\" elementType=\"Argument\"><stringProp name=\"Argument.name\">{k}</stringProp><stringProp name=\"Argument.value\">{v}</stringProp><stringProp name=\"Argument.metadata\">=</stringProp></elementProp>"
            )
        })
        .collect()
}

/// A thread group (`ThreadGroup`, `SetupThreadGroup`, `PostThreadGroup`).
pub fn group(tag: &str, name: &str, threads: u32, loops: i64, children: &str) -> String {
    let gui = match tag {
        "SetupThreadGroup" => "SetupThreadGroupGui",
        "PostThreadGroup" => "PostThreadGroupGui",
        _ => "ThreadGroupGui",
    };
    let inner = format!(
        r#"<stringProp name="ThreadGroup.on_sample_error">continue</stringProp>
<elementProp name="ThreadGroup.main_controller" elementType="LoopController" guiclass="LoopControlPanel" testclass="LoopController" testname="Loop Controller" enabled="true">
  <boolProp name="LoopController.continue_forever">false</boolProp>
  <stringProp name="LoopController.loops">{loops}</stringProp>
</elementProp>
<stringProp name="ThreadGroup.num_threads">{threads}</stringProp>
<stringProp name="ThreadGroup.ramp_time">0</stringProp>
<boolProp name="ThreadGroup.scheduler">false</boolProp>
<stringProp name="ThreadGroup.duration"></stringProp>
<stringProp name="ThreadGroup.delay"></stringProp>
<boolProp name="ThreadGroup.same_user_on_next_iteration">true</boolProp>"#
    );
    el(tag, gui, name, &inner, children)
}

/// An HTTP sampler: empty `domain`/`port` leave them to HTTP Request Defaults.
pub fn sampler(
    name: &str,
    domain: &str,
    port: &str,
    path: &str,
    method: &str,
    children: &str,
) -> String {
    let inner = format!(
        r#"<elementProp name="HTTPsampler.Arguments" elementType="Arguments" guiclass="HTTPArgumentsPanel" testclass="Arguments" enabled="true">
  <collectionProp name="Arguments.arguments"/>
</elementProp>
{}
<boolProp name="HTTPSampler.follow_redirects">true</boolProp>
<boolProp name="HTTPSampler.auto_redirects">false</boolProp>
<boolProp name="HTTPSampler.use_keepalive">true</boolProp>
<boolProp name="HTTPSampler.DO_MULTIPART_POST">false</boolProp>"#,
        props(&[
            ("HTTPSampler.domain", domain),
            ("HTTPSampler.port", port),
            ("HTTPSampler.protocol", ""),
            ("HTTPSampler.contentEncoding", ""),
            ("HTTPSampler.path", path),
            ("HTTPSampler.method", method),
            ("HTTPSampler.connect_timeout", ""),
            ("HTTPSampler.response_timeout", ""),
        ])
    );
    el("HTTPSamplerProxy", "HttpTestSampleGui", name, &inner, children)
}

/// A GET sampler to 127.0.0.1:`port`.
pub fn get(name: &str, port: u16, path: &str) -> String {
    sampler(name, "127.0.0.1", &port.to_string(), path, "GET", "")
}

pub fn headers(name: &str, h: &[(&str, &str)]) -> String {
    let list: String = h
        .iter()
        .map(|(k, v)| {
            format!(
                "<elementProp name=\"\" elementType=\"Header\"><stringProp name=\"Header.name\">{k}</stringProp><stringProp name=\"Header.value\">{v}</stringProp></elementProp>"
            )
        })
        .collect();
    el(
        "HeaderManager",
        "HeaderPanel",
        name,
        &format!("<collectionProp name=\"HeaderManager.headers\">{list}</collectionProp>"),
        "",
    )
}

pub fn udv(name: &str, a: &[(&str, &str)]) -> String {
    el(
        "Arguments",
        "ArgumentsPanel",
        name,
        &format!("<collectionProp name=\"Arguments.arguments\">{}</collectionProp>", args(a)),
        "",
    )
}

pub fn cookie_manager(clear_each_iteration: bool) -> String {
    el(
        "CookieManager",
        "CookiePanel",
        "HTTP Cookie Manager",
        &format!(
            "<collectionProp name=\"CookieManager.cookies\"/><boolProp name=\"CookieManager.clearEachIteration\">{clear_each_iteration}</boolProp><boolProp name=\"CookieManager.controlledByThreadGroup\">false</boolProp>"
        ),
        "",
    )
}

pub fn defaults(port: u16) -> String {
    let inner = format!(
        "<elementProp name=\"HTTPsampler.Arguments\" elementType=\"Arguments\" guiclass=\"HTTPArgumentsPanel\" testclass=\"Arguments\" testname=\"User Defined Variables\"><collectionProp name=\"Arguments.arguments\"/></elementProp>{}",
        props(&[
            ("HTTPSampler.domain", "127.0.0.1"),
            ("HTTPSampler.port", &port.to_string()),
            ("HTTPSampler.protocol", "http"),
            ("HTTPSampler.path", ""),
        ])
    );
    format!(
        "<ConfigTestElement guiclass=\"HttpDefaultsGui\" testclass=\"ConfigTestElement\" testname=\"HTTP Request Defaults\" enabled=\"true\">{inner}</ConfigTestElement>\n<hashTree/>\n"
    )
}

/// A logic controller with string properties.
pub fn controller(tag: &str, gui: &str, name: &str, p: &[(&str, &str)], children: &str) -> String {
    el(tag, gui, name, &props(p), children)
}

pub fn loop_ctl(name: &str, loops: &str, children: &str) -> String {
    el(
        "LoopController",
        "LoopControlPanel",
        name,
        &format!(
            "<boolProp name=\"LoopController.continue_forever\">true</boolProp><stringProp name=\"LoopController.loops\">{loops}</stringProp>"
        ),
        children,
    )
}

pub fn transaction(name: &str, children: &str) -> String {
    el(
        "TransactionController",
        "TransactionControllerGui",
        name,
        "<boolProp name=\"TransactionController.includeTimers\">false</boolProp><boolProp name=\"TransactionController.parent\">false</boolProp>",
        children,
    )
}

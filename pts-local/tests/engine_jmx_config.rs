//! JMX config elements, timers, extractors and assertions against a counting loopback target.

mod engine_support;

use engine_support::jmx_xml::*;
use engine_support::*;
use pts_local::engine::RunReport;
use std::sync::Arc;
use std::time::Duration;

fn run(xml: &str) -> Arc<RunReport> {
    run_jmx(xml, &[])
}

fn with_path<'a>(seen: &'a [Seen], path: &str) -> Vec<&'a Seen> {
    seen.iter().filter(|s| s.path.starts_with(path)).collect()
}

#[test]
fn cookie_manager_keeps_each_threads_cookies() {
    let t = session_target();
    let p = t.addr.port();
    let flow = get("Login", p, "/login") + &get("Cart", p, "/cart");
    let report =
        run(&plan(&[], &(cookie_manager(false) + &group("ThreadGroup", "Users", 2, 3, &flow))));
    assert_eq!(t.count(), 12);
    assert_eq!(report.scene.failed_requests, 0);
    let seen = t.seen();
    // Each cart request carries the cookie of its own thread's last login.
    assert!(with_path(&seen, "/cart").iter().all(|s| s.headers["cookie"].starts_with("sid=s")));
    // Each thread's first login (and only that one) goes out without a cookie, whichever
    // thread gets there first.
    let bare =
        with_path(&seen, "/login").iter().filter(|s| !s.headers.contains_key("cookie")).count();
    assert_eq!(bare, 2, "one cookie-less login per thread");
    // A cookie set on a redirect is kept and sent on the next hop.
    let t = session_target();
    let p = t.addr.port();
    let flow = get("Login", p, "/login-then-home");
    let report =
        run(&plan(&[], &(cookie_manager(true) + &group("ThreadGroup", "Users", 2, 2, &flow))));
    assert_eq!(report.scene.count, 4);
    assert_eq!(report.scene.failed_requests, 0);
    let seen = t.seen();
    let homes = with_path(&seen, "/home");
    assert_eq!(homes.len(), 4);
    assert!(homes.iter().all(|s| s.headers["cookie"].starts_with("sid=s")));
    // Cleared each iteration: no login request carries a cookie.
    assert!(with_path(&seen, "/login").iter().all(|s| !s.headers.contains_key("cookie")));
    // Without the manager (disabled), no cookie is ever sent.
    let t = session_target();
    let p = t.addr.port();
    let off = cookie_manager(false).replace("enabled=\"true\"", "enabled=\"false\"");
    let flow = get("Login", p, "/login") + &get("Cart", p, "/cart");
    let report = run(&plan(&[], &(off + &group("ThreadGroup", "Users", 1, 2, &flow))));
    assert_eq!(report.scene.failed_requests, 2);
    assert!(t.seen().iter().all(|s| !s.headers.contains_key("cookie")));
}

#[test]
fn defaults_headers_and_variables_at_every_scope() {
    let t = Target::start(true, |_| Reply::ok("ok"));
    let p = t.addr.port();
    let inner = headers("Sampler headers", &[("X-Level", "sampler")]);
    let ctl = controller(
        "GenericController",
        "LogicControllerGui",
        "Section",
        &[],
        &(headers("Section headers", &[("X-Section", "${section}")])
            + &udv("Section vars", &[("section", "s-${env}")])
            + &sampler("Deep", "", "", "/deep", "${verb}", &inner)),
    );
    let body = defaults(p)
        + &headers("Plan headers", &[("X-Level", "plan"), ("X-Env", "${env}")])
        + &group(
            "ThreadGroup",
            "Users",
            1,
            2,
            &(headers("Group headers", &[("X-Group", "g")])
                + &sampler("Top", "", "", "${full}", "GET", "")
                + &ctl),
        );
    let full = format!("http://127.0.0.1:{p}/full?x=1");
    run(&plan(&[("env", "prod"), ("verb", "POST"), ("full", &full)], &body));
    let seen = t.seen();
    let top = with_path(&seen, "/full?x=1");
    assert_eq!(top.len(), 2);
    assert!(top.iter().all(|s| s.method == "GET" && s.headers["x-level"] == "plan"));
    assert!(top.iter().all(|s| s.headers["x-env"] == "prod" && s.headers["x-group"] == "g"));
    assert!(!top[0].headers.contains_key("x-section"));
    let deep = with_path(&seen, "/deep");
    assert_eq!(deep.len(), 2);
    for s in deep {
        assert_eq!(s.method, "POST");
        assert_eq!(s.headers["x-level"], "sampler");
        assert_eq!(s.headers["x-section"], "s-prod");
        assert_eq!(s.headers["x-group"], "g");
    }
}

#[test]
fn disabled_elements_and_the_workbench_are_ignored() {
    let t = Target::start(true, |_| Reply::ok("ok"));
    let p = t.addr.port();
    let off = |x: String| x.replacen("enabled=\"true\"", "enabled=\"false\"", 1);
    let body = group(
        "ThreadGroup",
        "Users",
        1,
        2,
        &(get("On", p, "/on")
            + &off(get("Off", p, "/off"))
            + &off(loop_ctl("Off loop", "5", &get("Inner", p, "/inner")))
            + &off(el("JSR223Sampler", "TestBeanGUI", "Script", "", ""))),
    ) + &off(group("ThreadGroup", "Disabled group", 5, 5, &get("X", p, "/x")));
    let xml = plan(&[], &body).replace(
        "  </hashTree>\n</jmeterTestPlan>",
        "    <WorkBench guiclass=\"WorkBenchGui\" testclass=\"WorkBench\" testname=\"WorkBench\" enabled=\"true\"><boolProp name=\"WorkBench.save\">true</boolProp></WorkBench>\n    <hashTree/>\n  </hashTree>\n</jmeterTestPlan>",
    );
    assert!(xml.contains("<WorkBench"));
    run(&xml);
    assert_eq!(t.count(), 2);
    assert!(t.seen().iter().all(|s| s.path == "/on"));
}

#[test]
fn timers_pause_before_each_sampler_in_scope() {
    let t = Target::start(true, |_| Reply::ok("ok"));
    let p = t.addr.port();
    let timer = |tag: &str, delay: &str, range: &str| {
        el(
            tag,
            "X",
            tag,
            &props(&[("ConstantTimer.delay", delay), ("RandomTimer.range", range)]),
            "",
        )
    };
    let body = group(
        "ThreadGroup",
        "Users",
        1,
        3,
        &(timer("ConstantTimer", "20", "")
            + &timer("UniformRandomTimer", "10", "10")
            + &timer("GaussianRandomTimer", "10", "2")
            + &get("A", p, "/a")
            + &get("B", p, "/b")),
    );
    let report = run(&plan(&[], &body));
    assert_eq!(t.count(), 6);
    let seen = t.seen();
    // Each request waits at least 20 + 10 + (10 - a few ms of Gaussian spread) ms first.
    for w in seen.windows(2) {
        let gap = w[1].at - w[0].at;
        assert!(gap >= Duration::from_millis(30), "{gap:?}");
    }
    assert!(report.duration >= Duration::from_millis(6 * 30));
}

#[test]
fn extractors_feed_later_samplers() {
    let t = Target::start(true, |r| {
        if r.path == "/login" {
            Reply::ok(r#"{"token":"abc","user":{"id":7},"html":"<b>bold</b> csrf=xyz;"}"#)
                .header("X-Trace", "t-42")
        } else {
            Reply::ok("ok")
        }
    });
    let p = t.addr.port();
    let regex = el(
        "RegexExtractor",
        "RegexExtractorGui",
        "csrf",
        &props(&[
            ("RegexExtractor.useHeaders", "false"),
            ("RegexExtractor.refname", "csrf"),
            ("RegexExtractor.regex", "csrf=(\\w+);"),
            ("RegexExtractor.template", "$1$"),
            ("RegexExtractor.default", "NONE"),
            ("RegexExtractor.match_number", "1"),
        ]),
        "",
    );
    let header_rx = el(
        "RegexExtractor",
        "RegexExtractorGui",
        "trace",
        &props(&[
            ("RegexExtractor.useHeaders", "true"),
            ("RegexExtractor.refname", "trace"),
            ("RegexExtractor.regex", "x-trace: (\\S+)"),
            ("RegexExtractor.template", "$1$"),
            ("RegexExtractor.default", ""),
            ("RegexExtractor.match_number", "1"),
        ]),
        "",
    );
    let json = el(
        "JSONPostProcessor",
        "JSONPostProcessorGui",
        "ids",
        &props(&[
            ("JSONPostProcessor.referenceNames", "token;uid;missing"),
            ("JSONPostProcessor.jsonPathExprs", "$.token;$.user.id;$.nope"),
            ("JSONPostProcessor.match_numbers", ""),
            ("JSONPostProcessor.defaultValues", "T;U;dflt"),
        ]),
        "",
    );
    let boundary = el(
        "BoundaryExtractor",
        "BoundaryExtractorGui",
        "bold",
        &props(&[
            ("BoundaryExtractor.useHeaders", "false"),
            ("BoundaryExtractor.refname", "bold"),
            ("BoundaryExtractor.lboundary", "&lt;b&gt;"),
            ("BoundaryExtractor.rboundary", "&lt;/b&gt;"),
            ("BoundaryExtractor.match_number", "1"),
            ("BoundaryExtractor.default", ""),
        ]),
        "",
    );
    let login = sampler(
        "Login",
        "127.0.0.1",
        &p.to_string(),
        "/login",
        "GET",
        &(regex + &header_rx + &json + &boundary),
    );
    let next = get(
        "Next",
        p,
        "/next?c=${csrf}&amp;t=${token}&amp;u=${uid}&amp;m=${missing}&amp;b=${bold}&amp;tr=${trace}",
    );
    let report = run(&plan(&[], &group("ThreadGroup", "Users", 2, 2, &(login + &next))));
    assert_eq!(report.scene.failed_requests + report.scene.failed_business, 0);
    let seen = t.seen();
    let next: Vec<_> = with_path(&seen, "/next");
    assert_eq!(next.len(), 4);
    assert!(
        next.iter().all(|s| s.path == "/next?c=xyz&t=abc&u=7&m=dflt&b=bold&tr=t-42"),
        "{:?}",
        next[0].path
    );
}

#[test]
fn assertions_fail_samples_as_jmeter_does() {
    let t = Target::start(true, |r| match r.path.as_str() {
        "/slow" => Reply::ok("slow").delay(Duration::from_millis(60)),
        "/json" => Reply::ok(r#"{"status":"ok","items":[1,2]}"#),
        _ => Reply::ok("0123456789"),
    });
    let p = t.addr.port();
    let duration = |ms: &str| {
        el(
            "DurationAssertion",
            "DurationAssertionGui",
            "Fast enough",
            &props(&[("DurationAssertion.duration", ms)]),
            "",
        )
    };
    let size = |op: &str, n: &str| {
        el(
            "SizeAssertion",
            "SizeAssertionGui",
            "Size",
            &(props(&[
                ("Assertion.test_field", "SizeAssertion.response_data"),
                ("SizeAssertion.size", n),
            ]) + &format!("<intProp name=\"SizeAssertion.operator\">{op}</intProp>")),
            "",
        )
    };
    let json = |path: &str, expect: &str, validate: bool| {
        el(
            "JSONPathAssertion",
            "JSONPathAssertionGui",
            "JSON",
            &(props(&[("JSON_PATH", path), ("EXPECTED_VALUE", expect)])
                + &format!(
                    "<boolProp name=\"JSONVALIDATION\">{validate}</boolProp><boolProp name=\"EXPECT_NULL\">false</boolProp><boolProp name=\"INVERT\">false</boolProp><boolProp name=\"ISREGEX\">true</boolProp>"
                )),
            "",
        )
    };
    let s = |name: &str, path: &str, children: String| {
        sampler(name, "127.0.0.1", &p.to_string(), path, "GET", &children)
    };
    let body = group(
        "ThreadGroup",
        "Users",
        1,
        3,
        &(s("Slow", "/slow", duration("30"))
            + &s("Quick", "/quick", duration("5000"))
            + &s("Size ok", "/size", size("1", "10"))
            + &s("Size bad", "/size", size("3", "10"))
            + &s(
                "Json ok",
                "/json",
                json("$.status", "o.", true) + &json("$.items[1]", "", false),
            )
            + &s("Json bad", "/json", json("$.status", "fail", true))),
    );
    let report = run(&plan(&[], &body));
    assert_eq!(t.count(), 18);
    let failed: Vec<(String, u64)> =
        report.apis.iter().map(|a| (a.info.api_name.clone(), a.counters.failed_business)).collect();
    let f = |n: &str| failed.iter().find(|(a, _)| a == n).unwrap().1;
    assert_eq!((f("Slow"), f("Quick")), (3, 0));
    assert_eq!((f("Size ok"), f("Size bad")), (0, 3));
    assert_eq!((f("Json ok"), f("Json bad")), (0, 3));
}

#[test]
fn csv_rows_and_variables_resolved_before_the_request_is_checked() {
    let t = Target::start(true, |_| Reply::ok("ok"));
    let p = t.addr.port();
    let csv = el(
        "CSVDataSet",
        "TestBeanGUI",
        "Targets",
        &(props(&[("filename", "targets.csv"), ("variableNames", "url,verb"), ("delimiter", ",")])
            + "<boolProp name=\"ignoreFirstLine\">false</boolProp><boolProp name=\"recycle\">false</boolProp><boolProp name=\"stopThread\">true</boolProp>"),
        "",
    );
    let body = group(
        "ThreadGroup",
        "Users",
        1,
        -1,
        &(csv + &sampler("From CSV", "", "", "${url}", "GET", "")),
    );
    let data = format!("http://127.0.0.1:{p}/one,GET\nhttp://127.0.0.1:{p}/two,GET\n");
    run_jmx(&plan(&[], &body), &[("targets.csv", &data)]);
    let paths: Vec<String> = t.seen().iter().map(|s| s.path.clone()).collect();
    assert_eq!(paths, vec!["/one", "/two"]);
}

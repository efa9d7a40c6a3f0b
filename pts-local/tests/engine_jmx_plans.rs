//! Whole JMX plans shaped like the ones JMeter's templates produce, thread-group options
//! (sample errors, serialized groups) and the checks a save runs.

mod engine_support;

use engine_support::jmx_xml::*;
use engine_support::*;
use pts_local::engine::{self, JmeterOptions};

fn off(x: String) -> String {
    x.replacen("enabled=\"true\"", "enabled=\"false\"", 1)
}

#[test]
fn simple_http_request_template_shape_resolves_variables_first() {
    let t = Target::start(true, |_| Reply::ok("ok"));
    let url = format!("http://127.0.0.1:{}/api/items?x=1", t.addr.port());
    // The template keeps the whole request in User Defined Variables: a full URL as the path,
    // the method, a raw body and its content type.
    let vars = udv(
        "Request",
        &[
            ("url", &url),
            ("method", "PUT"),
            ("body", "{\"a\":1}"),
            ("contentType", "application/json"),
        ],
    );
    let raw = sampler("HTTP Request", "", "", "${url}", "${method}", &headers("Headers", &[("User-Agent", "ApacheJMeter"), ("Content-Type", "${contentType}")]))
        .replace(
            "<collectionProp name=\"Arguments.arguments\"/>",
            "<collectionProp name=\"Arguments.arguments\"><elementProp name=\"\" elementType=\"HTTPArgument\"><boolProp name=\"HTTPArgument.always_encode\">false</boolProp><stringProp name=\"Argument.value\">${body}</stringProp><stringProp name=\"Argument.metadata\">=</stringProp></elementProp></collectionProp>",
        )
        .replace("<boolProp name=\"HTTPSampler.follow_redirects\">", "<boolProp name=\"HTTPSampler.postBodyRaw\">true</boolProp><boolProp name=\"HTTPSampler.follow_redirects\">");
    let listener = "<ResultCollector guiclass=\"ViewResultsFullVisualizer\" testclass=\"ResultCollector\" testname=\"View Results Tree\" enabled=\"true\"><stringProp name=\"filename\"></stringProp></ResultCollector>\n<hashTree/>\n";
    let report = run_jmx(
        &plan(&[], &(vars + listener + &group("ThreadGroup", "Thread Group", 1, 1, &raw))),
        &[],
    );
    assert_eq!(report.scene.count, 1);
    let seen = t.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!((seen[0].method.as_str(), seen[0].path.as_str()), ("PUT", "/api/items?x=1"));
    assert_eq!(seen[0].body, "{\"a\":1}");
    assert_eq!(seen[0].headers["content-type"], "application/json");
}

#[test]
fn recording_template_shape_runs_with_exact_counts() {
    let t = session_target();
    let p = t.addr.port();
    let page = |name: &str, path: &str| sampler(name, "", "", path, "GET", "");
    // The recorder (enabled, with its think-time timer) never runs in a test.
    let recorder = el(
        "ProxyControl",
        "ProxyControlGui",
        "HTTP(S) Test Script Recorder",
        &props(&[("ProxyControlGui.port", "8888")]),
        &el(
            "UniformRandomTimer",
            "UniformRandomTimerGui",
            "Think",
            &props(&[("ConstantTimer.delay", "${T}"), ("RandomTimer.range", "100.0")]),
            "",
        ),
    );
    let recorded = controller(
        "RecordingController",
        "RecordController",
        "Recording Controller",
        &[],
        &(transaction("01 /login", &page("/login", "/login"))
            + &transaction(
                "02 /${app}",
                &(page("/shop", "/shop")
                    + &page("/shop/cart", "/shop/cart")
                    + &headers("Ajax", &[("X-Requested-With", "XMLHttpRequest")])),
            )
            + &transaction("03 /checkout", &page("/checkout", "/checkout"))),
    );
    let body = udv("Recording vars", &[("app", "shop")])
        + &defaults(p)
        + &cookie_manager(false)
        + &headers("Browser headers", &[("User-Agent", "rec/1.0"), ("Accept-Language", "en")])
        + &group("ThreadGroup", "Recorded users", 3, 2, &recorded)
        + &recorder;
    let report = run_jmx(&plan(&[], &body), &[]);
    // 3 threads x 2 iterations x 4 pages, every page after login with this thread's cookie.
    assert_eq!(t.count(), 24);
    assert_eq!(report.scene.count, 24);
    assert_eq!(report.scene.failed_requests, 0);
    let seen = t.seen();
    assert!(seen.iter().all(|s| s.headers["user-agent"] == "rec/1.0"));
    let ajax = seen.iter().filter(|s| s.headers.contains_key("x-requested-with")).count();
    assert_eq!(ajax, 12);
    for path in ["/login", "/shop", "/shop/cart", "/checkout"] {
        assert_eq!(seen.iter().filter(|s| s.path == path).count(), 6, "{path}");
    }
}

#[test]
fn sample_errors_start_the_next_loop_or_stop_the_thread() {
    let t = Target::start(true, |r| {
        if r.path == "/bad" { Reply::ok("no").status(500) } else { Reply::ok("ok") }
    });
    let p = t.addr.port();
    let flow = get("Before", p, "/before") + &get("Bad", p, "/bad") + &get("After", p, "/after");
    let with = |mode: &str, name: &str| {
        group("ThreadGroup", name, 2, 3, &flow).replace(">continue<", &format!(">{mode}<"))
    };
    run_jmx(&plan(&[], &with("startnextloop", "Next loop")), &[]);
    assert_eq!((t.count(), t.seen().iter().filter(|s| s.path == "/after").count()), (12, 0));
    let t2 = Target::start(true, |r| {
        if r.path == "/bad" { Reply::ok("no").status(500) } else { Reply::ok("ok") }
    });
    let flow2 = get("Before", t2.addr.port(), "/before") + &get("Bad", t2.addr.port(), "/bad");
    let stop = group("ThreadGroup", "Stop", 2, 3, &flow2).replace(">continue<", ">stopthread<");
    // Each thread stops at its first error; the tearDown group still runs after it.
    let down = group("PostThreadGroup", "tearDown", 1, 1, &get("Down", t2.addr.port(), "/down"));
    run_jmx(&plan(&[], &(stop + &down)), &[]);
    assert_eq!(t2.count(), 5);
    let err =
        engine::parse_jmx(&plan(&[], &with("stoptest", "Whole test"))).unwrap_err().to_string();
    assert!(
        err.contains(
            "ThreadGroup \"Whole test\" at TestPlan, property `ThreadGroup.on_sample_error`"
        ),
        "{err}"
    );
}

#[test]
fn serialized_thread_groups_run_one_after_another() {
    let t = Target::start(true, |_| Reply::ok("ok"));
    let p = t.addr.port();
    let body = group("ThreadGroup", "First", 2, 2, &get("A", p, "/a"))
        + &group("ThreadGroup", "Second", 2, 2, &get("B", p, "/b"));
    let xml = plan(&[], &body).replace(
        "<boolProp name=\"TestPlan.functional_mode\">false</boolProp>",
        "<boolProp name=\"TestPlan.functional_mode\">false</boolProp><boolProp name=\"TestPlan.serialize_threadgroups\">true</boolProp>",
    );
    run_jmx(&xml, &[]);
    let seen = t.seen();
    let at = |path: &str| seen.iter().filter(|s| s.path == path).map(|s| s.at).collect::<Vec<_>>();
    let (a, b) = (at("/a"), at("/b"));
    assert_eq!((a.len(), b.len()), (4, 4));
    assert!(a.iter().max() < b.iter().min());
}

#[test]
fn user_defined_variables_seed_what_extractors_set_later() {
    let t = Target::start(true, |r| {
        if r.path == "/token" { Reply::ok("token=fresh;") } else { Reply::ok("ok") }
    });
    let p = t.addr.port();
    let rx = el(
        "RegexExtractor",
        "RegexExtractorGui",
        "token",
        &props(&[
            ("RegexExtractor.useHeaders", "false"),
            ("RegexExtractor.refname", "token"),
            ("RegexExtractor.regex", "token=(\\w+);"),
            ("RegexExtractor.template", "$1$"),
            ("RegexExtractor.default", ""),
            ("RegexExtractor.match_number", "1"),
        ]),
        "",
    );
    let flow = get("Use", p, "/use?t=${token}")
        + &sampler("Get", "127.0.0.1", &p.to_string(), "/token", "GET", &rx);
    run_jmx(&plan(&[("token", "initial")], &group("ThreadGroup", "Users", 1, 2, &flow)), &[]);
    let uses: Vec<String> =
        t.seen().iter().filter(|s| s.path.starts_with("/use")).map(|s| s.path.clone()).collect();
    assert_eq!(uses, vec!["/use?t=initial", "/use?t=fresh"]);
}

#[test]
fn save_time_checks_name_the_element_path_and_property() {
    let p = 8080;
    let cases = [
        (
            sampler("Bad method", "127.0.0.1", "80", "/", "${m}", ""),
            "HTTPSamplerProxy \"Bad method\" at TestPlan > ThreadGroup, property `HTTPSampler.method`",
        ),
        (
            get("Unknown var", p, "/x?u=${nobody}"),
            "property `HTTPSampler.path`: variable `${nobody}` is never set",
        ),
        (
            get("Function", p, "/x?t=${__jexl3(1)}"),
            "property `HTTPSampler.path`: the JMeter function `__jexl3` is not supported",
        ),
        (
            loop_ctl("Loops", "many", &get("X", p, "/x")),
            "LoopController \"Loops\" at TestPlan > ThreadGroup, property `LoopController.loops`",
        ),
        (sampler("No host", "", "", "/x", "GET", ""), "property `HTTPSampler.domain`"),
        (
            get("Upload", p, "/x").replace(
                "<boolProp name=\"HTTPSampler.DO_MULTIPART_POST\">false",
                "<boolProp name=\"HTTPSampler.DO_MULTIPART_POST\">true",
            ),
            "HTTPSamplerProxy \"Upload\" at TestPlan > ThreadGroup, property `HTTPSampler.DO_MULTIPART_POST`",
        ),
        (
            controller(
                "GenericController",
                "LogicControllerGui",
                "Section",
                &[],
                &get("Deep", p, "/x?${later}"),
            ),
            "HTTPSamplerProxy \"Deep\" at TestPlan > ThreadGroup > GenericController, property `HTTPSampler.path`",
        ),
    ];
    for (inner, want) in cases {
        let xml = plan(&[], &group("ThreadGroup", "Users", 1, 1, &inner));
        let err = engine::parse_jmx(&xml)
            .and_then(|plan| engine::check_jmx(&plan, &JmeterOptions::default(), &engine::NoFiles))
            .unwrap_err()
            .to_string();
        assert!(err.contains(want), "{err}\nwanted: {want}");
    }
    // Disabled, an unknown element is no reason to refuse.
    let xml = plan(
        &[],
        &group(
            "ThreadGroup",
            "Users",
            1,
            1,
            &(get("X", p, "/x") + &off(el("JSR223Sampler", "TestBeanGUI", "S", "", ""))),
        ),
    );
    engine::check_jmx(
        &engine::parse_jmx(&xml).unwrap(),
        &JmeterOptions::default(),
        &engine::NoFiles,
    )
    .unwrap();
}

#[test]
fn functions_are_evaluated_before_each_sample() {
    let t = Target::start(true, |_| Reply::ok("ok"));
    let p = t.addr.port();
    let path = "/f?n=${__threadNum}&amp;r=${__Random(5,7)}&amp;u=${__UUID()}&amp;s=${__time(/1000)}&amp;w=${__RandomString(4,xy)}";
    run_jmx(&plan(&[], &group("ThreadGroup", "Users", 3, 2, &get("F", p, path))), &[]);
    let seen = t.seen();
    assert_eq!(seen.len(), 6);
    let q = |s: &Seen, k: &str| -> String {
        s.path
            .split(['?', '&'])
            .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
            .unwrap()
            .to_string()
    };
    let mut threads: Vec<String> = seen.iter().map(|s| q(s, "n")).collect();
    threads.sort();
    assert_eq!(threads, vec!["1", "1", "2", "2", "3", "3"]);
    let mut uuids: Vec<String> = seen.iter().map(|s| q(s, "u")).collect();
    uuids.sort();
    uuids.dedup();
    assert_eq!(uuids.len(), 6);
    for s in &seen {
        assert!(["5", "6", "7"].contains(&q(s, "r").as_str()), "{}", s.path);
        assert!(q(s, "s").parse::<u64>().unwrap() > 1_600_000_000, "{}", s.path);
        assert!(q(s, "w").len() == 4 && q(s, "w").chars().all(|c| c == 'x' || c == 'y'));
    }
}

//! Engine features: chains with exports, checkpoints, parameters, SuccessCode, domain binding,
//! redirects, timeouts.

mod engine_support;

use engine_support::*;
use pts_api::shapes::scene::{
    AdvanceSetting, DomainBinding, FileParameter, FileParameterExplain, GlobalParameter,
};
use pts_local::engine::{self, FailureReason, FileResolver, NoFiles, StopReason};
use std::collections::HashMap;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

#[test]
fn chain_exports_feed_later_requests() {
    let target = Target::start(true, |r| match r.path.as_str() {
        "/login" => {
            Reply::ok(r#"{"data":{"token":"tk1","items":[{"id":42},{"id":43}]},"msg":"id=7 id=8"}"#)
                .header("X-Session", "s-123")
        }
        _ => Reply::ok("done"),
    });
    let mut login = api("login", "GET", &target.url("/login"));
    login.export_list = Some(vec![
        export("id", "BODY_JSON", "data.items[0].id", None),
        export("tok", "BODY_JSON", "$.data.token", None),
        export("second", "BODY_JSON", "$['data']['items'][1].id", None),
        export("sess", "HEADER", "x-session", None),
        export("num", "BODY_TEXT", r"id=(\d+)", Some("1")),
        export("code", "STATUS_CODE", "", None),
    ]);
    let next = with_body(
        with_headers(
            api("use", "POST", &target.url("/items/${id}?s=${sess}")),
            &[("X-Tok", "${tok}")],
        ),
        "text/plain",
        "code=${code}&n=${num}&second=${second}&missing=${nope}",
    );
    let scene = conc_scene(vec![relation("chain", vec![login, next])], 1, 1);
    let run = engine::start_debug(&scene, &NoFiles, &cfg(60.0)).unwrap();
    let report = run.wait_timeout(WAIT).unwrap();
    assert_eq!(report.stop_reason, StopReason::Completed);
    assert_eq!(report.scene.count, 2);
    assert_eq!(
        report.scene.failed_requests + report.scene.failed_business,
        0,
        "{:?}",
        report.scene
    );
    let seen = target.seen();
    assert_eq!(seen.len(), 2);
    let used = &seen[1];
    assert_eq!(used.method, "POST");
    assert_eq!(used.path, "/items/42?s=s-123");
    assert_eq!(used.headers.get("x-tok").map(String::as_str), Some("tk1"));
    assert_eq!(used.headers.get("content-type").map(String::as_str), Some("text/plain"));
    assert_eq!(used.body, "code=200&n=8&second=43&missing=${nope}");
    // The sample log of the first request shows the exports.
    let s = &report.samples[0];
    let ex: HashMap<_, _> =
        s.exports.iter().map(|e| (e.name.as_str(), e.value.as_deref())).collect();
    assert_eq!(ex["id"], Some("42"));
    assert_eq!(ex["num"], Some("8"));
    let imports: HashMap<_, _> =
        report.samples[1].imports.iter().map(|(k, v)| (k.as_str(), v.as_deref())).collect();
    assert_eq!(imports["id"], Some("42"));
}

#[test]
fn export_failure_is_a_business_failure() {
    let target = Target::start(false, |_| Reply::ok(r#"{"a":1}"#));
    let mut a = api("a", "GET", &target.url("/"));
    a.export_list = Some(vec![export("x", "BODY_JSON", "$.missing", None)]);
    let scene = conc_scene(vec![relation("r", vec![a])], 1, 1);
    let report =
        engine::start_debug(&scene, &NoFiles, &cfg(60.0)).unwrap().wait_timeout(WAIT).unwrap();
    let c = &report.apis[0].counters;
    assert_eq!((c.count, c.ok, c.failed_business), (1, 1, 1));
    assert_eq!(c.reason(FailureReason::ExportFailed), 1);
}

#[test]
fn checkpoints_pass_and_fail_as_business_failures() {
    let target = Target::start(false, |r| match r.path.as_str() {
        "/good" => Reply::ok(r#"{"status":"ok","n":5}"#).header("X-Ver", "3"),
        _ => Reply::ok("nope").header("X-Ver", "1"),
    });
    let mut good = api("good", "GET", &target.url("/good"));
    good.export_list = Some(vec![export("n", "BODY_JSON", "n", None)]);
    good.check_point_list = Some(vec![
        check("STATUS_CODE", "", "eq", "200"),
        check("BODY_TEXT", "", "ctn", "\"ok\""),
        check("HEADER", "X-Ver", "gte", "2"),
        check("HEADER", "X-Missing", "nexist", ""),
        check("EXPORTED_PARAM", "n", "lt", "10"),
        check("BODY_TEXT", "", "regex", r#""n":\d+"#),
    ]);
    let mut bad = api("bad", "GET", &target.url("/bad"));
    bad.check_point_list =
        Some(vec![check("STATUS_CODE", "", "eq", "200"), check("HEADER", "X-Ver", "gte", "2")]);
    let scene = conc_scene(vec![relation("r", vec![good, bad])], 1, 1);
    let report =
        engine::start_debug(&scene, &NoFiles, &cfg(60.0)).unwrap().wait_timeout(WAIT).unwrap();
    let (g, b) = (&report.apis[0].counters, &report.apis[1].counters);
    assert_eq!((g.count, g.ok, g.failed_business, g.failed_requests), (1, 1, 0, 0));
    assert_eq!((b.count, b.ok, b.failed_business, b.failed_requests), (1, 1, 1, 0));
    assert_eq!(b.reason(FailureReason::CheckpointFailed), 1);
    assert_eq!(report.scene.failed_business, 1);
    let m = report.pts_scene_metrics();
    assert_eq!(m.success_rate_req, Some(1.0));
    assert_eq!(m.success_rate_biz, Some(0.5));
    let hits: Vec<bool> = report.samples[1].checks.iter().map(|c| c.hit).collect();
    assert_eq!(hits, vec![true, false]);
    assert!(report.samples[0].checks.iter().all(|c| c.hit));
}

#[test]
fn invalid_checkpoint_operator_is_refused() {
    let mut a = api("a", "GET", "http://127.0.0.1:9/");
    a.check_point_list = Some(vec![check("STATUS_CODE", "", "almost", "200")]);
    let err = engine::validate_scene(
        &conc_scene(vec![relation("r", vec![a])], 1, 1),
        &NoFiles,
        &cfg(60.0),
    )
    .unwrap_err();
    assert!(err.to_string().contains("almost"), "{err}");
}

#[test]
fn global_and_csv_parameters() {
    let target = Target::start(true, |_| Reply::ok("ok"));
    let files: HashMap<String, Vec<u8>> = HashMap::from([
        ("users.csv".to_string(), b"alice,pw1\nbob,pw2\n\"c,arol\",pw3\n".to_vec()),
        ("cities.csv".to_string(), b"paris\nrome\n".to_vec()),
    ]);
    let a = with_headers(
        api("a", "GET", &target.url("/u/${user}?c=${city}&env=${env}")),
        &[("X-Pass", "${pass}")],
    );
    let mut rel = relation("r", vec![a]);
    rel.file_parameter_explain_list = Some(vec![
        pts_api::make!(FileParameterExplain {
            file_name: "cities.csv".into(),
            file_param_name: "city".into(),
            base_file: Some(false),
            cycle_once: None,
        }),
        pts_api::make!(FileParameterExplain {
            file_name: "users.csv".into(),
            file_param_name: "user,pass".into(),
            base_file: Some(true),
            cycle_once: Some(true),
        }),
    ]);
    let mut scene = conc_scene(vec![rel], 1, 1);
    scene.global_parameter_list = Some(vec![pts_api::make!(GlobalParameter {
        param_name: Some("env".into()),
        param_value: Some("prod".into()),
    })]);
    scene.file_parameter_list = Some(vec![
        pts_api::make!(FileParameter {
            file_name: Some("users.csv".into()),
            file_oss_address: None
        }),
        pts_api::make!(FileParameter {
            file_name: Some("cities.csv".into()),
            file_oss_address: None
        }),
    ]);
    let run = engine::start_run(&scene, &files as &dyn FileResolver, &cfg(60.0)).unwrap();
    let report = run.wait_timeout(WAIT).unwrap();
    // CycleOnce on the base file: exactly one iteration per row, then the run completes.
    assert_eq!(report.stop_reason, StopReason::Completed);
    let seen = target.seen();
    let paths: Vec<&str> = seen.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        paths,
        vec!["/u/alice?c=paris&env=prod", "/u/bob?c=rome&env=prod", "/u/c,arol?c=paris&env=prod"]
    );
    let pw: Vec<&str> = seen.iter().map(|s| s.headers["x-pass"].as_str()).collect();
    assert_eq!(pw, vec!["pw1", "pw2", "pw3"]);
    // A file missing from the store is refused before anything runs.
    let err = engine::start_run(&scene, &NoFiles, &cfg(60.0)).unwrap_err();
    assert!(err.to_string().contains("cities.csv"), "{err}");
}

#[test]
fn success_code_counts_extra_statuses() {
    let target = Target::start(false, |_| Reply::ok("gone").status(404));
    let mk = |codes: Option<&str>| {
        let mut s = conc_scene(vec![relation("r", vec![api("a", "GET", &target.url("/"))])], 1, 1);
        s.advance_setting =
            Some(pts_api::make!(AdvanceSetting { success_code: codes.map(str::to_string) }));
        engine::start_debug(&s, &NoFiles, &cfg(60.0)).unwrap().wait_timeout(WAIT).unwrap()
    };
    let plain = mk(None);
    assert_eq!(plain.scene.failed_requests, 1);
    assert_eq!(plain.scene.reason(FailureReason::HttpStatus), 1);
    assert_eq!(plain.apis[0].counters.status_codes, vec![(404, 1)]);
    let extra = mk(Some("429,404"));
    assert_eq!(extra.scene.failed_requests, 0);
    assert_eq!(extra.scene.ok, 1);
}

#[test]
fn domain_binding_connects_to_bound_ip_and_keeps_host() {
    let target = Target::start(true, |_| Reply::ok("bound"));
    let port = target.addr.port();
    let url = format!("http://shop.example.test:{port}/cart");
    let mut scene = conc_scene(vec![relation("r", vec![api("a", "GET", &url)])], 1, 1);
    scene.advance_setting = Some(pts_api::make!(AdvanceSetting {
        domain_binding_list: Some(vec![pts_api::make!(DomainBinding {
            domain: Some("shop.example.test".into()),
            ips: Some(vec!["127.0.0.1".into()]),
        })]),
    }));
    let report =
        engine::start_debug(&scene, &NoFiles, &cfg(60.0)).unwrap().wait_timeout(WAIT).unwrap();
    assert_eq!(report.scene.ok, 1, "{:?}", report.samples[0].fail_message);
    let seen = target.seen();
    assert_eq!(seen[0].path, "/cart");
    assert_eq!(seen[0].headers["host"], format!("shop.example.test:{port}"));
}

#[test]
fn redirects_not_followed_with_0_followed_with_10() {
    let target = Target::start(true, |r| match r.path.as_str() {
        "/old" => Reply::ok("").status(302).header("Location", "/new?x=1"),
        "/loop" => Reply::ok("").status(301).header("Location", "/loop"),
        "/post" => Reply::ok("").status(303).header("Location", "new"),
        _ => Reply::ok("arrived"),
    });
    let run_with = |path: &str, method: &str, limit: i32| {
        let mut a = api("a", method, &target.url(path));
        a.redirect_count_limit = i64::from(limit).into();
        a.check_point_list = Some(vec![check("STATUS_CODE", "", "exist", "")]);
        let s = conc_scene(vec![relation("r", vec![a])], 1, 1);
        engine::start_debug(&s, &NoFiles, &cfg(60.0)).unwrap().wait_timeout(WAIT).unwrap()
    };
    // 0: not followed; the 3xx is the final answer and counts as a success.
    let r0 = run_with("/old", "GET", 0);
    assert_eq!(r0.apis[0].counters.status_codes, vec![(302, 1)]);
    assert_eq!(r0.scene.ok, 1);
    assert_eq!(r0.samples[0].redirects, 0);
    assert!(!target.seen().iter().any(|s| s.path.starts_with("/new")));
    // 10: followed.
    let r10 = run_with("/old", "GET", 10);
    assert_eq!(r10.apis[0].counters.status_codes, vec![(200, 1)]);
    assert_eq!(r10.samples[0].redirects, 1);
    assert!(target.seen().iter().any(|s| s.path == "/new?x=1"));
    // 303 after POST continues as GET (relative Location).
    let r303 = run_with("/post", "POST", 10);
    assert_eq!(r303.scene.ok, 1);
    assert!(target.seen().iter().any(|s| s.path == "/new" && s.method == "GET"));
    // A redirect loop fails after 10 hops.
    let rl = run_with("/loop", "GET", 10);
    assert_eq!(rl.scene.reason(FailureReason::TooManyRedirects), 1);
    assert_eq!(target.seen().iter().filter(|s| s.path == "/loop").count(), 11);
}

#[test]
fn timeouts_count_as_failures() {
    let target = Target::start(false, |r| {
        if r.path == "/slow" {
            Reply::ok("late").delay(Duration::from_millis(2500))
        } else {
            Reply::ok("fast")
        }
    });
    let mut slow = api("slow", "GET", &target.url("/slow"));
    slow.timeout_in_second = Some(1);
    let fast = api("fast", "GET", &target.url("/fast"));
    let scene = conc_scene(vec![relation("r", vec![slow, fast])], 1, 1);
    let started = std::time::Instant::now();
    let report =
        engine::start_debug(&scene, &NoFiles, &cfg(60.0)).unwrap().wait_timeout(WAIT).unwrap();
    assert!(started.elapsed() < Duration::from_millis(2400), "the timeout cut the request short");
    let s = &report.apis[0].counters;
    assert_eq!((s.count, s.failed_requests), (1, 1));
    assert_eq!(s.reason(FailureReason::Timeout), 1);
    assert!(report.apis[0].latency.max_ms >= 990.0 && report.apis[0].latency.max_ms < 1500.0);
    // The chain goes on after a failed request.
    assert_eq!(report.apis[1].counters.ok, 1);
    // The scene-wide ConnectionTimeoutInSecond applies when the API sets none.
    let mut slow2 = api("slow", "GET", &target.url("/slow"));
    slow2.timeout_in_second = None;
    let mut scene2 = conc_scene(vec![relation("r", vec![slow2])], 1, 1);
    scene2.advance_setting =
        Some(pts_api::make!(AdvanceSetting { connection_timeout_in_second: Some(1) }));
    let r2 =
        engine::start_debug(&scene2, &NoFiles, &cfg(60.0)).unwrap().wait_timeout(WAIT).unwrap();
    assert_eq!(r2.scene.reason(FailureReason::Timeout), 1);
}

#[test]
fn connect_errors_are_counted() {
    // A port nobody listens on (bind then drop).
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let scene = conc_scene(
        vec![relation("r", vec![api("a", "GET", &format!("http://127.0.0.1:{port}/"))])],
        1,
        1,
    );
    let report =
        engine::start_debug(&scene, &NoFiles, &cfg(60.0)).unwrap().wait_timeout(WAIT).unwrap();
    assert_eq!(report.scene.reason(FailureReason::ConnectError), 1);
    assert_eq!(report.apis[0].counters.status_codes, vec![(0, 1)]);
}

//! Safety: targets must be loopback unless allow-listed; checked before any connection.

mod engine_support;

use engine_support::*;
use pts_api::shapes::scene::{AdvanceSetting, DomainBinding};
use pts_local::engine::{self, EngineError, FailureReason, NoFiles};
use std::time::Duration;

fn refused(url: &str) -> EngineError {
    let scene = conc_scene(vec![relation("r", vec![api("a", "GET", url)])], 1, 1);
    let err = engine::start_run(&scene, &NoFiles, &cfg(60.0)).expect_err("must be refused");
    assert_eq!(engine::validate_scene(&scene, &NoFiles, &cfg(60.0)).unwrap_err(), err);
    err
}

#[test]
fn non_loopback_targets_are_refused_before_any_connect() {
    match refused("http://10.0.0.1:8080/x") {
        EngineError::TargetNotAllowed { host, .. } => assert_eq!(host, "10.0.0.1"),
        e => panic!("{e}"),
    }
    let e = refused("http://example.invalid/x");
    assert!(
        matches!(&e, EngineError::TargetNotAllowed { host, .. } if host == "example.invalid"),
        "{e}"
    );
    assert!(e.to_string().contains("example.invalid"));
    // One bad API among good ones is enough.
    let good = api("ok", "GET", "http://127.0.0.1:9/");
    let bad = api("bad", "GET", "http://[2001:db8::1]/");
    let scene = conc_scene(vec![relation("r", vec![good, bad])], 1, 1);
    let e = engine::start_debug(&scene, &NoFiles, &cfg(60.0)).unwrap_err();
    assert!(
        matches!(&e, EngineError::TargetNotAllowed { host, .. } if host == "2001:db8::1"),
        "{e}"
    );
    // A domain binding to a non-loopback address is refused too.
    let mut scene =
        conc_scene(vec![relation("r", vec![api("a", "GET", "http://svc.test/")])], 1, 1);
    scene.advance_setting = Some(pts_api::make!(AdvanceSetting {
        domain_binding_list: Some(vec![pts_api::make!(DomainBinding {
            domain: Some("svc.test".into()),
            ips: Some(vec!["10.0.0.1".into()]),
        })]),
    }));
    let e = engine::start_run(&scene, &NoFiles, &cfg(60.0)).unwrap_err();
    assert!(matches!(&e, EngineError::TargetNotAllowed { host, .. } if host == "svc.test"), "{e}");
    // Loopback names and addresses pass.
    for ok in
        ["http://127.0.0.1:9/", "http://127.8.9.10:9/", "http://[::1]:9/", "http://localhost:9/"]
    {
        let s = conc_scene(vec![relation("r", vec![api("a", "GET", ok)])], 1, 1);
        engine::validate_scene(&s, &NoFiles, &cfg(60.0)).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    // https targets follow the same rule.
    let e = refused("https://10.0.0.1/");
    assert!(matches!(&e, EngineError::TargetNotAllowed { host, .. } if host == "10.0.0.1"), "{e}");
    let s = conc_scene(vec![relation("r", vec![api("a", "GET", "https://localhost:9/")])], 1, 1);
    engine::validate_scene(&s, &NoFiles, &cfg(60.0)).unwrap();
}

#[test]
fn allow_listed_host_passes_the_precheck() {
    // `example.invalid` never resolves, so nothing can be sent anywhere: the run starts (the
    // allow-list let it through the pre-check) and every request fails at connect time.
    let scene =
        conc_scene(vec![relation("r", vec![api("a", "GET", "http://example.invalid:9/")])], 1, 1);
    let mut c = cfg(60.0);
    c.allow_targets = vec!["EXAMPLE.invalid".into()];
    let run = engine::start_debug(&scene, &NoFiles, &c).unwrap();
    let report = run.wait_timeout(Duration::from_secs(20)).unwrap();
    assert_eq!(report.scene.count, 1);
    assert_eq!(report.scene.reason(FailureReason::ConnectError), 1);
    // 10.0.0.1 allowed: validation passes (not run, to never send there).
    let s = conc_scene(vec![relation("r", vec![api("a", "GET", "http://10.0.0.1/")])], 1, 1);
    let mut c = cfg(60.0);
    c.allow_targets = vec!["10.0.0.1".into()];
    engine::validate_scene(&s, &NoFiles, &c).unwrap();
}

#[test]
fn templated_hosts_are_checked_at_connect_time() {
    // The host comes from a global parameter... which is inlined, so it is checked up front.
    let mut scene = conc_scene(vec![relation("r", vec![api("a", "GET", "http://${h}/")])], 1, 1);
    scene.global_parameter_list =
        Some(vec![pts_api::make!(pts_api::shapes::scene::GlobalParameter {
            param_name: Some("h".into()),
            param_value: Some("10.0.0.1".into()),
        })]);
    let e = engine::start_run(&scene, &NoFiles, &cfg(60.0)).unwrap_err();
    assert!(matches!(&e, EngineError::TargetNotAllowed { host, .. } if host == "10.0.0.1"), "{e}");
    // ...and from an export it can only be checked at connect time: refused there, never sent.
    let target = Target::start(false, |_| Reply::ok(r#"{"host":"10.0.0.1:9"}"#));
    let mut first = api("first", "GET", &target.url("/"));
    first.export_list = Some(vec![export("h", "BODY_JSON", "host", None)]);
    let second = api("second", "GET", "http://${h}/x");
    let scene = conc_scene(vec![relation("r", vec![first, second])], 1, 1);
    let report = engine::start_debug(&scene, &NoFiles, &cfg(60.0))
        .unwrap()
        .wait_timeout(Duration::from_secs(20))
        .unwrap();
    assert_eq!(report.apis[1].counters.reason(FailureReason::TargetRefused), 1);
    assert!(report.samples[1].fail_message.as_deref().unwrap().contains("10.0.0.1"));
}

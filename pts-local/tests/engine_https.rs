//! `https://` targets: a loopback TLS target whose certificate is made in the test, trusted
//! through `EngineConfig::ca_files`; exact counts, connection reuse, session resumption, the
//! handshake in debug samples, refusals for a wrong CA, and SNI under a domain binding.

mod engine_support;

use engine_support::tls::TestCa;
use engine_support::*;
use pts_api::shapes::scene::{AdvanceSetting, DomainBinding, FileParameterExplain};
use pts_local::engine::{
    self, EngineConfig, EngineError, FailureReason, FileResolver, RunReport, StopReason,
};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

fn tls_cfg(dir: &tempfile::TempDir, ca: &TestCa) -> EngineConfig {
    EngineConfig { ca_files: vec![ca.write_ca(dir.path())], ..cfg(60.0) }
}

/// Runs `vus` virtual users over a relation that reads one row of a `rows`-row CSV file per
/// iteration and stops after the last one (so the run ends by itself); the report.
fn run_rows(url: &str, rows: usize, vus: i32, cfg: &EngineConfig) -> Arc<RunReport> {
    let csv: String = (0..rows).map(|i| format!("u{i}\n")).collect();
    let files = HashMap::from([("rows.csv".to_string(), csv.into_bytes())]);
    let mut rel = relation("r", vec![api("a", "GET", url)]);
    rel.file_parameter_explain_list = Some(vec![pts_api::make!(FileParameterExplain {
        file_name: "rows.csv".into(),
        file_param_name: "user".into(),
        base_file: Some(true),
        cycle_once: Some(true),
    })]);
    let mut scene = conc_scene(vec![rel], vus, 1);
    scene.file_parameter_list = Some(vec![pts_api::make!(pts_api::shapes::scene::FileParameter {
        file_name: Some("rows.csv".into()),
    })]);
    let run = engine::start_run(&scene, &files as &dyn FileResolver, cfg).unwrap();
    run.wait_timeout(Duration::from_secs(30)).expect("ends after the last row")
}

/// 3 virtual users send 90 requests over TLS: the report and the target count the same,
/// nothing fails, and each virtual user keeps one connection (3 handshakes in all).
#[test]
fn https_scene_counts_exactly_and_reuses_connections() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(&["localhost", "127.0.0.1"]);
    let target = Target::start_tls(&ca, |_| Reply::ok("secure"));
    let report = run_rows(&target.url("/x?u=${user}"), 90, 3, &tls_cfg(&dir, &ca));
    assert_eq!(report.stop_reason, StopReason::Completed);
    assert_eq!(report.scene.count, 90);
    assert_eq!(target.count(), 90, "report == target");
    assert_eq!(report.scene.failed_requests, 0, "{:?}", report.scene.failure_reasons());
    let hs = target.handshakes();
    assert_eq!(hs.len(), 3, "one kept-alive connection per virtual user: {hs:?}");
    // An IP address is not sent as SNI (the certificate is checked against it); a name is.
    assert!(hs.iter().all(|h| h.sni.is_none()), "{hs:?}");
    let url = target.url("/y?u=${user}").replace("127.0.0.1", "localhost");
    let report = run_rows(&url, 4, 1, &tls_cfg(&dir, &ca));
    assert_eq!(report.scene.fully_ok(), 4);
    assert_eq!(target.handshakes().last().unwrap().sni.as_deref(), Some("localhost"));
}

/// A target that closes every connection: each request reconnects, and the run's one TLS
/// client resumes the session instead of a full handshake.
#[test]
fn reconnects_resume_the_tls_session() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(&["127.0.0.1"]);
    let target = Target::start_tls(&ca, |_| Reply::ok("bye").header("Connection", "close"));
    let report = run_rows(&target.url("/?u=${user}"), 6, 1, &tls_cfg(&dir, &ca));
    assert_eq!(report.scene.fully_ok(), 6, "{:?}", report.scene.failure_reasons());
    let hs = target.handshakes();
    assert_eq!(hs.len(), 6, "{hs:?}");
    assert!(!hs[0].resumed, "the first handshake is a full one");
    assert!(hs[1..].iter().all(|h| h.resumed), "later ones resume: {hs:?}");
}

/// The debug sample of the first request over TLS times connect and handshake.
#[test]
fn debug_samples_time_the_tls_handshake() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(&["127.0.0.1"]);
    let target = Target::start_tls(&ca, |_| Reply::ok("hi"));
    let apis = vec![api("one", "GET", &target.url("/1")), api("two", "GET", &target.url("/2"))];
    let scene = conc_scene(vec![relation("r", apis)], 1, 1);
    let report = engine::start_debug(&scene, &engine::NoFiles, &tls_cfg(&dir, &ca))
        .unwrap()
        .wait_timeout(Duration::from_secs(20))
        .unwrap();
    assert_eq!(report.samples.len(), 2);
    let (first, second) = (&report.samples[0], &report.samples[1]);
    assert!(first.success && second.success);
    assert!(first.connect_us.is_some() && first.tls_us.is_some_and(|t| t > 0), "{first:?}");
    // The second request reuses the connection: no connect, no handshake.
    assert!(second.connect_us.is_none() && second.tls_us.is_none(), "{second:?}");
    let timing: serde_json::Value = serde_json::from_str(&first.timing_json()).unwrap();
    assert_eq!(timing["tls"].as_u64(), Some(first.tls_us.unwrap() * 1000));
}

/// A certificate that does not chain to a trusted CA fails every request with a message that
/// names the host and the certificate problem; a CA file that is not a certificate refuses the
/// run before it starts, naming the file.
#[test]
fn wrong_ca_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(&["127.0.0.1"]);
    let other = TestCa::new(&["127.0.0.1"]);
    let target = Target::start_tls(&ca, |_| Reply::ok("hi"));
    let scene = conc_scene(vec![relation("r", vec![api("a", "GET", &target.url("/"))])], 1, 1);
    for c in [cfg(60.0), tls_cfg(&dir, &other)] {
        let report = engine::start_debug(&scene, &engine::NoFiles, &c)
            .unwrap()
            .wait_timeout(Duration::from_secs(20))
            .unwrap();
        assert_eq!(report.scene.reason(FailureReason::ConnectError), 1);
        let msg = report.samples[0].fail_message.clone().unwrap();
        assert!(msg.contains("127.0.0.1") && msg.contains("certificate"), "{msg}");
    }
    assert_eq!(target.count(), 0, "nothing was sent over an unverified connection");
    let bad = dir.path().join("not-a-ca.pem");
    std::fs::write(&bad, "hello").unwrap();
    let c = EngineConfig { ca_files: vec![bad.clone()], ..cfg(60.0) };
    match engine::start_run(&scene, &engine::NoFiles, &c).unwrap_err() {
        EngineError::Tls(m) => assert!(m.contains("not-a-ca.pem"), "{m}"),
        e => panic!("{e}"),
    }
}

/// A domain bound to 127.0.0.1: the connection goes to the bound address, SNI and the
/// certificate check use the domain, and the Host header is the URL's.
#[test]
fn domain_binding_keeps_the_domain_as_sni_and_host() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(&["shop.test"]);
    let target = Target::start_tls(&ca, |_| Reply::ok("bound"));
    let port = target.addr.port();
    let url = format!("https://shop.test:{port}/items");
    let mut scene = conc_scene(vec![relation("r", vec![api("a", "GET", &url)])], 1, 1);
    scene.advance_setting = Some(pts_api::make!(AdvanceSetting {
        domain_binding_list: Some(vec![pts_api::make!(DomainBinding {
            domain: Some("shop.test".into()),
            ips: Some(vec!["127.0.0.1".into()]),
        })]),
    }));
    let report = engine::start_debug(&scene, &engine::NoFiles, &tls_cfg(&dir, &ca))
        .unwrap()
        .wait_timeout(Duration::from_secs(20))
        .unwrap();
    assert!(report.samples[0].success, "{:?}", report.samples[0].fail_message);
    assert_eq!(target.handshakes()[0].sni.as_deref(), Some("shop.test"));
    let seen = target.seen();
    assert_eq!(
        seen[0].headers.get("host").map(String::as_str),
        Some(format!("shop.test:{port}").as_str())
    );
    assert_eq!(seen[0].path, "/items");
}

//! Run control: stop (acknowledged at once, in-flight requests cancelled), adjust while running,
//! MaxRunningTime and the service cap, live snapshots and their conversions.

mod engine_support;

use engine_support::*;
use pts_local::engine::{self, AdjustTarget, LoadMode, NoFiles, RunPhase, Speed, StopReason};
use std::time::{Duration, Instant};

fn wait_until(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

#[test]
fn stop_is_acknowledged_and_cancels_in_flight_requests() {
    let target = Target::start(false, |_| Reply::hang());
    let mut a = api("a", "GET", &target.url("/never"));
    a.timeout_in_second = Some(60);
    let scene = conc_scene(vec![relation("r", vec![a])], 5, 10);
    let run = engine::start_run(&scene, &NoFiles, &cfg(60.0)).unwrap();
    assert!(wait_until(Duration::from_secs(5), || target.count() >= 5), "requests in flight");
    let t = Instant::now();
    run.stop();
    let ack = t.elapsed();
    assert!(run.phase() != RunPhase::Running);
    assert!(ack < Duration::from_secs(1), "stop acknowledged in {ack:?}");
    let report = run
        .wait_timeout(Duration::from_secs(1))
        .expect("in-flight requests cancelled within 1 s more");
    eprintln!("ack {ack:?}, finished {:?}", t.elapsed());
    assert_eq!(report.stop_reason, StopReason::Stopped);
    assert_eq!(run.phase(), RunPhase::Finished);
    // The hanging requests were sent and never completed: each is counted as cancelled (a
    // request failure), so the report accounts for what the target received; the target saw
    // every in-flight connection closed.
    assert_eq!(report.scene.count, 5);
    assert_eq!(report.scene.reason(engine::FailureReason::Cancelled), 5);
    assert_eq!(report.scene.failed_requests, 5);
    assert_eq!(target.count(), 5);
    assert!(
        wait_until(Duration::from_millis(500), || target.abandoned() >= 5),
        "connections closed: {}",
        target.abandoned()
    );
    let snap = run.snapshot();
    assert_eq!(snap.phase, RunPhase::Finished);
    let data = snap.to_pts_running_data();
    assert_eq!(data.has_report, Some(true));
    assert_eq!(data.concurrency, Some(0));
    assert_eq!(data.total_real_qps, Some(0));
    // Stop is idempotent.
    run.stop();
}

#[test]
fn max_running_time_and_service_cap_end_runs() {
    let target = Target::start(false, |_| Reply::ok("ok").delay(Duration::from_millis(5)));
    let scene = conc_scene(vec![relation("r", vec![api("a", "GET", &target.url("/"))])], 2, 1);
    // 1 scene minute = 1.5 s.
    let t = Instant::now();
    let run = engine::start_run(&scene, &NoFiles, &cfg(1.5)).unwrap();
    let report = run.wait_timeout(Duration::from_secs(10)).unwrap();
    let took = t.elapsed();
    assert_eq!(report.stop_reason, StopReason::MaxRunningTime);
    assert!(took >= Duration::from_millis(1450) && took < Duration::from_millis(2500), "{took:?}");
    assert!(report.scene.count > 50);
    // The service cap wins when it is shorter.
    let mut c = cfg(60.0);
    c.max_run_duration = Duration::from_millis(800);
    let report = engine::start_run(&scene, &NoFiles, &c)
        .unwrap()
        .wait_timeout(Duration::from_secs(5))
        .unwrap();
    assert_eq!(report.stop_reason, StopReason::ServiceCap);
    assert!(report.duration < Duration::from_millis(1500));
}

#[test]
fn adjust_changes_concurrency_while_running() {
    let target = Target::start(false, |_| Reply::ok("ok").delay(Duration::from_millis(10)));
    let r1 = relation(
        "one",
        vec![api("a1", "GET", &target.url("/1")), api("a2", "GET", &target.url("/2"))],
    );
    let r2 = relation("two", vec![api("b1", "GET", &target.url("/3"))]);
    let mut scene = conc_scene(vec![r1, r2], 4, 10);
    scene.load_config.configuration.all_concurrency_limit = Some(20);
    let run = engine::start_run(&scene, &NoFiles, &cfg(60.0)).unwrap();
    assert!(wait_until(Duration::from_secs(2), || run.snapshot().concurrency == 4));
    assert_eq!(run.snapshot().levels, vec![2, 2]);
    // Concurrency mode: the API must be the first of its relation.
    let err =
        run.adjust(&[Speed { target: AdjustTarget::ApiId("APIa2".into()), value: 3 }]).unwrap_err();
    assert!(err.to_string().contains("first"), "{err}");
    assert!(run.adjust(&[Speed { target: AdjustTarget::ApiId("nope".into()), value: 3 }]).is_err());
    assert!(run.adjust(&[Speed { target: AdjustTarget::All, value: 0 }]).is_err());
    let t = Instant::now();
    run.adjust(&[Speed { target: AdjustTarget::ApiId("APIa1".into()), value: 6 }]).unwrap();
    assert!(wait_until(Duration::from_secs(1), || run.snapshot().concurrency == 8), "6 + 2 VUs");
    eprintln!("adjust applied in {:?}", t.elapsed());
    assert_eq!(run.snapshot().levels, vec![6, 2]);
    std::thread::sleep(Duration::from_millis(1500));
    run.adjust(&[Speed { target: AdjustTarget::Relation(1), value: 1 }]).unwrap();
    assert!(wait_until(Duration::from_secs(1), || run.snapshot().concurrency == 7));
    // Over the service cap (1000 by default) is refused.
    assert!(run.adjust(&[Speed { target: AdjustTarget::All, value: 5000 }]).is_err());
    let snap = run.snapshot();
    let data = snap.to_pts_running_data();
    assert_eq!(data.concurrency, Some(7));
    assert_eq!(data.concurrency_limit, Some(20));
    let chain = data.chain_monitor_data_list.unwrap();
    assert_eq!(chain.len(), 3);
    assert_eq!(chain[0].concurrency, Some(6.0));
    let report = run.finish();
    assert_eq!(report.stop_reason, StopReason::Stopped);
    assert!(report.timeline.iter().any(|p| p.concurrency == 8));
    assert!(run.adjust(&[Speed { target: AdjustTarget::All, value: 2 }]).is_err(), "not running");
}

#[test]
fn adjust_changes_rps_while_running() {
    let target = Target::start(false, |_| Reply::ok("ok"));
    let scene =
        rps_scene(vec![relation("r", vec![api("a", "GET", &target.url("/"))])], 50, 400, 10);
    let run = engine::start_run(&scene, &NoFiles, &cfg(60.0)).unwrap();
    assert_eq!(run.snapshot().mode, LoadMode::Rps);
    std::thread::sleep(Duration::from_millis(2500));
    let before = target.count();
    std::thread::sleep(Duration::from_secs(2));
    let rate_before = (target.count() - before) as f64 / 2.0;
    run.adjust(&[Speed { target: AdjustTarget::ApiIndex(0), value: 200 }]).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let mid = target.count();
    std::thread::sleep(Duration::from_secs(2));
    let rate_after = (target.count() - mid) as f64 / 2.0;
    eprintln!("rps before {rate_before}, after {rate_after}");
    assert!((rate_before - 50.0).abs() <= 3.0, "{rate_before}");
    assert!((rate_after - 200.0).abs() <= 8.0, "{rate_after}");
    let snap = run.snapshot();
    assert_eq!(snap.apis[0].config_qps, 200);
    assert_eq!(snap.tps_limit, 400);
    let data = snap.to_pts_running_data();
    assert_eq!(data.chain_monitor_data_list.unwrap()[0].config_qps, Some(200));
    assert!((data.total_real_qps.unwrap() - 200).abs() <= 10, "{:?}", data.total_real_qps);
    run.finish();
}

#[test]
fn rps_chain_later_apis_are_paced_by_their_own_rate() {
    let target = Target::start(true, |_| Reply::ok("ok"));
    let mut scene = rps_scene(
        vec![relation(
            "r",
            vec![api("a", "GET", &target.url("/a")), api("b", "GET", &target.url("/b"))],
        )],
        0,
        0,
        10,
    );
    scene.load_config.configuration = Default::default();
    scene.load_config.api_load_config_list = Some(vec![
        pts_api::make!(pts_api::shapes::scene::ApiLoadConfig {
            api_id: "APIa".into(),
            rps_begin: 100,
            rps_limit: 100,
        }),
        pts_api::make!(pts_api::shapes::scene::ApiLoadConfig {
            api_id: "APIb".into(),
            rps_begin: 40,
            rps_limit: 40,
        }),
    ]);
    let run = engine::start_run(&scene, &NoFiles, &cfg(60.0)).unwrap();
    std::thread::sleep(Duration::from_secs(3));
    let report = run.finish();
    let secs = report.duration.as_secs_f64();
    let (a, b) =
        (report.apis[0].counters.count as f64 / secs, report.apis[1].counters.count as f64 / secs);
    eprintln!("a {a:.1}/s b {b:.1}/s");
    assert!((a - 100.0).abs() < 8.0 && (b - 40.0).abs() < 5.0, "a {a} b {b}");
}

#[test]
fn two_workers_share_the_load() {
    let target = Target::start(false, |_| Reply::ok("ok").delay(Duration::from_millis(2)));
    let csv: String = (0..150).map(|i| format!("{i}\n")).collect();
    let files: std::collections::HashMap<String, Vec<u8>> =
        std::collections::HashMap::from([("n.csv".to_string(), csv.into_bytes())]);
    let mut rel = relation("r", vec![api("a", "GET", &target.url("/${n}"))]);
    rel.file_parameter_explain_list =
        Some(vec![pts_api::make!(pts_api::shapes::scene::FileParameterExplain {
            file_name: "n.csv".into(),
            file_param_name: "n".into(),
            base_file: Some(true),
            cycle_once: Some(true),
        })]);
    let mut scene = conc_scene(vec![rel], 5, 1);
    scene.file_parameter_list = Some(vec![pts_api::make!(pts_api::shapes::scene::FileParameter {
        file_name: Some("n.csv".into()),
    })]);
    let mut c = cfg(60.0);
    c.workers = 2;
    let run = engine::start_run(&scene, &files as &dyn engine::FileResolver, &c).unwrap();
    let report = run.wait_timeout(Duration::from_secs(20)).unwrap();
    assert_eq!(report.stop_reason, StopReason::Completed);
    assert_eq!(report.scene.count, 150);
    assert_eq!(target.count(), 150);
    // Every row was used exactly once across both workers.
    let mut paths: Vec<u32> = target.seen().iter().map(|s| s.path[1..].parse().unwrap()).collect();
    paths.sort_unstable();
    assert_eq!(paths, (0..150).collect::<Vec<_>>());
    // RPS mode over two workers keeps the total rate.
    let scene =
        rps_scene(vec![relation("r", vec![api("a", "GET", &target.url("/"))])], 100, 100, 1);
    let mut c = cfg(2.0);
    c.workers = 2;
    let report = engine::start_run(&scene, &engine::NoFiles, &c)
        .unwrap()
        .wait_timeout(Duration::from_secs(10))
        .unwrap();
    let rate = report.scene.count as f64 / report.duration.as_secs_f64();
    assert!((rate - 100.0).abs() < 6.0, "{rate}");
    // A bad time scale is refused.
    let mut c = cfg(60.0);
    c.time_scale = 0.0;
    assert!(engine::start_run(&scene, &engine::NoFiles, &c).is_err());
}

/// A request past its timeout is counted as a timeout and its connection dropped (the next
/// request opens a new one and succeeds); a stop cancels requests in flight at once.
#[test]
fn slow_requests_time_out_and_a_stop_cancels_them_at_once() {
    let target = Target::start(true, |r| {
        if r.path == "/slow" {
            Reply::ok("late").delay(Duration::from_millis(1500))
        } else {
            Reply::ok("ok")
        }
    });
    let mut slow = api("slow", "GET", &target.url("/slow"));
    slow.timeout_in_second = Some(1);
    let scene =
        conc_scene(vec![relation("r", vec![api("a", "GET", &target.url("/a")), slow])], 3, 1);
    let c = cfg(3.0);
    let report = engine::start_run(&scene, &engine::NoFiles, &c)
        .unwrap()
        .wait_timeout(Duration::from_secs(10))
        .unwrap();
    assert_eq!(report.stop_reason, StopReason::MaxRunningTime);
    assert!(report.apis[0].counters.ok >= 3);
    assert_eq!(report.apis[0].counters.failed_requests, 0);
    assert!(report.apis[1].counters.reason(engine::FailureReason::Timeout) >= 3);
    // Stop still cancels in-flight requests at once.
    let run = engine::start_run(&scene, &engine::NoFiles, &c).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let t = Instant::now();
    run.stop();
    assert!(run.wait_timeout(Duration::from_secs(1)).is_some());
    assert!(t.elapsed() < Duration::from_secs(1));
}

/// Stopped mid-run, the report accounts for every request the target received: requests in
/// flight that answer within the stop's grace are counted as usual, the slow ones as cancelled.
/// Concurrency mode (one request in 4 takes 3 s) and RPS mode (every request takes 150 ms).
#[test]
fn stop_mid_run_counts_match_the_target_exactly() {
    let n = std::sync::atomic::AtomicU64::new(0);
    let target = Target::start_counting(move |_| {
        let k = n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Reply::ok("ok").delay(Duration::from_millis(if k % 4 == 3 { 3000 } else { 20 }))
    });
    let mut a = api("a", "GET", &target.url("/"));
    a.timeout_in_second = Some(30);
    let scene = conc_scene(vec![relation("r", vec![a])], 6, 10);
    let run = engine::start_run(&scene, &NoFiles, &cfg(60.0)).unwrap();
    assert!(wait_until(Duration::from_secs(10), || target.count() >= 20), "traffic");
    std::thread::sleep(Duration::from_millis(300));
    let report = run.finish();
    let c = &report.scene;
    let cancelled = c.reason(engine::FailureReason::Cancelled);
    eprintln!("concurrency: report {} ({cancelled} cancelled), target {}", c.count, target.count());
    assert_eq!(c.count, target.count(), "report total == target count");
    assert!(cancelled >= 1, "the 3 s requests in flight were cancelled");
    assert_eq!(c.failed_requests, cancelled, "nothing else failed");

    let target = Target::start_counting(|_| Reply::ok("ok").delay(Duration::from_millis(150)));
    let scene = rps_scene(vec![relation("r", vec![api("a", "GET", &target.url("/"))])], 80, 80, 10);
    let run = engine::start_run(&scene, &NoFiles, &cfg(60.0)).unwrap();
    assert!(wait_until(Duration::from_secs(10), || target.count() >= 40), "traffic");
    let report = run.finish();
    let c = &report.scene;
    eprintln!("rps: report {} ({} failed), target {}", c.count, c.failed_requests, target.count());
    // 150 ms answers all complete within the grace: nothing cancelled, nothing lost.
    assert_eq!(c.count, target.count(), "report total == target count");
    assert_eq!(c.failed_requests, 0);
}

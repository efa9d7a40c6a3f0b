//! Engine accuracy: exact counts, latency percentiles, RPS pacing, ramp schedule.
//! Timing-sensitive tests run one at a time (a process-wide lock).

mod engine_support;

use engine_support::*;
use pts_api::shapes::scene::FileParameterExplain;
use pts_local::engine::{self, FileResolver, RunPhase, StopReason};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn tol(expected_ms: f64) -> f64 {
    (expected_ms * 0.05).max(1.0)
}

/// One measurement: engine and server p50/p99 (ms) of a run that ends by itself.
fn measure_20ms() -> (f64, f64, f64, f64) {
    let delay = Duration::from_millis(20);
    let target = Target::start(false, move |_| Reply::ok("hello").delay(delay));
    let rows = 200;
    let csv: String = (0..rows).map(|i| format!("u{i}\n")).collect();
    let files: HashMap<String, Vec<u8>> =
        HashMap::from([("rows.csv".to_string(), csv.into_bytes())]);
    let mut rel = relation("r", vec![api("a", "GET", &target.url("/x?u=${user}"))]);
    rel.file_parameter_explain_list = Some(vec![FileParameterExplain {
        file_name: "rows.csv".into(),
        file_param_name: "user".into(),
        base_file: Some(true),
        cycle_once: Some(true),
    }]);
    let scene = conc_scene(vec![rel], 4, 1);
    let run = engine::start_run(&scene, &files as &dyn FileResolver, &cfg(60.0)).unwrap();
    let report = run.wait_timeout(Duration::from_secs(30)).expect("run ends by itself");
    // A natural end (CycleOnce file of N rows): nothing is cancelled, counts match exactly.
    assert_eq!(report.stop_reason, StopReason::Completed);
    assert_eq!(report.scene.count, rows);
    assert_eq!(report.scene.count, target.count(), "engine count == target count");
    assert_eq!(report.scene.failed_requests, 0);
    assert_eq!(report.apis[0].counters.status_codes, vec![(200, rows)]);
    let mut server = target.service_us.lock().unwrap().clone();
    let (s50, s99) = (pct_ms(&mut server, 0.5), pct_ms(&mut server, 0.99));
    (report.latency.p50_ms, report.latency.p99_ms, s50, s99)
}

/// The engine's count equals the target's exactly, and p50/p99 are within max(1 ms, 5%) of the
/// injected 20 ms delay (nominal for p50; as the server actually applied it for both). The
/// 2-core machine is shared, so a measurement disturbed by other processes is retried (at most
/// 3 attempts); counts are asserted on every attempt.
#[test]
fn exact_count_and_latency_percentiles() {
    let _g = serial();
    let mut last = String::new();
    for attempt in 1..=3 {
        let (p50, p99, s50, s99) = measure_20ms();
        last = format!("engine p50 {p50:.3} p99 {p99:.3}; server p50 {s50:.3} p99 {s99:.3}");
        eprintln!("attempt {attempt}: {last}");
        if (p50 - 20.0).abs() <= tol(20.0)
            && (p50 - s50).abs() <= tol(s50)
            && (p99 - s99).abs() <= tol(s99)
        {
            return;
        }
    }
    panic!("latency percentiles off: {last}");
}

/// RPS mode holds 200 req/s within 2% over a real 10-second window (measured at the target).
#[test]
fn rps_mode_holds_rate_over_10s_window() {
    let _g = serial();
    let target = Target::start(false, |_| Reply::ok("ok").delay(Duration::from_millis(5)));
    let scene =
        rps_scene(vec![relation("r", vec![api("a", "GET", &target.url("/"))])], 200, 200, 1);
    // 1 scene minute = 12.5 s: one 10 s window after a 1 s warm-up, plus margin.
    let run = engine::start_run(&scene, &engine::NoFiles, &cfg(12.5)).unwrap();
    let report = run.wait_timeout(Duration::from_secs(30)).expect("ends at MaxRunningTime");
    assert_eq!(report.stop_reason, StopReason::MaxRunningTime);
    let seen = target.seen();
    let t0 = seen.first().unwrap().at;
    let last = seen.last().unwrap().at;
    // Every 10 s window after a 1 s warm-up that fits in the run (start every 100 ms).
    let mut windows = 0;
    let mut a = t0 + Duration::from_secs(1);
    while a + Duration::from_secs(10) <= last {
        let b = a + Duration::from_secs(10);
        let n = seen.iter().filter(|s| s.at >= a && s.at < b).count() as f64;
        assert!(
            (n - 2000.0).abs() <= 40.0,
            "{n} requests in the 10 s window from {:?}, wanted 2000 +- 2%",
            a - t0
        );
        windows += 1;
        a += Duration::from_millis(100);
    }
    eprintln!("{windows} windows of 10 s checked; total {}", seen.len());
    assert!(windows >= 10, "the run covers several windows");
    assert_eq!(report.scene.failed_requests, 0);
    // Latency is measured from the intended send time: the 5 ms service time plus scheduling
    // (timer granularity is 1 ms).
    let l = report.latency;
    eprintln!("rps latency {l:?}");
    assert!(l.p50_ms >= 5.0 && l.p50_ms < 7.5, "{l:?}");
}

/// AutoStep: 2 -> 4 -> 6 -> 8 virtual users, one step per KeepTime (1 scene minute = 2 s);
/// each step is reached within one second of its schedule.
#[test]
fn auto_step_ramp_follows_schedule() {
    let _g = serial();
    let target = Target::start(false, |_| Reply::ok("ok").delay(Duration::from_millis(10)));
    let mut scene = conc_scene(vec![relation("r", vec![api("a", "GET", &target.url("/"))])], 2, 4);
    scene.load_config.configuration.all_concurrency_limit = Some(8);
    scene.load_config.auto_step = Some(true);
    scene.load_config.increment = Some(25);
    scene.load_config.keep_time = Some(1);
    let run = engine::start_run(&scene, &engine::NoFiles, &cfg(2.0)).unwrap();
    let start = Instant::now();
    let mut reached: HashMap<u32, f64> = HashMap::new();
    while start.elapsed() < Duration::from_millis(7500) {
        let s = run.snapshot();
        for level in [2u32, 4, 6, 8] {
            if s.concurrency >= level {
                reached.entry(level).or_insert(start.elapsed().as_secs_f64());
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    run.stop();
    let report = run.wait_timeout(Duration::from_secs(5)).unwrap();
    for (level, due) in [(2u32, 0.0), (4, 2.0), (6, 4.0), (8, 6.0)] {
        let at = reached.get(&level).copied().unwrap_or(f64::INFINITY);
        eprintln!("level {level}: due {due} s, reached {at:.2} s");
        assert!(at >= due - 0.2 && at <= due + 1.0, "level {level} reached at {at}, due {due}");
    }
    // The timeline records the same steps.
    let max_c = report.timeline.iter().map(|p| p.concurrency).max().unwrap_or(0);
    assert_eq!(max_c, 8);
    assert_eq!(report.max_concurrency, 8);
    assert_eq!(run.phase(), RunPhase::Finished);
}

/// Coordinated omission: in RPS mode latency runs from the intended send time. One virtual
/// user (pool capped at 1) at 50 req/s meets one 500 ms stall: the ~25 sends it delayed carry
/// the wait (measured from the target's send times they would all look like 5 ms), and the
/// backlog is sent, so the count still follows the schedule.
#[test]
fn rps_latency_is_corrected_for_coordinated_omission() {
    let _g = serial();
    let n = std::sync::atomic::AtomicU64::new(0);
    let target = Target::start(false, move |_| {
        let k = n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Reply::ok("ok").delay(Duration::from_millis(if k == 25 { 500 } else { 5 }))
    });
    let scene = rps_scene(vec![relation("r", vec![api("a", "GET", &target.url("/"))])], 50, 50, 1);
    let mut c = cfg(2.0);
    c.max_concurrency = 1;
    let run = engine::start_run(&scene, &engine::NoFiles, &c).unwrap();
    let report = run.wait_timeout(Duration::from_secs(10)).expect("ends at MaxRunningTime");
    let l = report.latency;
    eprintln!("co latency {l:?}, count {}", report.scene.count);
    assert!(l.max_ms >= 480.0 && l.max_ms < 600.0, "{l:?}");
    // ~24 delayed sends of the 100 carry 20..480 ms: p90 lands among them.
    assert!(l.p90_ms >= 100.0, "{l:?}");
    assert!(l.p50_ms < 10.0, "{l:?}");
    let count = report.scene.count as i64;
    assert!((count - 100).abs() <= 3, "{count} requests, wanted 100 (2 s at 50/s)");
    // A send due exactly at the end may be cut off in flight.
    assert!((0..=1).contains(&(target.count() as i64 - count)), "{}", target.count());
}

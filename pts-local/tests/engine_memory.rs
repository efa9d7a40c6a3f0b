//! Bounded memory: the timeline and per-API timelines stay within their caps, sample logs
//! within theirs, and the process does not grow with the number of requests.

mod engine_support;

use engine_support::*;
use pts_api::shapes::scene::AdvanceSetting;
use pts_local::engine::{self, NoFiles, TIMELINE_CAP};
use std::time::Duration;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

#[test]
fn timeline_histograms_and_samples_stay_within_caps() {
    assert_eq!(TIMELINE_CAP, 86_400);
    let target = Target::start_counting(|_| Reply::ok("ok"));
    let apis =
        (0..4).map(|i| api(&format!("a{i}"), "GET", &target.url(&format!("/{i}")))).collect();
    let mut scene = conc_scene(vec![relation("r", apis)], 8, 1);
    scene.advance_setting = Some(pts_api::make!(AdvanceSetting { log_rate: Some(50.into()) }));
    let mut c = cfg(9.0);
    // Small caps so a 9-second run overflows them: 5 scene points, 8 API points over 4 APIs.
    c.timeline_cap = 5;
    c.api_timeline_budget = 8;
    c.sample_log_cap = 20;
    let run = engine::start_run(&scene, &NoFiles, &c).unwrap();
    assert_eq!(run.api_timeline_cap(), 2);
    std::thread::sleep(Duration::from_secs(3));
    let rss_early = rss_kib();
    let count_early = run.snapshot().totals.count;
    let report = run.wait_timeout(Duration::from_secs(20)).unwrap();
    let rss_late = rss_kib();
    let n = report.scene.count;
    eprintln!(
        "requests {n} ({count_early} at 3 s); RSS {rss_early} KiB at 3 s, {rss_late} KiB at the end; \
         timeline {} (+{} dropped); samples {} of {}",
        report.timeline.len(),
        report.timeline_dropped,
        report.samples.len(),
        report.samples_seen
    );
    assert_eq!(report.timeline.len(), 5);
    assert!(report.timeline_dropped >= 4, "{}", report.timeline_dropped);
    // The kept points are the most recent ones.
    assert!(report.timeline.last().unwrap().second >= 8);
    for tl in &report.api_timelines {
        assert_eq!(tl.len(), 2);
    }
    assert_eq!(report.samples.len(), 20);
    // LogRate 50 = 1 in 20 requests per API.
    assert!(report.samples_seen >= n / 20 / 2, "{} of {n}", report.samples_seen);
    // Counters keep the full totals even though points were dropped.
    let sum_apis: u64 = report.apis.iter().map(|a| a.counters.count).sum();
    assert_eq!(sum_apis, n);
    assert!(n > 2 * count_early, "the run kept going");
    // No per-request storage: memory does not follow the request count.
    assert!(rss_late < rss_early + 4 * 1024, "RSS grew from {rss_early} to {rss_late} KiB");
}

use super::*;
use crate::samples::Sample;
use std::time::Duration;

fn sample(status: &str, total: i64, failed: i64, avg: f64, tps: f64) -> Sample {
    Sample {
        at: "2026-11-25T12:00:00Z".into(),
        elapsed_s: total as f64,
        status: status.into(),
        concurrency: 5,
        tps,
        avg_rt_ms: avg,
        p90_rt_ms: Some(avg * 1.5),
        total_requests: total,
        failed_requests: failed,
        failed_business: 0,
        alive_agents: 1,
        total_agents: 1,
    }
}

#[test]
fn parses_units_and_operators() {
    let c = parse("p99<200ms, error_rate<1%,tps>=500 ; avg_rt<=0.2s,success_rate>0.99,p90<150")
        .unwrap();
    assert_eq!(c.len(), 6);
    assert_eq!((c[0].metric, c[0].op, c[0].threshold), (Metric::P99Rt, Op::Lt, 200.0));
    assert_eq!((c[1].metric, c[1].threshold), (Metric::ErrorRate, 0.01));
    assert_eq!((c[2].metric, c[2].op, c[2].threshold), (Metric::Tps, Op::Ge, 500.0));
    assert_eq!((c[3].metric, c[3].op, c[3].threshold), (Metric::AvgRt, Op::Le, 200.0));
    assert_eq!((c[4].metric, c[4].op, c[4].threshold), (Metric::SuccessRate, Op::Gt, 0.99));
    assert_eq!((c[5].metric, c[5].threshold), (Metric::P90Rt, 150.0));
    assert_eq!(c[1].text, "error_rate<1%");
}

#[test]
fn rejects_bad_criteria_with_the_reason() {
    for (text, needle) in [
        ("p42<1ms", "unknown metric \"p42\""),
        ("foo<1", "unknown metric \"foo\""),
        ("p99=200", "operator"),
        ("p99", "no comparison operator"),
        ("<5", "no metric"),
        ("p99<fast", "not a number"),
        ("p99<5%", "unit \"%\""),
        ("tps>5ms", "unit \"ms\""),
        ("error_rate<5", "fraction"),
        ("error_rate<120%", "more than 100%"),
        ("p99<-1", "non-negative"),
        (" , ", "no criterion"),
    ] {
        let e = parse(text).unwrap_err();
        assert_eq!(e.code, crate::exit::ExitCode::Usage, "{text}");
        assert!(e.message.contains(needle), "{text}: {}", e.message);
    }
}

#[test]
fn a_breach_must_be_sustained() {
    let c = parse("avg_rt<10ms").unwrap();
    let mut g = LiveGuard::new(&c, Duration::from_secs(3), Duration::from_secs(1));
    assert_eq!(g.needed(), 3);
    // Before load flows, nothing counts.
    assert!(g.observe(&sample("PREPARING", 0, 0, 50.0, 0.0)).is_none());
    assert!(g.observe(&sample("RUNNING", 10, 0, 50.0, 10.0)).is_none());
    assert!(g.observe(&sample("RUNNING", 20, 0, 50.0, 10.0)).is_none());
    // A good sample resets the streak.
    assert!(g.observe(&sample("RUNNING", 30, 0, 5.0, 10.0)).is_none());
    assert!(g.observe(&sample("RUNNING", 40, 0, 50.0, 10.0)).is_none());
    assert!(g.observe(&sample("RUNNING", 50, 0, 50.0, 10.0)).is_none());
    let b = g.observe(&sample("RUNNING", 60, 0, 51.0, 10.0)).expect("breach");
    assert_eq!((b.index, b.samples, b.actual), (0, 3, 51.0));
    assert!(b.to_string().contains("avg_rt<10ms"));
}

#[test]
fn p99_is_never_judged_live_and_tps_skips_the_first_second() {
    let c = parse("p99<1ms,tps>=100").unwrap();
    let mut g = LiveGuard::new(&c, Duration::from_secs(1), Duration::from_secs(1));
    assert!(g.observe(&sample("RUNNING", 5, 0, 50.0, 0.0)).is_none(), "first second skipped");
    let b = g.observe(&sample("RUNNING", 15, 0, 50.0, 10.0)).expect("tps breach");
    assert_eq!(b.index, 1);
}

#[test]
fn judgement_uses_the_report_and_the_breach() {
    let c = parse("p99<200ms,error_rate<1%,tps>=5,avg_rt<1ms").unwrap();
    let report = FinalMetrics {
        avg_rt_ms: Some(20.0),
        p90_rt_ms: Some(30.0),
        p99_rt_ms: Some(250.0),
        error_rate: Some(0.0),
        tps: Some(40.0),
    };
    let breach = Breach {
        index: 3,
        criterion: "avg_rt<1ms".into(),
        metric: Metric::AvgRt,
        actual: 21.0,
        samples: 3,
        elapsed_s: 4.0,
    };
    let r = judge(&c, Some(&report), Some(&breach));
    assert!(!r[0].passed && r[0].source == Source::Report && r[0].actual == Some(250.0));
    assert!(r[1].passed && r[2].passed);
    assert_eq!(r[1].detail, "error_rate = 0% (threshold < 1%): pass");
    assert_eq!(r[2].detail, "tps = 40/s (threshold >= 5/s): pass");
    assert!(!r[3].passed && r[3].source == Source::Live && r[3].actual == Some(21.0));
    let none = judge(&c, None, None);
    assert!(none.iter().all(|r| !r.passed && r.source == Source::None));
}

#[test]
fn junit_xml_escapes_and_counts_failures() {
    let c = parse("p99<200ms,tps>=5").unwrap();
    let report = FinalMetrics { p99_rt_ms: Some(300.0), tps: Some(9.0), ..Default::default() };
    let criteria = judge(&c, Some(&report), None);
    let v = Verdict {
        passed: false,
        scene_id: "ABCD1234".into(),
        plan_id: Some("PLAN0001".into()),
        ended: "completed".into(),
        stopped_early: false,
        breach: None,
        criteria,
        metrics: Some(report),
        judged_at: "2026-11-25T12:00:00Z".into(),
        notes: vec![],
    };
    let x = v.to_junit_xml();
    assert!(x.contains("tests=\"2\" failures=\"1\""), "{x}");
    assert!(x.contains("name=\"p99&lt;200ms\""), "{x}");
    assert!(x.contains("<failure message=\"p99_rt = 300 ms (threshold &lt; 200 ms): fail"), "{x}");
    assert!(x.contains("name=\"tps&gt;=5\"><system-out>"), "{x}");
    assert!(!x.contains("p99<200"), "unescaped: {x}");
}

use super::super::fetch::{jmeter_rate, pts_rate};
use super::super::model::{LoadTarget, ReportKind};
use super::super::testdata::{metrics, summary};
use super::*;

fn severities(found: &[Finding], area: &str) -> Vec<Severity> {
    found.iter().filter(|f| f.area == area).map(|f| f.severity).collect()
}

#[test]
fn error_rate_thresholds() {
    // 2 % errors: high; 0.5 %: medium; 0.05 %: none from errors.
    let high = findings(&summary("P1", metrics(10_000, 200, 10.0, 20.0, 100.0)), None);
    assert_eq!(severities(&high, AREA_APP)[0], Severity::High);
    assert!(
        high[0].evidence.contains("2.00 %") && high[0].evidence.contains("200 of AllCount 10000")
    );
    let medium = findings(&summary("P1", metrics(10_000, 50, 10.0, 20.0, 100.0)), None);
    assert!(severities(&medium, AREA_APP).iter().all(|s| *s == Severity::Medium));
    assert!(!severities(&medium, AREA_APP).is_empty());
    let fine = findings(&summary("P1", metrics(10_000, 5, 10.0, 20.0, 100.0)), None);
    assert!(severities(&fine, AREA_APP).is_empty());
    // Exactly 1 % is still medium; just above is high.
    let edge = findings(&summary("P1", metrics(10_000, 100, 10.0, 20.0, 100.0)), None);
    assert_eq!(severities(&edge, AREA_APP)[0], Severity::Medium);
    let over = findings(&summary("P1", metrics(10_000, 101, 10.0, 20.0, 100.0)), None);
    assert_eq!(severities(&over, AREA_APP)[0], Severity::High);
}

#[test]
fn p99_against_baseline() {
    let base = summary("P0", metrics(10_000, 0, 50.0, 100.0, 100.0));
    let worse = |p99: f64| {
        let cur = summary("P1", metrics(10_000, 0, 50.0, p99, 100.0));
        severities(&findings(&cur, Some(&base)), AREA_LATENCY)
    };
    assert_eq!(worse(160.0)[0], Severity::High);
    assert_eq!(worse(130.0)[0], Severity::Medium);
    assert_eq!(worse(120.0)[0], Severity::Medium);
    assert!(worse(115.0).is_empty());
    assert!(worse(80.0).is_empty());
    let cur = summary("P1", metrics(10_000, 0, 50.0, 160.0, 100.0));
    let f = &findings(&cur, Some(&base))[0];
    assert!(f.evidence.contains("160.00 ms") && f.evidence.contains("100.00 ms"), "{}", f.evidence);
    assert!(f.evidence.contains("+60.0 %"), "{}", f.evidence);
}

#[test]
fn throughput_against_target() {
    let with_target = |tps: f64| {
        let mut s = summary("P1", metrics(10_000, 0, 10.0, 20.0, tps));
        s.target =
            LoadTarget { mode: Some("tps_mode".into()), concurrency: None, tps: Some(200.0) };
        severities(&findings(&s, None), AREA_THROUGHPUT)
    };
    assert_eq!(with_target(120.0), vec![Severity::High]);
    assert_eq!(with_target(170.0), vec![Severity::Medium]);
    assert!(with_target(199.0).is_empty());
}

#[test]
fn low_findings_are_preventive() {
    // No baseline and a long tail: only low findings.
    let s = summary("P1", metrics(10_000, 0, 10.0, 80.0, 100.0));
    let found = findings(&s, None);
    assert!(found.iter().all(|f| f.severity == Severity::Low), "{found:?}");
    assert!(found.iter().any(|f| f.area == AREA_CLIENT));
    assert!(found.iter().any(|f| f.area == AREA_LATENCY && f.evidence.contains("80.00 ms")));
}

#[test]
fn success_rates_normalised_between_jmeter_and_pts() {
    // JMeter sends 99.5 (percent), PTS 0.995 (fraction): the same run, the same findings.
    assert_eq!(jmeter_rate(99.5), pts_rate(0.995));
    assert!((pts_rate(99.5) - 0.995).abs() < 1e-12, "a PTS value over 1 is a percentage");
    let mut pts = summary("P1", metrics(10_000, 50, 10.0, 20.0, 100.0));
    pts.scene.success_rate = pts_rate(0.995);
    let mut jm = pts.clone();
    jm.kind = ReportKind::JMeter;
    jm.scene.success_rate = jmeter_rate(99.5);
    let (a, b) = (findings(&pts, None), findings(&jm, None));
    let app = |f: &[Finding]| {
        f.iter().filter(|x| x.area == AREA_APP).map(|x| x.severity).collect::<Vec<_>>()
    };
    assert_eq!(app(&a), app(&b));
    assert_eq!(app(&a)[0], Severity::Medium);
    // Evidence quotes each source's own scale.
    assert!(b.iter().any(|f| f.evidence.contains("SuccessRateReq 99.50 (0-100)")));
    assert!(a.iter().any(|f| f.evidence.contains("SuccessRateReq 0.9950 (0-1)")));
}

#[test]
fn sorted_most_severe_first() {
    let base = summary("P0", metrics(10_000, 0, 10.0, 10.0, 100.0));
    let cur = summary("P1", metrics(10_000, 50, 10.0, 100.0, 100.0));
    let found = findings(&cur, Some(&base));
    let sev: Vec<Severity> = found.iter().map(|f| f.severity).collect();
    let mut sorted = sev.clone();
    sorted.sort();
    assert_eq!(sev, sorted);
    assert_eq!(sev[0], Severity::High);
}

//! The evidence `report.html` of a real (demo) run, rendered by headless Chromium: no
//! console errors, every chart with its points, axis labels and phase markers, no
//! horizontal overflow at phone width (390 px), and a PDF print. Chromium runs with no
//! network use and a fresh profile; where it is absent the test says so and passes, except
//! under CI=true, where it fails.

mod common;

use common::{Pts, only_evidence_dir};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a single Chromium invocation may take on a busy machine.
const CHROMIUM_LIMIT: Duration = Duration::from_secs(120);
const PHONE_WIDTH: u32 = 390;

fn chromium() -> Option<PathBuf> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "Chromium is required under CI=true (Debian package `chromium`)"
        );
        eprintln!("SKIPPED: Chromium is not installed (apt-get install chromium)");
    }
    found
}

/// Output of Chromium on `url` with `extra` flags, stopped after [`CHROMIUM_LIMIT`].
fn run_chromium(bin: &Path, profile: &Path, extra: &[String], url: &str) -> (String, String) {
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(extra)
    .arg(url)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("chromium starts");
    let t0 = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if t0.elapsed() > CHROMIUM_LIMIT {
            let _ = child.kill();
            panic!("chromium did not finish within {CHROMIUM_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    (String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// Console messages and uncaught errors Chromium logged.
fn console_errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            l.contains(":CONSOLE") || l.contains("Uncaught") || l.contains("Failed to load")
        })
        .collect()
}

/// A page that lays `report.html` out in a phone-wide frame and writes what it measured.
const PROBE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"></head>
<body style="margin:0"><iframe id="f" src="report.html" style="width:WIDTHpx;height:900px;border:0"></iframe>
<pre id="out">pending</pre><script>
document.getElementById('f').addEventListener('load', () => {
  const d = document.getElementById('f').contentDocument;
  const e = d.documentElement;
  const r = {scrollWidth: e.scrollWidth, clientWidth: e.clientWidth, charts: []};
  for (const s of d.querySelectorAll('svg')) {
    const box = s.getBoundingClientRect();
    r.charts.push({
      title: (s.querySelector('title') || {}).textContent,
      points: [...s.querySelectorAll('polyline')].map(p => p.points.numberOfItems),
      labels: [...s.querySelectorAll('text')].filter(t => t.getBBox().width > 0).map(t => t.textContent),
      phases: [...s.querySelectorAll('[data-phase]')].map(g => g.getAttribute('data-phase')),
      left: box.left, right: box.right, height: box.height,
    });
  }
  document.getElementById('out').textContent = 'RESULT' + JSON.stringify(r) + 'END';
});
</script></body></html>"#;

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

fn measure(bin: &Path, dir: &Path) -> Value {
    let probe = dir.join("probe.html");
    std::fs::write(&probe, PROBE.replace("WIDTH", &PHONE_WIDTH.to_string())).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let extra = [
        "--allow-file-access-from-files".to_string(),
        "--virtual-time-budget=10000".to_string(),
        "--dump-dom".to_string(),
    ];
    let (dom, stderr) =
        run_chromium(bin, profile.path(), &extra, &format!("file://{}", probe.display()));
    let errors = console_errors(&stderr);
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    let start = dom.find("RESULT").unwrap_or_else(|| panic!("no measurement in:\n{dom}\n{stderr}"));
    let end = dom[start..].find("END").expect("measurement end") + start;
    serde_json::from_str(&unescape(&dom[start + 6..end])).expect("measurement is JSON")
}

#[test]
fn the_console_check_sees_errors() {
    let Some(bin) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");
    std::fs::write(&page, "<script>console.error('broken on purpose')</script>").unwrap();
    let profile = tempfile::tempdir().unwrap();
    let (_, stderr) = run_chromium(
        &bin,
        profile.path(),
        &["--dump-dom".to_string()],
        &format!("file://{}", page.display()),
    );
    assert!(!console_errors(&stderr).is_empty(), "{stderr}");
}

#[test]
fn the_evidence_report_reads_well_in_a_real_browser() {
    let Some(bin) = chromium() else { return };
    let pts = Pts::new();
    pts.run(&["demo", "--seconds", "4"]).assert_code(0);
    let dir = only_evidence_dir(&pts.home_path().join("output/aliyun-pts-manage"), "demo");
    assert!(dir.join("report.html").is_file());

    let m = measure(&bin, &dir);
    let (scroll, client) = (m["scrollWidth"].as_f64().unwrap(), m["clientWidth"].as_f64().unwrap());
    assert!(scroll <= client, "horizontal overflow at {PHONE_WIDTH} px: {m}");
    let charts = m["charts"].as_array().unwrap();
    let titles: Vec<&str> = charts.iter().map(|c| c["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Throughput (TPS)", "Response time", "Failures per second"], "{m}");
    for c in charts {
        let points: Vec<u64> =
            c["points"].as_array().unwrap().iter().map(|p| p.as_u64().unwrap()).collect();
        assert!(!points.is_empty() && points.iter().all(|&n| n >= 3), "points of {c}");
        let labels: Vec<&str> =
            c["labels"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
        assert!(labels.contains(&"elapsed (s)"), "x axis label of {c}");
        assert!(labels.iter().filter(|l| l.parse::<f64>().is_ok()).count() >= 10, "ticks of {c}");
        let phases = c["phases"].as_array().unwrap();
        assert!(phases.iter().any(|p| p == "steady"), "phases of {c}");
        assert!(phases.iter().any(|p| p == "last sample" || p == "stopping"), "phases of {c}");
        assert!(c["right"].as_f64().unwrap() <= f64::from(PHONE_WIDTH), "chart fits: {c}");
        assert!(c["height"].as_f64().unwrap() > 80.0, "chart still readable: {c}");
    }
    assert!(charts[1]["labels"].as_array().unwrap().iter().any(|l| l == "P90 RT"), "{m}");
    assert!(charts[0]["labels"].as_array().unwrap().iter().any(|l| l == "requests/s"), "{m}");

    let pdf = dir.join("report.pdf");
    let profile = tempfile::tempdir().unwrap();
    let extra = [format!("--print-to-pdf={}", pdf.display()), "--no-pdf-header-footer".into()];
    let (_, stderr) = run_chromium(
        &bin,
        profile.path(),
        &extra,
        &format!("file://{}", dir.join("report.html").display()),
    );
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("no PDF ({e}): {stderr}"));
    assert!(bytes.starts_with(b"%PDF-") && bytes.len() > 10_000, "{} bytes", bytes.len());
}

use super::super::testdata::{metrics, samples, summary};
use super::format::failures_per_sample;
use super::svg::{escape, nice_ceiling};
use super::*;

fn report() -> ReportSummary {
    summary("PLAN0001", metrics(10_000, 250, 12.5, 48.25, 166.6666))
}

#[test]
fn csv_has_header_scene_row_and_one_row_per_api() {
    let text = render(&report(), &[], ExportFormat::Csv);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0], csv::HEADER);
    let scene: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(scene[0], "scene");
    assert_eq!(scene[2], "10000");
    assert_eq!(scene[3], "250");
    assert_eq!(scene[5].parse::<f64>().unwrap(), 0.975);
    assert_eq!(scene[6].parse::<f64>().unwrap(), 166.6666);
    assert_eq!(scene[10].parse::<f64>().unwrap(), 48.25);
    assert!(lines[2].starts_with("api,login,"));
    // A comma is quoted; a leading `=` cannot become a spreadsheet formula.
    assert!(lines[3].starts_with("api,\"items,=cmd\","), "{}", lines[3]);
    assert_eq!(csv::field("=SUM(A1)"), "'=SUM(A1)");
    assert_eq!(csv::field("a\"b"), "\"a\"\"b\"");
}

#[test]
fn markdown_has_tables_findings_and_escapes_pipes() {
    let mut r = report();
    r.apis[0].name = "a|b".into();
    let md = render(&r, &[], ExportFormat::Md);
    assert!(md.contains("| Name | Requests |"));
    assert!(md.contains("| a\\|b | 10000 | 250 | 97.50 |"), "{md}");
    assert!(md.contains("## Findings") && md.contains("| high | Application-Layer |"));
    assert!(md.contains("No per-second samples"));
    let with = render(&r, &samples(30), ExportFormat::Md);
    assert!(with.contains("```text\nTPS"));
}

#[test]
fn html_is_self_contained_and_escaped() {
    let html = render(&report(), &samples(30), ExportFormat::Html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<svg").count(), 3);
    assert_eq!(html.matches("<polyline").count(), 4, "TPS, mean RT, P90 RT, failures");
    for forbidden in ["<script", "http://", "https://", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    assert!(html.contains("shop &lt;load&gt; &amp; &quot;co&quot;"));
    assert!(!html.contains("<load>"));
    assert!(html.contains("requests/s") && html.contains("elapsed (s)") && html.contains(">ms<"));
    assert!(!html.contains("No per-second samples"));
}

#[test]
fn html_without_samples_says_so_and_keeps_the_tables() {
    let html = render(&report(), &[], ExportFormat::Html);
    assert!(!html.contains("<svg"));
    assert!(html.contains("No per-second samples were recorded"));
    assert!(html.contains("<td>10000</td>") && html.contains("<td>97.50</td>"));
}

#[test]
fn svg_axes_cover_the_data() {
    let series = vec![svg::Series {
        label: "x<y".into(),
        color: "#000",
        points: vec![(0.0, 0.0), (9.0, 130.0)],
    }];
    let s = svg::line_chart("T & t", "ms", &series, 1.0, &[]);
    assert!(s.contains("<title>T &amp; t</title>") && s.contains("x&lt;y"));
    // y ticks up to 200 (the nice ceiling of 130), x ticks up to 10.
    assert!(s.contains(">200</text>") && s.contains(">10</text>"));
    assert_eq!(nice_ceiling(130.0), 200.0);
    // A count chart of zeros still has whole-number ticks.
    let zeros = vec![svg::Series {
        label: "f".into(),
        color: "#000",
        points: vec![(0.0, 0.0), (10.0, 0.0)],
    }];
    let z = svg::line_chart("F", "failed requests", &zeros, 5.0, &[]);
    assert!(z.contains(">5</text>") && !z.contains(">0.2</text>"));
    assert_eq!(nice_ceiling(0.0), 1.0);
    assert_eq!(nice_ceiling(5.0), 5.0);
    assert_eq!(nice_ceiling(0.03), 0.05);
    assert_eq!(escape("'\"<>&"), "&#39;&quot;&lt;&gt;&amp;");
}

#[test]
fn json_export_keeps_numbers_and_findings() {
    let v: serde_json::Value =
        serde_json::from_str(&render(&report(), &samples(3), ExportFormat::Json)).unwrap();
    assert_eq!(v["report"]["scene"]["total_requests"], 10000);
    assert_eq!(v["report"]["scene"]["avg_tps"], 166.6666);
    assert_eq!(v["findings"][0]["severity"], "high");
    assert_eq!(v["samples"].as_array().unwrap().len(), 3);
}

#[test]
fn terminal_chart_and_failures() {
    let s = samples(200);
    let t = terminal_chart(&s, 60);
    let lines: Vec<&str> = t.lines().collect();
    assert!(
        lines[0].starts_with("TPS") && lines[1].starts_with("RT") && lines[2].starts_with("Failed")
    );
    assert!(lines[0].chars().count() <= 60 + 20, "{}", lines[0]);
    assert!(t.contains("max 299.00 req/s"));
    assert!(t.contains("total 99"), "{t}");
    assert_eq!(terminal_chart(&[], 60), "no per-second samples recorded\n");
    let f = failures_per_sample(&s[..4]);
    assert_eq!(f, vec![0.0, 0.0, 1.0, 0.0]);
}

#[test]
fn charts_mark_the_runs_phases() {
    let mut s = samples(10);
    for (i, x) in s.iter_mut().enumerate() {
        x.concurrency = (i as i64 + 1).min(4);
        if i >= 8 {
            x.status = "STOPPING".into();
        }
    }
    let marks = html::phases(&s, Some(6.0));
    let seen: Vec<(f64, &str)> = marks.iter().map(|m| (m.x, m.label.as_str())).collect();
    assert_eq!(
        seen,
        vec![(0.0, "ramp-up"), (3.0, "steady"), (8.0, "stopping"), (6.0, "planned end")]
    );
    let mut r = report();
    r.planned_s = Some(6.0);
    let page = render(&r, &s, ExportFormat::Html);
    // Every chart carries every phase that falls inside the samples.
    assert_eq!(page.matches("data-phase=\"steady\"").count(), 3, "{page}");
    assert_eq!(page.matches("data-phase=\"planned end\"").count(), 3);
    // A planned end after an early stop stays off the time axis (it is in the overview).
    let page = render(&report(), &s[..5], ExportFormat::Html);
    assert!(!page.contains("data-phase=\"planned end\""), "planned 120 s, samples 4 s");
    assert!(page.contains("data-phase=\"last sample\""));
    assert!(page.contains("<dt>Planned length</dt><dd>2m 00s</dd>"), "{page}");
    assert!(page.contains("<dt>Length</dt><dd>1m 00s</dd>"));
}

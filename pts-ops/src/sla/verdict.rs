//! The final judgement of a run's criteria and the verdict files (`verdict.json`,
//! `junit.xml`).

use super::criteria::{Criterion, Metric, round3};
use super::live::Breach;
use serde::Serialize;

/// A run's final metrics as its report gives them (`SceneMetrics`); `None` when the report
/// has no value.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FinalMetrics {
    pub avg_rt_ms: Option<f64>,
    pub p90_rt_ms: Option<f64>,
    pub p99_rt_ms: Option<f64>,
    /// Failed requests ÷ all, 0-1.
    pub error_rate: Option<f64>,
    pub tps: Option<f64>,
}

impl FinalMetrics {
    pub fn get(&self, m: Metric) -> Option<f64> {
        match m {
            Metric::AvgRt => self.avg_rt_ms,
            Metric::P90Rt => self.p90_rt_ms,
            Metric::P99Rt => self.p99_rt_ms,
            Metric::ErrorRate => self.error_rate,
            Metric::SuccessRate => self.error_rate.map(|e| 1.0 - e),
            Metric::Tps => self.tps,
        }
    }
}

/// Where a criterion's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The report of the run.
    Report,
    /// A sustained breach seen in the running data (the run was stopped early).
    Live,
    /// No data: the criterion fails.
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionResult {
    pub criterion: String,
    pub metric: Metric,
    pub op: &'static str,
    pub threshold: f64,
    pub unit: &'static str,
    pub actual: Option<f64>,
    pub source: Source,
    pub passed: bool,
    pub detail: String,
}

/// Judges every criterion: a live breach fails its criterion with the live value; the rest
/// are judged from `report`; without a value a criterion fails.
pub fn judge(
    criteria: &[Criterion],
    report: Option<&FinalMetrics>,
    breach: Option<&Breach>,
) -> Vec<CriterionResult> {
    criteria
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let base = |actual: Option<f64>, source: Source, passed: bool, detail: String| {
                CriterionResult {
                    criterion: c.text.clone(),
                    metric: c.metric,
                    op: c.op.symbol(),
                    threshold: c.threshold,
                    unit: c.unit,
                    actual: actual.map(round3),
                    source,
                    passed,
                    detail,
                }
            };
            if let Some(b) = breach.filter(|b| b.index == i) {
                return base(Some(b.actual), Source::Live, false, format!("failed live: {b}"));
            }
            match report.and_then(|r| r.get(c.metric)) {
                Some(v) => {
                    let ok = c.holds(v);
                    let word = if ok { "pass" } else { "fail" };
                    let detail = format!(
                        "{} = {} (threshold {} {}): {word}",
                        c.metric.name(),
                        c.metric.show(v),
                        c.op.symbol(),
                        c.metric.show(c.threshold)
                    );
                    base(Some(v), Source::Report, ok, detail)
                }
                None => base(
                    None,
                    Source::None,
                    false,
                    format!("no {} in the report: cannot pass without data", c.metric.name()),
                ),
            }
        })
        .collect()
}

/// The machine-readable outcome of `pts run`.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub passed: bool,
    pub scene_id: String,
    pub plan_id: Option<String>,
    /// `completed`, `breach`, `time_limit` (`--max-duration`) or `interrupted`.
    pub ended: String,
    pub stopped_early: bool,
    pub breach: Option<Breach>,
    pub criteria: Vec<CriterionResult>,
    pub metrics: Option<FinalMetrics>,
    pub judged_at: String,
    pub notes: Vec<String>,
}

impl Verdict {
    pub fn failures(&self) -> usize {
        self.criteria.iter().filter(|c| !c.passed).count()
    }

    /// JUnit XML: one test suite `pts run`, one test case per criterion.
    pub fn to_junit_xml(&self) -> String {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let suite = format!("pts run {}", self.scene_id);
        x.push_str(&format!(
            "<testsuites name=\"pts\" tests=\"{n}\" failures=\"{f}\">\n  <testsuite name=\"{s}\" \
             tests=\"{n}\" failures=\"{f}\" errors=\"0\" timestamp=\"{t}\">\n",
            n = self.criteria.len(),
            f = self.failures(),
            s = xml_escape(&suite),
            t = xml_escape(&self.judged_at),
        ));
        if let Some(plan) = &self.plan_id {
            x.push_str(&format!(
                "    <properties>\n      <property name=\"plan_id\" value=\"{}\"/>\n      \
                 <property name=\"ended\" value=\"{}\"/>\n    </properties>\n",
                xml_escape(plan),
                xml_escape(&self.ended)
            ));
        }
        for c in &self.criteria {
            x.push_str(&format!(
                "    <testcase classname=\"pts.sla\" name=\"{}\">",
                xml_escape(&c.criterion)
            ));
            if c.passed {
                x.push_str(&format!("<system-out>{}</system-out>", xml_escape(&c.detail)));
            } else {
                x.push_str(&format!(
                    "<failure message=\"{m}\" type=\"sla\">{m}</failure>",
                    m = xml_escape(&c.detail)
                ));
            }
            x.push_str("</testcase>\n");
        }
        x.push_str("  </testsuite>\n</testsuites>\n");
        x
    }
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

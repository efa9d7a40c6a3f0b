//! Findings with the areas and severities of Alibaba Cloud's `alibabacloud-pts-reporter` agent
//! skill: each one names an area, a severity and the returned values it rests on.
//!
//! - high: error rate > 1 %, P99 > 50 % worse than the baseline, throughput below 80 % of
//!   the TPS target (a knee below target);
//! - medium: error rate 0.1-1 %, P99 20-50 % worse, throughput within 20 % of the target
//!   but short of it (a plateau);
//! - low: preventive observations (a long latency tail, throughput down against the
//!   baseline, no baseline to compare with).

use super::model::{Metrics, ReportKind, ReportSummary};
use serde::{Deserialize, Serialize};

pub const AREA_CLIENT: &str = "PTS-Client-Config";
pub const AREA_APP: &str = "Application-Layer";
pub const AREA_THROUGHPUT: &str = "Throughput-Pattern";
pub const AREA_LATENCY: &str = "Latency-Pattern";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    High,
    Medium,
    Low,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub area: String,
    pub severity: Severity,
    pub evidence: String,
    pub suggestion: String,
}

fn finding(area: &str, severity: Severity, evidence: String, suggestion: &str) -> Finding {
    Finding { area: area.into(), severity, evidence, suggestion: suggestion.into() }
}

/// Slack for comparisons at a threshold: 1 - 0.99 is not exactly 0.01 in floating point.
const EPS: f64 = 1e-9;
/// Error rate above which a run is rated high / medium (fractions).
const ERROR_HIGH: f64 = 0.01;
const ERROR_MEDIUM: f64 = 0.001;
/// P99 worsening against the baseline rated high / medium (fractions of the baseline).
const P99_HIGH: f64 = 0.5;
const P99_MEDIUM: f64 = 0.2;
/// Share of the TPS target under which throughput is a knee (high); short of
/// `TPS_REACHED` it is a plateau within 20 % (medium).
const TPS_KNEE: f64 = 0.8;
const TPS_REACHED: f64 = 0.95;
/// P99 over this multiple of the mean RT is a long tail (low).
const TAIL_RATIO: f64 = 5.0;

/// Findings for `current`, against `baseline` when given (a baseline or an earlier run),
/// most severe first.
pub fn findings(current: &ReportSummary, baseline: Option<&ReportSummary>) -> Vec<Finding> {
    let mut out = Vec::new();
    errors(&mut out, "scene", &current.scene, current.kind);
    for api in &current.apis {
        errors(&mut out, &format!("API {:?}", api.name), &api.metrics, current.kind);
    }
    throughput(&mut out, current);
    if let Some(base) = baseline {
        p99_against(&mut out, "scene", &current.scene, &base.scene, base);
        for api in &current.apis {
            if let Some(b) = base.api(&api.name) {
                p99_against(
                    &mut out,
                    &format!("API {:?}", api.name),
                    &api.metrics,
                    &b.metrics,
                    base,
                );
            }
        }
        tps_against(&mut out, current, base);
    } else if current.kind == ReportKind::Pts {
        out.push(finding(
            AREA_CLIENT,
            Severity::Low,
            format!("no baseline was given for scene {}", current.scene_id),
            "set one from a good run (`pts baseline set --from-report`) so later runs are compared with it",
        ));
    }
    long_tail(&mut out, &current.scene);
    out.sort_by_key(|f| f.severity);
    out
}

/// `98.50 %`.
pub fn pct(fraction: f64) -> String {
    format!("{:.2} %", fraction * 100.0)
}

/// The success rate as the source sent it, so the evidence quotes a returned value.
fn wire_rate(m: &Metrics, kind: ReportKind) -> String {
    match kind {
        ReportKind::JMeter => format!("SuccessRateReq {:.2} (0-100)", m.success_rate * 100.0),
        _ => format!("SuccessRateReq {:.4} (0-1)", m.success_rate),
    }
}

/// High over 1 %, medium from 0.1 %, low below.
fn error_severity(rate: f64) -> Severity {
    if rate > ERROR_HIGH + EPS {
        Severity::High
    } else if rate >= ERROR_MEDIUM - EPS {
        Severity::Medium
    } else {
        Severity::Low
    }
}

fn errors(out: &mut Vec<Finding>, what: &str, m: &Metrics, kind: ReportKind) {
    let rate = m.error_rate();
    let severity = error_severity(rate);
    if severity != Severity::Low {
        out.push(finding(
            AREA_APP,
            severity,
            format!(
                "{what}: error rate {} ({}; FailCountReq {} of AllCount {})",
                pct(rate),
                wire_rate(m, kind),
                m.failed_requests,
                m.total_requests
            ),
            "look at the failing responses (sampling logs) and the application's logs and \
             saturation at this load before raising it",
        ));
    }
    if let Some(biz) = m.failed_business.filter(|&n| n > 0 && m.total_requests > 0) {
        let rate = biz as f64 / m.total_requests as f64;
        out.push(finding(
            AREA_APP,
            error_severity(rate),
            format!(
                "{what}: {biz} checkpoint failures (FailCountBiz) of {} requests = {}",
                m.total_requests,
                pct(rate)
            ),
            "responses arrive but fail their checks: compare the expected values with what the \
             application returns under load",
        ));
    }
}

fn throughput(out: &mut Vec<Finding>, r: &ReportSummary) {
    let Some(target) = r.target.tps.filter(|t| *t > 0.0) else { return };
    let ratio = r.scene.avg_tps / target;
    let evidence =
        format!("AvgTps {:.2} against a target of {target} RPS ({})", r.scene.avg_tps, pct(ratio));
    if ratio < TPS_KNEE {
        out.push(finding(
            AREA_THROUGHPUT,
            Severity::High,
            format!("{evidence}: throughput knee below target"),
            "find the bottleneck (RT and errors rise while TPS stops growing); check that the \
             agents and concurrency limit can carry the target",
        ));
    } else if ratio < TPS_REACHED {
        out.push(finding(
            AREA_THROUGHPUT,
            Severity::Medium,
            format!("{evidence}: plateau within 20 % of target"),
            "the service is near its limit: add headroom or raise the concurrency before the \
             next step",
        ));
    }
}

fn p99_against(
    out: &mut Vec<Finding>,
    what: &str,
    cur: &Metrics,
    base: &Metrics,
    b: &ReportSummary,
) {
    let (Some(c), Some(bp)) = (cur.p99_rt_ms, base.p99_rt_ms) else { return };
    if bp <= 0.0 {
        return;
    }
    let worse = (c - bp) / bp;
    let severity = if worse > P99_HIGH + EPS {
        Severity::High
    } else if worse >= P99_MEDIUM - EPS {
        Severity::Medium
    } else {
        return;
    };
    out.push(finding(
        AREA_LATENCY,
        severity,
        format!(
            "{what}: Seg99Rt {c:.2} ms against {bp:.2} ms in the {} (+{:.1} %)",
            b.label(),
            worse * 100.0
        ),
        "compare what changed since the reference (release, data, dependencies) and profile \
         the slowest API",
    ));
}

fn tps_against(out: &mut Vec<Finding>, cur: &ReportSummary, base: &ReportSummary) {
    let (c, b) = (cur.scene.avg_tps, base.scene.avg_tps);
    if b > 0.0 && c < b * (1.0 - P99_MEDIUM) {
        out.push(finding(
            AREA_THROUGHPUT,
            Severity::Low,
            format!(
                "AvgTps {c:.2} against {b:.2} in the {} ({:.1} %)",
                base.label(),
                (c - b) / b * 100.0
            ),
            "check that both runs used the same load configuration before comparing latency",
        ));
    }
}

fn long_tail(out: &mut Vec<Finding>, m: &Metrics) {
    let Some(p99) = m.p99_rt_ms else { return };
    if m.avg_rt_ms > 0.0 && p99 > m.avg_rt_ms * TAIL_RATIO {
        out.push(finding(
            AREA_LATENCY,
            Severity::Low,
            format!("scene: Seg99Rt {p99:.2} ms is over {TAIL_RATIO}x AvgRt {:.2} ms", m.avg_rt_ms),
            "a long tail: look for timeouts, retries, GC pauses or lock contention",
        ));
    }
}

#[cfg(test)]
mod tests;

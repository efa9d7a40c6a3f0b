//! Criteria as written (`p99<200ms`): metrics, operators, thresholds in canonical units.

use crate::exit::{CliError, CliResult};
use crate::samples::Sample;
use serde::Serialize;
use std::time::Duration;

/// Default duration of a sustained breach.
pub const DEFAULT_BREACH_FOR: Duration = Duration::from_secs(3);

/// What a criterion measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    AvgRt,
    P90Rt,
    P99Rt,
    ErrorRate,
    SuccessRate,
    Tps,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Time,
    Ratio,
    Rate,
}

impl Metric {
    const NAMES: &'static str = "avg_rt, p90, p99, error_rate, success_rate, tps";

    fn from_name(name: &str) -> Option<Metric> {
        Some(match name {
            "avg_rt" | "rt" | "avg" | "avg_rt_ms" => Metric::AvgRt,
            "p90" | "p90_rt" | "p90_rt_ms" => Metric::P90Rt,
            "p99" | "p99_rt" | "p99_rt_ms" => Metric::P99Rt,
            "error_rate" | "errors" => Metric::ErrorRate,
            "success_rate" => Metric::SuccessRate,
            "tps" | "qps" | "rps" => Metric::Tps,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Metric::AvgRt => "avg_rt",
            Metric::P90Rt => "p90_rt",
            Metric::P99Rt => "p99_rt",
            Metric::ErrorRate => "error_rate",
            Metric::SuccessRate => "success_rate",
            Metric::Tps => "tps",
        }
    }

    fn kind(self) -> Kind {
        match self {
            Metric::AvgRt | Metric::P90Rt | Metric::P99Rt => Kind::Time,
            Metric::ErrorRate | Metric::SuccessRate => Kind::Ratio,
            Metric::Tps => Kind::Rate,
        }
    }

    /// The canonical unit of thresholds and values: ms, a 0-1 fraction, or per second.
    pub fn unit(self) -> &'static str {
        match self.kind() {
            Kind::Time => "ms",
            Kind::Ratio => "fraction",
            Kind::Rate => "/s",
        }
    }

    /// `v` for people: `22.3 ms`, `0.50%`, `88.9/s`.
    pub fn show(self, v: f64) -> String {
        match self.kind() {
            Kind::Time => format!("{} ms", round3(v)),
            Kind::Ratio => format!("{}%", round3(v * 100.0)),
            Kind::Rate => format!("{}/s", round3(v)),
        }
    }

    /// Whether the running data shows this metric (everything but p99).
    pub fn is_live(self) -> bool {
        self != Metric::P99Rt
    }

    /// The value of this metric in one live sample.
    pub fn from_sample(self, s: &Sample) -> Option<f64> {
        match self {
            Metric::AvgRt => Some(s.avg_rt_ms),
            Metric::P90Rt => s.p90_rt_ms,
            Metric::P99Rt => None,
            Metric::ErrorRate => Some(s.error_rate()),
            Metric::SuccessRate => Some(1.0 - s.error_rate()),
            Metric::Tps => Some(s.tps),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Op {
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }

    /// Whether `actual OP threshold` holds.
    pub fn holds(self, actual: f64, threshold: f64) -> bool {
        match self {
            Op::Lt => actual < threshold,
            Op::Le => actual <= threshold,
            Op::Gt => actual > threshold,
            Op::Ge => actual >= threshold,
        }
    }

    pub fn is_lower_bound(self) -> bool {
        matches!(self, Op::Gt | Op::Ge)
    }
}

/// One criterion: `metric op threshold`, the threshold in the metric's canonical unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    /// As written (trimmed).
    pub text: String,
    pub metric: Metric,
    pub op: Op,
    pub threshold: f64,
    pub unit: &'static str,
}

impl Criterion {
    pub fn holds(&self, actual: f64) -> bool {
        self.op.holds(actual, self.threshold)
    }
}

/// Parses a comma-separated list of criteria. Every error names the criterion and the rule.
pub fn parse(text: &str) -> CliResult<Vec<Criterion>> {
    let list: Vec<Criterion> = text
        .split([',', ';'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(parse_one)
        .collect::<CliResult<_>>()?;
    if list.is_empty() {
        return Err(CliError::usage("--sla: no criterion given")
            .with_hint("e.g. --sla \"p99<200ms,error_rate<1%,tps>=500\""));
    }
    Ok(list)
}

fn parse_one(text: &str) -> CliResult<Criterion> {
    let bad = |why: String| {
        CliError::usage(format!("--sla: criterion {text:?}: {why}"))
            .with_hint(format!("metrics: {}; operators: < <= > >=", Metric::NAMES))
    };
    let at = text.find(['<', '>', '=', '!']).ok_or_else(|| bad("no comparison operator".into()))?;
    let (name, rest) = (text[..at].trim().to_ascii_lowercase(), &text[at..]);
    let (op, value) = if let Some(v) = rest.strip_prefix("<=") {
        (Op::Le, v)
    } else if let Some(v) = rest.strip_prefix(">=") {
        (Op::Ge, v)
    } else if let Some(v) = rest.strip_prefix('<') {
        (Op::Lt, v)
    } else if let Some(v) = rest.strip_prefix('>') {
        (Op::Gt, v)
    } else {
        return Err(bad("the operator must be one of < <= > >=".into()));
    };
    if name.is_empty() {
        return Err(bad("no metric before the operator".into()));
    }
    let metric = Metric::from_name(&name).ok_or_else(|| bad(format!("unknown metric {name:?}")))?;
    let threshold = parse_threshold(metric, value.trim()).map_err(bad)?;
    Ok(Criterion { text: text.to_string(), metric, op, threshold, unit: metric.unit() })
}

/// The threshold in the metric's canonical unit.
fn parse_threshold(metric: Metric, value: &str) -> Result<f64, String> {
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(value.len());
    let (num, unit) = (&value[..split], value[split..].trim().to_ascii_lowercase());
    let n: f64 = num.parse().map_err(|_| format!("threshold {value:?} is not a number"))?;
    if !n.is_finite() || n < 0.0 {
        return Err(format!("threshold {value:?} must be a non-negative number"));
    }
    let wrong_unit =
        |allowed: &str| format!("unit {unit:?} does not fit {}: use {allowed}", metric.name());
    match metric.kind() {
        Kind::Time => match unit.as_str() {
            "" | "ms" => Ok(n),
            "s" => Ok(n * 1000.0),
            "us" | "µs" => Ok(n / 1000.0),
            _ => Err(wrong_unit("ms, s or us")),
        },
        Kind::Ratio => match unit.as_str() {
            "%" if n <= 100.0 => Ok(n / 100.0),
            "%" => Err(format!("{value} is more than 100%")),
            "" if n <= 1.0 => Ok(n),
            "" => Err(format!("a bare rate is a fraction 0-1; write {n}% for a percentage")),
            _ => Err(wrong_unit("% or a fraction 0-1")),
        },
        Kind::Rate => match unit.as_str() {
            "" | "/s" | "tps" | "qps" | "rps" => Ok(n),
            _ => Err(wrong_unit("a number of requests per second")),
        },
    }
}

pub(super) fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

//! The compiled, engine-internal form of a run: what PTS scenes and JMX plans turn into.

use super::jmx::flow::Flow;
use super::template::{Resolved, Template, VarId};
use std::collections::HashMap;
use std::ops::Range;
use std::time::Duration;

mod api;
mod request;

pub(crate) use api::{ApiPlan, Prepared};
pub(crate) use request::*;

/// Splits `total` into `n` near-equal parts (earlier parts get the remainder).
pub(crate) fn split(total: u32, n: usize, i: usize) -> u32 {
    pts_api::rules::load::split(i64::from(total), n, i) as u32
}

/// Which API family a run belongs to (decides report conventions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    Pts,
    JMeter,
}

/// How load is specified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadMode {
    /// Virtual users per relation (closed loop).
    Concurrency,
    /// Requests per second per API (open loop, latency from the intended send time).
    Rps,
}

/// A load level over time (levels are VUs or requests/s).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Schedule {
    /// Stay at `begin` until adjusted.
    Manual { begin: u32, limit: u32 },
    /// `begin`, then `+step` every `keep` until `limit` (PTS AutoStep).
    Steps { begin: u32, limit: u32, step: u32, keep: Duration },
    /// JMeter ramp: thread `i` starts at `i * ramp / target`.
    Linear { target: u32, ramp: Duration },
}

impl Schedule {
    pub(crate) fn level_at(&self, t: Duration) -> u32 {
        match *self {
            Schedule::Manual { begin, .. } => begin,
            Schedule::Steps { begin, limit, step, keep } => {
                if keep.is_zero() {
                    return limit;
                }
                let k = (t.as_secs_f64() / keep.as_secs_f64()).floor() as u64;
                (begin as u64 + k.saturating_mul(step as u64)).min(limit as u64) as u32
            }
            Schedule::Linear { target, ramp } => {
                if ramp.is_zero() || target == 0 {
                    return target;
                }
                let started =
                    (t.as_secs_f64() * target as f64 / ramp.as_secs_f64()).floor() as u64 + 1;
                started.min(target as u64) as u32
            }
        }
    }

    /// The configured maximum.
    pub(crate) fn limit(&self) -> u32 {
        match *self {
            Schedule::Manual { limit, .. } | Schedule::Steps { limit, .. } => limit,
            Schedule::Linear { target, .. } => target,
        }
    }

    /// True once the schedule will not rise any more.
    pub(crate) fn settled(&self, t: Duration) -> bool {
        match self {
            Schedule::Manual { .. } => true,
            Schedule::Steps { limit, .. } => self.level_at(t) >= *limit,
            Schedule::Linear { target, .. } => self.level_at(t) >= *target,
        }
    }
}

/// One load unit: a relation (concurrency mode) or an API (RPS mode).
#[derive(Debug, Clone)]
pub(crate) struct UnitPlan {
    pub relation: usize,
    pub api: Option<usize>,
    pub schedule: Schedule,
}

/// A CSV table bound to variables.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub cols: Vec<VarId>,
    pub rows: Vec<Vec<String>>,
    /// Stop the relation's virtual users once this table's rows are used up.
    pub stop_at_eof: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct RelPlan {
    pub name: String,
    pub id: Option<String>,
    pub apis: Range<usize>,
    pub tables: Vec<Table>,
    /// Chain iterations per virtual user (JMeter loops, debug runs: 1).
    pub max_iterations: Option<u64>,
    /// JMeter control flow of one iteration; None runs `apis` in order.
    pub flow: Option<std::sync::Arc<Flow>>,
}

/// A compiled run.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub kind: RunKind,
    pub mode: LoadMode,
    pub debug: bool,
    pub scene_name: String,
    pub relations: Vec<RelPlan>,
    pub apis: Vec<ApiPlan>,
    pub units: Vec<UnitPlan>,
    pub var_count: usize,
    pub run_for: Duration,
    pub success_codes: Vec<u16>,
    /// Keep a sample log of 1 request in this many per API and worker (0 = none).
    pub sample_every: u64,
}

impl Plan {
    pub(crate) fn is_success(&self, status: u16, follows_redirects: bool) -> bool {
        (200..300).contains(&status)
            || (!follows_redirects && (300..400).contains(&status))
            || self.success_codes.contains(&status)
    }

    /// The load unit that drives relation `rel` (concurrency) or API `api` (RPS).
    pub(crate) fn unit_of_api(&self, api: usize) -> Option<usize> {
        self.units.iter().position(|u| u.api == Some(api))
    }
}

/// Names of `${}` variables (file columns and exports) and constant globals.
#[derive(Debug, Default)]
pub(crate) struct Vars {
    pub names: Vec<String>,
    pub ids: HashMap<String, VarId>,
    pub globals: HashMap<String, String>,
}

impl Vars {
    pub(crate) fn var(&mut self, name: &str) -> VarId {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = self.names.len() as VarId;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    pub(crate) fn template(&self, text: &str) -> Template {
        Template::compile(text, &mut |name| {
            if let Some(id) = self.ids.get(name) {
                Some(Resolved::Var(*id))
            } else {
                self.globals.get(name).map(|v| Resolved::Const(v.clone()))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        let s = Schedule::Steps { begin: 2, limit: 10, step: 3, keep: Duration::from_secs(2) };
        let l = |t: f64| s.level_at(Duration::from_secs_f64(t));
        assert_eq!((l(0.0), l(1.9), l(2.0), l(4.1), l(6.0), l(100.0)), (2, 2, 5, 8, 10, 10));
        let j = Schedule::Linear { target: 4, ramp: Duration::from_secs(4) };
        assert_eq!(j.level_at(Duration::ZERO), 1);
        assert_eq!(j.level_at(Duration::from_secs(3)), 4);
        assert!(j.settled(Duration::from_secs(5)));
    }
}

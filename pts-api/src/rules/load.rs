//! The load model: which load each relation (concurrency) or API (RPS) gets, totals split
//! evenly as PTS splits them, RPS along a chain, auto-step settings and the agent count.
//!
//! PTS states the chain rule for the RPS an API runs at ("within one chain, RPS must decrease
//! in API order", AdjustPtsSceneSpeed); no operation states a rule for the starting value, so
//! the chain rule applies to `RpsLimit` (and to adjusted speeds), not to `RpsBegin`.
//! The scene's maximum load is the sum over all relations (concurrency) or over all APIs (RPS):
//! `AllRpsLimit` is documented as the total of every API's RPS, and `AgentCount` may not exceed
//! that maximum divided by what one agent carries.

use super::mode::TestMode;
use super::violation::{Violation, rel_path};
use crate::shapes::scene::Scene;

const LC: &str = "Scene.LoadConfig";

/// A begin and a limit.
pub type Load = (i64, i64);

/// The scene's test mode, if it is known.
pub fn mode(s: &Scene) -> Option<TestMode> {
    Some(s.load_config.test_mode.clone()).filter(TestMode::is_known)
}

/// Part `i` of `total` split over `n` as evenly as integers allow (earlier parts get the rest).
pub fn split(total: i64, n: usize, i: usize) -> i64 {
    if n == 0 {
        return 0;
    }
    let n = n as i64;
    total / n + i64::from((i as i64) < total % n)
}

/// Concurrency per relation: the RelationLoadConfigList entry naming its RelationId, else the
/// entry at its position when the list has one per relation, else the totals split evenly.
pub fn relation_loads(s: &Scene) -> Vec<Option<Load>> {
    let lc = &s.load_config;
    let per = lc.relation_load_config_list.as_deref().unwrap_or(&[]);
    let n = s.relation_list.len();
    let cfg = &lc.configuration;
    s.relation_list
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let own = per
                .iter()
                .find(|c| c.relation_id.is_some() && c.relation_id == r.relation_id)
                .or_else(|| (per.len() == n).then(|| &per[i]));
            match (own, cfg.all_concurrency_begin, cfg.all_concurrency_limit) {
                (Some(c), _, _) => {
                    Some((i64::from(c.concurrency_begin), i64::from(c.concurrency_limit)))
                }
                (None, Some(b), Some(l)) => {
                    Some((split(i64::from(b), n, i), split(i64::from(l), n, i)))
                }
                _ => None,
            }
        })
        .collect()
}

/// RPS per API, per relation in chain order: the ApiLoadConfigList entry naming its ApiId,
/// else the totals split evenly over all the scene's APIs.
pub fn api_loads(s: &Scene) -> Vec<Vec<Option<Load>>> {
    let lc = &s.load_config;
    let per = lc.api_load_config_list.as_deref().unwrap_or(&[]);
    let n: usize = s.relation_list.iter().map(|r| r.api_list.len()).sum();
    let cfg = &lc.configuration;
    let mut k = 0;
    s.relation_list
        .iter()
        .map(|r| {
            r.api_list
                .iter()
                .map(|a| {
                    let i = k;
                    k += 1;
                    let own = per.iter().find(|c| a.api_id.as_deref() == Some(c.api_id.as_str()));
                    match (own, cfg.all_rps_begin, cfg.all_rps_limit) {
                        (Some(c), _, _) => Some((i64::from(c.rps_begin), i64::from(c.rps_limit))),
                        (None, Some(b), Some(l)) => {
                            Some((split(i64::from(b), n, i), split(i64::from(l), n, i)))
                        }
                        _ => None,
                    }
                })
                .collect()
        })
        .collect()
}

/// The scene's maximum load: the sum of every relation's concurrency limit or every API's RPS
/// limit. None when the mode is unknown or some part has no load.
pub fn max_load(s: &Scene) -> Option<(TestMode, i64)> {
    let mode = mode(s)?;
    let total = match mode {
        TestMode::ConcurrencyMode => {
            relation_loads(s).iter().map(|l| l.map(|l| l.1)).sum::<Option<i64>>()
        }
        TestMode::TpsMode => api_loads(s).iter().flatten().map(|l| l.map(|l| l.1)).sum(),
        TestMode::Unknown(_) => None,
    }?;
    Some((mode, total))
}

/// Most agents a load may use: one per 250 virtual users or 2000 RPS, at least one.
pub fn agent_cap(mode: &TestMode, load: i64) -> i64 {
    match mode.per_agent() {
        Some(per) => ((load + per - 1) / per).max(1),
        None => 1,
    }
}

/// RPS per API, per relation in chain order, after the speeds in `speeds` (by ApiId) were
/// set during a run; the others at their configured limit (0 when they have none).
pub fn adjusted_rps(s: &Scene, speeds: &std::collections::BTreeMap<String, i64>) -> Vec<Vec<i64>> {
    s.relation_list
        .iter()
        .zip(api_loads(s))
        .map(|(r, loads)| {
            r.api_list
                .iter()
                .zip(loads)
                .map(|(a, l)| {
                    a.api_id
                        .as_deref()
                        .and_then(|id| speeds.get(id).copied())
                        .or(l.map(|l| l.1))
                        .unwrap_or(0)
                })
                .collect()
        })
        .collect()
}

/// True when RPS never rises from one API of a chain to the next.
pub fn chain_ok(chain: &[i64]) -> bool {
    chain.windows(2).all(|w| w[1] <= w[0])
}

pub(super) fn check(s: &Scene, out: &mut Vec<Violation>) {
    let lc = &s.load_config;
    let Some(mode) = mode(s) else { return };
    if lc.auto_step == Some(true) && mode == TestMode::TpsMode {
        out.push(Violation::new(format!("{LC}.AutoStep"), "applies only in concurrency_mode"));
    }
    if lc.increment.is_some() && (mode != TestMode::ConcurrencyMode || lc.auto_step != Some(true)) {
        out.push(Violation::new(
            format!("{LC}.Increment"),
            "applies only in concurrency_mode with AutoStep: true",
        ));
    }
    let cfg = &lc.configuration;
    let totals = match mode {
        TestMode::ConcurrencyMode => [
            ("AllConcurrencyBegin", cfg.all_concurrency_begin),
            ("AllConcurrencyLimit", cfg.all_concurrency_limit),
        ],
        TestMode::TpsMode => {
            [("AllRpsBegin", cfg.all_rps_begin), ("AllRpsLimit", cfg.all_rps_limit)]
        }
        TestMode::Unknown(_) => return,
    };
    if let [(b, Some(_)), (l, None)] | [(l, None), (b, Some(_))] = totals {
        out.push(Violation::new(
            format!("{LC}.Configuration.{l}"),
            format!("is required with {b}"),
        ));
    }
    match mode {
        TestMode::ConcurrencyMode => {
            for (i, l) in relation_loads(s).iter().enumerate() {
                if l.is_none() {
                    out.push(Violation::new(
                        format!("{LC}.RelationLoadConfigList"),
                        format!(
                            "must give {} ({}) its concurrency, or set Configuration.AllConcurrencyBegin and AllConcurrencyLimit",
                            rel_path(i),
                            s.relation_list[i].relation_name
                        ),
                    ));
                }
            }
        }
        TestMode::TpsMode => {
            for (i, chain) in api_loads(s).iter().enumerate() {
                let rel = &s.relation_list[i];
                for (j, l) in chain.iter().enumerate() {
                    if l.is_none() {
                        out.push(Violation::new(
                            format!("{LC}.ApiLoadConfigList"),
                            format!(
                                "must give {} ({}) its RPS by ApiId, or set Configuration.AllRpsBegin and AllRpsLimit",
                                super::violation::api_path(i, j),
                                rel.api_list[j].api_name
                            ),
                        ));
                    }
                }
                let limits: Vec<i64> = chain.iter().flatten().map(|l| l.1).collect();
                if !chain_ok(&limits) {
                    out.push(Violation::new(
                        format!("{LC}.ApiLoadConfigList"),
                        format!(
                            "RpsLimit must not increase along relation {i} ({}): {limits:?}",
                            rel.relation_name
                        ),
                    ));
                }
            }
        }
        TestMode::Unknown(_) => {}
    }
    if let (Some(n), Some((mode, load))) = (lc.agent_count, max_load(s)) {
        let cap = agent_cap(&mode, load);
        if i64::from(n) < 1 || i64::from(n) > cap {
            out.push(Violation::new(
                format!("{LC}.AgentCount"),
                format!(
                    "must be 1-{cap} for a load of {load} {} ({} per agent) (got {n})",
                    mode.unit(),
                    mode.per_agent().unwrap_or(0)
                ),
            ));
        }
    }
}

//! Changing the load of a running scene (AdjustPtsSceneSpeed): every ApiId is the scene's and
//! every Speed at least 1; in concurrency mode an API's speed is its relation's concurrency,
//! so only the first API of a relation may be named; in RPS mode each chain stays
//! non-increasing, the APIs not named keeping their current (or configured) RPS.

use super::load::{self, chain_ok};
use super::mode::TestMode;
use super::violation::Violation;
use crate::shapes::scene::Scene;
use std::collections::BTreeMap;

const FIELD: &str = "ApiSpeedList";

/// Checks `speeds` (ApiId, Speed) against the scene and, when they are allowed, applies them to
/// `current` (the speeds set earlier in the run, by ApiId).
pub fn apply(
    s: &Scene,
    speeds: &[(String, i64)],
    current: &mut BTreeMap<String, i64>,
) -> Result<(), Violation> {
    let concurrency = load::mode(s) == Some(TestMode::ConcurrencyMode);
    let mut after = current.clone();
    for (k, (api, speed)) in speeds.iter().enumerate() {
        if *speed < 1 {
            return Err(Violation::new(
                format!("{FIELD}[{k}].Speed"),
                format!("must be at least 1 (got {speed})"),
            ));
        }
        let rel = s
            .relation_list
            .iter()
            .find(|r| r.api_list.iter().any(|a| a.api_id.as_deref() == Some(api)));
        let Some(rel) = rel else {
            return Err(Violation::new(
                format!("{FIELD}[{k}].ApiId"),
                format!("must name an API of the scene (no ApiId {api} there)"),
            ));
        };
        if concurrency && rel.api_list.first().and_then(|a| a.api_id.as_deref()) != Some(api) {
            return Err(Violation::new(
                format!("{FIELD}[{k}].ApiId"),
                format!(
                    "must be the first API of its relation in concurrency mode (the relation's concurrency is set through it; {api} is not the first of {})",
                    rel.relation_name
                ),
            ));
        }
        after.insert(api.clone(), *speed);
    }
    if !concurrency {
        for (r, chain) in s.relation_list.iter().zip(load::adjusted_rps(s, &after)) {
            if !chain_ok(&chain) {
                return Err(Violation::new(
                    FIELD,
                    format!("RPS must not increase along relation {}: {chain:?}", r.relation_name),
                ));
            }
        }
    }
    *current = after;
    Ok(())
}

//! "Verify, don't trust `Success: true`" (PTS may report a start as a success while no load flows):
//! after a start, load flows only if the plan's running data shows live agents and a growing
//! request count.

use super::call::read;
use crate::exit::CliResult;
use serde::Serialize;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub flowing: bool,
    pub detail: String,
    pub total_requests: i64,
    pub alive_agents: i64,
}

/// How often running data is read while verifying.
const STEP: Duration = Duration::from_millis(500);

/// Reads GetPtsSceneRunningData of the plan until `TotalRequestCount` has grown between
/// two reads with `AliveAgents > 0`, or `within` has passed.
pub async fn verify_flowing(
    client: &pts_api::Client,
    scene_id: &str,
    plan_id: &str,
    within: Duration,
) -> CliResult<Verification> {
    let params = json!({"SceneId": scene_id, "PlanId": plan_id});
    let growth = until_growing(within, || async {
        let data = read(client, "GetPtsSceneRunningData", params.clone()).await?;
        Ok((int(&data, "TotalRequestCount"), int(&data, "AliveAgents")))
    })
    .await?;
    let Growth { first: base, count: total, agents, grew } = growth;
    if grew {
        return Ok(Verification {
            flowing: true,
            detail: format!("load flows: requests {base} -> {total}, {agents} alive agent(s)"),
            total_requests: total,
            alive_agents: agents,
        });
    }
    let why = if agents == 0 { "no alive agents" } else { "the request count did not grow" };
    Ok(Verification {
        flowing: false,
        detail: format!(
            "load does not flow within {:.1} s: {why} (requests {total}, alive agents {agents})",
            within.as_secs_f64()
        ),
        total_requests: total,
        alive_agents: agents,
    })
}

/// What [`until_growing`] saw: the first count, the last count and agents, and whether
/// the count grew with agents working.
pub(super) struct Growth {
    pub first: i64,
    pub count: i64,
    pub agents: i64,
    pub grew: bool,
}

/// Reads `(cumulative count, working agents)` every [`STEP`] until the count has grown
/// since the first read with at least one agent, or `within` has passed.
pub(super) async fn until_growing<F, Fut>(within: Duration, mut read_once: F) -> CliResult<Growth>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = CliResult<(i64, i64)>>,
{
    let deadline = Instant::now() + within;
    let mut first: Option<i64> = None;
    loop {
        let (count, agents) = read_once().await?;
        let base = *first.get_or_insert(count);
        let grew = agents > 0 && count > base;
        if grew || Instant::now() + STEP > deadline {
            return Ok(Growth { first: base, count, agents, grew });
        }
        tokio::time::sleep(STEP).await;
    }
}

fn int(v: &Value, key: &str) -> i64 {
    v.get(key).and_then(|x| x.as_i64().or_else(|| x.as_f64().map(|f| f as i64))).unwrap_or(0)
}

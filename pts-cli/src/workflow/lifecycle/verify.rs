//! "Verify, don't trust `Success: true`" ([Skill-task]): after a start, load flows only if
//! the plan's running data shows live agents and a growing request count.

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
    let deadline = Instant::now() + within;
    let params = json!({"SceneId": scene_id, "PlanId": plan_id});
    let mut first: Option<i64> = None;
    let (mut total, mut agents);
    loop {
        let data = read(client, "GetPtsSceneRunningData", params.clone()).await?;
        total = int(&data, "TotalRequestCount");
        agents = int(&data, "AliveAgents");
        let base = *first.get_or_insert(total);
        if agents > 0 && total > base {
            return Ok(Verification {
                flowing: true,
                detail: format!("load flows: requests {base} -> {total}, {agents} alive agent(s)"),
                total_requests: total,
                alive_agents: agents,
            });
        }
        if Instant::now() + STEP > deadline {
            break;
        }
        tokio::time::sleep(STEP).await;
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

fn int(v: &Value, key: &str) -> i64 {
    v.get(key).and_then(|x| x.as_i64().or_else(|| x.as_f64().map(|f| f as i64))).unwrap_or(0)
}

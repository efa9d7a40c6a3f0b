//! The JMeter scene lifecycle (own operations, statuses and id space, apart from PTS scenes):
//! check-then-act save, pre-flight, start/stop recorded, waits on pts-api's JMeter waiters,
//! proof that samples flow.

use super::apply::{Applied, invalid, stored_scene};
use super::call::{read, recorded, refused, sent};
use super::identify::{Match, MatchedBy, identify, with_id};
use super::jmeter_files::LocalFile;
use super::kind::Kind;
use super::listing;
use super::preflight::{Check, Preflight};
use super::start_stop::start_run;
use super::status::busy_jmeter;
use super::verify::{Growth, Verification, until_growing};
use super::wait::{StatusPolling, Until, config, polling};
use crate::evidence::Evidence;
use crate::exit::CliResult;
use crate::scene_doc::service_ids::without_ids_the_file_omits;
use crate::scene_doc::{self, diff::diff, jmeter as doc};
use crate::session::api_err;
use pts_api::shapes::jmeter_scene_status::JMeterSceneStatus;
use pts_api::shapes::load_mode::LoadMode;
use serde::Serialize;
use serde_json::{Value, json};
use std::time::Duration;

pub type JmeterApplied = Applied;

/// GetOpenJMeterScene's `Scene`.
pub async fn get_jmeter(client: &pts_api::Client, scene_id: &str) -> CliResult<Value> {
    let body = read(client, "GetOpenJMeterScene", json!({"SceneId": scene_id})).await?;
    Ok(body.get("Scene").cloned().unwrap_or(Value::Null))
}

/// What [`apply_jmeter`] would do. `scene` has its files resolved; `local` are the files
/// that will be uploaded (a changed content shows in the diff by MD5).
pub async fn plan_apply_jmeter(
    client: &pts_api::Client,
    scene: &Value,
    local: &[LocalFile],
    how: Match,
) -> CliResult<Applied> {
    let issues = doc::validate(scene);
    if !issues.is_empty() {
        return Err(invalid(&issues));
    }
    let (id, matched_by) = identify(client, Kind::Jmeter, scene, how).await?;
    if matched_by == MatchedBy::New {
        return Ok(Applied::new_scene(&doc::canonical(&with_id(scene, ""))));
    }
    let wanted = doc::canonical(&with_id(scene, &id));
    let missing =
        format!("JMeter scene {id} does not exist; remove SceneId from the file to create one");
    let current = stored_scene(client, "GetOpenJMeterScene", &id, missing).await?;
    let stored = without_ids_the_file_omits(&doc::canonical(&current), &wanted);
    let mut d = diff(&stored, &wanted);
    for f in local {
        let stored = current
            .get("FileList")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|x| x.get("FileName").and_then(Value::as_str) == Some(&f.name))
            .and_then(|x| x.get("Md5").and_then(Value::as_str));
        if stored.is_some_and(|m| !m.eq_ignore_ascii_case(&f.md5)) {
            d.push(format!(
                "~ file {}: content changed (md5 {} -> {})",
                f.name,
                stored.unwrap_or(""),
                f.md5
            ));
        }
    }
    Ok(Applied::existing(id, matched_by, d))
}

/// Saves a planned scene (SaveOpenJMeterScene). The files must be in place already.
pub async fn apply_jmeter(
    client: &pts_api::Client,
    scene: &Value,
    plan: &Applied,
    ev: &mut Evidence,
) -> CliResult<Applied> {
    let mut done = plan.clone();
    ev.param("matched_by", plan.matched_by);
    if !plan.changed {
        ev.param("scene_id", &plan.scene_id);
        return Ok(done);
    }
    let mut wire = plan.wire_scene(scene);
    doc::strip_paths(&mut wire);
    let body = json!({"OpenJMeterScene": wire});
    let name = scene_doc::scene_name(scene);
    ev.param("scene_name", &name);
    let resp = if plan.created {
        let before = listing::ids_named(&listing::all_jmeter(client, Some(&name)).await?, &name);
        match sent(client, ev, "SaveOpenJMeterScene", body.clone()).await {
            Ok(r) => r,
            Err(e) if e.outcome_unknown() => {
                let after =
                    listing::ids_named(&listing::all_jmeter(client, Some(&name)).await?, &name);
                match after.iter().find(|id| !before.contains(id)) {
                    Some(id) => json!({"SceneId": id}),
                    None => sent(client, ev, "SaveOpenJMeterScene", body).await.map_err(api_err)?,
                }
            }
            Err(e) => return Err(api_err(e)),
        }
    } else {
        match sent(client, ev, "SaveOpenJMeterScene", body.clone()).await {
            Err(e) if e.outcome_unknown() => {
                sent(client, ev, "SaveOpenJMeterScene", body).await.map_err(api_err)?
            }
            other => other.map_err(api_err)?,
        }
    };
    let id = resp
        .get("SceneId")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or(plan.scene_id.clone());
    if id.is_empty() {
        return Err(refused("SaveOpenJMeterScene returned no SceneId"));
    }
    ev.param("scene_id", &id);
    done.scene_id = id;
    Ok(done)
}

/// Pre-flight of a JMeter start: exists, not running, a test file, a duration and a load.
/// VUM: concurrency × Duration in minutes (rounded up); not estimable in TPS mode.
pub async fn preflight_jmeter(client: &pts_api::Client, scene_id: &str) -> CliResult<Preflight> {
    let mut pf = Preflight::new(scene_id);
    let what = format!("JMeter scene {scene_id}");
    let Some(scene) = pf.fetch_scene(client, "GetOpenJMeterScene", &what).await? else {
        return Ok(pf);
    };
    let status = jmeter_status(client, scene_id).await?;
    pf.checks.push(Check::new(
        "not already running",
        !busy_jmeter(&status),
        format!("status {status}"),
    ));
    let test_file = scene.get("TestFile").and_then(Value::as_str).unwrap_or("");
    pf.checks.push(Check::new(
        "a test file",
        !test_file.is_empty(),
        format!("TestFile {test_file:?}"),
    ));
    let int = |k: &str| scene.get(k).and_then(Value::as_i64).unwrap_or(0);
    let mode = LoadMode::from(scene.get("Mode").and_then(Value::as_str).unwrap_or(""));
    let tps = mode == LoadMode::Tps;
    let (load, what) = if tps { (int("MaxRps"), "RPS") } else { (int("Concurrency"), "threads") };
    let secs = int("Duration");
    pf.checks.push(Check::new(
        "load config",
        load > 0 && secs > 0,
        format!("{load} {what} for {secs} s"),
    ));
    pf.summary.push(format!(
        "test file: {test_file}; mode: {}; load: {load} {what}; duration: {secs} s; agents: {}",
        if tps { LoadMode::Tps } else { LoadMode::Concurrency }.as_str(),
        int("AgentCount")
    ));
    pf.vum_estimate = (!tps).then(|| load * ((secs + 59) / 60));
    pf.summary.push(match pf.vum_estimate {
        Some(v) => format!("VUM estimate: at most {v} (concurrency x duration in minutes)"),
        None => "VUM estimate: not estimable in TPS mode (depends on response times)".into(),
    });
    pf.ok = pf.checks.iter().all(|c| c.ok);
    Ok(pf)
}

/// `RunningData.Status` (read in upper case; `STOPPED` when absent).
pub async fn jmeter_status(
    client: &pts_api::Client,
    scene_id: &str,
) -> CliResult<JMeterSceneStatus> {
    let data = read(client, "GetJMeterSceneRunningData", json!({"SceneId": scene_id})).await?;
    Ok(match data.pointer("/RunningData/Status").and_then(Value::as_str) {
        Some(s) => JMeterSceneStatus::from(s.to_ascii_uppercase()),
        None => JMeterSceneStatus::Stopped,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct JmeterStarted {
    pub scene_id: String,
    /// The run's ReportId (PTS's id for a JMeter run).
    pub report_id: String,
    pub response: Value,
    pub started_at: String,
}

pub async fn start_jmeter(
    client: &pts_api::Client,
    scene_id: &str,
    ev: &mut Evidence,
) -> CliResult<JmeterStarted> {
    let (response, report_id, started_at) =
        start_run(client, ev, "StartTestingJMeterScene", scene_id, "ReportId").await?;
    Ok(JmeterStarted { scene_id: scene_id.to_string(), report_id, response, started_at })
}

/// StopTestingJMeterScene, or StopDebuggingJMeterScene for a debug run.
pub async fn stop_jmeter(
    client: &pts_api::Client,
    scene_id: &str,
    debug: bool,
    ev: &mut Evidence,
) -> CliResult<Value> {
    ev.param("scene_id", scene_id);
    let op = if debug { "StopDebuggingJMeterScene" } else { "StopTestingJMeterScene" };
    recorded(client, ev, op, json!({"SceneId": scene_id})).await
}

pub async fn wait_jmeter(
    client: &pts_api::Client,
    scene_id: &str,
    until: Until<'_>,
    poll_interval: Duration,
    max_wait: Duration,
) -> CliResult<StatusPolling> {
    let cfg = config(poll_interval, max_wait);
    let result = match until {
        Until::Started(report_id) => {
            client.wait_jmeter_run_started(scene_id, report_id, &cfg).await
        }
        Until::Stopped => client.wait_jmeter_stopped(scene_id, &cfg).await,
    };
    polling(result, &format!("JMeter scene {scene_id} did not reach {}", until.status()))
}

/// Running data until the sample count grows with at least one agent, or `within`.
pub async fn verify_jmeter_flowing(
    client: &pts_api::Client,
    scene_id: &str,
    within: Duration,
) -> CliResult<Verification> {
    let growth = until_growing(within, || async {
        let data = read(client, "GetJMeterSceneRunningData", json!({"SceneId": scene_id})).await?;
        let rd = data.get("RunningData").cloned().unwrap_or(Value::Null);
        let agents = rd
            .get("AgentIdList")
            .and_then(Value::as_array)
            .map_or(0, |a| a.len() as i64)
            .max(rd.get("AgentCount").and_then(Value::as_i64).unwrap_or(0));
        Ok((sample_count(&rd), agents))
    })
    .await?;
    let Growth { first: base, count, agents, grew } = growth;
    if grew {
        return Ok(Verification {
            flowing: true,
            detail: format!("samples flow: {base} -> {count}, {agents} agent(s)"),
            total_requests: count,
            alive_agents: agents,
        });
    }
    Ok(Verification {
        flowing: false,
        detail: format!(
            "samples do not flow within {:.1} s (count {count}, agents {agents})",
            within.as_secs_f64()
        ),
        total_requests: count,
        alive_agents: agents,
    })
}

/// Cumulative samples: `AllSampleStat.fullStat.count`, else `AllSampleStat.count`.
fn sample_count(rd: &Value) -> i64 {
    let s = rd.get("AllSampleStat");
    s.and_then(|s| s.pointer("/fullStat/count"))
        .or_else(|| s.and_then(|s| s.get("count")))
        .and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)))
        .unwrap_or(0)
}

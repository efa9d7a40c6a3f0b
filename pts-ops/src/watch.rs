//! The live watch of a PTS run: one [`Sample`] per interval from GetPtsSceneRunningStatus
//! (status) and GetPtsSceneRunningData (numbers), until the scene stops, a time limit, a
//! sustained SLA breach, or Ctrl-C/SIGTERM.
//!
//! Where the numbers come from (GetPtsSceneRunningData fields): `Concurrency`, `TotalRealQps` (the
//! last second), `AverageRt` and `Seg90Rt` (whole run so far, ms), `TotalRequestCount`,
//! `FailedRequestCount`, `FailedBusinessCount`, `AliveAgents`, `TotalAgents`. The p90 is the
//! scene-level `Seg90Rt`; the per-API `ChainMonitorDataList` carries no percentiles, so when
//! `Seg90Rt` is absent the sample has no p90 (nothing is estimated).
//!
//! Run the future with `Session::block_on_raw`: it handles signals itself, and on a signal
//! with `stop_scene_on_interrupt` it stops the scene before it returns, so a cancelled CI
//! job never leaves load running.

mod interrupt;

pub use interrupt::Interrupt;

use crate::evidence::{Evidence, rfc3339};
use crate::exit::CliResult;
use crate::samples::{SAMPLES_FILE, Sample};
use crate::session::api_err;
use crate::sla::{Breach, LiveGuard};
use pts_api::ops::get_pts_scene_running_data::GetPtsSceneRunningDataRequest;
use pts_api::ops::get_pts_scene_running_status::GetPtsSceneRunningStatusRequest;
use pts_api::ops::stop_pts_scene::StopPtsSceneRequest;
use pts_api::shapes::pts_runtime_status::PtsRuntimeStatus;
use std::time::{Duration, Instant, SystemTime};

/// How long a watch that stops the scene on a signal waits for `STOPPED`.
pub const STOP_WAIT: Duration = Duration::from_secs(20);

#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Time between samples (1 s by default in the commands).
    pub interval: Duration,
    /// End the watch after this long (`--for`, `--max-duration`); the scene keeps running.
    pub max: Option<Duration>,
    /// On Ctrl-C/SIGTERM, call StopPtsScene and wait (at most [`STOP_WAIT`]) for `STOPPED`.
    pub stop_scene_on_interrupt: bool,
    /// SLA criteria judged on each sample; a sustained breach ends the watch.
    pub live: Option<LiveGuard>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WatchEnd {
    /// The runtime status reached `STOPPED`.
    Stopped,
    /// `max` elapsed first.
    TimeLimit,
    /// A sustained breach of a live criterion (the caller stops the scene).
    Breach(Breach),
    /// Ctrl-C/SIGTERM (the scene was stopped first when asked to).
    Interrupted,
}

#[derive(Debug, Clone)]
pub struct WatchOutcome {
    pub end: WatchEnd,
    pub samples: Vec<Sample>,
    /// The last runtime status seen (after the stop, on an interrupt).
    pub final_status: Option<String>,
}

/// Watches with its own signal listener (see [`watch_pts_with`]).
pub async fn watch_pts(
    client: &pts_api::Client,
    scene_id: &str,
    plan_id: &str,
    opts: &WatchOptions,
    ev: &Evidence,
    on_sample: &mut (dyn FnMut(&Sample) + Send),
) -> CliResult<WatchOutcome> {
    let interrupt = Interrupt::listen();
    watch_pts_with(client, scene_id, plan_id, opts, ev, &interrupt, on_sample).await
}

/// Samples every `opts.interval`, appends each sample to `samples.jsonl` in `ev` and hands
/// it to `on_sample`, until the watch ends. `interrupt` is shared with the caller's other
/// steps (start, stop) so no signal is missed between them.
pub async fn watch_pts_with(
    client: &pts_api::Client,
    scene_id: &str,
    plan_id: &str,
    opts: &WatchOptions,
    ev: &Evidence,
    interrupt: &Interrupt,
    on_sample: &mut (dyn FnMut(&Sample) + Send),
) -> CliResult<WatchOutcome> {
    let started = Instant::now();
    let mut guard = opts.live.clone();
    let mut samples = Vec::new();
    let mut ticker = tokio::time::interval(opts.interval.max(Duration::from_millis(50)));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let end = loop {
        let sample = tokio::select! {
            biased;
            _ = interrupt.wait() => break WatchEnd::Interrupted,
            s = async {
                ticker.tick().await;
                poll_sample(client, scene_id, plan_id, started).await
            } => s?,
        };
        ev.append_jsonl(SAMPLES_FILE, &sample)?;
        on_sample(&sample);
        let stopped = sample.status == PtsRuntimeStatus::Stopped;
        samples.push(sample);
        let last = samples.last().expect("just pushed");
        if let Some(b) = guard.as_mut().and_then(|g| g.observe(last)) {
            break WatchEnd::Breach(b);
        }
        if stopped {
            break WatchEnd::Stopped;
        }
        if opts.max.is_some_and(|max| started.elapsed() >= max) {
            break WatchEnd::TimeLimit;
        }
    };
    let mut final_status = samples.last().map(|s| s.status.to_string());
    if end == WatchEnd::Interrupted && opts.stop_scene_on_interrupt {
        final_status = Some(stop_after_interrupt(client, scene_id, ev).await);
    }
    Ok(WatchOutcome { end, samples, final_status })
}

/// One sample: the runtime status, then the running data of the plan.
pub async fn poll_sample(
    client: &pts_api::Client,
    scene_id: &str,
    plan_id: &str,
    started: Instant,
) -> CliResult<Sample> {
    let invalid = |e: pts_api::ValidationError| api_err(e.into());
    let request = GetPtsSceneRunningStatusRequest::builder().scene_id(scene_id).build();
    let status = client
        .get_pts_scene_running_status(request.map_err(invalid)?)
        .await
        .map_err(api_err)?
        .body
        .status
        .unwrap_or_else(|| PtsRuntimeStatus::Unknown("UNKNOWN".into()));
    let request =
        GetPtsSceneRunningDataRequest::builder().scene_id(scene_id).plan_id(plan_id).build();
    let d =
        client.get_pts_scene_running_data(request.map_err(invalid)?).await.map_err(api_err)?.body;
    // The runtime status is the scene's latest plan; a plan with a report has ended even
    // when a newer plan of the scene runs.
    let status = if d.has_report == Some(true) { PtsRuntimeStatus::Stopped } else { status };
    Ok(Sample {
        at: rfc3339(SystemTime::now()),
        elapsed_s: (started.elapsed().as_secs_f64() * 10.0).round() / 10.0,
        status,
        concurrency: d.concurrency.unwrap_or(0).into(),
        tps: d.total_real_qps.unwrap_or(0).into(),
        avg_rt_ms: d.average_rt.unwrap_or(0) as f64,
        p90_rt_ms: d.seg90_rt.map(|v| v as f64),
        total_requests: d.total_request_count.unwrap_or(0),
        failed_requests: d.failed_request_count.unwrap_or(0),
        failed_business: d.failed_business_count.unwrap_or(0),
        alive_agents: d.alive_agents.unwrap_or(0).into(),
        total_agents: d.total_agents.unwrap_or(0).into(),
    })
}

/// StopPtsScene after a signal, recorded as `interrupt-stop.json`, then a bounded wait for
/// `STOPPED`. Returns the last status seen (or why it is unknown). Never fails: the
/// process is exiting with 130 either way, and the evidence says what happened.
pub async fn stop_after_interrupt(
    client: &pts_api::Client,
    scene_id: &str,
    ev: &Evidence,
) -> String {
    eprintln!("interrupted: stopping scene {scene_id} before exiting");
    let stop = match StopPtsSceneRequest::builder().scene_id(scene_id).build() {
        Ok(req) => client.stop_pts_scene(req).await,
        Err(e) => Err(e.into()),
    };
    let stop_record = match &stop {
        Ok(out) => serde_json::json!({"operation": "StopPtsScene", "scene_id": scene_id,
            "ok": true, "request_id": out.request_id, "at": rfc3339(SystemTime::now())}),
        Err(e) => serde_json::json!({"operation": "StopPtsScene", "scene_id": scene_id,
            "ok": false, "error": api_err_text(e), "at": rfc3339(SystemTime::now())}),
    };
    let _ = ev.write_json("interrupt-stop.json", &stop_record);
    let cfg = pts_api::WaitConfig::default()
        .timeout(STOP_WAIT)
        .poll_interval(Duration::from_millis(300))
        .backoff(1.5)
        .max_interval(Duration::from_secs(2));
    match client.wait_pts_scene_stopped(scene_id, &cfg).await {
        Ok(o) => o.final_status.as_str().to_string(),
        Err(e) => {
            let text = format!("not confirmed STOPPED: {e}");
            eprintln!("warning: scene {scene_id} {text}");
            text
        }
    }
}

fn api_err_text(e: &pts_api::Error) -> String {
    crate::errors::from_api(e).message
}

//! [`EngineAdapter`]: the [`RunEngine`] seam implemented on top of the load engine
//! ([`crate::engine`]). It is the default engine of [`crate::Server::start`]; a config with
//! [`crate::Config::with_null_engine`] keeps the [`crate::NullEngine`] (no traffic).
//!
//! * Start: PTS test/debug runs compile the stored scene snapshot (keys the typed `Scene` does
//!   not know are dropped first); JMeter runs read the scene's `TestFile` from the file store,
//!   [`parse_jmx`] it and apply the scene's `Concurrency`, `Duration` and `RampUp`. Files resolve
//!   by name against the service's file store ([`StoreResolver`]). Engine errors refuse the
//!   start with the engine's message: [`Refusal::Plan`] when the scene or JMX cannot run as
//!   written, [`Refusal::Engine`] when the engine itself cannot start it.
//! * Time: the service clock counts scene seconds per real second; the engine's
//!   `time_scale` is wall seconds per scene minute, so it is `60 / clock scale`
//!   ([`engine_time_scale`]). The engine's own cap is the run's real duration plus
//!   [`CAP_SLACK`], so the service deadline is what normally ends a run.
//! * Live: running data, sample logs (debug runs: each request as soon as it completes) and
//!   the engine log of an active run are read from its [`RunHandle`] on every call.
//! * Status: the run's phase is the engine's ([`RunHandle::phase`]); the run is kept until the
//!   service releases it after storing its result.
//! * Stop: if the run is within [`NATURAL_END_WINDOW`] of its planned end (the service's
//!   deadline fires a few ms before the engine's), the adapter lets it end by itself so that the
//!   report is that of a natural end; otherwise it stops the run (requests in flight complete
//!   within the engine's stop grace or are counted as cancelled). The final [`crate::engine::RunReport`] becomes the seam's [`RunResult`].

use crate::clock::Clock;
use crate::engine::{
    self, AdjustTarget, EngineConfig, FileResolver, JmeterOptions, RunHandle, RunPhase, Speed,
    parse_jmx,
};
use crate::files::FileStore;
use crate::seam::{
    JMeterResult, PtsResult, Refusal, RunEngine, RunKind, RunResult, RunStart, SpeedChange,
    StopFuture,
};
use pts_api::ops::save_open_jmeter_scene::OpenJMeterScene;
use pts_api::ops::{
    get_jmeter_scene_running_data as jrun, get_pts_debug_sample_logs as dbg,
    get_pts_scene_running_data as prun,
};
use pts_api::shapes::scene::Scene;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A run this close to its planned end is left to end by itself when the service stops it.
pub const NATURAL_END_WINDOW: Duration = Duration::from_millis(300);
/// The engine's own cap on a run: the service's real duration plus this.
pub const CAP_SLACK: Duration = Duration::from_secs(2);

/// Top-level keys of a PTS `Scene`; anything else stored with a scene is dropped before the
/// typed (`deny_unknown_fields`) conversion.
const SCENE_KEYS: [&str; 7] = [
    "AdvanceSetting",
    "FileParameterList",
    "GlobalParameterList",
    "LoadConfig",
    "RelationList",
    "SceneId",
    "SceneName",
];

/// Engine `time_scale` (wall seconds per scene minute) of a service clock (scene seconds per
/// real second): one scene minute is `60 / scale` real seconds.
pub fn engine_time_scale(clock: &Clock) -> f64 {
    60.0 / clock.scale()
}

/// Reads files from the service's file store by name.
#[derive(Debug, Clone)]
pub struct StoreResolver {
    store: FileStore,
}

impl StoreResolver {
    /// The store whose file directory is `files_dir` (`<data dir>/files`, as in [`RunStart`]).
    pub fn new(files_dir: &Path) -> Result<Self, String> {
        let data_dir = files_dir.parent().unwrap_or(files_dir);
        let store = FileStore::open(data_dir).map_err(|e| format!("file store: {e}"))?;
        Ok(StoreResolver { store })
    }

    pub fn from_store(store: FileStore) -> Self {
        StoreResolver { store }
    }
}

impl FileResolver for StoreResolver {
    fn read(&self, file_name: &str) -> Result<Vec<u8>, String> {
        let f = self.store.resolve(Some(file_name), None)?;
        std::fs::read(&f.path).map_err(|e| format!("{file_name}: {e}"))
    }
}

/// The stored PTS scene as the engine's typed `Scene` (unknown top-level keys dropped).
pub fn pts_scene(snapshot: &serde_json::Value) -> Result<Scene, String> {
    let mut v = snapshot.clone();
    if let Some(o) = v.as_object_mut() {
        o.retain(|k, _| SCENE_KEYS.contains(&k.as_str()));
    }
    serde_json::from_value(v).map_err(|e| format!("stored scene cannot be run: {e}"))
}

/// JMeter options of a stored scene: total threads, duration and ramp-up (seconds).
pub fn jmeter_options(scene: &OpenJMeterScene) -> JmeterOptions {
    let pos = |v: Option<i32>| v.filter(|v| *v > 0).map(|v| v as u64);
    JmeterOptions {
        concurrency: scene.concurrency.filter(|c| *c > 0).map(|c| c as u32),
        duration_secs: pos(Some(scene.duration)),
        ramp_up_secs: scene.ramp_up.filter(|v| *v >= 0).map(|v| v as u64),
    }
}

/// Parses the JMX a JMeter scene runs (its `TestFile`, from the file store).
pub fn scene_jmx(
    scene: &OpenJMeterScene,
    files: &dyn FileResolver,
) -> Result<engine::JmxPlan, String> {
    let bytes = files.read(&scene.test_file)?;
    let text = String::from_utf8_lossy(&bytes);
    parse_jmx(&text).map_err(|e| format!("TestFile {}: {e}", scene.test_file))
}

/// SaveOpenJMeterScene's check: the scene's `TestFile` must parse into the supported JMX
/// subset and compile (files, variables, requests); the error names the element, its path
/// and the property. A `TestFile` that cannot be read is left for the start to report.
pub fn check_scene_jmx(store: &FileStore, scene: &OpenJMeterScene) -> Result<(), String> {
    let files = StoreResolver::from_store(store.clone());
    let Ok(bytes) = files.read(&scene.test_file) else {
        return Ok(());
    };
    parse_jmx(&String::from_utf8_lossy(&bytes))
        .and_then(|plan| engine::check_jmx(&plan, &jmeter_options(scene), &files))
        .map_err(|e| format!("TestFile {} cannot run on pts-local: {e}", scene.test_file))
}

struct Active {
    handle: RunHandle,
    kind: RunKind,
    agent_count: Option<i32>,
}

/// The load engine behind the seam.
pub struct EngineAdapter {
    base: EngineConfig,
    runs: Mutex<HashMap<String, Arc<Active>>>,
}

impl Default for EngineAdapter {
    fn default() -> Self {
        EngineAdapter::new(EngineConfig::default())
    }
}

impl EngineAdapter {
    /// `base` supplies workers, caps and sampling; time scale, allow-list and the run cap are
    /// set per run from the [`RunStart`].
    pub fn new(base: EngineConfig) -> Self {
        EngineAdapter { base, runs: Mutex::new(HashMap::new()) }
    }

    /// The engine config of one run.
    pub fn run_config(&self, run: &RunStart) -> EngineConfig {
        EngineConfig {
            time_scale: engine_time_scale(&run.clock),
            max_run_duration: run.real_duration + CAP_SLACK,
            allow_targets: run.allowed_targets.clone(),
            ..self.base.clone()
        }
    }

    fn get(&self, run_id: &str) -> Option<Arc<Active>> {
        self.runs.lock().unwrap_or_else(|e| e.into_inner()).get(run_id).cloned()
    }

    /// Ends a run (at its natural end when that is due within `NATURAL_END_WINDOW`, else
    /// now) and returns its result once the engine has finished.
    async fn finish(&self, active: &Active) -> Option<RunResult> {
        let snap = active.handle.snapshot();
        let left = snap.planned.saturating_sub(snap.elapsed);
        let natural = snap.phase == RunPhase::Running && left <= NATURAL_END_WINDOW;
        if natural {
            let wait = left + Duration::from_millis(500);
            if tokio::time::timeout(wait, active.handle.finished()).await.is_err() {
                active.handle.stop();
            }
        } else {
            active.handle.stop();
        }
        active.handle.finished().await;
        result_of(active)
    }

    fn launch(&self, run: &RunStart) -> Result<Active, Refusal> {
        let cfg = self.run_config(run);
        let files = StoreResolver::new(&run.files_dir).map_err(Refusal::Engine)?;
        match run.kind {
            RunKind::PtsTest | RunKind::PtsDebug => {
                let scene = pts_scene(&run.snapshot).map_err(Refusal::Plan)?;
                let handle = if run.kind == RunKind::PtsDebug {
                    engine::start_debug(&scene, &files, &cfg)
                } else {
                    engine::start_run(&scene, &files, &cfg)
                }
                .map_err(refusal)?;
                let agent_count = Some(scene.load_config.agent_count.unwrap_or(1).max(1));
                Ok(Active { handle, kind: run.kind, agent_count })
            }
            RunKind::JMeterTest | RunKind::JMeterDebug => {
                let scene: OpenJMeterScene =
                    serde_json::from_value(run.snapshot.clone()).map_err(|e| {
                        Refusal::Plan(format!("stored JMeter scene cannot be run: {e}"))
                    })?;
                let jmx = scene_jmx(&scene, &files).map_err(Refusal::Plan)?;
                let handle = if run.kind == RunKind::JMeterDebug {
                    engine::start_jmeter_debug(&jmx, &files, &cfg)
                } else {
                    engine::start_jmeter_run(&jmx, &jmeter_options(&scene), &files, &cfg)
                }
                .map_err(refusal)?;
                Ok(Active { handle, kind: run.kind, agent_count: Some(scene.agent_count.max(1)) })
            }
        }
    }
}

/// An engine error at start: the plan's fault, or (threads, TLS set-up) the engine's own.
fn refusal(e: engine::EngineError) -> Refusal {
    match e {
        engine::EngineError::Runtime(_) | engine::EngineError::Tls(_) => {
            Refusal::Engine(e.to_string())
        }
        _ => Refusal::Plan(e.to_string()),
    }
}

/// One engine log line as a GetJMeterLogs entry of agent 0 (the service adds `time`).
pub fn log_entry(l: &engine::LogLine) -> (i32, i64, serde_json::Value) {
    let v = serde_json::json!({
        "timeTS": l.ts_ms,
        "level": l.level.as_str(),
        "logger": "pts-local.engine",
        "thread": l.thread,
        "logText": l.text,
    });
    (0, l.ts_ms, v)
}

/// What a finished run hands back through the seam.
fn result_of(active: &Active) -> Option<RunResult> {
    let report = active.handle.report()?;
    let last = active.handle.snapshot();
    Some(match active.kind {
        RunKind::PtsTest | RunKind::PtsDebug => RunResult::Pts(PtsResult {
            scene_metrics: Some(report.pts_scene_metrics()),
            api_metrics: report.pts_api_metrics(),
            vum: Some(report.vum),
            agent_count: active.agent_count,
            final_data: Some(last.to_pts_running_data()),
            sample_logs: report.pts_sampling_logs(),
        }),
        RunKind::JMeterTest | RunKind::JMeterDebug => RunResult::JMeter(JMeterResult {
            scene_metrics: Some(report.jmeter_scene_metrics()),
            sampler_metrics: report.jmeter_sampler_metrics(),
            vum: Some(report.vum),
            agent_count: active.agent_count,
            final_data: Some(last.to_jmeter_running_data()),
            sampler_map: Some(report.jmeter_sampler_map()),
            sample_metrics: report.jmeter_sample_metrics_timed(),
            sampling_logs: report.jmeter_sampling_logs(),
            logs: report.logs.iter().map(log_entry).collect(),
        }),
    })
}

impl RunEngine for EngineAdapter {
    fn check_jmeter(&self, files: &FileStore, scene: &OpenJMeterScene) -> Result<(), String> {
        check_scene_jmx(files, scene)
    }

    fn start(&self, run: &RunStart) -> Result<(), Refusal> {
        let active = self.launch(run)?;
        let old = self
            .runs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(run.run_id.clone(), Arc::new(active));
        if let Some(old) = old {
            old.handle.stop();
        }
        Ok(())
    }

    fn stop(&self, run_id: &str) -> StopFuture<'_> {
        // The run stays in the map until it is released, so live data (the VUM and counts
        // so far) and its phase are served through the stop's drain and the final write.
        let active = self.get(run_id);
        Box::pin(async move { self.finish(active.as_deref()?).await })
    }

    fn release(&self, run_id: &str) {
        self.runs.lock().unwrap_or_else(|e| e.into_inner()).remove(run_id);
    }

    fn phase(&self, run_id: &str) -> Option<RunPhase> {
        Some(self.get(run_id)?.handle.phase())
    }

    fn adjust(&self, run_id: &str, change: &SpeedChange) -> Result<(), String> {
        let active = self.get(run_id).ok_or_else(|| "Scene is not running".to_string())?;
        let speeds = change
            .iter()
            .map(|(api, speed)| {
                let value = u32::try_from(*speed)
                    .ok()
                    .filter(|v| *v >= 1)
                    .ok_or_else(|| format!("speed must be at least 1 (got {speed})"))?;
                let target = if api.is_empty() {
                    AdjustTarget::All
                } else {
                    AdjustTarget::ApiId(api.clone())
                };
                Ok(Speed { target, value })
            })
            .collect::<Result<Vec<_>, String>>()?;
        active.handle.adjust(&speeds).map_err(|e| e.to_string())
    }

    fn pts_live(&self, run_id: &str) -> Option<prun::GetPtsSceneRunningDataResponse> {
        Some(self.get(run_id)?.handle.snapshot().to_pts_running_data())
    }

    fn jmeter_live(&self, run_id: &str) -> Option<jrun::RunningData> {
        Some(self.get(run_id)?.handle.snapshot().to_jmeter_running_data())
    }

    fn pts_samples(&self, run_id: &str) -> Option<Vec<dbg::SamplingLog>> {
        let samples = self.get(run_id)?.handle.samples();
        Some(samples.iter().map(|s| s.to_sampling_log()).collect())
    }

    fn jmeter_samples(&self, run_id: &str) -> Option<Vec<(i64, String)>> {
        let samples = self.get(run_id)?.handle.samples();
        Some(samples.iter().map(|s| (s.timestamp_ms, s.to_jmeter_sample_json())).collect())
    }

    fn jmeter_logs(&self, run_id: &str) -> Option<Vec<(i32, i64, serde_json::Value)>> {
        Some(self.get(run_id)?.handle.logs().iter().map(log_entry).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_scale_conversion() {
        // 60 scene seconds per real second: a scene minute is one wall second.
        assert_eq!(engine_time_scale(&Clock::new(60.0)), 1.0);
        // Real time: a scene minute is 60 wall seconds.
        assert_eq!(engine_time_scale(&Clock::new(1.0)), 60.0);
        // 120 scene seconds per real second: a scene minute is half a wall second.
        assert_eq!(engine_time_scale(&Clock::new(120.0)), 0.5);
        // The engine's scene minute agrees with the service clock's real duration of 60 s.
        let c = Clock::new(80.0);
        let wall_ms = engine_time_scale(&c) * 1000.0;
        assert_eq!(wall_ms.round() as i64, c.real_ms(60.0));
    }

    #[test]
    fn scene_extras_are_dropped() {
        let v = serde_json::json!({
            "SceneName": "s", "LoadConfig": {"MaxRunningTime": 1, "TestMode": "concurrency_mode", "Configuration": {}},
            "RelationList": [], "Status": "DRAFT", "CreateTime": "x"
        });
        let s = pts_scene(&v).unwrap();
        assert_eq!(s.scene_name, "s");
    }
}

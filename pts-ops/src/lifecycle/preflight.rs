//! The read-only pre-flight an operator runs before every start: the
//! scene exists, is not running, has an API with a URL and a load config with a duration
//! and a load; plus the summary and VUM estimate the operator confirms.

use super::call::{raw, read};
use super::status::{busy_runtime, busy_scene};
use crate::exit::CliResult;
use crate::scene_doc::load::{self, TestMode};
use crate::session::api_err;
use pts_api::shapes::pts_runtime_status::PtsRuntimeStatus;
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

impl Check {
    pub fn new(name: &str, ok: bool, detail: impl Into<String>) -> Check {
        Check { name: name.to_string(), ok, detail: detail.into() }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Preflight {
    pub scene_id: String,
    pub scene_name: String,
    pub checks: Vec<Check>,
    /// Every check passed.
    pub ok: bool,
    /// Upper bound of the virtual-user minutes the run may bill; `None` when the scene's
    /// mode gives no basis for one (see [`vum_estimate`]).
    pub vum_estimate: Option<i64>,
    /// Lines for the confirmation prompt: URLs, mode, load, duration, VUM.
    pub summary: Vec<String>,
}

impl Preflight {
    /// A pre-flight of `scene_id` with no checks yet (not passed).
    pub fn new(scene_id: &str) -> Preflight {
        Preflight {
            scene_id: scene_id.to_string(),
            scene_name: String::new(),
            checks: Vec::new(),
            ok: false,
            vum_estimate: None,
            summary: Vec::new(),
        }
    }

    /// The scene as `op` (GetPtsScene, GetOpenJMeterScene) returns it, with the "scene
    /// exists" check and the name recorded; `None` when there is no such scene (`what`
    /// names it in the failed check: "scene ID", "JMeter scene ID").
    pub(super) async fn fetch_scene(
        &mut self,
        client: &pts_api::Client,
        op: &str,
        what: &str,
    ) -> CliResult<Option<Value>> {
        let id = self.scene_id.clone();
        let scene = match raw(client, op, json!({"SceneId": id})).await {
            Ok(body) => body.get("Scene").cloned().unwrap_or(Value::Null),
            Err(e) if e.is_not_found() => {
                self.checks.push(Check::new("scene exists", false, format!("no {what}")));
                return Ok(None);
            }
            Err(e) => return Err(api_err(e)),
        };
        self.scene_name = crate::scene_doc::scene_name(&scene);
        self.checks.push(Check::new("scene exists", true, format!("{} ({id})", self.scene_name)));
        Ok(Some(scene))
    }

    /// The failed checks, one per line, for an error message.
    pub fn failures(&self) -> String {
        self.checks
            .iter()
            .filter(|c| !c.ok)
            .map(|c| format!("{}: {}", c.name, c.detail))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// VUM (one virtual user for one minute; running data counts Σ active VUs
/// per second ÷ 60). Concurrency mode: max concurrency × MaxRunningTime, the bound reached
/// when every VU runs the whole time. RPS mode: not estimable, since the number of virtual
/// users PTS needs for an RPS depends on response times it has not seen yet.
pub fn vum_estimate(scene: &Value) -> Option<i64> {
    match load::mode_of(scene)? {
        TestMode::TpsMode => None,
        _ => Some(load::max_load(scene) * load::max_running_minutes(scene)?),
    }
}

/// Runs the checks; only a failed call (other than "scene not found") is an `Err`.
pub async fn preflight_pts(client: &pts_api::Client, scene_id: &str) -> CliResult<Preflight> {
    let mut pf = Preflight::new(scene_id);
    let what = format!("scene {scene_id}");
    let Some(scene) = pf.fetch_scene(client, "GetPtsScene", &what).await? else {
        return Ok(pf);
    };
    pf.checks.push(not_running(client, scene_id, &scene).await?);
    pf.checks.push(has_url(&scene, &mut pf.summary));
    pf.checks.push(has_load(&scene, &mut pf.summary));
    pf.vum_estimate = vum_estimate(&scene);
    pf.summary.push(match pf.vum_estimate {
        Some(v) => format!("VUM estimate: at most {v} (max concurrency x max running minutes)"),
        None => "VUM estimate: not estimable in RPS mode (depends on response times)".into(),
    });
    pf.ok = pf.checks.iter().all(|c| c.ok);
    Ok(pf)
}

async fn not_running(client: &pts_api::Client, id: &str, scene: &Value) -> CliResult<Check> {
    let status = read(client, "GetPtsSceneRunningStatus", json!({"SceneId": id})).await?;
    let runtime = status.get("Status").and_then(Value::as_str).unwrap_or("").to_string();
    let level = scene.get("Status").and_then(Value::as_str).unwrap_or("");
    let busy = busy_runtime(&runtime) || busy_scene(level);
    let detail = format!("scene status {}, runtime status {}", or_dash(level), or_dash(&runtime));
    Ok(Check::new("not already running", !busy, detail))
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() { "-" } else { s }
}

fn has_url(scene: &Value, summary: &mut Vec<String>) -> Check {
    let mut urls = Vec::new();
    for (rel, chain) in scene
        .get("RelationList")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| (r, r.get("ApiList")))
    {
        let rname = rel.get("RelationName").and_then(Value::as_str).unwrap_or("");
        for api in chain.and_then(Value::as_array).into_iter().flatten() {
            let url = api.get("Url").and_then(Value::as_str).unwrap_or("");
            if !url.is_empty() {
                let method = api.get("Method").and_then(Value::as_str).unwrap_or("?");
                // Shown on the terminal and in evidence: secret query values hidden.
                let url = pts_api::__private::redact::redact_text(url);
                urls.push(format!("{rname}: {method} {url}"));
            }
        }
    }
    let ok = !urls.is_empty();
    let detail = format!("{} API(s) with a URL", urls.len());
    summary.extend(urls.into_iter().map(|u| format!("API {u}")));
    Check::new("an API with a URL", ok, detail)
}

fn has_load(scene: &Value, summary: &mut Vec<String>) -> Check {
    let minutes = load::max_running_minutes(scene).unwrap_or(0);
    let Some(mode) = load::mode_of(scene) else {
        return Check::new("load config", false, "LoadConfig.TestMode is missing or unknown");
    };
    let (load, what) = (load::max_load(scene), mode.unit());
    summary.push(format!("mode: {}, load: {load} {what}, duration: {minutes} min", mode.as_str()));
    let ok = minutes > 0 && load > 0;
    let detail = if ok {
        format!("{load} {what} for {minutes} min")
    } else {
        format!("needs MaxRunningTime > 0 and a load > 0 (got {minutes} min, {load} {what})")
    };
    Check::new("load config", ok, detail)
}

/// Whether a stop has anything to stop: the runtime status is not `STOPPED` or the scene
/// says Running/Debugging. Returns that and the runtime status.
pub async fn stoppable_pts(client: &pts_api::Client, scene_id: &str) -> CliResult<(bool, String)> {
    let status = read(client, "GetPtsSceneRunningStatus", json!({"SceneId": scene_id})).await?;
    let runtime = status.get("Status").and_then(Value::as_str).unwrap_or("").to_ascii_uppercase();
    let scene = read(client, "GetPtsScene", json!({"SceneId": scene_id})).await?;
    let level = scene.pointer("/Scene/Status").and_then(Value::as_str).unwrap_or("");
    let stopped = PtsRuntimeStatus::from(runtime.as_str()) == PtsRuntimeStatus::Stopped;
    Ok((!stopped || busy_scene(level), runtime))
}

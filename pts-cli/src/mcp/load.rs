//! The estimated load of a start, for plans: the scene's load settings and a VUM estimate
//! (one virtual user for one minute).

use super::context::Ctx;
use serde_json::{Value, json};

/// Reads the scene and estimates what a start would cost.
pub async fn estimate(ctx: &Ctx, scene_id: &str) -> Value {
    match super::plan::get_scene(ctx, scene_id).await {
        Ok(scene) => from_scene(&scene),
        Err(e) => json!({"scene_id": scene_id, "note": format!("scene not read: {e}")}),
    }
}

/// Upper bound: the concurrency limit held for the whole run (a ramp uses less).
pub fn from_scene(scene: &Value) -> Value {
    let load = &scene["LoadConfig"];
    let minutes = load["MaxRunningTime"].as_i64();
    let mode = load["TestMode"].as_str();
    let c = &load["Configuration"];
    let concurrency =
        c["AllConcurrencyLimit"].as_i64().or_else(|| c["AllConcurrencyBegin"].as_i64());
    let rps = c["AllRpsLimit"].as_i64().or_else(|| c["AllRpsBegin"].as_i64());
    let vum = match (concurrency, minutes) {
        (Some(c), Some(m)) => Some(c * m),
        _ => None,
    };
    json!({
        "scene_id": scene.get("SceneId"),
        "test_mode": mode,
        "max_running_time_min": minutes,
        "concurrency": concurrency,
        "rps": rps,
        "vum_estimate": vum,
        "basis": "concurrency limit x MaxRunningTime (upper bound)",
    })
}

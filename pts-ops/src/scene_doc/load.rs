//! The load a scene document asks for (its `LoadConfig`), read through pts-api's load model
//! ([`pts_api::rules::load`]): test mode, concurrency per relation, RPS per API, duration.

use pts_api::shapes::scene::Scene;
use serde_json::Value;

pub use pts_api::rules::TestMode;

/// The typed request form of a scene file or of a GetPtsScene answer, for reading its load
/// (required fields it leaves out read as empty); None when it does not have the scene's shape.
pub fn typed(scene: &Value) -> Option<Scene> {
    let mut v = super::request_form(scene);
    super::schema::fill_required(&mut v);
    serde_json::from_value(v).ok()
}

/// The test mode of a scene document, in any spelling PTS uses.
pub fn mode_of(scene: &Value) -> Option<TestMode> {
    let s = scene.pointer("/LoadConfig/TestMode").and_then(Value::as_str)?;
    Some(TestMode::from(s)).filter(TestMode::is_known)
}

/// `LoadConfig.MaxRunningTime` in minutes.
pub fn max_running_minutes(scene: &Value) -> Option<i64> {
    scene.pointer("/LoadConfig/MaxRunningTime").and_then(Value::as_i64)
}

/// One relation: its name and its chain of (ApiName, ApiId).
pub type Relation = (String, Vec<(String, Option<String>)>);

/// The relations, each with its APIs in chain order.
pub fn relations(scene: &Value) -> Vec<Relation> {
    let list = scene.get("RelationList").and_then(Value::as_array).cloned().unwrap_or_default();
    list.iter()
        .map(|r| {
            let name = r.get("RelationName").and_then(Value::as_str).unwrap_or("").to_string();
            let apis = r
                .get("ApiList")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|api| {
                            let n = api.get("ApiName").and_then(Value::as_str).unwrap_or("");
                            let id = api.get("ApiId").and_then(Value::as_str).map(str::to_string);
                            (n.to_string(), id)
                        })
                        .collect()
                })
                .unwrap_or_default();
            (name, apis)
        })
        .collect()
}

/// Concurrency limit per relation (0 where none is given).
pub fn concurrency_limits(scene: &Value) -> Vec<i64> {
    typed(scene).map_or_else(Vec::new, |s| {
        pts_api::rules::load::relation_loads(&s).iter().map(|l| l.map_or(0, |l| l.1)).collect()
    })
}

/// RPS limit per API, per relation in chain order (0 where none is given).
pub fn rps_limits(scene: &Value) -> Vec<Vec<i64>> {
    typed(scene).map_or_else(Vec::new, |s| {
        pts_api::rules::load::api_loads(&s)
            .iter()
            .map(|c| c.iter().map(|l| l.map_or(0, |l| l.1)).collect())
            .collect()
    })
}

/// The scene's maximum load in its mode: the sum over all relations (virtual users) or all
/// APIs (RPS); 0 when it cannot be read.
pub fn max_load(scene: &Value) -> i64 {
    typed(scene).and_then(|s| pts_api::rules::load::max_load(&s)).map_or(0, |(_, n)| n)
}

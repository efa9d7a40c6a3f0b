//! Scene files: a PTS scene (the SavePtsScene `Scene` object, PascalCase wire keys) as
//! YAML or JSON, read, checked offline ([`validate`]), compared ([`diff`]) and exported.
//! An exported scene applied unchanged gives an empty diff: export and comparison share
//! [`canonical`].

pub mod diff;
pub mod jmeter;
pub mod load;
pub mod schema;
pub mod service_ids;
pub mod validate;

use crate::exit::{CliError, CliResult};
use serde_json::{Map, Value};
use std::path::Path;

/// Fields GetPtsScene returns that no request carries.
const RESPONSE_ONLY: &[&str] = &["CreateTime", "ModifiedTime", "Status", "Headers"];

/// Reads a scene file: JSON or YAML (by content; YAML is a superset of JSON). A file that
/// holds a whole GetPtsScene answer (`{"Scene": {...}}`) is accepted too.
pub fn read_file(path: &Path) -> CliResult<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io("read", path, &e))?;
    let v: Value = serde_yaml_ng::from_str(&text).map_err(|e| {
        CliError::usage(format!("{}: not a YAML or JSON scene: {e}", path.display()))
    })?;
    let v = match v {
        Value::Object(mut m) if m.len() == 1 && m.contains_key("Scene") => {
            m.remove("Scene").unwrap_or(Value::Null)
        }
        other => other,
    };
    if !v.is_object() {
        return Err(CliError::usage(format!("{}: a scene file holds one object", path.display())));
    }
    Ok(v)
}

/// The scene as a file or a comparison sees it: response-only and unknown fields dropped
/// (files are validated before they are compared, so nothing of the user's is lost), `TestMode`
/// in the request spelling, nulls and empty lists/objects dropped (the service and a
/// hand-written file differ only in whether they spell out "nothing").
pub fn canonical(scene: &Value) -> Value {
    let mut v = scene.clone();
    schema::strip_unknown(&mut v, schema::Kind::Root);
    if let Some(m) = v.as_object_mut() {
        for k in RESPONSE_ONLY {
            m.remove(*k);
        }
    }
    if let Some(mode) = v.pointer_mut("/LoadConfig/TestMode")
        && let Some(s) = mode.as_str()
    {
        *mode = Value::String(load::TestMode::parse(s).map_or(s.to_string(), |m| m.wire().into()));
    }
    prune(&mut v);
    v
}

/// `v` with nulls and empty lists/objects dropped at every depth.
pub fn canonical_json(v: &Value) -> Value {
    let mut v = v.clone();
    prune(&mut v);
    v
}

fn prune(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for x in m.values_mut() {
                prune(x);
            }
            m.retain(|_, x| !is_empty(x));
        }
        Value::Array(a) => a.iter_mut().for_each(prune),
        _ => {}
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => false,
    }
}

/// `yaml` or `json` text of a scene, ending with a newline.
pub fn render(scene: &Value, format: &str) -> CliResult<String> {
    match format {
        "json" => Ok(serde_json::to_string_pretty(scene).expect("JSON values serialize") + "\n"),
        "yaml" => serde_yaml_ng::to_string(scene)
            .map_err(|e| CliError::usage(format!("cannot write YAML: {e}"))),
        other => Err(CliError::usage(format!("--format must be yaml or json (got {other:?})"))),
    }
}

/// `SceneId` of a scene document, if set and not empty.
pub fn scene_id(scene: &Value) -> Option<String> {
    scene.get("SceneId").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string)
}

/// `SceneName`, or empty.
pub fn scene_name(scene: &Value) -> String {
    scene.get("SceneName").and_then(Value::as_str).unwrap_or("").to_string()
}

/// An object's field as a string, `-` when absent (tables, summaries).
pub fn text(m: &Map<String, Value>, key: &str) -> String {
    match m.get(key) {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::Null) | None => "-".into(),
        Some(Value::String(_)) => "-".into(),
        Some(v) => v.to_string(),
    }
}

#[cfg(test)]
mod tests;

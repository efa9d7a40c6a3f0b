//! One module per operation family. Every handler takes the typed pts-api request and returns
//! the typed pts-api response (or a [`Fail`]); the envelope is added by
//! the dispatcher.

pub mod baselines;
pub mod envs;
pub mod jmeter_reports;
pub mod jmeter_runs;
pub mod jmeter_scenes;
pub mod pts_runs;
pub mod pts_scenes;
pub mod regions;
pub mod reports;
pub mod scene_rules;
pub mod vpc;

use crate::envelope::Fail;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// LIMIT and OFFSET of 1-based page `number` of `size` items (both already validated).
pub fn page(number: i32, size: i32) -> (i64, i64) {
    let size = i64::from(size.max(1));
    (size, (i64::from(number.max(1)) - 1) * size)
}

/// A scene-time length in seconds as PTS lists it: minutes rounded up (`10分钟`).
pub fn minutes_text(scene_secs: f64) -> String {
    let secs = if scene_secs.is_finite() { scene_secs.max(0.0) } else { 0.0 };
    pts_api::time::pts_minutes_text(std::time::Duration::from_secs_f64(secs))
}

/// Converts between two serde shapes that share wire names (e.g. a stored request shape and
/// the matching response shape, whose fields are all optional and lenient).
pub fn convert<T: DeserializeOwned>(v: &impl Serialize) -> Result<T, Fail> {
    Ok(serde_json::from_value(serde_json::to_value(v)?)?)
}

/// Parses a stored JSON column.
pub fn from_col<T: DeserializeOwned>(text: &str) -> Result<T, Fail> {
    Ok(serde_json::from_str(text)?)
}

/// Serializes a value for a JSON column.
pub fn to_col(v: &impl Serialize) -> Result<String, Fail> {
    Ok(serde_json::to_string(v)?)
}

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` substring pattern.
pub fn like_pattern(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('%');
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

//! Helpers shared by the `wire_*` tests, which include this file with `#[path]`. Cargo also
//! builds it as a test target of its own; it has no tests, hence `allow(dead_code)`.
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;

/// The committed fixtures directory: facts computed with the official SDK, kept in the
/// repository so every clone runs the vector tests.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

/// Parses the committed fixture `tests/fixtures/<name>`.
pub fn load_vectors(name: &str) -> Value {
    let path = fixtures_dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

/// The read-only shared data (the fixtures' origin): `$PTS_SHARED_DIR`, else
/// `<manifest>/../../shared`. `None` (after a skip notice) when it is absent locally; a panic
/// when `CI=true`, so CI can never pass by silently skipping the comparison.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PTS_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    if dir.join("vectors").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("shared test data not found at {} (set PTS_SHARED_DIR)", dir.display());
    }
    eprintln!("SKIPPED: shared test data not found at {}; set PTS_SHARED_DIR", dir.display());
    None
}

/// `v[key]` as a string, with a message naming the key when it is not one.
pub fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} is not a string in {v}"))
}

/// A JSON object of strings as `(name, value)` pairs, in the file's key order.
pub fn string_pairs(v: &Value) -> Vec<(&str, &str)> {
    match v {
        Value::Null => Vec::new(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_else(|| panic!("{k} is not a string"))))
            .collect(),
        other => panic!("expected an object of strings, got {other}"),
    }
}

/// A JSON array of `[name, value]` arrays (the recordings' decoded query/body) as owned pairs.
pub fn recorded_pairs(v: &Value) -> Vec<(String, String)> {
    match v {
        Value::Null => Vec::new(),
        Value::Array(items) => items
            .iter()
            .map(|p| {
                let (Some(n), Some(v)) = (p[0].as_str(), p[1].as_str()) else {
                    panic!("expected [name, value], got {p}");
                };
                (n.to_owned(), v.to_owned())
            })
            .collect(),
        other => panic!("expected an array of pairs, got {other}"),
    }
}

/// A secret lookup with exactly one known key.
pub fn one_key<'a>(id: &'a str, secret: &'a str) -> impl Fn(&str) -> Option<&'a str> {
    move |asked| (asked == id).then_some(secret)
}

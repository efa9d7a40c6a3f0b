//! Finding the per-second samples a `watch` or `run` kept for a plan: the evidence
//! directories under the root whose `params.json` names that scene and plan.

use crate::samples::Sample;
use crate::samples::{self, SAMPLES_FILE};
use serde_json::Value;
use std::path::Path;

/// The samples of `scene_id`/`plan_id` from the evidence root: the matching directory with
/// the most samples (a later watch of the same plan may have seen only its tail). `None`
/// when no directory matches or none holds a sample.
pub fn find_samples(evidence_root: &Path, scene_id: &str, plan_id: &str) -> Option<Vec<Sample>> {
    let entries = std::fs::read_dir(evidence_root).ok()?;
    let mut best: Option<Vec<Sample>> = None;
    for entry in entries.flatten() {
        let dir = entry.path();
        if !dir.join(SAMPLES_FILE).is_file() || !names_plan(&dir, scene_id, plan_id) {
            continue;
        }
        let Ok(found) = samples::read(&dir.join(SAMPLES_FILE)) else { continue };
        if !found.is_empty() && best.as_ref().is_none_or(|b| found.len() > b.len()) {
            best = Some(found);
        }
    }
    best
}

fn names_plan(dir: &Path, scene_id: &str, plan_id: &str) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("params.json")) else { return false };
    let Ok(params) = serde_json::from_str::<Value>(&text) else { return false };
    let field = |k: &str| params.get(k).and_then(Value::as_str);
    field("scene_id") == Some(scene_id) && field("plan_id") == Some(plan_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata::samples;

    fn put(root: &Path, name: &str, params: &str, n: usize) {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("params.json"), params).unwrap();
        let lines: Vec<String> =
            samples(n).iter().map(|s| serde_json::to_string(s).unwrap()).collect();
        std::fs::write(dir.join(SAMPLES_FILE), lines.join("\n") + "\n{\"half\":").unwrap();
    }

    #[test]
    fn finds_the_fullest_matching_directory() {
        let root = tempfile::tempdir().unwrap();
        let ours = r#"{"scene_id":"S1","plan_id":"P1"}"#;
        put(root.path(), "a-watch-S1", ours, 3);
        put(root.path(), "b-run-S1", ours, 5);
        put(root.path(), "c-run-S1", r#"{"scene_id":"S1","plan_id":"P2"}"#, 9);
        put(root.path(), "d-run-S2", r#"{"scene_id":"S2","plan_id":"P1"}"#, 9);
        let found = find_samples(root.path(), "S1", "P1").unwrap();
        assert_eq!(found.len(), 5, "the cut-off last line is skipped");
        assert!(find_samples(root.path(), "S1", "P3").is_none());
        assert!(find_samples(&root.path().join("missing"), "S1", "P1").is_none());
    }
}

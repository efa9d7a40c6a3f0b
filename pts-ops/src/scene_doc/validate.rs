//! Offline check of a PTS scene file: every rule of [`pts_api::rules`] (keys and types,
//! required fields, limits and value sets, the load model, checkpoints, exports, files), each
//! problem naming the field and the rule; nothing is sent. pts-local and its engine ask the
//! same rules, so a file that passes here is accepted there.

use serde_json::Value;

/// One problem of a scene file.
pub type Issue = pts_api::rules::Violation;

/// Every problem of `scene`; empty when it may be sent.
pub fn validate(scene: &Value) -> Vec<Issue> {
    if !scene.is_object() {
        return vec![Issue::new("Scene", "must be an object")];
    }
    pts_api::rules::check_document(&super::file_form(scene)).1
}

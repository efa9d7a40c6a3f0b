//! The rules a PTS scene must follow, in one place: structure (relations, APIs, ids), field
//! limits, test modes and their spellings, the load model (coverage, RPS along a chain, agent
//! count), checkpoints, exports and parameters, file references and target hosts.
//!
//! The command line's `scene validate`, the MCP tools, pts-local's save/modify/start and its
//! load engine all ask [`check`] (or [`check_document`] for a scene file), so they give the
//! same verdict on the same scene. Each [`Violation`] names the field path and the rule.

pub mod checks;
pub mod files;
pub mod limits;
pub mod load;
pub mod mode;
pub mod speed;
pub mod structure;
pub mod targets;
mod violation;

#[cfg(test)]
mod tests;

use crate::shapes::scene::Scene;
use serde_json::Value;

pub use mode::TestMode;
pub use violation::Violation;

/// Every broken rule of a typed scene; empty when the scene may be saved and run.
pub fn check(scene: &Scene) -> Vec<Violation> {
    let doc = serde_json::to_value(scene).expect("a scene serializes");
    let mut out = limits::check(&doc);
    out.extend(domain(scene));
    out
}

/// [`check`] as a result: the first violation, or the scene is fine.
pub fn ensure(scene: &Scene) -> Result<(), Violation> {
    match check(scene).into_iter().next() {
        Some(v) => Err(v),
        None => Ok(()),
    }
}

/// Every broken rule of a scene document (the SavePtsScene `Scene` object as JSON, wire keys):
/// keys, types and required fields first, then the rules of [`check`]. Returns the typed
/// scene when the document has the scene's shape.
pub fn check_document(doc: &Value) -> (Option<Scene>, Vec<Violation>) {
    let mut out = limits::check(doc);
    let scene = serde_json::from_value::<Scene>(doc.clone()).ok();
    if let Some(s) = &scene {
        out.extend(domain(s));
    } else if out.is_empty() {
        out.push(Violation::new("Scene", "must be a PTS scene object"));
    }
    (scene, out)
}

/// The rules the metadata cannot express.
fn domain(scene: &Scene) -> Vec<Violation> {
    let mut out = Vec::new();
    structure::check(scene, &mut out);
    load::check(scene, &mut out);
    checks::check(scene, &mut out);
    files::check(scene, &mut out);
    targets::check(scene, &mut out);
    out
}

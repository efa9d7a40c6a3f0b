//! `pts scene apply -f FILE`: create (no SceneId) or modify (SceneId) through SavePtsScene.
//! The file is validated offline, the diff against the stored scene is shown, and nothing
//! is sent when it is empty; otherwise the operator confirms the diff.

use super::show_evidence;
use crate::cli::GlobalArgs;
use crate::exit::CliResult;
use crate::output::Output;
use crate::workflow::lifecycle::{apply_pts, plan_apply_pts};
use crate::workflow::scene_doc;
use crate::workflow::session::Session;
use serde_json::json;
use std::path::Path;

pub fn run(g: &GlobalArgs, file: &Path) -> CliResult<()> {
    let out = Output::new(g)?;
    let scene = scene_doc::read_file(file)?;
    let issues = scene_doc::validate::validate(&scene);
    if !issues.is_empty() {
        return Err(crate::workflow::lifecycle::invalid(&issues));
    }
    let session = Session::new(g)?;
    let plan = session.block_on(plan_apply_pts(&session.client, &scene))?;
    let name = scene_doc::scene_name(&scene);
    if !plan.changed {
        eprintln!("scene {} ({name}) is up to date: nothing to change", plan.scene_id);
        return out.emit(&plan);
    }
    let action = if plan.created {
        format!("create scene {name:?}")
    } else {
        format!("modify scene {} ({name})", plan.scene_id)
    };
    let summary = format!("{action}:\n{}", indent(&plan.diff));
    eprintln!("{summary}");
    session.confirm(&action, "")?;
    if g.dry_run {
        eprintln!("dry run: SavePtsScene was not sent");
        return out.emit(&json!({"dry_run": true, "would_send": "SavePtsScene", "plan": plan}));
    }
    let id = if plan.created { name.clone() } else { plan.scene_id.clone() };
    let mut ev = session.evidence("apply", &id)?;
    ev.write_json("scene.json", &scene)?;
    ev.write_text("diff.txt", &(plan.diff.join("\n") + "\n"))?;
    let result = session.block_on(apply_pts(&session.client, &scene, &mut ev));
    match result {
        Ok(done) => {
            let verb = if done.created { "created" } else { "modified" };
            eprintln!("scene {} {verb}", done.scene_id);
            let dir = ev.finish(verb, &[format!("{} change(s)", done.diff.len())])?;
            show_evidence(dir);
            out.emit(&done)
        }
        Err(e) => {
            let _ = ev.finish(&format!("failed: {}", e.message), &[]);
            Err(e)
        }
    }
}

fn indent(lines: &[String]) -> String {
    lines.iter().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
}

//! `pts scene apply -f FILE [--create] [--write-id]`: modify the scene the file names (its
//! SceneId, else the one scene of its name) or create one, through SavePtsScene. The file is
//! validated offline, the diff against the stored scene is shown, and nothing is sent when it
//! is empty; otherwise the operator confirms the diff.

use crate::args::GlobalArgs;
use crate::args::scene_file::SceneFileArgs;
use crate::output::Output;
use crate::steps::{apply_action, conclude_apply};
use pts_ops::exit::CliResult;
use pts_ops::lifecycle::{apply_pts, plan_apply_pts};
use pts_ops::scene_doc;
use pts_ops::session::Session;
use serde_json::json;

pub fn run(g: &GlobalArgs, args: &SceneFileArgs) -> CliResult<()> {
    let out = Output::new(g)?;
    let scene = scene_doc::read_file(&args.file)?;
    let issues = scene_doc::validate::validate(&scene);
    if !issues.is_empty() {
        return Err(pts_ops::lifecycle::invalid(&issues));
    }
    let session = Session::new(g)?;
    let plan = session.block_on(plan_apply_pts(&session.client, &scene, args.matching()))?;
    let name = scene_doc::scene_name(&scene);
    let Some(action) = apply_action(&plan, "scene", &name) else {
        return crate::steps::unchanged(&out, &plan, args);
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
    let result = session.block_on(apply_pts(&session.client, &scene, args.matching(), &mut ev));
    conclude_apply(&out, ev, result, "scene", args)
}

fn indent(lines: &[String]) -> String {
    lines.iter().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
}

//! `pts jmeter apply -f FILE [--data DIR]`: local files resolved (and, on pts-local,
//! uploaded only after confirmation), the diff shown, SaveOpenJMeterScene check-then-act.

use crate::cli::GlobalArgs;
use crate::commands::scene::show_evidence;
use crate::exit::CliResult;
use crate::output::Output;
use crate::workflow::lifecycle::{self, FileTarget, apply_jmeter, files, plan_apply_jmeter};
use crate::workflow::scene_doc::{self, jmeter as doc};
use crate::workflow::session::Session;
use serde_json::json;
use std::path::{Path, PathBuf};

/// The data directory of the local service: `--data`, else `PTS_LOCAL_DATA`, else the
/// default of `pts local serve`.
fn data_dir(flag: Option<PathBuf>) -> PathBuf {
    flag.or_else(|| std::env::var_os("PTS_LOCAL_DATA").filter(|v| !v.is_empty()).map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(".pts-local"))
}

pub fn run(g: &GlobalArgs, file: &Path, data: Option<PathBuf>) -> CliResult<()> {
    let out = Output::new(g)?;
    let scene = scene_doc::read_file(file)?;
    let session = Session::new(g)?;
    let target = if session.is_local_endpoint() {
        FileTarget::Local(data_dir(data))
    } else {
        FileTarget::Cloud
    };
    let base = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let (resolved, uploads) = files::resolve(&scene, &target, base)?;
    let issues = doc::validate(&resolved);
    if !issues.is_empty() {
        return Err(lifecycle::invalid(&issues));
    }
    let plan = session.block_on(plan_apply_jmeter(&session.client, &resolved, &uploads))?;
    let name = scene_doc::scene_name(&resolved);
    if !plan.changed {
        eprintln!("JMeter scene {} ({name}) is up to date: nothing to change", plan.scene_id);
        return out.emit(&plan);
    }
    let action = if plan.created {
        format!("create JMeter scene {name:?}")
    } else {
        format!("modify JMeter scene {} ({name})", plan.scene_id)
    };
    let mut lines: Vec<String> = plan.diff.iter().map(|l| format!("  {l}")).collect();
    if let FileTarget::Local(dir) = &target {
        for f in &uploads {
            lines.push(format!(
                "  upload {} into the pts-local file store of {}",
                f.path.display(),
                dir.display()
            ));
        }
    }
    eprintln!("{action}:\n{}", lines.join("\n"));
    session.confirm(&action, "")?;
    if g.dry_run {
        return out.emit(&json!({"dry_run": true, "would_send": "SaveOpenJMeterScene", "uploads": uploads, "plan": plan}));
    }
    let id = if plan.created { name.clone() } else { plan.scene_id.clone() };
    let mut ev = session.evidence("jmeter-apply", &id)?;
    ev.write_json("scene.json", &resolved)?;
    ev.write_json("uploads.json", &uploads)?;
    if let FileTarget::Local(dir) = &target {
        files::upload(dir, &uploads)?;
    }
    match session.block_on(apply_jmeter(&session.client, &resolved, &plan, &mut ev)) {
        Ok(done) => {
            let verb = if done.created { "created" } else { "modified" };
            eprintln!("JMeter scene {} {verb}", done.scene_id);
            show_evidence(ev.finish(verb, &[format!("{} change(s)", done.diff.len())])?);
            out.emit(&done)
        }
        Err(e) => {
            let _ = ev.finish(&format!("failed: {}", e.message), &[]);
            Err(e)
        }
    }
}

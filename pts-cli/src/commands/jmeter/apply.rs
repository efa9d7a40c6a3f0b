//! `pts jmeter apply -f FILE [--data DIR] [--create] [--write-id]`: the file matched to a
//! stored JMeter scene as `pts scene apply` does (SceneId, else the one scene of its name),
//! local files resolved (and, on pts-local,
//! uploaded only after confirmation), the diff shown, SaveOpenJMeterScene check-then-act.

use crate::args::GlobalArgs;
use crate::args::scene_file::SceneFileArgs;
use crate::output::Output;
use crate::steps::{apply_action, conclude_apply, unchanged};
use pts_ops::exit::CliError;
use pts_ops::exit::CliResult;
use pts_ops::lifecycle::{self, FileTarget, LocalFile, apply_jmeter, files, plan_apply_jmeter};
use pts_ops::scene_doc::{self, jmeter as doc};
use pts_ops::session::Session;
use serde_json::json;
use std::path::{Path, PathBuf};

/// The data directory of the local service: `--data`, else `PTS_LOCAL_DATA`, else the
/// default of `pts local serve`.
fn data_dir(flag: Option<PathBuf>) -> PathBuf {
    flag.or_else(|| std::env::var_os("PTS_LOCAL_DATA").filter(|v| !v.is_empty()).map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(".pts-local"))
}

pub fn run(g: &GlobalArgs, args: &SceneFileArgs, data: Option<PathBuf>) -> CliResult<()> {
    let out = Output::new(g)?;
    let file = args.file.as_path();
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
    let plan = session.block_on(plan_apply_jmeter(
        &session.client,
        &resolved,
        &uploads,
        args.matching(),
    ))?;
    let name = scene_doc::scene_name(&resolved);
    let Some(action) = apply_action(&plan, "JMeter scene", &name) else {
        return unchanged(&out, &plan, args);
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
        upload(dir, &uploads)?;
    }
    let result = session.block_on(apply_jmeter(&session.client, &resolved, &plan, &mut ev));
    conclude_apply(&out, ev, result, "JMeter scene", args)
}

/// Copies the files into the store of pts-local's data directory.
fn upload(data_dir: &Path, files: &[LocalFile]) -> CliResult<()> {
    if files.is_empty() {
        return Ok(());
    }
    if !data_dir.join("files").is_dir() && !data_dir.is_dir() {
        return Err(CliError::usage(format!(
            "{} is not a pts-local data directory",
            data_dir.display()
        ))
        .with_hint(
            "pass --data DIR as given to `pts local serve --data DIR` (or set PTS_LOCAL_DATA)",
        ));
    }
    let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    pts_local::upload(data_dir, &paths)
        .map(|_| ())
        .map_err(|e| CliError::usage(format!("cannot add files to the pts-local file store: {e}")))
}

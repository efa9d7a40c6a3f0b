//! The confirmation front-end PTS and JMeter scene commands share: printing text, the pre-flight verdict
//! and summary, and the end of a command (evidence closed, result printed, exit decided).

use crate::args::GlobalArgs;
use crate::args::scene_file::SceneFileArgs;
use crate::output::Output;
use pts_ops::evidence::Evidence;
use pts_ops::exit::{CliError, CliResult};
use pts_ops::lifecycle::{Applied, MatchedBy, Preflight};
use pts_ops::outcome;
use serde_json::Value;
use std::path::PathBuf;

/// Writes `text` to `--output-file` if given, else stdout (tables and scene files, which
/// are text rather than a value to format).
pub fn emit_text(g: &GlobalArgs, text: &str) -> CliResult<()> {
    use std::io::Write;
    match &g.output_file {
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| CliError::io("create", dir, &e))?;
            }
            std::fs::write(path, text).map_err(|e| CliError::io("write", path, &e))?;
            eprintln!("output written to {}", path.display());
        }
        None => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
        }
    }
    Ok(())
}

/// Prints where the evidence went.
pub fn show_evidence(dir: Option<PathBuf>) {
    if let Some(d) = dir {
        eprintln!("evidence: {}", d.display());
    }
}

/// Closes the evidence of a command that failed with `e`, and returns `e`.
pub fn failed<T>(ev: Evidence, e: CliError) -> CliResult<T> {
    let _ = outcome::conclude_failed(ev, &e);
    Err(e)
}

/// The end of a start or stop: `ended_at` and result.json, the evidence outcome (`done`,
/// or the failure), the document printed; then the failure (wait timeout, failure state)
/// becomes the exit. Returns the outcome.
pub fn conclude(
    out: &Output,
    ev: Evidence,
    mut doc: Value,
    failure: Option<CliError>,
    done: &str,
    notes: &[String],
) -> CliResult<String> {
    let end = outcome::conclude(ev, &mut doc, failure.as_ref(), done, notes)?;
    show_evidence(end.evidence_dir);
    out.emit(&doc)?;
    failure.map_or(Ok(end.outcome), Err)
}

/// What an apply of `name` will do, as the action to confirm: `create NOUN "name"` or
/// `modify NOUN ID (name)`; `None`, said on stderr, when the scene is up to date.
pub fn apply_action(plan: &Applied, noun: &str, name: &str) -> Option<String> {
    if !plan.changed {
        eprintln!("{noun} {} ({name}): no changes, the service already matches", plan.scene_id);
        return None;
    }
    if plan.matched_by == MatchedBy::Name {
        eprintln!("{noun} {} is the only one named {name:?}: updating it", plan.scene_id);
    }
    Some(if plan.created {
        format!("create {noun} {name:?}")
    } else {
        format!("modify {noun} {} ({name})", plan.scene_id)
    })
}

/// The end of an apply: `NOUN ID created|modified` said, the id written into the file on
/// `--write-id`, the evidence closed with the number of changes, the result printed; or the
/// evidence closed as failed.
pub fn conclude_apply(
    out: &Output,
    ev: Evidence,
    result: CliResult<Applied>,
    noun: &str,
    args: &SceneFileArgs,
) -> CliResult<()> {
    let done = match result {
        Ok(done) => done,
        Err(e) => return failed(ev, e),
    };
    let verb = if done.created { "created" } else { "modified" };
    eprintln!("{noun} {} {verb}", done.scene_id);
    if args.write_id {
        write_id(&args.file, &done.scene_id)?;
    }
    show_evidence(ev.finish(verb, &[format!("{} change(s)", done.diff.len())])?);
    out.emit(&done)
}

/// An apply with nothing to change: the id still goes into the file on `--write-id`.
pub fn unchanged(out: &Output, plan: &Applied, args: &SceneFileArgs) -> CliResult<()> {
    if args.write_id {
        write_id(&args.file, &plan.scene_id)?;
    }
    out.emit(plan)
}

/// `--write-id`: the id into the file, said on stderr.
fn write_id(file: &std::path::Path, id: &str) -> CliResult<()> {
    crate::args::scene_file::write_id(file, id)?;
    eprintln!("wrote SceneId {id} into {}", file.display());
    Ok(())
}

/// Prints the pre-flight checks, one a line.
pub fn show_checks(pf: &Preflight) {
    for c in &pf.checks {
        eprintln!("pre-flight {} {}: {}", if c.ok { "ok  " } else { "FAIL" }, c.name, c.detail);
    }
}

/// The usage error for a failed pre-flight (`what` names the scene: "scene ID",
/// "JMeter scene ID"); `None` when it passed.
pub fn preflight_refusal(pf: &Preflight, what: &str) -> Option<CliError> {
    (!pf.ok).then(|| CliError::usage(format!("pre-flight failed for {what}: {}", pf.failures())))
}

/// The confirmation summary of a start: the action, then the pre-flight summary lines.
pub fn announce(action: &str, pf: &Preflight) {
    eprintln!(
        "{action}:\n{}",
        pf.summary.iter().map(|s| format!("  {s}")).collect::<Vec<_>>().join("\n")
    );
}

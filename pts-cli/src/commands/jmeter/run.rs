//! Mutating JMeter commands: start, stop, debug, adjust, delete.

use crate::args::GlobalArgs;
use crate::args::groups::{DebugArgs, WaitArgs};
use crate::output::Output;
use crate::progress::during;
use crate::steps::{announce, conclude, failed, preflight_refusal, show_checks, show_evidence};
use pts_api::shapes::jmeter_scene_status::JMeterSceneStatus;
use pts_ops::exit::{CliError, CliResult};
use pts_ops::ids::check_id;
use pts_ops::lifecycle::{
    SceneKind, Until, adjust_jmeter, busy_jmeter, debug_jmeter, delete_scene, jmeter_status,
    now_rfc3339, preflight_jmeter, record_wait, start_jmeter, stop_jmeter, verify_jmeter_flowing,
    wait_jmeter,
};
use pts_ops::session::{Session, api_err};
use serde_json::{Value, json};
use std::time::Duration;

pub fn start(g: &GlobalArgs, id: &str, wait: &WaitArgs, verify_within: f64) -> CliResult<()> {
    check_id("scene id", id)?;
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let pf = session.block_on(preflight_jmeter(&session.client, id))?;
    show_checks(&pf);
    if let Some(err) = preflight_refusal(&pf, &format!("JMeter scene {id}")) {
        return Err(err);
    }
    let action = format!("start JMeter scene {id} ({})", pf.scene_name);
    announce(&action, &pf);
    session.confirm(&action, "")?;
    if g.dry_run {
        return out.emit(&json!({"dry_run": true, "would_send": {"StartTestingJMeterScene": {"SceneId": id}}, "preflight": pf}));
    }
    let mut ev = session.evidence("jmeter-start", id)?;
    ev.write_json("preflight.json", &pf)?;
    let c = &session.client;
    let result = session.block_on(async {
        let s = start_jmeter(c, id, &mut ev).await?;
        eprintln!("started JMeter scene {id}: ReportId {}", s.report_id);
        let mut doc = json!({
            "region": session.region(), "scene_id": id, "report_id": s.report_id,
            "plan_id": s.report_id, "started_at": s.started_at, "start_response": s.response,
        });
        if wait.wait {
            let waited = during(
                format!("JMeter scene {id}: waiting for RUNNING"),
                wait_jmeter(c, id, Until::Started(&s.report_id), wait.poll(), wait.max()),
            )
            .await;
            if let Some(e) = record_wait(&mut doc, id, waited, wait.max()) {
                return Ok((doc, Some(e)));
            }
        }
        let within = Duration::from_secs_f64(verify_within);
        let v = during(
            format!("JMeter scene {id}: checking that samples flow"),
            verify_jmeter_flowing(c, id, within),
        )
        .await?;
        eprintln!("{}", v.detail);
        doc["verification"] = serde_json::to_value(&v).unwrap_or(Value::Null);
        Ok((doc, None))
    });
    let (mut doc, failure) = match result {
        Ok(r) => r,
        Err(e) => return failed(ev, e),
    };
    doc["preflight"] = serde_json::to_value(&pf).unwrap_or(Value::Null);
    conclude(&out, ev, doc, failure, "started", &[]).map(drop)
}

pub fn stop(g: &GlobalArgs, id: &str, wait: &WaitArgs, debug: bool) -> CliResult<()> {
    check_id("scene id", id)?;
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let status = session.block_on(jmeter_status(&session.client, id))?;
    if status == JMeterSceneStatus::Stopped {
        eprintln!("JMeter scene {id} is not running: nothing to stop");
        return out.emit(&json!({
            "region": session.region(), "scene_id": id, "stop_response": null,
            "not_running": true, "final_status": status,
        }));
    }
    let action = format!("stop JMeter scene {id}{}", if debug { " (debug)" } else { "" });
    session.confirm(&action, "")?;
    if g.dry_run {
        return out.emit(
            &json!({"dry_run": true, "would_send": {"StopTestingJMeterScene": {"SceneId": id}}}),
        );
    }
    let mut ev = session.evidence("jmeter-stop", id)?;
    let stopped_at = now_rfc3339();
    let c = &session.client;
    let result = session.block_on(async {
        let resp = stop_jmeter(c, id, debug, &mut ev).await?;
        let mut doc = json!({"region": session.region(), "scene_id": id, "stopped_at": stopped_at, "stop_response": resp});
        let mut failure = None;
        if wait.wait {
            let waited = during(
                format!("JMeter scene {id}: waiting for STOPPED"),
                wait_jmeter(c, id, Until::Stopped, wait.poll(), wait.max()),
            )
            .await;
            failure = record_wait(&mut doc, id, waited, wait.max());
        }
        Ok((doc, failure))
    });
    let (doc, failure) = match result {
        Ok(r) => r,
        Err(e) => return failed(ev, e),
    };
    conclude(&out, ev, doc, failure, "stopped", &[]).map(drop)
}

pub fn debug(g: &GlobalArgs, id: &str, timing: &DebugArgs) -> CliResult<()> {
    check_id("scene id", id)?;
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let pf = session.block_on(preflight_jmeter(&session.client, id))?;
    if let Some(err) = preflight_refusal(&pf, &format!("JMeter scene {id}")) {
        return Err(err);
    }
    session.confirm(&format!("debug JMeter scene {id}"), "")?;
    if g.dry_run {
        return out.emit(
            &json!({"dry_run": true, "would_send": {"StartDebuggingJMeterScene": {"SceneId": id}}}),
        );
    }
    let mut ev = session.evidence("jmeter-debug", id)?;
    let (poll, max) = (timing.poll(), timing.max());
    let debugged = debug_jmeter(&session.client, id, poll, max, &mut ev);
    match session
        .block_on(during(format!("JMeter scene {id}: debugging, waiting for logs"), debugged))
    {
        Ok(run) => {
            eprintln!(
                "debug of JMeter scene {id}: ReportId {}, {} sampling log(s)",
                run.report_id,
                run.logs.len()
            );
            show_evidence(ev.finish("debugged", &[])?);
            out.emit(&run)
        }
        Err(e) => failed(ev, e),
    }
}

pub fn adjust(g: &GlobalArgs, id: &str, speed: i64) -> CliResult<()> {
    check_id("scene id", id)?;
    if speed < 1 {
        return Err(CliError::usage(format!("--speed must be at least 1 (got {speed})")));
    }
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let status = session.block_on(jmeter_status(&session.client, id))?;
    if status != JMeterSceneStatus::Running {
        return Err(CliError::usage(format!(
            "JMeter scene {id} is not running (status {status}); PTS adjusts only a running scene"
        )));
    }
    session.confirm(&format!("adjust JMeter scene {id} to speed {speed}"), "")?;
    if g.dry_run {
        return out.emit(
            &json!({"dry_run": true, "would_send": {"AdjustJMeterSceneSpeed": {"Speed": speed}}}),
        );
    }
    let mut ev = session.evidence("jmeter-adjust", id)?;
    match session.block_on(adjust_jmeter(&session.client, id, speed, &mut ev)) {
        Ok(resp) => {
            show_evidence(ev.finish("adjusted", &[])?);
            out.emit(&json!({"scene_id": id, "speed": speed, "response": resp}))
        }
        Err(e) => failed(ev, e),
    }
}

pub fn delete(g: &GlobalArgs, ids: &[String], max_wait: f64) -> CliResult<()> {
    for id in ids {
        check_id("scene id", id)?;
    }
    let out = Output::new(g)?;
    let session = Session::new(g)?;
    let c = &session.client;
    // Read-only look-up: name (or gone) and whether it runs.
    let found: Vec<(String, Option<String>, bool)> = session.block_on(async {
        let mut v = Vec::new();
        for id in ids {
            match pts_ops::lifecycle::call_raw(c, "GetOpenJMeterScene", json!({"SceneId": id}))
                .await
            {
                Ok(b) => {
                    let name = b
                        .pointer("/Scene/SceneName")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    let running = busy_jmeter(&jmeter_status(c, id).await?);
                    v.push((id.clone(), Some(name), running));
                }
                Err(e) if e.is_not_found() => v.push((id.clone(), None, false)),
                Err(e) => return Err(api_err(e)),
            }
        }
        Ok(v)
    })?;
    let present: Vec<String> = found
        .iter()
        .filter_map(|(id, n, r)| {
            n.as_ref().map(|n| {
                format!(
                    "  {id} {n:?}{}",
                    if *r { " RUNNING: it will be stopped first" } else { "" }
                )
            })
        })
        .collect();
    if !present.is_empty() {
        let action = format!("delete {} JMeter scene(s)", present.len());
        eprintln!("{action}:\n{}", present.join("\n"));
        session.confirm(&action, "")?;
    }
    if g.dry_run {
        return out.emit(&json!({"dry_run": true, "would_delete": found.iter().filter(|f| f.1.is_some()).map(|f| &f.0).collect::<Vec<_>>()}));
    }
    let mut results = Vec::new();
    for (id, name, running) in found {
        if name.is_none() {
            eprintln!("JMeter scene {id}: already gone");
            results
                .push(json!({"scene_id": id, "outcome": "already gone", "stopped_first": false}));
            continue;
        }
        let mut ev = session.evidence("jmeter-delete", &id)?;
        ev.param("scene_name", &name);
        let max = Duration::from_secs_f64(max_wait);
        let deleting = delete_scene(c, SceneKind::Jmeter, &id, running, true, max, &mut ev);
        match session.block_on(during(format!("JMeter scene {id}: deleting"), deleting)) {
            Ok(d) => {
                eprintln!("JMeter scene {id}: {}", d.outcome);
                show_evidence(ev.finish(&d.outcome, &[])?);
                results.push(serde_json::to_value(&d).unwrap_or(Value::Null));
            }
            Err(e) => return failed(ev, e),
        }
    }
    out.emit(&json!({"deleted": results}))
}

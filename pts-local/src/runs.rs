//! Run lifecycle shared by PTS plans and JMeter reports: the runtime phases, the scheduler
//! that ends runs at their deadline, and the transaction that ends a run.
//!
//! A run record is `active` from its start until it is stopped or its deadline passes. Its
//! runtime phase is derived from the elapsed real time, so it advances without writes:
//! PTS `CREATED → SYNCING → SYNC_DONE → UPLOADING → UPLOADED → PREPARING → READY` spread over
//! the first [`RAMP_MS`], then `RUNNING`; JMeter `PREPARING → PREPARED → STARTING` then
//! `RUNNING`; an ended run is `STOPPED`. Because the null engine has nothing to drain, a stop
//! goes straight to `STOPPED` (the engine's `stop` future is where STOPPING will take time).
//!
//! While runs are active the scheduler also checkpoints what they measured (see
//! [`crate::checkpoint`], which ends runs orphaned by a crash at the next start).

use crate::envelope::Fail;
use crate::seam::{Refusal, RunKind, RunResult};
use crate::server::Ctx;
use pts_api::__private::net::{HostCheck, check_host, is_loopback_ip, parse_ip};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Real time over which the pre-RUNNING phases advance (pts-domain §9.3: "over ~1 s").
pub const RAMP_MS: i64 = 1000;

pub const PTS_PHASES: [&str; 10] = [
    "CREATED",
    "SYNCING",
    "SYNC_DONE",
    "UPLOADING",
    "UPLOADED",
    "PREPARING",
    "READY",
    "RUNNING",
    "STOPPING",
    "STOPPED",
];
pub const JMETER_PHASES: [&str; 4] = ["PREPARING", "PREPARED", "STARTING", "RUNNING"];

/// Index into [`PTS_PHASES`] of a run (also the integer status of GetPtsSceneRunningData,
/// pts-domain §2.1 convention: CREATED=0 … RUNNING=7, STOPPING=8, STOPPED=9).
pub fn pts_phase(active: bool, started_ms: i64, now_ms: i64) -> usize {
    if !active {
        return 9;
    }
    let elapsed = (now_ms - started_ms).max(0);
    ((elapsed * 7 / RAMP_MS) as usize).min(7)
}

pub fn jmeter_phase(active: bool, started_ms: i64, now_ms: i64) -> &'static str {
    if !active {
        return "STOPPED";
    }
    let elapsed = (now_ms - started_ms).max(0);
    JMETER_PHASES[((elapsed * 3 / RAMP_MS) as usize).min(3)]
}

/// Ends an active run: asks the engine to stop, then in one transaction marks the record
/// ended at `end_ms` with what the engine measured, and returns the scene to idle.
/// Returns false if the run had already ended.
pub async fn finish(
    ctx: &Arc<Ctx>,
    kind: RunKind,
    run_id: &str,
    end_ms: i64,
) -> Result<bool, Fail> {
    let result = ctx.engine.stop(run_id).await;
    let run_id = run_id.to_string();
    ctx.store
        .write(move |c| match kind {
            RunKind::PtsTest | RunKind::PtsDebug => {
                crate::ops::pts_runs::end_plan(c, &run_id, end_ms, result)
            }
            RunKind::JMeterTest | RunKind::JMeterDebug => {
                let r = match result {
                    Some(RunResult::JMeter(j)) => Some(j),
                    _ => None,
                };
                crate::ops::jmeter_runs::end_report(c, &run_id, end_ms, r)
            }
        })
        .await
}

/// Active runs whose deadline is at or before `now`: (kind, id, deadline).
fn due(ctx: &Ctx, now: i64) -> Result<Vec<(RunKind, String, i64)>, Fail> {
    ctx.store.read(|c| {
        let mut out = Vec::new();
        let mut s = c.prepare_cached("SELECT plan_id, debug, deadline_ms FROM pts_plans WHERE active = 1 AND deadline_ms <= ?1")?;
        for r in s.query_map([now], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?, r.get::<_, i64>(2)?)))? {
            let (id, debug, d) = r?;
            out.push((if debug { RunKind::PtsDebug } else { RunKind::PtsTest }, id, d));
        }
        let mut s =
            c.prepare_cached("SELECT report_id, debug, deadline_ms FROM jmeter_runs WHERE active = 1 AND deadline_ms <= ?1")?;
        for r in s.query_map([now], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?, r.get::<_, i64>(2)?)))? {
            let (id, debug, d) = r?;
            out.push((if debug { RunKind::JMeterDebug } else { RunKind::JMeterTest }, id, d));
        }
        Ok(out)
    })
}

fn next_deadline(ctx: &Ctx) -> Result<Option<i64>, Fail> {
    ctx.store.read(|c| {
        let v: Option<i64> = c.query_row(
            "SELECT MIN(d) FROM (SELECT MIN(deadline_ms) AS d FROM pts_plans WHERE active = 1
             UNION ALL SELECT MIN(deadline_ms) FROM jmeter_runs WHERE active = 1)",
            [],
            |r| r.get(0),
        )?;
        Ok(v)
    })
}

/// The scheduler: ends runs at their deadline; woken early by `ctx.wake` when a run starts.
pub async fn scheduler(ctx: Arc<Ctx>, mut shutdown: watch::Receiver<bool>) {
    loop {
        let now = crate::ids::now_ms();
        match due(&ctx, now) {
            Ok(runs) => {
                for (kind, id, deadline) in runs {
                    if let Err(e) = finish(&ctx, kind, &id, deadline).await {
                        eprintln!("pts-local: could not end run {id}: {e:?}");
                    }
                }
            }
            Err(e) => eprintln!("pts-local: scheduler: {e:?}"),
        }
        let running = match crate::checkpoint::save(&ctx).await {
            Ok(n) => n,
            Err(e) => {
                eprintln!("pts-local: checkpoint: {e:?}");
                1
            }
        };
        let wait = match next_deadline(&ctx) {
            Ok(Some(d)) => {
                Duration::from_millis((d - crate::ids::now_ms()).clamp(0, 60_000) as u64)
            }
            _ => Duration::from_secs(60),
        };
        let wait = if running > 0 { wait.min(crate::checkpoint::EVERY) } else { wait };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = ctx.wake.notified() => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Checks that every target host is loopback, bound to loopback through `DomainBindingList`,
/// or explicitly allowed (pts-domain §3.2 rule 6, a pts-local convention).
pub fn check_targets<'a>(
    urls: impl IntoIterator<Item = &'a str>,
    bindings: &[(String, Vec<String>)],
    allowed: &[String],
) -> Result<(), String> {
    for url in urls {
        let host = url_host(url)
            .ok_or_else(|| format!("Target must be loopback: cannot read the host of {url:?}"))?;
        if allowed.iter().any(|a| a.eq_ignore_ascii_case(&host)) {
            continue;
        }
        if let Some((_, ips)) = bindings.iter().find(|(d, _)| d.eq_ignore_ascii_case(&host)) {
            let loopback = |ip: &String| parse_ip(ip).is_some_and(is_loopback_ip);
            if ips.is_empty() || !ips.iter().all(loopback) {
                return Err(format!(
                    "Target must be loopback: {host} is bound to a non-loopback address"
                ));
            }
            continue;
        }
        match check_host(&host) {
            HostCheck::Loopback => {}
            HostCheck::NotLoopback(ip) if ip.to_string() == host => {
                return Err(format!("Target must be loopback: {host} is not allowed"));
            }
            HostCheck::NotLoopback(ip) => {
                return Err(format!("Target must be loopback: {host} ({ip}) is not allowed"));
            }
            HostCheck::Unresolved(e) => {
                return Err(format!("Target must be loopback: {host} cannot be resolved ({e})"));
            }
        }
    }
    Ok(())
}

fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r)?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next()?.to_string()
    } else {
        authority.split(':').next()?.to_string()
    };
    (!host.is_empty() && !host.contains("${")).then_some(host)
}

/// Hands a run whose record is committed to the engine and wakes the scheduler. If the
/// engine refuses it, the record is ended at once (the scene is startable again) and the
/// refusal is the error: [`Fail::plan_invalid`] when the plan cannot run, an internal error
/// when the engine could not start.
pub async fn hand_to_engine(
    ctx: &Arc<Ctx>,
    run_id: &str,
    scene_id: String,
    kind: RunKind,
    snapshot: serde_json::Value,
    real_ms: i64,
) -> Result<(), Fail> {
    let run = crate::seam::RunStart {
        run_id: run_id.to_string(),
        scene_id,
        kind,
        snapshot,
        real_duration: std::time::Duration::from_millis(real_ms as u64),
        clock: ctx.clock,
        files_dir: ctx.files.dir().to_path_buf(),
        allowed_targets: ctx.allowed_targets.clone(),
    };
    if let Err(refusal) = ctx.engine.start(&run) {
        finish(ctx, kind, run_id, crate::ids::now_ms()).await?;
        return Err(match refusal {
            Refusal::Plan(m) => Fail::plan_invalid(m),
            Refusal::Engine(m) => Fail::internal(m),
        });
    }
    ctx.wake.notify_one();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_and_targets() {
        assert_eq!(PTS_PHASES[pts_phase(true, 0, 0)], "CREATED");
        assert_eq!(PTS_PHASES[pts_phase(true, 0, 5000)], "RUNNING");
        assert_eq!(PTS_PHASES[pts_phase(false, 0, 5000)], "STOPPED");
        assert_eq!(jmeter_phase(true, 0, 10), "PREPARING");
        assert_eq!(jmeter_phase(true, 0, 2000), "RUNNING");
        let none: &[(String, Vec<String>)] = &[];
        assert!(
            check_targets(
                ["http://127.0.0.1:8080/x", "https://localhost/", "http://[::1]:9/"],
                none,
                &[]
            )
            .is_ok()
        );
        assert!(check_targets(["http://example.com/"], none, &[]).is_err());
        let bind = vec![("example.com".to_string(), vec!["127.0.0.1".to_string()])];
        assert!(check_targets(["http://example.com/"], &bind, &[]).is_ok());
        assert!(check_targets(["http://10.0.0.1/"], none, &["10.0.0.1".to_string()]).is_ok());
        assert!(check_targets(["http://${host}/"], none, &[]).is_err());
        let spellings = ["http://127.1/", "http://0x7f000001:8/", "http://[::ffff:127.0.0.1]/"];
        assert!(check_targets(spellings, none, &[]).is_ok());
        let bind = vec![("example.com".to_string(), vec!["10.0.0.1".to_string()])];
        assert!(check_targets(["http://example.com/"], &bind, &[]).is_err());
    }
}

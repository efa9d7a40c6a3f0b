//! What every compiled plan (PTS scene or JMX) must pass before it runs: the service caps on
//! total load and the safety of every statically known target.

use super::config::EngineConfig;
use super::error::EngineError;
use super::plan::{LoadMode, Plan, UnitPlan, compile_err, static_host};
use super::safety::Safety;
use super::tls;

/// Checks every statically known target host of a plan before any connection is made. Hosts
/// that come from variables are checked at connect time.
pub(crate) fn precheck_plan(plan: &Plan, safety: &Safety) -> Result<(), EngineError> {
    let mut seen = std::collections::HashSet::new();
    for api in &plan.apis {
        let target = match &api.fixed {
            Some(p) => Some(Ok((p.host.clone(), p.port, p.tls))),
            None => static_host(&api.url.render(&[])),
        };
        match target {
            Some(Ok((host, port, tls))) if seen.insert((host.clone(), port)) => {
                safety.precheck(&host, port)?;
                if tls {
                    tls::server_name(&host).map_err(|e| {
                        EngineError::InvalidScene(format!("API `{}`: {e}", api.name))
                    })?;
                }
            }
            Some(Err(e)) => return Err(compile_err(e, &format!("API `{}`", api.name))),
            _ => {}
        }
    }
    Ok(())
}

/// Service caps on the total load.
pub(crate) fn check_caps(
    units: &[UnitPlan],
    mode: LoadMode,
    cfg: &EngineConfig,
) -> Result<(), EngineError> {
    let total: u64 = units.iter().map(|u| u.schedule.limit() as u64).sum();
    match mode {
        LoadMode::Concurrency if total > cfg.max_concurrency as u64 => {
            Err(EngineError::InvalidScene(format!(
                "total concurrency {total} exceeds the service cap {}",
                cfg.max_concurrency
            )))
        }
        LoadMode::Rps if cfg.max_rps.is_some_and(|m| total > m as u64) => {
            Err(EngineError::InvalidScene(format!(
                "total RPS {total} exceeds the service cap {}",
                cfg.max_rps.unwrap_or(0)
            )))
        }
        _ => Ok(()),
    }
}

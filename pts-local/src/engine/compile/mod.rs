//! PTS scene -> [`Plan`].

use super::EngineConfig;
use super::check::{
    Check, CheckGroup, ExportRule, Op, Subject, parse_export, reads_body, scene_err,
};
use super::error::EngineError;
use super::files::{FileResolver, parse_csv};
use super::plan::{
    ApiPlan, LoadMode, Plan, RelPlan, RunKind, Schedule, Table, UnitPlan, Vars, compile_err,
    parse_method, prepare_fixed, request_imports, static_host,
};
use super::safety::{Safety, norm_host};
use super::tls;
use pts_api::shapes::log_rate::LogRate;
use pts_api::shapes::scene::{Api, Scene};
use pts_api::shapes::test_mode::TestMode;
use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

mod api;

use api::compile_api;

/// Default API timeout when neither the API nor the scene sets one (seconds).
pub const DEFAULT_TIMEOUT_SECS: u64 = 5;

/// The scene's test mode, read case-insensitively with the aliases the enum records.
pub(crate) fn parse_mode(test_mode: &TestMode) -> Result<LoadMode, EngineError> {
    match TestMode::from(test_mode.as_str().trim().to_ascii_lowercase()) {
        TestMode::ConcurrencyMode => Ok(LoadMode::Concurrency),
        TestMode::TpsMode => Ok(LoadMode::Rps),
        TestMode::Unknown(other) => {
            Err(EngineError::InvalidScene(format!("unknown TestMode `{other}`")))
        }
    }
}

/// Splits `total` into `n` near-equal parts (earlier parts get the remainder).
pub(crate) fn split(total: u32, n: usize, i: usize) -> u32 {
    if n == 0 {
        return 0;
    }
    let n32 = n as u32;
    total / n32 + u32::from((i as u32) < total % n32)
}

pub(crate) fn parse_success_codes(s: Option<&str>) -> Result<Vec<u16>, EngineError> {
    let mut out = Vec::new();
    for part in s.unwrap_or("").split([',', ';', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
        out.push(part.parse::<u16>().map_err(|_| {
            EngineError::InvalidScene(format!("SuccessCode `{part}` is not an HTTP status code"))
        })?);
    }
    Ok(out)
}

/// LogRate -> "keep 1 sample in N requests": LogRate is read as per-mille (convention), so
/// 1 -> 1 in 1000, 10 -> 1 in 100, 50 -> 1 in 20; absent -> 1 in 1000.
pub fn log_rate_every(log_rate: Option<LogRate>) -> u64 {
    let r = log_rate.map_or(1, |r| r.as_i64()).clamp(1, 1000) as u64;
    (1000 / r).max(1)
}

/// Builds the safety checker from the scene's domain bindings.
pub(crate) fn bindings(scene: &Scene) -> Result<HashMap<String, Vec<IpAddr>>, EngineError> {
    let mut out = HashMap::new();
    for b in scene.advance_setting.iter().flat_map(|a| a.domain_binding_list.iter().flatten()) {
        let Some(domain) = b.domain.as_deref().map(norm_host).filter(|d| !d.is_empty()) else {
            continue;
        };
        let mut ips = Vec::new();
        for ip in b.ips.iter().flatten() {
            ips.push(ip.trim().parse::<IpAddr>().map_err(|_| {
                EngineError::InvalidScene(format!("DomainBinding `{domain}`: `{ip}` is not an IP"))
            })?);
        }
        if !ips.is_empty() {
            out.insert(domain, ips);
        }
    }
    Ok(out)
}

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

/// Compiles a PTS scene. `debug` runs each relation's chain once with one virtual user.
pub(crate) fn compile_scene(
    scene: &Scene,
    files: &dyn FileResolver,
    cfg: &EngineConfig,
    debug: bool,
) -> Result<(Plan, Safety), EngineError> {
    if scene.relation_list.is_empty() {
        return Err(EngineError::InvalidScene("RelationList is empty".into()));
    }
    let mode = parse_mode(&scene.load_config.test_mode)?;
    let adv = scene.advance_setting.clone().unwrap_or_default();
    let mut vars = Vars::default();
    for g in scene.global_parameter_list.iter().flatten() {
        if let Some(n) = g.param_name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            vars.globals.insert(n.to_string(), g.param_value.clone().unwrap_or_default());
        }
    }
    // Variables first (file columns, exports), so that every template sees every name.
    for rel in &scene.relation_list {
        for fx in rel.file_parameter_explain_list.iter().flatten() {
            for col in fx.file_param_name.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                vars.var(col);
            }
        }
        for api in &rel.api_list {
            for ex in api.export_list.iter().flatten() {
                if let Some(n) = ex.export_name.as_deref().map(str::trim).filter(|n| !n.is_empty())
                {
                    vars.var(n);
                }
            }
        }
    }
    let known_files: Option<Vec<&str>> = scene
        .file_parameter_list
        .as_ref()
        .map(|l| l.iter().filter_map(|f| f.file_name.as_deref()).collect());
    let mut relations = Vec::new();
    let mut apis = Vec::new();
    for (ri, rel) in scene.relation_list.iter().enumerate() {
        if rel.api_list.is_empty() {
            return Err(EngineError::InvalidScene(format!(
                "relation `{}` has no API",
                rel.relation_name
            )));
        }
        let start = apis.len();
        for api in &rel.api_list {
            apis.push(compile_api(
                api,
                ri,
                &rel.relation_name,
                &mut vars,
                adv.connection_timeout_in_second,
            )?);
        }
        let mut tables = Vec::new();
        let explains: Vec<_> = rel.file_parameter_explain_list.iter().flatten().collect();
        let base_idx = explains.iter().position(|f| f.base_file == Some(true)).unwrap_or(0);
        for (fi, fx) in explains.iter().enumerate() {
            if let Some(known) = &known_files
                && !known.contains(&fx.file_name.as_str())
            {
                return Err(EngineError::File {
                    name: fx.file_name.clone(),
                    reason: "not listed in FileParameterList".into(),
                });
            }
            let data = files
                .read(&fx.file_name)
                .map_err(|reason| EngineError::File { name: fx.file_name.clone(), reason })?;
            let rows = parse_csv(&data, b',');
            if rows.is_empty() {
                return Err(EngineError::File {
                    name: fx.file_name.clone(),
                    reason: "no rows".into(),
                });
            }
            let cols = fx
                .file_param_name
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(|c| vars.var(c))
                .collect();
            tables.push(Table {
                cols,
                rows,
                stop_at_eof: fi == base_idx && fx.cycle_once == Some(true),
            });
        }
        // The base file first: its row index is the iteration counter.
        if base_idx < tables.len() {
            let base = tables.remove(base_idx);
            tables.insert(0, base);
        }
        relations.push(RelPlan {
            name: rel.relation_name.clone(),
            id: rel.relation_id.clone(),
            apis: start..apis.len(),
            tables,
            max_iterations: debug.then_some(1),
            flow: None,
        });
    }
    let lc = &scene.load_config;
    let scale = cfg.time_scale;
    let minutes = |m: i32| Duration::from_secs_f64((m.max(0) as f64 * scale).max(0.0));
    let mut units = Vec::new();
    let schedule = |begin: u32, limit: u32| -> Schedule {
        let limit = limit.max(begin);
        if lc.auto_step == Some(true) && !debug {
            let inc = lc.increment.unwrap_or(10).clamp(1, 100) as u64;
            let step = ((limit as u64 * inc).div_ceil(100)).max(1) as u32;
            let keep = minutes(lc.keep_time.unwrap_or(1).max(1));
            Schedule::Steps { begin, limit, step, keep }
        } else {
            Schedule::Manual { begin, limit }
        }
    };
    let conf = &lc.configuration;
    let mode = if debug { LoadMode::Concurrency } else { mode };
    match mode {
        LoadMode::Concurrency => {
            let per_rel = lc.relation_load_config_list.as_deref().unwrap_or(&[]);
            let n = relations.len();
            for (ri, rel) in relations.iter().enumerate() {
                let sched = if debug {
                    Schedule::Manual { begin: 1, limit: 1 }
                } else if let Some(rc) = per_rel
                    .iter()
                    .find(|c| c.relation_id.is_some() && c.relation_id == rel.id)
                    .or_else(|| (per_rel.len() == n).then(|| &per_rel[ri]))
                {
                    schedule(rc.concurrency_begin.max(0) as u32, rc.concurrency_limit.max(0) as u32)
                } else if let (Some(b), Some(l)) =
                    (conf.all_concurrency_begin, conf.all_concurrency_limit)
                {
                    schedule(split(b.max(0) as u32, n, ri), split(l.max(0) as u32, n, ri))
                } else {
                    return Err(EngineError::InvalidScene(format!(
                        "concurrency mode needs AllConcurrencyBegin/Limit or a RelationLoadConfigList entry for relation `{}`",
                        rel.name
                    )));
                };
                units.push(UnitPlan { relation: ri, api: None, schedule: sched });
            }
        }
        LoadMode::Rps => {
            let per_api = lc.api_load_config_list.as_deref().unwrap_or(&[]);
            let n = apis.len();
            for (ai, api) in apis.iter().enumerate() {
                let sched = if let Some(ac) =
                    per_api.iter().find(|c| api.id.as_deref() == Some(c.api_id.as_str()))
                {
                    schedule(ac.rps_begin.max(0) as u32, ac.rps_limit.max(0) as u32)
                } else if let (Some(b), Some(l)) = (conf.all_rps_begin, conf.all_rps_limit) {
                    schedule(split(b.max(0) as u32, n, ai), split(l.max(0) as u32, n, ai))
                } else {
                    return Err(EngineError::InvalidScene(format!(
                        "RPS mode needs AllRpsBegin/Limit or an ApiLoadConfigList entry for API `{}`",
                        api.name
                    )));
                };
                units.push(UnitPlan { relation: api.relation, api: Some(ai), schedule: sched });
            }
        }
    }
    check_caps(&units, mode, cfg)?;
    let mut run_for = minutes(lc.max_running_time.max(1));
    if run_for > cfg.max_run_duration {
        run_for = cfg.max_run_duration;
    }
    let plan = Plan {
        kind: RunKind::Pts,
        mode,
        debug,
        scene_name: scene.scene_name.clone(),
        relations,
        apis,
        units,
        var_count: vars.names.len(),
        run_for,
        success_codes: parse_success_codes(adv.success_code.as_deref())?,
        sample_every: if debug { 1 } else { log_rate_every(adv.log_rate) },
    };
    let safety = Safety::new(&cfg.allow_targets, bindings(scene)?);
    precheck_plan(&plan, &safety)?;
    Ok((plan, safety))
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

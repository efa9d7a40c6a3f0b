//! PTS scene -> [`Plan`].

use super::admit::{check_caps, precheck_plan};
use super::config::EngineConfig;
use super::error::EngineError;
use super::files::{FileResolver, parse_csv};
use super::plan::{LoadMode, Plan, RelPlan, RunKind, Schedule, Table, UnitPlan, Vars};
use super::safety::Safety;
use pts_api::rules::{self, TestMode};
use pts_api::shapes::log_rate::LogRate;
use pts_api::shapes::scene::Scene;
use std::time::Duration;

mod api;

pub use api::DEFAULT_TIMEOUT_SECS;
use api::compile_api;

/// LogRate -> "keep 1 sample in N requests": LogRate is read as per-mille (convention), so
/// 1 -> 1 in 1000, 10 -> 1 in 100, 50 -> 1 in 20; absent -> 1 in 1000.
pub fn log_rate_every(log_rate: Option<LogRate>) -> u64 {
    let r = log_rate.map_or(1, |r| r.as_i64()).clamp(1, 1000) as u64;
    (1000 / r).max(1)
}

/// Compiles a PTS scene. `debug` runs each relation's chain once with one virtual user.
pub(crate) fn compile_scene(
    scene: &Scene,
    files: &dyn FileResolver,
    cfg: &EngineConfig,
    debug: bool,
) -> Result<(Plan, Safety), EngineError> {
    // The scene rules first: everything below may rely on them.
    if let Err(v) = rules::ensure(scene) {
        return Err(EngineError::InvalidScene(v.to_string()));
    }
    let mode = match rules::load::mode(scene) {
        Some(TestMode::TpsMode) => LoadMode::Rps,
        _ => LoadMode::Concurrency,
    };
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
            for col in rules::files::columns(&fx.file_param_name) {
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
    let mut relations = Vec::new();
    let mut apis = Vec::new();
    for (ri, rel) in scene.relation_list.iter().enumerate() {
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
            let cols = rules::files::columns(&fx.file_param_name).map(|c| vars.var(c)).collect();
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
    let mode = if debug { LoadMode::Concurrency } else { mode };
    let load = |l: Option<rules::load::Load>| {
        let (b, l) = l.unwrap_or_default();
        schedule(b.clamp(0, u32::MAX.into()) as u32, l.clamp(0, u32::MAX.into()) as u32)
    };
    match mode {
        LoadMode::Concurrency => {
            for (ri, l) in rules::load::relation_loads(scene).into_iter().enumerate() {
                let sched = if debug { Schedule::Manual { begin: 1, limit: 1 } } else { load(l) };
                units.push(UnitPlan { relation: ri, api: None, schedule: sched });
            }
        }
        LoadMode::Rps => {
            for (ai, l) in rules::load::api_loads(scene).into_iter().flatten().enumerate() {
                let relation = apis[ai].relation;
                units.push(UnitPlan { relation, api: Some(ai), schedule: load(l) });
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
        success_codes: rules::checks::success_codes(adv.success_code.as_deref())
            .map_err(|m| EngineError::InvalidScene(format!("AdvanceSetting.SuccessCode {m}")))?,
        sample_every: if debug { 1 } else { log_rate_every(adv.log_rate) },
    };
    let safety = Safety::new(&cfg.allow_targets, rules::targets::binding_map(scene));
    precheck_plan(&plan, &safety)?;
    Ok((plan, safety))
}

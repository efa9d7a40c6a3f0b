//! The whole JMX plan -> engine plan: relations, APIs, load units and the shared flow state.

use super::lower::{
    FlowBuild, action_var, action_vars, check_group, check_refs, export_rule, sampler_functions,
    tables, template,
};
use crate::engine::admit::{check_caps, precheck_plan};
use crate::engine::check::reads_body;
use crate::engine::config::EngineConfig;
use crate::engine::error::EngineError;
use crate::engine::files::FileResolver;
use crate::engine::jmx::flow::{Flow, OnError, Shared};
use crate::engine::jmx::options::{JMETER_DEFAULT_TIMEOUT_SECS, JmeterOptions};
use crate::engine::jmx::types::{GroupKind, JmxOnError, JmxPlan, JmxSampler};
use crate::engine::plan::{
    ApiPlan, LoadMode, Plan, RelPlan, RunKind, Schedule, UnitPlan, Vars, compile_err, parse_method,
    prepare_fixed, request_imports, split,
};
use crate::engine::safety::Safety;
use crate::engine::template::Template;
use std::collections::HashMap;
use std::sync::atomic::AtomicI64;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Iterations of `threads` threads x `loops` (None: unbounded).
fn iterations(threads: u32, loops: Option<u64>) -> i64 {
    loops.map(|l| (threads as i64).saturating_mul(l as i64)).unwrap_or(i64::MAX)
}

/// The thread groups group `ti` waits for: setUp groups before the others, the main groups
/// before tearDown groups, and with `serialize` the earlier groups of its own kind.
fn waits_for(jmx: &JmxPlan, ti: usize) -> Vec<usize> {
    let rank = |k: GroupKind| match k {
        GroupKind::SetUp => 0,
        GroupKind::Main => 1,
        GroupKind::TearDown => 2,
    };
    let me = rank(jmx.thread_groups[ti].kind);
    jmx.thread_groups
        .iter()
        .enumerate()
        .filter(|(i, g)| rank(g.kind) < me || (jmx.serialize && rank(g.kind) == me && *i < ti))
        .map(|(i, _)| i)
        .collect()
}

/// Builds the engine plan of a parsed JMX (files read; no target or cap checks).
pub(crate) fn build_jmx(
    jmx: &JmxPlan,
    opts: &JmeterOptions,
    files: &dyn FileResolver,
    cfg: &EngineConfig,
    debug: bool,
) -> Result<Plan, EngineError> {
    let mut vars = Vars::default();
    for (k, v) in &jmx.variables {
        vars.globals.insert(k.clone(), v.clone());
    }
    // Variables first (CSV columns, extractors, counters), so every template sees every name.
    let mut tg_tables = Vec::new();
    for tg in &jmx.thread_groups {
        tg_tables.push(tables(tg, files, &mut vars)?);
        for s in &tg.samplers {
            for x in &s.extractors {
                vars.var(&x.refname);
            }
        }
        for a in &tg.on_iteration {
            action_var(a, &mut vars);
        }
        action_vars(&tg.steps, &mut vars);
    }
    let n_main = jmx.thread_groups.iter().filter(|g| g.kind == GroupKind::Main).count();
    let mut main_i = 0;
    let mut relations = Vec::new();
    let mut apis = Vec::new();
    let mut units = Vec::new();
    let mut flows = Vec::new();
    let shared = Arc::new(Shared {
        left: jmx.thread_groups.iter().map(|_| AtomicI64::new(0)).collect(),
        global: Mutex::new(Vec::new()),
        threads: jmx.thread_groups.iter().map(|_| AtomicU64::new(0)).collect(),
    });
    let mut left = Vec::new();
    let mut slots = Vec::new();
    let scale = cfg.time_scale / 60.0;
    let secs = |s: u64| Duration::from_secs_f64(s as f64 * scale);
    let mut longest: Option<Duration> = None;
    for (ti, (tg, tables)) in jmx.thread_groups.iter().zip(tg_tables).enumerate() {
        if tg.samplers.is_empty() {
            return Err(EngineError::InvalidJmx(format!(
                "thread group `{}` has no enabled HTTP sampler",
                tg.name
            )));
        }
        let start = apis.len();
        let mut fns = Vec::new();
        for s in &tg.samplers {
            fns.push(sampler_functions(s, &mut vars)?);
            check_refs(&vars, &s.at, &s.refs)?;
            apis.push(api_plan(s, ti, &mut vars)?);
        }
        let main = tg.kind == GroupKind::Main;
        let threads = if debug {
            1
        } else if main {
            opts.concurrency.map(|c| split(c, n_main, main_i)).unwrap_or(tg.num_threads)
        } else {
            tg.num_threads
        };
        if main {
            main_i += 1;
        }
        let ramp = if debug {
            Duration::ZERO
        } else {
            secs(opts.ramp_up_secs.filter(|_| main).unwrap_or(tg.ramp_time_secs))
        };
        let duration =
            if main { opts.duration_secs.or(tg.duration_secs) } else { tg.duration_secs };
        let max_iterations = if debug {
            Some(1)
        } else if main && opts.duration_secs.is_some() {
            None
        } else {
            tg.loops
        };
        if let Some(d) = duration.filter(|_| !debug) {
            longest = Some(longest.unwrap_or_default().max(secs(d)));
        }
        left.push(iterations(threads, max_iterations));
        let mut fb = FlowBuild {
            vars: &mut vars,
            slots: std::mem::take(&mut slots),
            reset: Vec::new(),
            first_api: start,
        };
        let on_iteration = fb.actions(&tg.on_iteration);
        let steps = fb.nodes(&tg.steps, &tg.samplers, &fns)?;
        slots = fb.slots;
        let on_error = match tg.on_sample_error {
            JmxOnError::Continue => OnError::Continue,
            JmxOnError::StartNextLoop => OnError::NextLoop,
            JmxOnError::StopThread => OnError::StopThread,
        };
        flows.push(Flow {
            steps,
            on_iteration,
            cookies: tg.cookies.map(|c| c.clear_each_iteration),
            index: ti,
            after: waits_for(jmx, ti),
            loops: max_iterations,
            on_error,
            seeds: Vec::new(),
            shared: shared.clone(),
            init: Vec::new(),
            reset: fb.reset,
        });
        relations.push(RelPlan {
            name: tg.name.clone(),
            id: None,
            apis: start..apis.len(),
            tables,
            max_iterations,
            flow: None,
        });
        units.push(UnitPlan {
            relation: ti,
            api: None,
            schedule: Schedule::Linear { target: threads, ramp },
        });
    }
    for (k, n) in left.iter().enumerate() {
        shared.left[k].store(*n, std::sync::atomic::Ordering::Relaxed);
    }
    *shared.global.lock().unwrap_or_else(|e| e.into_inner()) = slots.clone();
    // User Defined Variables that extractors, CSV columns or counters also set.
    let seeds: Vec<(u32, String)> = jmx
        .variables
        .iter()
        .filter_map(|(k, v)| vars.ids.get(k).map(|id| (*id, v.clone())))
        .collect();
    for (rel, mut flow) in relations.iter_mut().zip(flows) {
        flow.init = slots.clone();
        flow.seeds = seeds.clone();
        rel.flow = Some(Arc::new(flow));
    }
    // Thread groups with a duration end the run when the longest one is over; without any,
    // the run lasts until every thread finished its loops (bounded by the service cap).
    let run_for = longest.unwrap_or(cfg.max_run_duration).min(cfg.max_run_duration);
    Ok(Plan {
        kind: RunKind::JMeter,
        mode: LoadMode::Concurrency,
        debug,
        scene_name: jmx.name.clone(),
        relations,
        apis,
        units,
        var_count: vars.names.len(),
        run_for,
        success_codes: Vec::new(),
        sample_every: if debug { 1 } else { cfg.jmeter_sample_every },
    })
}

fn api_plan(s: &JmxSampler, relation: usize, vars: &mut Vars) -> Result<ApiPlan, EngineError> {
    let method = parse_method(&s.method).map_err(|e| {
        EngineError::InvalidJmx(format!("{}, property `HTTPSampler.method`: {e}", s.at))
    })?;
    let url = template(vars, &s.url);
    let headers: Vec<(String, Template)> =
        s.headers.iter().map(|(n, v)| (n.clone(), template(vars, v))).collect();
    let body = s.body.as_deref().map(|b| template(vars, b));
    let imports = request_imports(&url, &headers, body.as_ref());
    let mut checks = Vec::new();
    for c in &s.checks {
        checks.extend(check_group(c)?);
    }
    let exports =
        s.extractors.iter().map(|x| export_rule(x, vars)).collect::<Result<Vec<_>, _>>()?;
    let fixed = prepare_fixed(&method, &url, &headers, body.as_ref(), s.content_type.as_deref())
        .transpose()
        .map_err(|e| compile_err(e, &s.at))?;
    let needs_body = reads_body(&checks, &exports);
    Ok(ApiPlan {
        name: s.name.clone(),
        id: None,
        relation,
        method,
        url,
        headers,
        body,
        content_type: s.content_type.clone(),
        fixed,
        timeout: s
            .timeout_ms
            .map(Duration::from_millis)
            .unwrap_or(Duration::from_secs(JMETER_DEFAULT_TIMEOUT_SECS)),
        max_redirects: if s.follow_redirects { 10 } else { 0 },
        checks,
        exports,
        think: Duration::from_millis(s.think_ms),
        needs_body,
        imports,
    })
}

/// Compiles a parsed JMX plan into the engine's plan, checked against caps and targets.
pub(crate) fn compile_jmx(
    jmx: &JmxPlan,
    opts: &JmeterOptions,
    files: &dyn FileResolver,
    cfg: &EngineConfig,
    debug: bool,
) -> Result<(Plan, Safety), EngineError> {
    let plan = build_jmx(jmx, opts, files, cfg, debug)?;
    check_caps(&plan.units, LoadMode::Concurrency, cfg)?;
    let safety = Safety::new(&cfg.allow_targets, HashMap::new());
    precheck_plan(&plan, &safety)?;
    Ok((plan, safety))
}

//! Compiling a parsed JMX plan onto the engine's plan.

use super::*;

fn assertion_groups(a: &JmxAssertion) -> Result<CheckGroup, EngineError> {
    let subject = match a.field {
        AssertField::ResponseCode => Subject::StatusCode,
        AssertField::ResponseData => Subject::BodyText,
        AssertField::ResponseHeaders => Subject::AllHeaders,
        AssertField::ResponseMessage => Subject::StatusMessage,
    };
    let mut checks = Vec::new();
    for pat in &a.patterns {
        let (op, name) = match (a.rule, a.not) {
            (AssertRule::Contains, false) => {
                (Op::Regex(compile_regex(pat).map_err(EngineError::InvalidJmx)?), "contains")
            }
            (AssertRule::Contains, true) => {
                (Op::NRegex(compile_regex(pat).map_err(EngineError::InvalidJmx)?), "not contains")
            }
            (AssertRule::Matches, n) => {
                let re =
                    compile_regex(&format!("^(?s:{pat})$")).map_err(EngineError::InvalidJmx)?;
                if n { (Op::NRegex(re), "not matches") } else { (Op::Regex(re), "matches") }
            }
            (AssertRule::Equals, false) => (Op::Eq, "equals"),
            (AssertRule::Equals, true) => (Op::Neq, "not equals"),
            (AssertRule::Substring, false) => (Op::Ctn, "substring"),
            (AssertRule::Substring, true) => (Op::Nctn, "not substring"),
        };
        checks.push(Check {
            subject: subject.clone(),
            op,
            expect: pat.clone(),
            type_name: format!("{:?}", a.field),
            point: a.name.clone(),
            op_name: name.to_string(),
        });
    }
    Ok(CheckGroup { checks, any: a.or })
}

fn unescape_delim(d: &str) -> u8 {
    match d {
        "\\t" | "\t" => b'\t',
        "" => b',',
        d => d.as_bytes()[0],
    }
}

/// Compiles a parsed JMX plan into the engine's plan.
pub(crate) fn compile_jmx(
    jmx: &JmxPlan,
    opts: &JmeterOptions,
    files: &dyn FileResolver,
    cfg: &EngineConfig,
    debug: bool,
) -> Result<(Plan, Safety), EngineError> {
    let mut vars = Vars::default();
    for (k, v) in &jmx.variables {
        vars.globals.insert(k.clone(), v.clone());
    }
    // CSV tables (variables first).
    let mut tg_tables: Vec<Vec<Table>> = Vec::new();
    for tg in &jmx.thread_groups {
        let mut tables = Vec::new();
        for c in &tg.csv {
            let name = base_name(&c.filename).to_string();
            let data = files
                .read(&name)
                .map_err(|reason| EngineError::File { name: name.clone(), reason })?;
            let mut rows = parse_csv(&data, unescape_delim(&c.delimiter));
            let mut names = c.variable_names.clone();
            if names.is_empty() {
                if rows.is_empty() {
                    return Err(EngineError::File { name, reason: "empty file".into() });
                }
                names = rows.remove(0).into_iter().map(|s| s.trim().to_string()).collect();
            } else if c.ignore_first_line && !rows.is_empty() {
                rows.remove(0);
            }
            if rows.is_empty() {
                return Err(EngineError::File { name, reason: "no data rows".into() });
            }
            let cols = names.iter().map(|n| vars.var(n)).collect();
            tables.push(Table { cols, rows, stop_at_eof: !c.recycle });
        }
        tg_tables.push(tables);
    }
    let n_tg = jmx.thread_groups.len();
    let mut relations = Vec::new();
    let mut apis = Vec::new();
    let mut units = Vec::new();
    let scale = cfg.time_scale / 60.0;
    let secs = |s: u64| Duration::from_secs_f64(s as f64 * scale);
    let mut longest: Option<Duration> = None;
    for (ti, (tg, tables)) in jmx.thread_groups.iter().zip(tg_tables).enumerate() {
        if tg.samplers.is_empty() {
            return Err(EngineError::InvalidJmx(format!(
                "thread group `{}` has no HTTP sampler",
                tg.name
            )));
        }
        let start = apis.len();
        for s in &tg.samplers {
            let ctx = format!("thread group `{}`, sampler `{}`", tg.name, s.name);
            let method = parse_method(&s.method)
                .map_err(|e| EngineError::InvalidJmx(format!("{ctx}: {e}")))?;
            let url = vars.template(&s.url);
            let headers: Vec<(String, _)> =
                s.headers.iter().map(|(n, v)| (n.clone(), vars.template(v))).collect();
            let body = s.body.as_deref().map(|b| vars.template(b));
            let mut imports: Vec<(u32, String)> = Vec::new();
            for t in std::iter::once(&url).chain(headers.iter().map(|(_, t)| t)).chain(body.iter())
            {
                for (id, name) in t.vars() {
                    if !imports.iter().any(|(i, _)| *i == id) {
                        imports.push((id, name.to_string()));
                    }
                }
            }
            let checks =
                s.assertions.iter().map(assertion_groups).collect::<Result<Vec<_>, _>>()?;
            let fixed = if url.is_static()
                && headers.iter().all(|(_, t)| t.is_static())
                && body.as_ref().is_none_or(|b| b.is_static())
            {
                let hs: Vec<(&str, &str)> = headers
                    .iter()
                    .map(|(n, t)| (n.as_str(), t.static_text().unwrap_or("")))
                    .collect();
                Some(
                    prepare(
                        &method,
                        url.static_text().unwrap_or(""),
                        &hs,
                        body.as_ref().and_then(|b| b.static_text()),
                        s.content_type.as_deref(),
                    )
                    .map_err(|e| compile_err(e, &ctx))?,
                )
            } else {
                None
            };
            let needs_body = checks
                .iter()
                .flat_map(|g| &g.checks)
                .any(|c| matches!(c.subject, Subject::BodyText));
            apis.push(ApiPlan {
                name: s.name.clone(),
                id: None,
                relation: ti,
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
                exports: Vec::new(),
                think: Duration::from_millis(s.think_ms),
                needs_body,
                imports,
            });
        }
        let threads = if debug {
            1
        } else {
            opts.concurrency.map(|c| split(c, n_tg, ti)).unwrap_or(tg.num_threads)
        };
        let ramp = if debug {
            Duration::ZERO
        } else {
            secs(opts.ramp_up_secs.unwrap_or(tg.ramp_time_secs))
        };
        let duration = opts.duration_secs.or(tg.duration_secs);
        let max_iterations = if debug {
            Some(1)
        } else if opts.duration_secs.is_some() {
            None
        } else {
            tg.loops
        };
        if let Some(d) = duration.filter(|_| !debug) {
            longest = Some(longest.unwrap_or_default().max(secs(d)));
        }
        relations.push(RelPlan {
            name: tg.name.clone(),
            id: None,
            apis: start..apis.len(),
            tables,
            max_iterations,
        });
        units.push(UnitPlan {
            relation: ti,
            api: None,
            schedule: Schedule::Linear { target: threads, ramp },
        });
    }
    check_caps(&units, LoadMode::Concurrency, cfg)?;
    // Thread groups with a duration end the run when the longest one is over; without any,
    // the run lasts until every thread finished its loops (bounded by the service cap).
    let run_for = longest.unwrap_or(cfg.max_run_duration).min(cfg.max_run_duration);
    let plan = Plan {
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
    };
    let safety = Safety::new(&cfg.allow_targets, HashMap::new());
    precheck_plan(&plan, &safety)?;
    Ok((plan, safety))
}

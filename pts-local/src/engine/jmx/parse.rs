//! Parsing a JMX document: scoped tree walk, samplers, thread groups, validation.

use super::elements::*;
use super::*;

/// Collects the scoped items of one hashTree level; errors on unsupported elements.
fn level_scope(
    items: &[(Node<'_, '_>, Option<Node<'_, '_>>)],
    inherited: &Scope,
    csv: &mut Vec<JmxCsv>,
    vars: &mut Vec<(String, String)>,
    path: &[String],
    allow: &[&str],
) -> Result<Scope, EngineError> {
    let mut scope = inherited.clone();
    for (e, sub) in items {
        if !is_enabled(*e) {
            continue;
        }
        let tag = e.tag_name().name();
        match tag {
            "HeaderManager" => {
                for h in e.descendants().filter(|d| d.attribute("elementType") == Some("Header")) {
                    let name = prop(h, "Header.name").unwrap_or("").trim().to_string();
                    if !name.is_empty() {
                        scope.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
                        scope
                            .headers
                            .push((name, prop(h, "Header.value").unwrap_or("").to_string()));
                    }
                }
            }
            "ResponseAssertion" => scope.assertions.push(parse_assertion(*e)?),
            "ConstantTimer" => {
                scope.think_ms += jm_number(
                    prop(*e, "ConstantTimer.delay").unwrap_or("0"),
                    "ConstantTimer.delay",
                )?
                .max(0) as u64;
            }
            "CSVDataSet" => csv.push(parse_csv_elem(*e)),
            "Arguments" => vars.extend(arguments(*e)),
            "ConfigTestElement" if e.attribute("guiclass") == Some("HttpDefaultsGui") => {
                for key in ["domain", "port", "protocol", "path"] {
                    if let Some(v) =
                        prop(*e, &format!("HTTPSampler.{key}")).filter(|v| !v.trim().is_empty())
                    {
                        scope.defaults.insert(key.to_string(), v.trim().to_string());
                    }
                }
            }
            t if HARMLESS.contains(&t) || allow.contains(&t) => {}
            _ => return Err(unsupported(*e, path)),
        }
        // Scoped elements may not have children other than harmless ones.
        if let Some(sub) = sub
            && !allow.contains(&tag)
        {
            for (c, _) in pairs(*sub) {
                if is_enabled(c) && !HARMLESS.contains(&c.tag_name().name()) {
                    let mut p = path.to_vec();
                    p.push(tag.to_string());
                    return Err(unsupported(c, &p));
                }
            }
        }
    }
    Ok(scope)
}

fn parse_sampler(
    e: Node<'_, '_>,
    sub: Option<Node<'_, '_>>,
    scope: &Scope,
    csv: &mut Vec<JmxCsv>,
    vars: &mut Vec<(String, String)>,
    path: &[String],
) -> Result<JmxSampler, EngineError> {
    let mut p = path.to_vec();
    p.push("HTTPSamplerProxy".into());
    let items = sub.map(pairs).unwrap_or_default();
    let scope = level_scope(&items, scope, csv, vars, &p, &[])?;
    let get = |k: &str| {
        prop(e, &format!("HTTPSampler.{k}"))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .or_else(|| scope.defaults.get(k).cloned())
    };
    let method = get("method").unwrap_or_else(|| "GET".into()).to_ascii_uppercase();
    let protocol = get("protocol").unwrap_or_else(|| "http".into()).to_ascii_lowercase();
    let path_s = get("path").unwrap_or_else(|| "/".into());
    let mut url = if path_s.contains("://") {
        path_s
    } else {
        let domain = get("domain").ok_or_else(|| {
            EngineError::InvalidJmx(format!(
                "HTTP sampler `{}` has no domain",
                e.attribute("testname").unwrap_or("")
            ))
        })?;
        let port = get("port").map(|p| format!(":{p}")).unwrap_or_default();
        let slash = if path_s.starts_with('/') { "" } else { "/" };
        format!("{protocol}://{domain}{port}{slash}{path_s}")
    };
    let args = prop_node(e, "HTTPsampler.Arguments").map(arguments).unwrap_or_default();
    let raw = bool_prop(e, "HTTPSampler.postBodyRaw").unwrap_or(false);
    let mut body = None;
    let mut content_type = None;
    let query_method = matches!(method.as_str(), "GET" | "HEAD" | "DELETE" | "OPTIONS");
    if raw {
        body = Some(args.iter().map(|(_, v)| v.as_str()).collect::<String>());
    } else if !args.is_empty() {
        let enc = args
            .iter()
            .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        if query_method {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&enc);
        } else {
            body = Some(enc);
            content_type = Some("application/x-www-form-urlencoded".to_string());
        }
    }
    let follow = bool_prop(e, "HTTPSampler.follow_redirects").unwrap_or(false)
        || bool_prop(e, "HTTPSampler.auto_redirects").unwrap_or(false);
    let ms = |k: &str| -> Result<u64, EngineError> {
        Ok(jm_number(prop(e, &format!("HTTPSampler.{k}")).unwrap_or(""), k)?.max(0) as u64)
    };
    let total = ms("connect_timeout")? + ms("response_timeout")?;
    Ok(JmxSampler {
        name: e.attribute("testname").unwrap_or("HTTP Request").to_string(),
        method,
        url,
        headers: scope.headers.clone(),
        body,
        content_type,
        follow_redirects: follow,
        timeout_ms: (total > 0).then_some(total),
        think_ms: scope.think_ms,
        assertions: scope.assertions.clone(),
    })
}

fn parse_thread_group(
    e: Node<'_, '_>,
    sub: Option<Node<'_, '_>>,
    plan_scope: &Scope,
    plan_csv: &[JmxCsv],
    vars: &mut Vec<(String, String)>,
    path: &[String],
) -> Result<JmxThreadGroup, EngineError> {
    let mut p = path.to_vec();
    p.push("ThreadGroup".into());
    let items = sub.map(pairs).unwrap_or_default();
    let mut csv = plan_csv.to_vec();
    let scope = level_scope(&items, plan_scope, &mut csv, vars, &p, &["HTTPSamplerProxy"])?;
    let mut samplers = Vec::new();
    for (c, csub) in &items {
        if is_enabled(*c) && c.has_tag_name("HTTPSamplerProxy") {
            samplers.push(parse_sampler(*c, *csub, &scope, &mut csv, vars, &p)?);
        }
    }
    let num = |k: &str| -> Result<i64, EngineError> {
        jm_number(prop(e, &format!("ThreadGroup.{k}")).unwrap_or(""), k)
    };
    let ctl = prop_node(e, "ThreadGroup.main_controller");
    let forever =
        ctl.and_then(|c| bool_prop(c, "LoopController.continue_forever")).unwrap_or(false);
    let loops = match ctl.and_then(|c| prop(c, "LoopController.loops")) {
        Some(l) => jm_number(l, "LoopController.loops")?,
        None => 1,
    };
    let scheduler = bool_prop(e, "ThreadGroup.scheduler").unwrap_or(false);
    let duration = num("duration")?;
    Ok(JmxThreadGroup {
        name: e.attribute("testname").unwrap_or("Thread Group").to_string(),
        num_threads: num("num_threads")?.max(0) as u32,
        ramp_time_secs: num("ramp_time")?.max(0) as u64,
        loops: (loops >= 0 && !(forever && loops <= 0)).then_some(loops as u64),
        duration_secs: (scheduler && duration > 0).then_some(duration as u64),
        samplers,
        csv,
    })
}

const SCOPED: &[&str] =
    &["HeaderManager", "ResponseAssertion", "ConstantTimer", "CSVDataSet", "Arguments"];

/// Where an element sits, for the validation pass.
#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Plan,
    Group,
    Sampler,
    Leaf,
}

/// Walks the tree in document order and refuses the first element outside the subset.
fn validate(tree: Node<'_, '_>, ctx: Ctx, path: &mut Vec<String>) -> Result<(), EngineError> {
    for (e, sub) in pairs(tree) {
        if !is_enabled(e) {
            continue;
        }
        let tag = e.tag_name().name();
        let child_ctx = match tag {
            "ThreadGroup" if ctx == Ctx::Plan => Ctx::Group,
            "HTTPSamplerProxy" if ctx == Ctx::Group => Ctx::Sampler,
            t if SCOPED.contains(&t) && ctx != Ctx::Leaf => Ctx::Leaf,
            "ConfigTestElement"
                if ctx != Ctx::Leaf && e.attribute("guiclass") == Some("HttpDefaultsGui") =>
            {
                Ctx::Leaf
            }
            t if HARMLESS.contains(&t) => Ctx::Leaf,
            _ => return Err(unsupported(e, path)),
        };
        if let Some(sub) = sub {
            path.push(tag.to_string());
            validate(sub, child_ctx, path)?;
            path.pop();
        }
    }
    Ok(())
}

/// Parses and validates a JMX document against the supported subset.
pub fn parse_jmx(xml: &str) -> Result<JmxPlan, EngineError> {
    let doc =
        roxmltree::Document::parse(xml).map_err(|e| EngineError::InvalidJmx(e.to_string()))?;
    let root = doc.root_element();
    if !root.has_tag_name("jmeterTestPlan") {
        return Err(EngineError::InvalidJmx(format!(
            "root element is <{}>, expected <jmeterTestPlan>",
            root.tag_name().name()
        )));
    }
    let top = root
        .children()
        .find(|c| c.has_tag_name("hashTree"))
        .ok_or_else(|| EngineError::InvalidJmx("no top-level hashTree".into()))?;
    let mut plan = JmxPlan::default();
    let top_items = pairs(top);
    let Some((tp, tp_sub)) = top_items.first().copied() else {
        return Err(EngineError::InvalidJmx("empty test plan".into()));
    };
    if !tp.has_tag_name("TestPlan") {
        return Err(unsupported(tp, &[]));
    }
    if let Some(extra) = top_items.get(1) {
        return Err(unsupported(extra.0, &[]));
    }
    if let Some(sub) = tp_sub {
        validate(sub, Ctx::Plan, &mut vec!["TestPlan".to_string()])?;
    }
    plan.name = tp.attribute("testname").unwrap_or("Test Plan").to_string();
    if let Some(udv) = prop_node(tp, "TestPlan.user_defined_variables") {
        plan.variables.extend(arguments(udv));
    }
    let path = vec!["TestPlan".to_string()];
    let items = tp_sub.map(pairs).unwrap_or_default();
    let mut csv = Vec::new();
    let mut vars = Vec::new();
    let scope =
        level_scope(&items, &Scope::default(), &mut csv, &mut vars, &path, &["ThreadGroup"])?;
    for (e, sub) in &items {
        if is_enabled(*e) && e.has_tag_name("ThreadGroup") {
            plan.thread_groups.push(parse_thread_group(*e, *sub, &scope, &csv, &mut vars, &path)?);
        }
    }
    plan.variables.extend(vars);
    if plan.thread_groups.is_empty() {
        return Err(EngineError::InvalidJmx("no enabled ThreadGroup".into()));
    }
    Ok(plan)
}

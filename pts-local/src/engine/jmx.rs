//! The JMeter (JMX) subset pts-local runs, and its compilation onto the PTS engine.
//!
//! Accepted elements inside the test plan's `hashTree` (anything else is refused with
//! [`EngineError::UnsupportedElement`] naming the first one in document order):
//!
//! | element | what is used |
//! | --- | --- |
//! | `TestPlan` | `testname`; `TestPlan.user_defined_variables` become `${}` constants; other properties are ignored |
//! | `Arguments` (User Defined Variables) | name/value pairs become `${}` constants |
//! | `ThreadGroup` | `num_threads`, `ramp_time` (s), `scheduler` + `duration` (s), `main_controller` `LoopController.loops` (-1 = forever) / `continue_forever`; `delay`, `on_sample_error` and the rest are ignored |
//! | `HTTPSamplerProxy` | `domain`, `port`, `protocol` (http only), `path` (may be a full `http://` URL), `method`, `Arguments` (query string for GET/HEAD/DELETE/OPTIONS, form body otherwise, or the raw body with `postBodyRaw`), `contentEncoding` ignored, `follow_redirects`/`auto_redirects` (follow up to 10), `connect_timeout` + `response_timeout` (ms; default 60 s) |
//! | `ConfigTestElement` with `guiclass="HttpDefaultsGui"` (HTTP Request Defaults) | default `domain`, `port`, `protocol`, `path` for samplers in scope |
//! | `HeaderManager` | headers for samplers in scope |
//! | `ResponseAssertion` | fields `response_code`, `response_data`, `response_headers`, `response_message`; rules contains (regex find), matches (whole-value regex), equals, substring; the NOT and OR flags |
//! | `CSVDataSet` | `filename` (last path component, resolved by the `FileResolver`), `variableNames` (empty: the first line names them), `delimiter` (`\t` = tab), `ignoreFirstLine`, `recycle` (false: the thread group stops when the file is used up; `stopThread` is implied) |
//! | `ConstantTimer` | `ConstantTimer.delay` (ms), paused before each sampler in scope |
//! | `ResultCollector` (listeners) | ignored (harmless: results go to pts-local's own statistics) |
//!
//! Scoping follows JMeter: an element applies to the samplers of its own `hashTree` level and
//! below. `${__P(name,default)}` in thread-group numbers evaluates to `default`. All CSV data
//! sets of a thread group advance together, one row per iteration, shared by its threads.

use super::EngineConfig;
use super::check::{Check, CheckGroup, Op, Subject, compile_regex};
use super::compile::{check_caps, precheck_plan, split};
use super::error::EngineError;
use super::files::{FileResolver, base_name, parse_csv};
use super::plan::{
    ApiPlan, LoadMode, Plan, RelPlan, RunKind, Schedule, Table, UnitPlan, Vars, compile_err,
    parse_method, prepare,
};
use super::safety::Safety;
use roxmltree::Node;
use std::collections::HashMap;
use std::time::Duration;

/// Timeout of JMeter samplers that set none (JMeter itself waits forever).
pub const JMETER_DEFAULT_TIMEOUT_SECS: u64 = 60;

/// A parsed JMX plan (the supported subset).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JmxPlan {
    pub name: String,
    /// `${}` constants from TestPlan / Arguments.
    pub variables: Vec<(String, String)>,
    pub thread_groups: Vec<JmxThreadGroup>,
}

/// One `ThreadGroup`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JmxThreadGroup {
    pub name: String,
    pub num_threads: u32,
    pub ramp_time_secs: u64,
    /// Iterations per thread; None = forever.
    pub loops: Option<u64>,
    /// `scheduler` + `duration`, seconds.
    pub duration_secs: Option<u64>,
    pub samplers: Vec<JmxSampler>,
    pub csv: Vec<JmxCsv>,
}

/// One `HTTPSamplerProxy` with everything in its scope resolved.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JmxSampler {
    pub name: String,
    pub method: String,
    /// Full URL (`protocol://domain:port/path?query`).
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub content_type: Option<String>,
    pub follow_redirects: bool,
    pub timeout_ms: Option<u64>,
    pub think_ms: u64,
    pub assertions: Vec<JmxAssertion>,
}

/// What a `ResponseAssertion` tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssertField {
    ResponseCode,
    ResponseData,
    ResponseHeaders,
    ResponseMessage,
}

/// How a `ResponseAssertion` pattern is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssertRule {
    Contains,
    Matches,
    Equals,
    Substring,
}

#[derive(Debug, Clone, PartialEq)]
pub struct JmxAssertion {
    pub name: String,
    pub field: AssertField,
    pub rule: AssertRule,
    pub not: bool,
    pub or: bool,
    pub patterns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct JmxCsv {
    pub filename: String,
    pub variable_names: Vec<String>,
    pub delimiter: String,
    pub ignore_first_line: bool,
    pub recycle: bool,
}

/// Load overrides a JMeter scene may set (`SaveOpenJMeterScene` Concurrency/Duration/RampUp).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JmeterOptions {
    /// Total threads, split evenly over thread groups (overrides `num_threads`).
    pub concurrency: Option<u32>,
    /// Seconds (overrides each thread group's duration; scaled by `time_scale / 60`).
    pub duration_secs: Option<u64>,
    /// Seconds (overrides `ramp_time`).
    pub ramp_up_secs: Option<u64>,
}

fn prop<'a>(n: Node<'a, 'a>, name: &str) -> Option<&'a str> {
    n.children()
        .filter(|c| c.is_element())
        .find(|c| c.attribute("name") == Some(name))
        .map(|c| c.text().unwrap_or(""))
}

fn prop_node<'a>(n: Node<'a, 'a>, name: &str) -> Option<Node<'a, 'a>> {
    n.children().filter(|c| c.is_element()).find(|c| c.attribute("name") == Some(name))
}

fn bool_prop(n: Node<'_, '_>, name: &str) -> Option<bool> {
    prop(n, name).map(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Evaluates `${__P(name,default)}` / `${__property(name,,default)}` to the default.
fn jm_number(raw: &str, what: &str) -> Result<i64, EngineError> {
    let t = raw.trim();
    let v =
        if let Some(inner) = t.strip_prefix("${__P(").or_else(|| t.strip_prefix("${__property(")) {
            let inner = inner.trim_end_matches('}').trim_end_matches(')');
            inner.rsplit(',').next().unwrap_or("").trim().to_string()
        } else {
            t.to_string()
        };
    if v.is_empty() {
        return Ok(0);
    }
    v.parse::<i64>().map_err(|_| EngineError::InvalidJmx(format!("{what} `{raw}` is not a number")))
}

fn arguments(n: Node<'_, '_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let coll = n.descendants().find(|c| {
        c.has_tag_name("collectionProp") && c.attribute("name") == Some("Arguments.arguments")
    });
    for arg in coll.iter().flat_map(|c| c.children()).filter(|c| c.is_element()) {
        let name = prop(arg, "Argument.name").unwrap_or("").to_string();
        let value = prop(arg, "Argument.value").unwrap_or("").to_string();
        out.push((name, value));
    }
    out
}

fn form_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b'$'
            | b'{'
            | b'}' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Scoped settings inherited down the tree.
#[derive(Clone, Default)]
struct Scope {
    headers: Vec<(String, String)>,
    assertions: Vec<JmxAssertion>,
    think_ms: u64,
    defaults: HashMap<String, String>,
}

const HARMLESS: &[&str] = &["ResultCollector"];

fn unsupported(n: Node<'_, '_>, path: &[String]) -> EngineError {
    EngineError::UnsupportedElement {
        name: n.tag_name().name().to_string(),
        testname: n.attribute("testname").map(str::to_string),
        path: if path.is_empty() { "jmeterTestPlan".into() } else { path.join(" > ") },
    }
}

/// (element, its hashTree) pairs of a hashTree.
fn pairs<'a>(tree: Node<'a, 'a>) -> Vec<(Node<'a, 'a>, Option<Node<'a, 'a>>)> {
    let mut out = Vec::new();
    let mut it = tree.children().filter(|c| c.is_element()).peekable();
    while let Some(e) = it.next() {
        if e.has_tag_name("hashTree") {
            continue;
        }
        let sub =
            if it.peek().is_some_and(|n| n.has_tag_name("hashTree")) { it.next() } else { None };
        out.push((e, sub));
    }
    out
}

fn is_enabled(n: Node<'_, '_>) -> bool {
    n.attribute("enabled") != Some("false")
}

fn parse_assertion(n: Node<'_, '_>) -> Result<JmxAssertion, EngineError> {
    let field = match prop(n, "Assertion.test_field").unwrap_or("Assertion.response_data") {
        "Assertion.response_code" => AssertField::ResponseCode,
        "Assertion.response_data" | "Assertion.response_data_as_document" => {
            AssertField::ResponseData
        }
        "Assertion.response_headers" => AssertField::ResponseHeaders,
        "Assertion.response_message" => AssertField::ResponseMessage,
        other => {
            return Err(EngineError::InvalidJmx(format!(
                "ResponseAssertion field `{other}` is not supported"
            )));
        }
    };
    let ty = jm_number(prop(n, "Assertion.test_type").unwrap_or("2"), "Assertion.test_type")?;
    let rule = if ty & 1 != 0 {
        AssertRule::Matches
    } else if ty & 8 != 0 {
        AssertRule::Equals
    } else if ty & 16 != 0 {
        AssertRule::Substring
    } else {
        AssertRule::Contains
    };
    let patterns = n
        .children()
        .filter(|c| {
            c.has_tag_name("collectionProp")
                && matches!(
                    c.attribute("name"),
                    Some("Asserion.test_strings" | "Assertion.test_strings")
                )
        })
        .flat_map(|c| c.children())
        .filter(|c| c.is_element())
        .map(|c| c.text().unwrap_or("").to_string())
        .collect();
    Ok(JmxAssertion {
        name: n.attribute("testname").unwrap_or("Response Assertion").to_string(),
        field,
        rule,
        not: ty & 4 != 0,
        or: ty & 32 != 0,
        patterns,
    })
}

fn parse_csv_elem(n: Node<'_, '_>) -> JmxCsv {
    JmxCsv {
        filename: prop(n, "filename").unwrap_or("").trim().to_string(),
        variable_names: prop(n, "variableNames")
            .unwrap_or("")
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        delimiter: prop(n, "delimiter").unwrap_or(",").to_string(),
        ignore_first_line: bool_prop(n, "ignoreFirstLine").unwrap_or(false),
        recycle: bool_prop(n, "recycle").unwrap_or(true),
    }
}

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

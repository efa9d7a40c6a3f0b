//! Reading a JMX document: constants first, then the scoped tree walk into thread groups,
//! controllers and samplers.

use super::cond;
use super::elements::{HARMLESS, NEVER_RUN, Scope, add_scoped, csv_elem, var_action};
use super::sampler::sampler;
use super::types::{
    GroupKind, JmxBlock, JmxControl, JmxCookies, JmxCsv, JmxOnError, JmxPlan, JmxSampler, JmxStep,
    JmxThreadGroup, JmxThroughput, JmxVarAction,
};
use super::xml::{
    At, Consts, arguments, bool_prop, is_enabled, pairs, prop, prop_node, refs_in, unsupported,
};
use crate::engine::error::EngineError;
use roxmltree::Node;

const CONTROLLERS: &[&str] = &[
    "GenericController",
    "TransactionController",
    "LoopController",
    "OnceOnlyController",
    "IfController",
    "InterleaveControl",
    "ThroughputController",
    "RecordingController",
];
const GROUPS: &[&str] = &["ThreadGroup", "SetupThreadGroup", "PostThreadGroup"];

/// What a hashTree level may hold besides scoped elements.
#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Plan,
    Steps,
    Sampler,
}

#[derive(Default)]
struct Walk {
    consts: Consts,
    csv: Vec<JmxCsv>,
    samplers: Vec<JmxSampler>,
    cookies: Option<JmxCookies>,
}

fn child_path(path: &[String], tag: &str) -> Vec<String> {
    let mut p = path.to_vec();
    p.push(tag.to_string());
    p
}

impl Walk {
    /// One hashTree level: its scoped elements apply to the whole level (wherever they sit, as
    /// in JMeter); then its samplers and controllers become steps.
    fn level(
        &mut self,
        items: &[(Node<'_, '_>, Option<Node<'_, '_>>)],
        inherited: &Scope,
        path: &[String],
        ctx: Ctx,
        mut on_enter: Option<&mut Vec<JmxVarAction>>,
    ) -> Result<(Scope, Vec<JmxStep>), EngineError> {
        let mut scope = inherited.clone();
        for (e, sub) in items {
            let tag = e.tag_name().name();
            if !is_enabled(*e) || NEVER_RUN.contains(&tag) {
                continue;
            }
            let at = At::new(*e, path);
            if tag == "HTTPSamplerProxy" || CONTROLLERS.contains(&tag) {
                if ctx == Ctx::Steps {
                    continue;
                }
                return Err(unsupported(*e, path));
            }
            if GROUPS.contains(&tag) {
                if ctx == Ctx::Plan {
                    continue;
                }
                return Err(unsupported(*e, path));
            }
            if add_scoped(&mut scope, &at, &self.consts)? {
            } else if let Some(a) = var_action(&at, &self.consts)? {
                match on_enter.as_deref_mut() {
                    Some(list) => list.push(a),
                    None => return Err(unsupported(*e, path)),
                }
            } else {
                match tag {
                    "CookieManager" => {
                        self.cookies = Some(JmxCookies {
                            clear_each_iteration: bool_prop(*e, "CookieManager.clearEachIteration")
                                .unwrap_or(false),
                        })
                    }
                    "CSVDataSet" => self.csv.push(csv_elem(&at, &self.consts)),
                    // Constants, read before the walk.
                    "Arguments" => {}
                    t if HARMLESS.contains(&t) => {}
                    _ => return Err(unsupported(*e, path)),
                }
            }
            if let Some(sub) = sub {
                for (c, _) in pairs(*sub) {
                    if is_enabled(c) && !HARMLESS.contains(&c.tag_name().name()) {
                        return Err(unsupported(c, &child_path(path, tag)));
                    }
                }
            }
        }
        let mut steps = Vec::new();
        if ctx == Ctx::Steps {
            for (e, sub) in items.iter().filter(|(e, _)| is_enabled(*e)) {
                let tag = e.tag_name().name();
                if tag == "HTTPSamplerProxy" {
                    steps.push(JmxStep::Sampler(self.sampler(*e, *sub, &scope, path)?));
                } else if CONTROLLERS.contains(&tag) {
                    steps.push(JmxStep::Block(self.controller(*e, *sub, &scope, path)?));
                }
            }
        }
        Ok((scope, steps))
    }

    fn controller(
        &mut self,
        e: Node<'_, '_>,
        sub: Option<Node<'_, '_>>,
        scope: &Scope,
        path: &[String],
    ) -> Result<JmxBlock, EngineError> {
        let tag = e.tag_name().name();
        let at = At::new(e, path);
        let items = sub.map(pairs).unwrap_or_default();
        let mut on_enter = Vec::new();
        let p = child_path(path, tag);
        let (_, steps) = self.level(&items, scope, &p, Ctx::Steps, Some(&mut on_enter))?;
        let c = &self.consts;
        let mut refs = Vec::new();
        let control = match tag {
            "GenericController" | "RecordingController" => JmxControl::Simple,
            "TransactionController" => JmxControl::Transaction,
            "OnceOnlyController" => JmxControl::OnceOnly,
            "LoopController" => {
                let count = at.text(c, "LoopController.loops").unwrap_or_default();
                let count = if count.trim().is_empty() { "-1".to_string() } else { count };
                if !count.contains("${") && count.trim().parse::<i64>().is_err() {
                    return Err(
                        at.err("LoopController.loops", format!("`{count}` is not a number"))
                    );
                }
                refs_in(&count, "LoopController.loops", &mut refs);
                JmxControl::Loop { count }
            }
            "IfController" => {
                let condition = at.text(c, "IfController.condition").unwrap_or_default();
                let expression = bool_prop(e, "IfController.useExpression").unwrap_or(false);
                cond::check(&condition, expression)
                    .map_err(|why| at.err("IfController.condition", why))?;
                refs_in(&condition, "IfController.condition", &mut refs);
                JmxControl::If {
                    condition,
                    expression,
                    evaluate_all: bool_prop(e, "IfController.evaluateAll").unwrap_or(false),
                }
            }
            "InterleaveControl" => {
                if at.int(c, "InterleaveControl.style", 1)? == 0
                    && steps.iter().any(|s| matches!(s, JmxStep::Block(_)))
                {
                    return Err(at.err(
                        "InterleaveControl.style",
                        "ignoring sub-controller blocks is not supported",
                    ));
                }
                JmxControl::Interleave {
                    across_threads: bool_prop(e, "InterleaveControl.accrossThreads")
                        .unwrap_or(false),
                }
            }
            "ThroughputController" => {
                let rule = if at.int(c, "ThroughputController.style", 0)? == 1 {
                    let p = at.float(c, "ThroughputController.percentThroughput", 100.0)?;
                    JmxThroughput::Percent(p.clamp(0.0, 100.0))
                } else {
                    let n = at.int(c, "ThroughputController.maxThroughput", 1)?;
                    JmxThroughput::Total(n.max(0) as u64)
                };
                JmxControl::Throughput {
                    per_user: bool_prop(e, "ThroughputController.perThread").unwrap_or(true),
                    rule,
                }
            }
            _ => return Err(unsupported(e, path)),
        };
        Ok(JmxBlock { at: at.describe(), control, steps, on_enter, refs })
    }

    fn sampler(
        &mut self,
        e: Node<'_, '_>,
        sub: Option<Node<'_, '_>>,
        scope: &Scope,
        path: &[String],
    ) -> Result<usize, EngineError> {
        let p = child_path(path, "HTTPSamplerProxy");
        let items = sub.map(pairs).unwrap_or_default();
        let (scope, _) = self.level(&items, scope, &p, Ctx::Sampler, None)?;
        let at = At::new(e, path);
        let s = sampler(&at, &scope, &self.consts)?;
        self.samplers.push(s);
        Ok(self.samplers.len() - 1)
    }

    fn group(
        &mut self,
        e: Node<'_, '_>,
        sub: Option<Node<'_, '_>>,
        plan: &(Scope, Vec<JmxCsv>, Vec<JmxVarAction>, Option<JmxCookies>),
        path: &[String],
    ) -> Result<JmxThreadGroup, EngineError> {
        let tag = e.tag_name().name();
        let at = At::new(e, path);
        self.csv = plan.1.clone();
        self.samplers = Vec::new();
        self.cookies = plan.3;
        let mut on_iteration = plan.2.clone();
        let items = sub.map(pairs).unwrap_or_default();
        let p = child_path(path, tag);
        let (_, steps) = self.level(&items, &plan.0, &p, Ctx::Steps, Some(&mut on_iteration))?;
        let c = &self.consts;
        let ctl = prop_node(e, "ThreadGroup.main_controller");
        let forever =
            ctl.and_then(|n| bool_prop(n, "LoopController.continue_forever")).unwrap_or(false);
        let loops = match ctl.and_then(|n| prop(n, "LoopController.loops")) {
            Some(l) => {
                let l = c.subst(l);
                l.trim().parse::<i64>().map_err(|_| {
                    at.err("LoopController.loops", format!("`{l}` is not a whole number"))
                })?
            }
            None => 1,
        };
        let scheduler = bool_prop(e, "ThreadGroup.scheduler").unwrap_or(false);
        let duration = at.int(c, "ThreadGroup.duration", 0)?;
        let on_sample_error = match prop(e, "ThreadGroup.on_sample_error")
            .unwrap_or("continue")
            .trim()
        {
            "continue" | "" => JmxOnError::Continue,
            "startnextloop" => JmxOnError::StartNextLoop,
            "stopthread" => JmxOnError::StopThread,
            other => {
                return Err(at.err(
                    "ThreadGroup.on_sample_error",
                    format!("`{other}` is not supported (continue, startnextloop or stopthread)"),
                ));
            }
        };
        let mut cookies = self.cookies;
        if bool_prop(e, "ThreadGroup.same_user_on_next_iteration") == Some(false)
            && let Some(ck) = cookies.as_mut()
        {
            ck.clear_each_iteration = true;
        }
        Ok(JmxThreadGroup {
            name: e.attribute("testname").unwrap_or("Thread Group").to_string(),
            kind: match tag {
                "SetupThreadGroup" => GroupKind::SetUp,
                "PostThreadGroup" => GroupKind::TearDown,
                _ => GroupKind::Main,
            },
            num_threads: at.int(c, "ThreadGroup.num_threads", 1)?.max(0) as u32,
            ramp_time_secs: at.int(c, "ThreadGroup.ramp_time", 0)?.max(0) as u64,
            loops: (loops >= 0 && !(forever && loops <= 0)).then_some(loops as u64),
            duration_secs: (scheduler && duration > 0).then_some(duration as u64),
            samplers: std::mem::take(&mut self.samplers),
            csv: std::mem::take(&mut self.csv),
            steps,
            on_iteration,
            cookies,
            on_sample_error,
        })
    }
}

/// Names that elements set while the test runs (extractors, counters, random variables,
/// CSV columns): constants of the same name only seed them.
fn runtime_names(e: Node<'_, '_>, out: &mut Vec<String>) {
    let keys: &[&str] = match e.tag_name().name() {
        "RegexExtractor" => &["RegexExtractor.refname"],
        "BoundaryExtractor" => &["BoundaryExtractor.refname"],
        "JSONPostProcessor" => &["JSONPostProcessor.referenceNames"],
        "CounterConfig" => &["CounterConfig.name"],
        "RandomVariableConfig" => &["variableName"],
        "CSVDataSet" => &["variableNames"],
        _ => &[],
    };
    for k in keys {
        let list = prop(e, k).unwrap_or("");
        out.extend(
            list.split([',', ';']).map(str::trim).filter(|n| !n.is_empty()).map(str::to_string),
        );
    }
}

/// User Defined Variables in document order (TestPlan's first); JMeter reads them all at
/// start wherever they sit. Disabled subtrees and elements that never run are skipped.
fn constants(tp: Node<'_, '_>, tree: Option<Node<'_, '_>>) -> Consts {
    fn walk(tree: Node<'_, '_>, udv: &mut Vec<(String, String)>, runtime: &mut Vec<String>) {
        for (e, sub) in pairs(tree) {
            if !is_enabled(e) || NEVER_RUN.contains(&e.tag_name().name()) {
                continue;
            }
            if e.has_tag_name("Arguments") {
                udv.extend(arguments(e));
            }
            runtime_names(e, runtime);
            if let Some(sub) = sub {
                walk(sub, udv, runtime);
            }
        }
    }
    let mut udv =
        prop_node(tp, "TestPlan.user_defined_variables").map(arguments).unwrap_or_default();
    let mut c = Consts::default();
    if let Some(t) = tree {
        walk(t, &mut udv, &mut c.runtime);
    }
    for (k, v) in udv {
        let v = c.subst(&v);
        c.vars.push((k.trim().to_string(), v));
    }
    c
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
    let mut test_plan = None;
    for (e, sub) in pairs(top) {
        match e.tag_name().name() {
            "TestPlan" if test_plan.is_none() => test_plan = Some((e, sub)),
            t if NEVER_RUN.contains(&t) => {}
            _ => return Err(unsupported(e, &[])),
        }
    }
    let Some((tp, tp_sub)) = test_plan else {
        return Err(EngineError::InvalidJmx("empty test plan".into()));
    };
    let mut plan = JmxPlan {
        name: tp.attribute("testname").unwrap_or("").to_string(),
        serialize: bool_prop(tp, "TestPlan.serialize_threadgroups").unwrap_or(false),
        ..JmxPlan::default()
    };
    let mut w = Walk { consts: constants(tp, tp_sub), ..Walk::default() };
    let path = vec!["TestPlan".to_string()];
    let items = tp_sub.map(pairs).unwrap_or_default();
    let mut actions = Vec::new();
    let (scope, _) = w.level(&items, &Scope::default(), &path, Ctx::Plan, Some(&mut actions))?;
    let plan_level = (scope, std::mem::take(&mut w.csv), actions, w.cookies.take());
    for (e, sub) in &items {
        if is_enabled(*e) && GROUPS.contains(&e.tag_name().name()) {
            plan.thread_groups.push(w.group(*e, *sub, &plan_level, &path)?);
        }
    }
    plan.variables = w.consts.vars;
    if !plan.thread_groups.iter().any(|g| g.kind == GroupKind::Main) {
        return Err(EngineError::InvalidJmx("no enabled ThreadGroup".into()));
    }
    Ok(plan)
}

//! Lowering JMX elements onto engine parts: checks, extractors, templates, tables and the
//! control flow of each thread group.

use crate::engine::check::{Check, CheckGroup, Op, Subject, compile_regex};
use crate::engine::check::{ExportKind, ExportRule, SizeOf, Which, parse_json_path};
use crate::engine::error::EngineError;
use crate::engine::files::{FileResolver, base_name, parse_csv};
use crate::engine::jmx::cond;
use crate::engine::jmx::flow::{Action, Cond, Kind, Node, UNSET};
use crate::engine::jmx::functions::{self, Func};
use crate::engine::jmx::types::{
    AssertField, AssertRule, JmxAssertion, JmxCheck, JmxCmp, JmxControl, JmxExtract, JmxExtractor,
    JmxSampler, JmxSizeOf, JmxStep, JmxThreadGroup, JmxVarAction,
};
use crate::engine::plan::{Table, Vars};
use crate::engine::template::{Resolved, Template};

fn assertion_group(a: &JmxAssertion) -> Result<CheckGroup, EngineError> {
    let subject = match a.field {
        AssertField::ResponseCode => Subject::StatusCode,
        AssertField::ResponseData => Subject::BodyText,
        AssertField::ResponseHeaders => Subject::AllHeaders,
        AssertField::ResponseMessage => Subject::StatusMessage,
    };
    let re = |p: &str| {
        compile_regex(p)
            .map_err(|e| EngineError::InvalidJmx(format!("assertion `{}`: {e}", a.name)))
    };
    let mut checks = Vec::new();
    for pat in &a.patterns {
        let (op, name) = match (a.rule, a.not) {
            (AssertRule::Contains, false) => (Op::Regex(re(pat)?), "contains"),
            (AssertRule::Contains, true) => (Op::NRegex(re(pat)?), "not contains"),
            (AssertRule::Matches, n) => {
                let r = re(&format!("^(?s:{pat})$"))?;
                if n { (Op::NRegex(r), "not matches") } else { (Op::Regex(r), "matches") }
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

fn one(
    subject: Subject,
    op: Op,
    expect: String,
    ty: &str,
    point: &str,
    op_name: &str,
) -> CheckGroup {
    CheckGroup {
        checks: vec![Check {
            subject,
            op,
            expect,
            type_name: ty.into(),
            point: point.into(),
            op_name: op_name.into(),
        }],
        any: false,
    }
}

pub(super) fn check_group(c: &JmxCheck) -> Result<Option<CheckGroup>, EngineError> {
    Ok(Some(match c {
        JmxCheck::Response(a) => assertion_group(a)?,
        JmxCheck::Duration { max_ms: 0, .. } => return Ok(None),
        JmxCheck::Duration { name, max_ms } => {
            one(Subject::ElapsedMs, Op::Lte, max_ms.to_string(), "Duration", name, "<=")
        }
        JmxCheck::Size { name, of, cmp, size } => {
            let of = match of {
                JmxSizeOf::Whole => SizeOf::Whole,
                JmxSizeOf::Body => SizeOf::Body,
                JmxSizeOf::Headers => SizeOf::Headers,
            };
            let (op, n) = match cmp {
                JmxCmp::Eq => (Op::Eq, "="),
                JmxCmp::Ne => (Op::Neq, "!="),
                JmxCmp::Gt => (Op::Gt, ">"),
                JmxCmp::Lt => (Op::Lt, "<"),
                JmxCmp::Ge => (Op::Gte, ">="),
                JmxCmp::Le => (Op::Lte, "<="),
            };
            one(Subject::Size(of), op, size.to_string(), "Size", name, n)
        }
        JmxCheck::Json { name, path, expect, regex, invert } => {
            let steps = parse_json_path(path).map_err(EngineError::InvalidJmx)?;
            let (op, n) = match (expect, regex, invert) {
                (None, _, false) => (Op::Exist, "exists"),
                (None, _, true) => (Op::Nexist, "not exists"),
                (Some(v), true, inv) => {
                    let r =
                        compile_regex(&format!("^(?s:{v})$")).map_err(EngineError::InvalidJmx)?;
                    if *inv { (Op::NRegex(r), "not matches") } else { (Op::Regex(r), "matches") }
                }
                (Some(_), false, false) => (Op::Eq, "equals"),
                (Some(_), false, true) => (Op::Neq, "not equals"),
            };
            one(Subject::BodyJson(steps), op, expect.clone().unwrap_or_default(), "JSON", name, n)
        }
    }))
}

pub(super) fn export_rule(x: &JmxExtractor, vars: &mut Vars) -> Result<ExportRule, EngineError> {
    let which = if x.match_no == 0 { Which::Random } else { Which::Index(x.match_no as usize - 1) };
    let bad = |e: String| EngineError::InvalidJmx(format!("extractor `{}`: {e}", x.name));
    let (kind, ty, expr) = match &x.kind {
        JmxExtract::Regex { pattern, headers } => {
            let re = compile_regex(pattern).map_err(bad)?;
            let k = if *headers {
                ExportKind::HeadersText(re, which)
            } else {
                ExportKind::BodyText(re, which)
            };
            (k, "RegexExtractor", pattern.clone())
        }
        JmxExtract::Json { path } => (
            ExportKind::BodyJson(parse_json_path(path).map_err(bad)?),
            "JSONPostProcessor",
            path.clone(),
        ),
        JmxExtract::Boundary { left, right, headers } => (
            ExportKind::Boundary {
                left: left.clone(),
                right: right.clone(),
                which,
                headers: *headers,
            },
            "BoundaryExtractor",
            format!("{left}...{right}"),
        ),
    };
    Ok(ExportRule {
        var: vars.var(&x.refname),
        name: x.refname.clone(),
        kind,
        type_name: ty.into(),
        expr,
        count: Some(x.match_no.to_string()),
        soft: true,
        default: x.default.clone(),
    })
}

/// A template whose every `${}` reference is defined; `at`/`refs` name the property.
pub(super) fn template(vars: &Vars, text: &str) -> Template {
    Template::compile(text, &mut |name| match vars.ids.get(name) {
        Some(id) => Some(Resolved::Var(*id)),
        None => vars.globals.get(name).map(|v| Resolved::Const(v.clone())),
    })
}

pub(super) fn check_refs(
    vars: &Vars,
    at: &str,
    refs: &[(String, String)],
) -> Result<(), EngineError> {
    for (name, property) in refs {
        if vars.ids.contains_key(name) || vars.globals.contains_key(name) {
            continue;
        }
        let why = if name.starts_with("__") {
            format!("the JMeter function `${{{name}}}` is not supported")
        } else {
            format!(
                "variable `${{{name}}}` is never set (no User Defined Variable, CSV column, \
                 extractor, counter or random variable of that name)"
            )
        };
        return Err(EngineError::InvalidJmx(format!("{at}, property `{property}`: {why}")));
    }
    Ok(())
}

/// Registers the function calls of a sampler's fields as variable slots.
pub(super) fn sampler_functions(
    s: &JmxSampler,
    vars: &mut Vars,
) -> Result<Vec<(u32, Func)>, EngineError> {
    let mut out = Vec::new();
    for (name, property) in s.refs.iter().filter(|(n, _)| n.starts_with("__")) {
        let f = functions::parse(name).map_err(|why| {
            EngineError::InvalidJmx(format!("{}, property `{property}`: {why}", s.at))
        })?;
        out.push((vars.var(name), f));
    }
    Ok(out)
}

/// Registers the variables counters and random variables set.
pub(super) fn action_vars(steps: &[JmxStep], vars: &mut Vars) {
    for s in steps {
        if let JmxStep::Block(b) = s {
            for a in &b.on_enter {
                action_var(a, vars);
            }
            action_vars(&b.steps, vars);
        }
    }
}

pub(super) fn action_var(a: &JmxVarAction, vars: &mut Vars) -> u32 {
    match a {
        JmxVarAction::Counter { var, .. } | JmxVarAction::Random { var, .. } => vars.var(var),
    }
}

/// Builds flow nodes; `slots` collects initial per-thread/shared state, `reset` the slots
/// cleared at each iteration.
pub(super) struct FlowBuild<'v> {
    pub(super) vars: &'v mut Vars,
    pub(super) slots: Vec<i64>,
    pub(super) reset: Vec<usize>,
    pub(super) first_api: usize,
}

impl FlowBuild<'_> {
    fn slot(&mut self, init: &[i64]) -> usize {
        self.slots.extend_from_slice(init);
        self.slots.len() - init.len()
    }

    pub(super) fn actions(&mut self, list: &[JmxVarAction]) -> Vec<Action> {
        list.iter()
            .map(|a| {
                let var = action_var(a, self.vars);
                match a {
                    JmxVarAction::Counter {
                        start,
                        incr,
                        end,
                        format,
                        per_user,
                        reset_each_iteration,
                        ..
                    } => {
                        let slot = self.slot(&[UNSET]);
                        if *per_user && *reset_each_iteration {
                            self.reset.push(slot);
                        }
                        Action::Counter {
                            var,
                            start: *start,
                            incr: *incr,
                            end: *end,
                            format: format.clone(),
                            slot,
                            global: !per_user,
                        }
                    }
                    JmxVarAction::Random { min, max, format, .. } => {
                        Action::Random { var, min: *min, max: *max, format: format.clone() }
                    }
                }
            })
            .collect()
    }

    pub(super) fn nodes(
        &mut self,
        steps: &[JmxStep],
        samplers: &[JmxSampler],
        fns: &[Vec<(u32, Func)>],
    ) -> Result<Vec<Node>, EngineError> {
        let mut out = Vec::new();
        for s in steps {
            out.push(match s {
                JmxStep::Sampler(i) => Node::Sample {
                    api: self.first_api + i,
                    timers: samplers[*i].timers.clone(),
                    fns: fns[*i].clone(),
                },
                JmxStep::Block(b) => {
                    check_refs(self.vars, &b.at, &b.refs)?;
                    let kind = match &b.control {
                        JmxControl::Simple | JmxControl::Transaction => Kind::Plain,
                        JmxControl::OnceOnly => Kind::OnceOnly,
                        JmxControl::Loop { count } => Kind::Loop(template(self.vars, count)),
                        JmxControl::If { condition, expression, evaluate_all } => {
                            let cond = if *expression {
                                Cond::Text(template(self.vars, condition))
                            } else {
                                let e = cond::parse(condition).map_err(|why| {
                                    EngineError::InvalidJmx(format!(
                                        "{}, property `IfController.condition`: {why}",
                                        b.at
                                    ))
                                })?;
                                let vars = &*self.vars;
                                Cond::Expr(
                                    e.compile(&mut |t| Ok::<_, EngineError>(template(vars, t)))?,
                                )
                            };
                            Kind::If { cond, all: *evaluate_all }
                        }
                        JmxControl::Interleave { across_threads } => {
                            Kind::Interleave { slot: self.slot(&[0]), global: *across_threads }
                        }
                        JmxControl::Throughput { per_user, rule } => Kind::Throughput {
                            slot: self.slot(&[0, 0]),
                            global: !per_user,
                            rule: *rule,
                        },
                    };
                    let on_enter = self.actions(&b.on_enter);
                    let body = self.nodes(&b.steps, samplers, fns)?;
                    let samples = body.iter().any(|n| match n {
                        Node::Sample { .. } => true,
                        Node::Block { samples, .. } => *samples,
                    });
                    Node::Block { kind, on_enter, body, samples }
                }
            });
        }
        Ok(out)
    }
}

fn unescape_delim(d: &str) -> u8 {
    match d {
        "\\t" | "\t" => b'\t',
        "" => b',',
        d => d.as_bytes()[0],
    }
}

/// CSV tables of a thread group (registers their columns).
pub(super) fn tables(
    tg: &JmxThreadGroup,
    files: &dyn FileResolver,
    vars: &mut Vars,
) -> Result<Vec<Table>, EngineError> {
    let mut tables = Vec::new();
    for c in &tg.csv {
        let name = base_name(&c.filename).to_string();
        let data =
            files.read(&name).map_err(|reason| EngineError::File { name: name.clone(), reason })?;
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
    Ok(tables)
}

//! Parsers of the single elements of the JMX subset (config, assertions, timers, extractors).

use super::types::{
    AssertField, AssertRule, JmxAssertion, JmxCheck, JmxCmp, JmxCsv, JmxExtract, JmxExtractor,
    JmxSizeOf, JmxTimer, JmxVarAction,
};
use super::xml::{At, Consts, bool_prop, prop};
use crate::engine::check::compile_regex;
use crate::engine::error::EngineError;
use roxmltree::Node;
use std::collections::HashMap;

/// Scoped settings inherited down the tree.
#[derive(Clone, Default)]
pub(super) struct Scope {
    pub(super) headers: Vec<(String, String)>,
    pub(super) checks: Vec<JmxCheck>,
    pub(super) think_ms: u64,
    pub(super) timers: Vec<JmxTimer>,
    pub(super) extractors: Vec<JmxExtractor>,
    pub(super) defaults: HashMap<String, String>,
}

/// Tags that are accepted and ignored.
pub(super) const HARMLESS: &[&str] = &["ResultCollector"];

/// Tags JMeter never runs in a test, skipped with their subtree: the WorkBench (dropped on
/// load) and the HTTP(S) Test Script Recorder (it only records, from the GUI).
pub(super) const NEVER_RUN: &[&str] = &["WorkBench", "ProxyControl"];

fn testname(n: Node<'_, '_>, dflt: &str) -> String {
    n.attribute("testname").unwrap_or(dflt).to_string()
}

/// Adds a scoped config/assertion/timer/extractor element to `scope`; false when `e` is not one.
pub(super) fn add_scoped(
    scope: &mut Scope,
    at: &At<'_, '_>,
    c: &Consts,
) -> Result<bool, EngineError> {
    let e = at.node;
    match e.tag_name().name() {
        "HeaderManager" => {
            for h in e.descendants().filter(|d| d.attribute("elementType") == Some("Header")) {
                let name = prop(h, "Header.name").unwrap_or("").trim().to_string();
                if !name.is_empty() {
                    scope.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
                    scope.headers.push((name, c.subst(prop(h, "Header.value").unwrap_or(""))));
                }
            }
        }
        "ConfigTestElement" if e.attribute("guiclass") == Some("HttpDefaultsGui") => {
            for key in ["domain", "port", "protocol", "path", "connect_timeout", "response_timeout"]
            {
                if let Some(v) = at.text(c, &format!("HTTPSampler.{key}"))
                    && !v.trim().is_empty()
                {
                    scope.defaults.insert(key.to_string(), v.trim().to_string());
                }
            }
        }
        "ResponseAssertion" => scope.checks.push(JmxCheck::Response(response_assertion(at, c)?)),
        "DurationAssertion" => scope.checks.push(JmxCheck::Duration {
            name: testname(e, "Duration Assertion"),
            max_ms: at.int(c, "DurationAssertion.duration", 0)?.max(0) as u64,
        }),
        "SizeAssertion" => scope.checks.push(size_assertion(at, c)?),
        "JSONPathAssertion" => scope.checks.push(json_assertion(at, c)?),
        "ConstantTimer" | "UniformRandomTimer" | "GaussianRandomTimer" => {
            let delay = at.float(c, "ConstantTimer.delay", 0.0)?.max(0.0);
            scope.think_ms += delay.round() as u64;
            let range = at.float(c, "RandomTimer.range", 0.0)?.max(0.0);
            match e.tag_name().name() {
                "UniformRandomTimer" if range > 0.0 => {
                    scope.timers.push(JmxTimer::Uniform { range_ms: range })
                }
                "GaussianRandomTimer" if range > 0.0 => {
                    scope.timers.push(JmxTimer::Gaussian { deviation_ms: range })
                }
                _ => {}
            }
        }
        "RegexExtractor" => scope.extractors.push(regex_extractor(at, c)?),
        "JSONPostProcessor" => scope.extractors.extend(json_extractors(at, c)?),
        "BoundaryExtractor" => scope.extractors.push(boundary_extractor(at, c)?),
        _ => return Ok(false),
    }
    Ok(true)
}

fn response_assertion(at: &At<'_, '_>, c: &Consts) -> Result<JmxAssertion, EngineError> {
    let n = at.node;
    let field = match prop(n, "Assertion.test_field").unwrap_or("Assertion.response_data") {
        "Assertion.response_code" => AssertField::ResponseCode,
        "Assertion.response_data" | "Assertion.response_data_as_document" => {
            AssertField::ResponseData
        }
        "Assertion.response_headers" => AssertField::ResponseHeaders,
        "Assertion.response_message" => AssertField::ResponseMessage,
        other => return Err(at.err("Assertion.test_field", format!("`{other}` is not supported"))),
    };
    if bool_prop(n, "Assertion.assume_success") == Some(true) {
        return Err(at.err("Assertion.assume_success", "ignoring the status is not supported"));
    }
    let ty = at.int(c, "Assertion.test_type", 2)?;
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
        .map(|p| c.subst(p.text().unwrap_or("")))
        .collect();
    Ok(JmxAssertion {
        name: testname(n, "Response Assertion"),
        field,
        rule,
        not: ty & 4 != 0,
        or: ty & 32 != 0,
        patterns,
    })
}

fn size_assertion(at: &At<'_, '_>, c: &Consts) -> Result<JmxCheck, EngineError> {
    let of = match prop(at.node, "Assertion.test_field")
        .unwrap_or("SizeAssertion.response_network_size")
    {
        "SizeAssertion.response_network_size" | "" => JmxSizeOf::Whole,
        "SizeAssertion.response_data" => JmxSizeOf::Body,
        "SizeAssertion.response_headers" => JmxSizeOf::Headers,
        other => return Err(at.err("Assertion.test_field", format!("`{other}` is not supported"))),
    };
    let cmp = match at.int(c, "SizeAssertion.operator", 1)? {
        1 => JmxCmp::Eq,
        2 => JmxCmp::Ne,
        3 => JmxCmp::Gt,
        4 => JmxCmp::Lt,
        5 => JmxCmp::Ge,
        6 => JmxCmp::Le,
        o => return Err(at.err("SizeAssertion.operator", format!("`{o}` is not 1..6"))),
    };
    Ok(JmxCheck::Size {
        name: testname(at.node, "Size Assertion"),
        of,
        cmp,
        size: at.int(c, "SizeAssertion.size", 0)?.max(0) as u64,
    })
}

fn json_assertion(at: &At<'_, '_>, c: &Consts) -> Result<JmxCheck, EngineError> {
    let n = at.node;
    if bool_prop(n, "EXPECT_NULL") == Some(true) {
        return Err(at.err("EXPECT_NULL", "expecting null is not supported"));
    }
    let path = at.text(c, "JSON_PATH").unwrap_or_default();
    crate::engine::check::parse_json_path(&path).map_err(|e| at.err("JSON_PATH", e))?;
    let validate = bool_prop(n, "JSONVALIDATION").unwrap_or(false);
    Ok(JmxCheck::Json {
        name: testname(n, "JSON Assertion"),
        path,
        expect: validate.then(|| at.text(c, "EXPECTED_VALUE").unwrap_or_default()),
        regex: bool_prop(n, "ISREGEX").unwrap_or(true),
        invert: bool_prop(n, "INVERT").unwrap_or(false),
    })
}

fn match_no(at: &At<'_, '_>, c: &Consts, name: &str) -> Result<u32, EngineError> {
    let m = at.int(c, name, 1)?;
    if m < 0 {
        return Err(at.err(name, "-1 (all matches as name_1..name_N) is not supported"));
    }
    Ok(m as u32)
}

/// Where a regex/boundary extractor looks: body (`false`) or headers (`true`).
fn extract_field(at: &At<'_, '_>, name: &str) -> Result<bool, EngineError> {
    match prop(at.node, name).unwrap_or("false").trim() {
        "false" | "" | "body" => Ok(false),
        "true" => Ok(true),
        other => Err(at.err(name, format!("field `{other}` is not supported (body or headers)"))),
    }
}

/// `<element>.default`, or None (variable left as it was) when empty and
/// `<element>.default_empty_value` is not set.
fn default_value(at: &At<'_, '_>, c: &Consts, element: &str) -> Option<String> {
    let d = at.text(c, &format!("{element}.default")).unwrap_or_default();
    let empty_ok = bool_prop(at.node, &format!("{element}.default_empty_value")) == Some(true);
    (!d.is_empty() || empty_ok).then_some(d)
}

fn refname(at: &At<'_, '_>, c: &Consts, name: &str) -> Result<String, EngineError> {
    let r = at.text(c, name).unwrap_or_default().trim().to_string();
    if r.is_empty() {
        return Err(at.err(name, "is empty"));
    }
    Ok(r)
}

fn regex_extractor(at: &At<'_, '_>, c: &Consts) -> Result<JmxExtractor, EngineError> {
    let pattern = at.text(c, "RegexExtractor.regex").unwrap_or_default();
    let re = compile_regex(&pattern).map_err(|e| at.err("RegexExtractor.regex", e))?;
    let tpl = at.text(c, "RegexExtractor.template").unwrap_or_default();
    let groups = re.captures_len() - 1;
    match tpl.trim() {
        "$1$" if groups >= 1 => {}
        "$0$" if groups == 0 => {}
        t => {
            return Err(at.err(
                "RegexExtractor.template",
                format!("`{t}` is not supported (use $1$ with a capturing group, or $0$ without)"),
            ));
        }
    }
    Ok(JmxExtractor {
        name: testname(at.node, "Regular Expression Extractor"),
        refname: refname(at, c, "RegexExtractor.refname")?,
        kind: JmxExtract::Regex {
            pattern,
            headers: extract_field(at, "RegexExtractor.useHeaders")?,
        },
        match_no: match_no(at, c, "RegexExtractor.match_number")?,
        default: default_value(at, c, "RegexExtractor"),
    })
}

fn boundary_extractor(at: &At<'_, '_>, c: &Consts) -> Result<JmxExtractor, EngineError> {
    Ok(JmxExtractor {
        name: testname(at.node, "Boundary Extractor"),
        refname: refname(at, c, "BoundaryExtractor.refname")?,
        kind: JmxExtract::Boundary {
            left: at.text(c, "BoundaryExtractor.lboundary").unwrap_or_default(),
            right: at.text(c, "BoundaryExtractor.rboundary").unwrap_or_default(),
            headers: extract_field(at, "BoundaryExtractor.useHeaders")?,
        },
        match_no: match_no(at, c, "BoundaryExtractor.match_number")?,
        default: default_value(at, c, "BoundaryExtractor"),
    })
}

/// A JSON extractor sets one variable per `;`-separated name/path/default.
fn json_extractors(at: &At<'_, '_>, c: &Consts) -> Result<Vec<JmxExtractor>, EngineError> {
    let list = |k: &str| -> Vec<String> {
        at.text(c, k).unwrap_or_default().split(';').map(|s| s.trim().to_string()).collect()
    };
    let names = list("JSONPostProcessor.referenceNames");
    let paths = list("JSONPostProcessor.jsonPathExprs");
    let defaults = list("JSONPostProcessor.defaultValues");
    let matches = list("JSONPostProcessor.match_numbers");
    if names.len() != paths.len() || names.iter().any(|n| n.is_empty()) {
        return Err(at.err(
            "JSONPostProcessor.referenceNames",
            "needs one name per JSON path (separated by ;)",
        ));
    }
    if bool_prop(at.node, "JSONPostProcessor.compute_concat") == Some(true) {
        return Err(at.err("JSONPostProcessor.compute_concat", "is not supported"));
    }
    let mut out = Vec::new();
    for (i, (name, path)) in names.iter().zip(&paths).enumerate() {
        crate::engine::check::parse_json_path(path)
            .map_err(|e| at.err("JSONPostProcessor.jsonPathExprs", e))?;
        if path.contains("..") || path.contains('*') || path.contains("?(") {
            return Err(at.err(
                "JSONPostProcessor.jsonPathExprs",
                format!("`{path}`: only simple paths ($.a.b[0]) are supported"),
            ));
        }
        let m = matches.get(i).or(matches.first()).map(|s| s.as_str()).unwrap_or("");
        let m = if m.is_empty() {
            1
        } else {
            m.parse::<i64>().map_err(|_| {
                at.err("JSONPostProcessor.match_numbers", format!("`{m}` is not a number"))
            })?
        };
        if m < 0 {
            return Err(
                at.err("JSONPostProcessor.match_numbers", "-1 (all matches) is not supported")
            );
        }
        out.push(JmxExtractor {
            name: testname(at.node, "JSON Extractor"),
            refname: name.clone(),
            kind: JmxExtract::Json { path: path.clone() },
            match_no: m as u32,
            default: Some(defaults.get(i).cloned().unwrap_or_default()),
        });
    }
    Ok(out)
}

/// A counter or random variable config element.
pub(super) fn var_action(at: &At<'_, '_>, c: &Consts) -> Result<Option<JmxVarAction>, EngineError> {
    let n = at.node;
    let format = |k: &str| -> Result<String, EngineError> {
        let f = at.text(c, k).unwrap_or_default();
        if f.contains([',', '.', '%', '\'', 'E']) {
            return Err(
                at.err(k, format!("`{f}`: only zero padding (000) and literal text are supported"))
            );
        }
        Ok(f)
    };
    Ok(Some(match n.tag_name().name() {
        "CounterConfig" => {
            let end = at.text(c, "CounterConfig.end").unwrap_or_default();
            JmxVarAction::Counter {
                var: refname(at, c, "CounterConfig.name")?,
                start: at.int(c, "CounterConfig.start", 0)?,
                incr: at.int(c, "CounterConfig.incr", 1)?,
                end: if end.trim().is_empty() {
                    None
                } else {
                    Some(at.int(c, "CounterConfig.end", 0)?)
                },
                format: format("CounterConfig.format")?,
                per_user: bool_prop(n, "CounterConfig.per_user").unwrap_or(false),
                reset_each_iteration: bool_prop(n, "CounterConfig.reset_on_tg_iteration")
                    .unwrap_or(false),
            }
        }
        "RandomVariableConfig" => {
            let min = at.int(c, "minimumValue", 1)?;
            let max = at.int(c, "maximumValue", i64::from(i32::MAX))?;
            if max < min {
                return Err(at.err("maximumValue", format!("{max} is below minimumValue {min}")));
            }
            JmxVarAction::Random {
                var: refname(at, c, "variableName")?,
                min,
                max,
                format: format("outputFormat")?,
            }
        }
        _ => return Ok(None),
    }))
}

pub(super) fn csv_elem(at: &At<'_, '_>, c: &Consts) -> JmxCsv {
    let n = at.node;
    JmxCsv {
        filename: at.text(c, "filename").unwrap_or_default().trim().to_string(),
        variable_names: at
            .text(c, "variableNames")
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        delimiter: prop(n, "delimiter").unwrap_or(",").to_string(),
        ignore_first_line: bool_prop(n, "ignoreFirstLine").unwrap_or(false),
        recycle: bool_prop(n, "recycle").unwrap_or(true),
    }
}

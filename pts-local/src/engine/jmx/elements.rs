//! XML helpers and the per-element parsers of the JMX subset (properties, arguments,
//! assertions, CSV data sets, scope).

use super::*;

pub(super) fn prop<'a>(n: Node<'a, 'a>, name: &str) -> Option<&'a str> {
    n.children()
        .filter(|c| c.is_element())
        .find(|c| c.attribute("name") == Some(name))
        .map(|c| c.text().unwrap_or(""))
}

pub(super) fn prop_node<'a>(n: Node<'a, 'a>, name: &str) -> Option<Node<'a, 'a>> {
    n.children().filter(|c| c.is_element()).find(|c| c.attribute("name") == Some(name))
}

pub(super) fn bool_prop(n: Node<'_, '_>, name: &str) -> Option<bool> {
    prop(n, name).map(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Evaluates `${__P(name,default)}` / `${__property(name,,default)}` to the default.
pub(super) fn jm_number(raw: &str, what: &str) -> Result<i64, EngineError> {
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

pub(super) fn arguments(n: Node<'_, '_>) -> Vec<(String, String)> {
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

pub(super) fn form_encode(s: &str) -> String {
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
pub(super) struct Scope {
    pub(super) headers: Vec<(String, String)>,
    pub(super) assertions: Vec<JmxAssertion>,
    pub(super) think_ms: u64,
    pub(super) defaults: HashMap<String, String>,
}

pub(super) const HARMLESS: &[&str] = &["ResultCollector"];

pub(super) fn unsupported(n: Node<'_, '_>, path: &[String]) -> EngineError {
    EngineError::UnsupportedElement {
        name: n.tag_name().name().to_string(),
        testname: n.attribute("testname").map(str::to_string),
        path: if path.is_empty() { "jmeterTestPlan".into() } else { path.join(" > ") },
    }
}

/// (element, its hashTree) pairs of a hashTree.
pub(super) fn pairs<'a>(tree: Node<'a, 'a>) -> Vec<(Node<'a, 'a>, Option<Node<'a, 'a>>)> {
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

pub(super) fn is_enabled(n: Node<'_, '_>) -> bool {
    n.attribute("enabled") != Some("false")
}

pub(super) fn parse_assertion(n: Node<'_, '_>) -> Result<JmxAssertion, EngineError> {
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

pub(super) fn parse_csv_elem(n: Node<'_, '_>) -> JmxCsv {
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

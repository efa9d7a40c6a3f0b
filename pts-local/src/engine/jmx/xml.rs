//! XML helpers of the JMX reader: properties, hashTree pairs, constants and error messages.

use crate::engine::error::EngineError;
use roxmltree::Node;

/// The text of property `name` (`stringProp`, `boolProp`, `intProp`...; `FloatProperty` and
/// `DoubleProperty` keep the name in a child element).
pub(super) fn prop<'a>(n: Node<'a, 'a>, name: &str) -> Option<&'a str> {
    for c in n.children().filter(|c| c.is_element()) {
        if c.attribute("name") == Some(name) {
            return Some(c.text().unwrap_or(""));
        }
        let inner = |tag: &str| c.children().find(|d| d.has_tag_name(tag));
        if inner("name").and_then(|d| d.text()) == Some(name) {
            return Some(inner("value").and_then(|v| v.text()).unwrap_or(""));
        }
    }
    None
}

pub(super) fn prop_node<'a>(n: Node<'a, 'a>, name: &str) -> Option<Node<'a, 'a>> {
    n.children().filter(|c| c.is_element()).find(|c| c.attribute("name") == Some(name))
}

pub(super) fn bool_prop(n: Node<'_, '_>, name: &str) -> Option<bool> {
    prop(n, name).map(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Name/value pairs of an `Arguments` element (or an `HTTPsampler.Arguments` property).
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

pub(super) fn unsupported(n: Node<'_, '_>, path: &[String]) -> EngineError {
    EngineError::UnsupportedElement {
        name: n.tag_name().name().to_string(),
        testname: n.attribute("testname").map(str::to_string),
        path: path_text(path),
    }
}

pub(super) fn path_text(path: &[String]) -> String {
    if path.is_empty() { "jmeterTestPlan".into() } else { path.join(" > ") }
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

/// An element and where it sits, for messages that name the property at fault.
pub(super) struct At<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub path: String,
}

impl<'a, 'i> At<'a, 'i> {
    pub(super) fn new(node: Node<'a, 'i>, path: &[String]) -> Self {
        At { node, path: path_text(path) }
    }

    /// `Tag "testname" at path`.
    pub(super) fn describe(&self) -> String {
        format!(
            "{} \"{}\" at {}",
            self.node.tag_name().name(),
            self.node.attribute("testname").unwrap_or(""),
            self.path
        )
    }

    pub(super) fn err(&self, property: &str, why: impl std::fmt::Display) -> EngineError {
        EngineError::InvalidJmx(format!("{}, property `{property}`: {why}", self.describe()))
    }

    /// Property text with constants substituted.
    pub(super) fn text(&self, c: &Consts, name: &str) -> Option<String> {
        prop(self.node, name).map(|v| c.subst(v))
    }

    /// A number property (None when empty); text that is not a number is refused, naming
    /// the property and `what` it must be.
    fn number(
        &self,
        c: &Consts,
        name: &str,
        what: &str,
        ok: fn(f64) -> bool,
    ) -> Result<Option<f64>, EngineError> {
        let v = self.text(c, name).unwrap_or_default();
        let t = v.trim();
        if t.is_empty() {
            return Ok(None);
        }
        match t.parse::<f64>() {
            Ok(f) if f.is_finite() && ok(f) => Ok(Some(f)),
            _ => Err(self.err(name, format!("`{t}` is not {what}"))),
        }
    }

    /// A whole number (empty = `dflt`); runtime variables are refused.
    pub(super) fn int(&self, c: &Consts, name: &str, dflt: i64) -> Result<i64, EngineError> {
        Ok(self.number(c, name, "a whole number", |f| f.fract() == 0.0)?.map_or(dflt, |f| f as i64))
    }

    /// A number (empty = `dflt`).
    pub(super) fn float(&self, c: &Consts, name: &str, dflt: f64) -> Result<f64, EngineError> {
        Ok(self.number(c, name, "a number", |_| true)?.unwrap_or(dflt))
    }
}

/// `${}` constants known at load: User Defined Variables and `__P`/`__property` defaults.
#[derive(Debug, Default, Clone)]
pub(super) struct Consts {
    pub(super) vars: Vec<(String, String)>,
    /// Names set during the run: never substituted at load.
    pub(super) runtime: Vec<String>,
}

impl Consts {
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        if self.runtime.iter().any(|r| r == name) {
            return None;
        }
        self.vars.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Substitutes known constants and `${__P(name,default)}` (-> default); other references
    /// stay as written.
    pub(super) fn subst(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = ref_end(after) else {
                out.push_str(&rest[start..]);
                return out;
            };
            let name = after[..end].trim();
            let whole = &rest[start..start + 2 + end + 1];
            if let Some(args) =
                name.strip_prefix("__P(").or_else(|| name.strip_prefix("__property("))
            {
                let args = args.strip_suffix(')').unwrap_or(args);
                let dflt = if name.starts_with("__P(") {
                    args.split_once(',').map(|(_, d)| d)
                } else {
                    args.splitn(3, ',').nth(2)
                };
                out.push_str(&self.subst(dflt.unwrap_or("").trim()));
            } else if let Some(v) = self.get(name) {
                out.push_str(v);
            } else {
                out.push_str(whole);
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// End of a `${...}` reference body (nested parentheses may hold `}`).
fn ref_end(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, ch) in s.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            '}' if depth <= 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// The `${}` references in `text`: (name, property).
pub(super) fn refs_in(text: &str, property: &str, out: &mut Vec<(String, String)>) {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = ref_end(after) else { return };
        let name = after[..end].trim().to_string();
        if !out.iter().any(|(n, _)| *n == name) {
            out.push((name, property.to_string()));
        }
        rest = &after[end + 1..];
    }
}

//! Checkpoints (assertions) and exports (extractors).

use super::error::EngineError;
use super::template::VarId;
use regex_lite::Regex;

/// What a checkpoint looks at.
#[derive(Debug, Clone)]
pub(crate) enum Subject {
    /// The final status code as decimal text.
    StatusCode,
    /// One response header (case-insensitive name); absent -> no value.
    Header(String),
    /// The response body as text (bodies over the inspection cap are truncated).
    BodyText,
    /// The value of an exported parameter after this request's exports ran.
    ExportedParam(Option<VarId>),
    /// All response headers as `Name: value` lines (JMeter `response_headers`).
    AllHeaders,
    /// The reason phrase (JMeter `response_message`).
    StatusMessage,
    /// The response time in whole milliseconds (JMeter duration assertions).
    ElapsedMs,
    /// Response size in bytes (JMeter size assertions).
    Size(SizeOf),
    /// A value in the JSON body; absent when the body is not JSON or the path finds nothing.
    BodyJson(Vec<PathStep>),
}

/// What a size checkpoint measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SizeOf {
    /// Head and body as received.
    Whole,
    Body,
    Headers,
}

/// A comparison operator. See the module docs of `engine` for the accepted spellings.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
    Ctn,
    Nctn,
    Exist,
    Nexist,
    /// Regex found anywhere in the value.
    Regex(Regex),
    /// Regex not found.
    NRegex(Regex),
}

impl Op {
    /// Parses a PTS operator name (case-insensitive, with aliases).
    pub(crate) fn parse(name: &str, expect: &str) -> Result<Op, String> {
        let n = name.trim().to_ascii_lowercase();
        Ok(match n.as_str() {
            "eq" | "=" | "==" | "equal" | "equals" => Op::Eq,
            "neq" | "ne" | "!=" | "<>" | "not_equal" => Op::Neq,
            "gt" | ">" => Op::Gt,
            "gte" | "ge" | ">=" => Op::Gte,
            "lt" | "<" => Op::Lt,
            "lte" | "le" | "<=" => Op::Lte,
            "ctn" | "contain" | "contains" => Op::Ctn,
            "nctn" | "not_contain" | "not_contains" | "ncontain" => Op::Nctn,
            "exist" | "exists" => Op::Exist,
            "nexist" | "not_exist" | "not_exists" | "nexists" => Op::Nexist,
            "regex" | "regexp" | "match" | "matches" => Op::Regex(compile_regex(expect)?),
            "nregex" | "not_regex" | "not_match" => Op::NRegex(compile_regex(expect)?),
            _ => return Err(format!("unknown checkpoint operator `{name}`")),
        })
    }
}

pub(crate) fn compile_regex(pattern: &str) -> Result<Regex, String> {
    Regex::new(pattern).map_err(|e| format!("invalid regex `{pattern}`: {e}"))
}

fn num(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

fn ordered(real: &str, expect: &str) -> std::cmp::Ordering {
    match (num(real), num(expect)) {
        (Some(a), Some(b)) => a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal),
        _ => real.cmp(expect),
    }
}

/// Evaluates `op` on `real` (None = the subject does not exist).
pub(crate) fn eval(op: &Op, real: Option<&str>, expect: &str) -> bool {
    use std::cmp::Ordering::*;
    match op {
        Op::Exist => real.is_some(),
        Op::Nexist => real.is_none(),
        Op::Nctn => real.is_none_or(|r| !r.contains(expect)),
        Op::NRegex(re) => real.is_none_or(|r| !re.is_match(r)),
        Op::Neq => real.is_none_or(|r| r != expect && ordered(r, expect) != Equal),
        _ => {
            let Some(r) = real else { return false };
            match op {
                Op::Eq => r == expect || (num(r).is_some() && ordered(r, expect) == Equal),
                Op::Gt => ordered(r, expect) == Greater,
                Op::Gte => ordered(r, expect) != Less,
                Op::Lt => ordered(r, expect) == Less,
                Op::Lte => ordered(r, expect) != Greater,
                Op::Ctn => r.contains(expect),
                Op::Regex(re) => re.is_match(r),
                _ => unreachable!(),
            }
        }
    }
}

/// One checkpoint.
#[derive(Debug, Clone)]
pub(crate) struct Check {
    pub subject: Subject,
    pub op: Op,
    pub expect: String,
    /// As written in the scene, for sample logs.
    pub type_name: String,
    pub point: String,
    pub op_name: String,
}

/// A group of checkpoints: all must pass (`any == false`) or at least one (`any == true`, JMeter
/// "Or" assertions). A PTS checkpoint is a group of one; all groups of a request are AND-ed.
#[derive(Debug, Clone)]
pub(crate) struct CheckGroup {
    pub checks: Vec<Check>,
    pub any: bool,
}

/// Which match a BODY_TEXT export takes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Which {
    Index(usize),
    Random,
}

#[derive(Debug, Clone)]
pub(crate) enum ExportKind {
    BodyJson(Vec<PathStep>),
    BodyText(Regex, Which),
    Header(String),
    StatusCode,
    /// A regex over all response headers as `Name: value` lines.
    HeadersText(Regex, Which),
    /// The text between two boundaries in the body (or the headers when `headers`).
    Boundary {
        left: String,
        right: String,
        which: Which,
        headers: bool,
    },
}

/// One export rule.
#[derive(Debug, Clone)]
pub(crate) struct ExportRule {
    pub var: VarId,
    pub name: String,
    pub kind: ExportKind,
    pub type_name: String,
    pub expr: String,
    pub count: Option<String>,
    /// JMeter extractors never fail a request: a miss stores `default` (None leaves the
    /// variable as it was). PTS exports (`soft == false`) clear it and fail the request.
    pub soft: bool,
    pub default: Option<String>,
}

impl ExportRule {
    pub(crate) fn needs_body(&self) -> bool {
        match &self.kind {
            ExportKind::BodyJson(_) | ExportKind::BodyText(..) => true,
            ExportKind::Boundary { headers, .. } => !headers,
            _ => false,
        }
    }
}

/// True when a request's checkpoints or exports read its body.
pub(crate) fn reads_body(checks: &[CheckGroup], exports: &[ExportRule]) -> bool {
    exports.iter().any(ExportRule::needs_body)
        || checks
            .iter()
            .flat_map(|g| &g.checks)
            .any(|c| matches!(c.subject, Subject::BodyText | Subject::BodyJson(_)))
}

/// The `which`-th text between `left` and `right` (empty boundaries match the start/end).
pub(crate) fn boundary_extract(
    text: &str,
    left: &str,
    right: &str,
    which: Which,
    rng: &mut u64,
) -> Option<String> {
    let mut all = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(left) {
        let after = &rest[i + left.len()..];
        let Some(j) = (if right.is_empty() { Some(after.len()) } else { after.find(right) }) else {
            break;
        };
        all.push(&after[..j]);
        if let Which::Index(n) = which
            && all.len() > n
        {
            break;
        }
        let next = &after[j + right.len()..];
        if next.len() == rest.len() || (left.is_empty() && right.is_empty()) {
            break;
        }
        rest = next;
    }
    let i = match which {
        Which::Index(i) => i,
        Which::Random if all.is_empty() => return None,
        Which::Random => (next_rand(rng) % all.len() as u64) as usize,
    };
    all.get(i).map(|s| s.to_string())
}

/// Builds the export kind from the scene's strings.
pub(crate) fn parse_export(
    export_type: &str,
    expr: &str,
    count: Option<&str>,
) -> Result<ExportKind, String> {
    use pts_api::shapes::export_type::ExportType;
    Ok(match ExportType::from(export_type.trim().to_ascii_uppercase()) {
        ExportType::BodyJson => ExportKind::BodyJson(parse_json_path(expr)?),
        ExportType::BodyText => {
            let which = match count.map(str::trim) {
                None | Some("") => Which::Index(0),
                Some(c) if c.eq_ignore_ascii_case("random") => Which::Random,
                Some(c) => Which::Index(
                    c.parse()
                        .map_err(|_| format!("export Count `{c}` is not a number or Random"))?,
                ),
            };
            ExportKind::BodyText(compile_regex(expr)?, which)
        }
        ExportType::Header => ExportKind::Header(expr.trim().to_ascii_lowercase()),
        ExportType::StatusCode => ExportKind::StatusCode,
        ExportType::Unknown(other) => return Err(format!("unknown ExportType `{other}`")),
    })
}

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PathStep {
    Key(String),
    Index(usize),
}

/// Parses `data.items[0].id`, `$.data.items[0].id`, `$['data']["items"][0]` or `[1].x`.
pub(crate) fn parse_json_path(expr: &str) -> Result<Vec<PathStep>, String> {
    let bad = || format!("invalid JSON path `{expr}`");
    let mut s = expr.trim();
    if let Some(r) = s.strip_prefix('$') {
        s = r;
    }
    let mut steps = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'.' => i += 1,
            b'[' => {
                let close = s[i..].find(']').ok_or_else(bad)? + i;
                let inner = s[i + 1..close].trim();
                if let Some(q) = inner.strip_prefix(['\'', '"']) {
                    let key = q.strip_suffix(['\'', '"']).ok_or_else(bad)?;
                    steps.push(PathStep::Key(key.to_string()));
                } else {
                    steps.push(PathStep::Index(inner.parse().map_err(|_| bad())?));
                }
                i = close + 1;
            }
            _ => {
                let end = s[i..].find(['.', '[']).map(|e| e + i).unwrap_or(s.len());
                steps.push(PathStep::Key(s[i..end].to_string()));
                i = end;
            }
        }
    }
    if steps.is_empty() {
        return Err(bad());
    }
    Ok(steps)
}

/// Follows `path` in `v`; strings come out bare, other values as compact JSON.
pub(crate) fn json_lookup(v: &serde_json::Value, path: &[PathStep]) -> Option<String> {
    let mut cur = v;
    for step in path {
        cur = match step {
            PathStep::Key(k) => cur.get(k.as_str())?,
            PathStep::Index(i) => cur.get(*i)?,
        };
    }
    Some(match cur {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => return None,
        other => other.to_string(),
    })
}

/// Runs a BODY_TEXT regex export: capture group 1 if the pattern has one, else the whole match.
pub(crate) fn regex_extract(re: &Regex, which: Which, text: &str, rng: &mut u64) -> Option<String> {
    let pick =
        |c: regex_lite::Captures<'_>| c.get(1).or_else(|| c.get(0)).map(|m| m.as_str().to_string());
    match which {
        Which::Index(i) => re.captures_iter(text).nth(i).and_then(pick),
        Which::Random => {
            let all: Vec<_> = re.captures_iter(text).collect();
            if all.is_empty() {
                return None;
            }
            let i = (next_rand(rng) % all.len() as u64) as usize;
            all.into_iter().nth(i).and_then(pick)
        }
    }
}

/// xorshift64*: cheap per-VU randomness (not for security).
pub(crate) fn next_rand(state: &mut u64) -> u64 {
    let mut x = *state;
    if x == 0 {
        x = 0x9E37_79B9_7F4A_7C15;
    }
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    x.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

/// Builds an `InvalidScene` error for API `api` of relation `rel`.
pub(crate) fn scene_err(rel: &str, api: &str, msg: impl std::fmt::Display) -> EngineError {
    EngineError::InvalidScene(format!("relation `{rel}`, API `{api}`: {msg}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators() {
        let e =
            |op: &str, real: Option<&str>, exp: &str| eval(&Op::parse(op, exp).unwrap(), real, exp);
        assert!(e("eq", Some("200"), "200"));
        assert!(e("eq", Some("200.0"), "200"));
        assert!(!e("eq", None, "200"));
        assert!(e("neq", Some("201"), "200"));
        assert!(e("neq", None, "200"));
        assert!(e("gt", Some("10"), "9"));
        assert!(!e("gt", Some("9"), "10"));
        assert!(e("gte", Some("10"), "10"));
        assert!(e("lt", Some("abc"), "abd"));
        assert!(e("lte", Some("3"), "3"));
        assert!(e("ctn", Some("hello world"), "lo w"));
        assert!(e("nctn", Some("hello"), "x"));
        assert!(e("exist", Some(""), ""));
        assert!(e("nexist", None, ""));
        assert!(e("regex", Some("id=42"), r"id=\d+"));
        assert!(Op::parse("bogus", "").is_err());
    }

    #[test]
    fn json_paths() {
        let v: serde_json::Value =
            serde_json::from_str(r#"{"data":{"items":[{"id":7,"n":"x"}]},"a b":true}"#).unwrap();
        for p in ["data.items[0].id", "$.data.items[0].id", "$['data'][\"items\"][0].id"] {
            assert_eq!(json_lookup(&v, &parse_json_path(p).unwrap()).as_deref(), Some("7"), "{p}");
        }
        assert_eq!(json_lookup(&v, &parse_json_path("data.items[0].n").unwrap()).unwrap(), "x");
        assert_eq!(json_lookup(&v, &parse_json_path("$['a b']").unwrap()).unwrap(), "true");
        assert!(json_lookup(&v, &parse_json_path("data.items[3]").unwrap()).is_none());
        assert!(parse_json_path("$").is_err());
    }

    #[test]
    fn regex_exports() {
        let re = compile_regex(r"id=(\d+)").unwrap();
        let mut rng = 1;
        assert_eq!(regex_extract(&re, Which::Index(1), "id=1 id=2", &mut rng).unwrap(), "2");
        assert!(regex_extract(&re, Which::Index(2), "id=1 id=2", &mut rng).is_none());
        assert!(regex_extract(&re, Which::Random, "id=1 id=2", &mut rng).is_some());
    }
}

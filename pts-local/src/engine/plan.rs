//! The compiled, engine-internal form of a run: what PTS scenes and JMX plans turn into.

use super::check::{CheckGroup, ExportRule};
use super::error::EngineError;
use super::safety::norm_host;
use super::template::{Resolved, Template, VarId};
use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use http::{Method, Uri};
use std::collections::HashMap;
use std::ops::Range;
use std::time::Duration;

/// Which API family a run belongs to (decides report conventions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    Pts,
    JMeter,
}

/// How load is specified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadMode {
    /// Virtual users per relation (closed loop).
    Concurrency,
    /// Requests per second per API (open loop, latency from the intended send time).
    Rps,
}

/// A load level over time (levels are VUs or requests/s).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Schedule {
    /// Stay at `begin` until adjusted.
    Manual { begin: u32, limit: u32 },
    /// `begin`, then `+step` every `keep` until `limit` (PTS AutoStep).
    Steps { begin: u32, limit: u32, step: u32, keep: Duration },
    /// JMeter ramp: thread `i` starts at `i * ramp / target`.
    Linear { target: u32, ramp: Duration },
}

impl Schedule {
    pub(crate) fn level_at(&self, t: Duration) -> u32 {
        match *self {
            Schedule::Manual { begin, .. } => begin,
            Schedule::Steps { begin, limit, step, keep } => {
                if keep.is_zero() {
                    return limit;
                }
                let k = (t.as_secs_f64() / keep.as_secs_f64()).floor() as u64;
                (begin as u64 + k.saturating_mul(step as u64)).min(limit as u64) as u32
            }
            Schedule::Linear { target, ramp } => {
                if ramp.is_zero() || target == 0 {
                    return target;
                }
                let started =
                    (t.as_secs_f64() * target as f64 / ramp.as_secs_f64()).floor() as u64 + 1;
                started.min(target as u64) as u32
            }
        }
    }

    /// The configured maximum.
    pub(crate) fn limit(&self) -> u32 {
        match *self {
            Schedule::Manual { limit, .. } | Schedule::Steps { limit, .. } => limit,
            Schedule::Linear { target, .. } => target,
        }
    }

    /// True once the schedule will not rise any more.
    pub(crate) fn settled(&self, t: Duration) -> bool {
        match self {
            Schedule::Manual { .. } => true,
            Schedule::Steps { limit, .. } => self.level_at(t) >= *limit,
            Schedule::Linear { target, .. } => self.level_at(t) >= *target,
        }
    }
}

/// One load unit: a relation (concurrency mode) or an API (RPS mode).
#[derive(Debug, Clone)]
pub(crate) struct UnitPlan {
    pub relation: usize,
    pub api: Option<usize>,
    pub schedule: Schedule,
}

/// A CSV table bound to variables.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub cols: Vec<VarId>,
    pub rows: Vec<Vec<String>>,
    /// Stop the relation's virtual users once this table's rows are used up.
    pub stop_at_eof: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct RelPlan {
    pub name: String,
    pub id: Option<String>,
    pub apis: Range<usize>,
    pub tables: Vec<Table>,
    /// Chain iterations per virtual user (JMeter loops, debug runs: 1).
    pub max_iterations: Option<u64>,
    /// JMeter control flow of one iteration; None runs `apis` in order.
    pub flow: Option<std::sync::Arc<super::jmx::Flow>>,
}

/// A fully built request (static APIs build it once).
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub host: String,
    pub port: u16,
    /// `https://`: the connection speaks TLS to `host`.
    pub tls: bool,
    /// Absolute URL, for logs and relative redirects.
    pub url: String,
    /// Origin-form URI (`/path?query`).
    pub uri: Uri,
    pub method: Method,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// Estimated request size on the wire (request line, headers, body).
    pub bytes_out: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct ApiPlan {
    pub name: String,
    pub id: Option<String>,
    pub relation: usize,
    pub method: Method,
    pub url: Template,
    pub headers: Vec<(String, Template)>,
    pub body: Option<Template>,
    pub content_type: Option<String>,
    /// Built once when URL, headers and body have no variables.
    pub fixed: Option<Prepared>,
    pub timeout: Duration,
    pub max_redirects: u8,
    pub checks: Vec<CheckGroup>,
    pub exports: Vec<ExportRule>,
    /// JMeter constant timers in scope: pause before the request.
    pub think: Duration,
    pub needs_body: bool,
    pub imports: Vec<(VarId, String)>,
}

/// A compiled run.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub kind: RunKind,
    pub mode: LoadMode,
    pub debug: bool,
    pub scene_name: String,
    pub relations: Vec<RelPlan>,
    pub apis: Vec<ApiPlan>,
    pub units: Vec<UnitPlan>,
    pub var_count: usize,
    pub run_for: Duration,
    pub success_codes: Vec<u16>,
    /// Keep a sample log of 1 request in this many per API and worker (0 = none).
    pub sample_every: u64,
}

impl Plan {
    pub(crate) fn is_success(&self, status: u16, follows_redirects: bool) -> bool {
        (200..300).contains(&status)
            || (!follows_redirects && (300..400).contains(&status))
            || self.success_codes.contains(&status)
    }

    /// The load unit that drives relation `rel` (concurrency) or API `api` (RPS).
    pub(crate) fn unit_of_api(&self, api: usize) -> Option<usize> {
        self.units.iter().position(|u| u.api == Some(api))
    }
}

/// Names of `${}` variables (file columns and exports) and constant globals.
#[derive(Debug, Default)]
pub(crate) struct Vars {
    pub names: Vec<String>,
    pub ids: HashMap<String, VarId>,
    pub globals: HashMap<String, String>,
}

impl Vars {
    pub(crate) fn var(&mut self, name: &str) -> VarId {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = self.names.len() as VarId;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    pub(crate) fn template(&self, text: &str) -> Template {
        Template::compile(text, &mut |name| {
            if let Some(id) = self.ids.get(name) {
                Some(Resolved::Var(*id))
            } else {
                self.globals.get(name).map(|v| Resolved::Const(v.clone()))
            }
        })
    }
}

/// Percent-encodes bytes a URI may not contain (spaces, non-ASCII, `"<>\^`{|}`).
pub(crate) fn encode_url(url: &str) -> std::borrow::Cow<'_, str> {
    let bad = |b: u8| {
        b <= 0x20
            || b >= 0x7f
            || matches!(b, b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}')
    };
    if !url.bytes().any(bad) {
        return url.into();
    }
    let mut out = String::with_capacity(url.len() + 16);
    for b in url.bytes() {
        if bad(b) {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(b as char);
        }
    }
    out.into()
}

/// Why a request could not be prepared.
#[derive(Debug)]
pub(crate) enum PrepareError {
    Invalid(String),
}

impl PrepareError {
    pub(crate) fn message(&self) -> String {
        match self {
            PrepareError::Invalid(m) => m.clone(),
        }
    }
}

/// The parts of an absolute URL a request needs.
#[derive(Debug)]
pub(crate) struct UrlParts {
    pub host: String,
    pub port: u16,
    pub tls: bool,
    /// `host[:port]` as written (the Host header).
    pub authority: String,
    /// Origin-form URI (`/path?query`).
    pub uri: Uri,
}

/// Splits an absolute `http://` or `https://` URL.
pub(crate) fn parse_url(url: &str) -> Result<UrlParts, PrepareError> {
    let enc = encode_url(url.trim());
    let uri: Uri =
        enc.parse().map_err(|e| PrepareError::Invalid(format!("invalid URL `{url}`: {e}")))?;
    let tls = match uri.scheme_str().map(|s| s.to_ascii_lowercase()) {
        Some(s) if s == "http" => false,
        Some(s) if s == "https" => true,
        _ => {
            return Err(PrepareError::Invalid(format!(
                "URL `{url}` must start with http:// or https://"
            )));
        }
    };
    let auth =
        uri.authority().ok_or_else(|| PrepareError::Invalid(format!("URL `{url}` has no host")))?;
    let host = norm_host(auth.host());
    if host.is_empty() {
        return Err(PrepareError::Invalid(format!("URL `{url}` has no host")));
    }
    let port = auth.port_u16().unwrap_or(if tls { 443 } else { 80 });
    let authority = match auth.as_str().rsplit_once('@') {
        Some((_, a)) => a.to_string(),
        None => auth.as_str().to_string(),
    };
    let pq =
        uri.path_and_query().cloned().unwrap_or_else(|| http::uri::PathAndQuery::from_static("/"));
    let pq = if pq.as_str().is_empty() { http::uri::PathAndQuery::from_static("/") } else { pq };
    Ok(UrlParts { host, port, tls, authority, uri: Uri::from(pq) })
}

/// Builds a [`Prepared`] request from rendered strings.
pub(crate) fn prepare(
    method: &Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
    content_type: Option<&str>,
) -> Result<Prepared, PrepareError> {
    let UrlParts { host, port, tls, authority, uri } = parse_url(url)?;
    let mut map = HeaderMap::with_capacity(headers.len() + 2);
    let mut has_host = false;
    let mut has_ct = false;
    for (name, value) in headers {
        let n = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| PrepareError::Invalid(format!("invalid header name `{name}`")))?;
        let v = HeaderValue::from_str(value.trim())
            .map_err(|_| PrepareError::Invalid(format!("invalid value of header `{name}`")))?;
        has_host |= n == http::header::HOST;
        has_ct |= n == http::header::CONTENT_TYPE;
        map.append(n, v);
    }
    if !has_host {
        let v = HeaderValue::from_str(&authority)
            .map_err(|_| PrepareError::Invalid(format!("invalid host in `{url}`")))?;
        map.insert(http::header::HOST, v);
    }
    let body = body.map(|b| Bytes::copy_from_slice(b.as_bytes())).unwrap_or_default();
    if !has_ct && !body.is_empty() {
        let ct = content_type.unwrap_or("application/x-www-form-urlencoded");
        if let Ok(v) = HeaderValue::from_str(ct) {
            map.insert(http::header::CONTENT_TYPE, v);
        }
    }
    let mut bytes_out = method.as_str().len() as u64 + 1 + uri.to_string().len() as u64 + 11 + 2;
    for (n, v) in &map {
        bytes_out += n.as_str().len() as u64 + 2 + v.len() as u64 + 2;
    }
    if !body.is_empty() {
        bytes_out += 16 + 2 + body.len().to_string().len() as u64 + 2;
    }
    bytes_out += body.len() as u64;
    Ok(Prepared {
        host,
        port,
        tls,
        url: encode_url(url.trim()).into_owned(),
        uri,
        method: method.clone(),
        headers: map,
        body,
        bytes_out,
    })
}

/// The variables a request's URL, headers and body read, each once (for sample logs).
pub(crate) fn request_imports(
    url: &Template,
    headers: &[(String, Template)],
    body: Option<&Template>,
) -> Vec<(VarId, String)> {
    let mut imports: Vec<(VarId, String)> = Vec::new();
    for t in std::iter::once(url).chain(headers.iter().map(|(_, t)| t)).chain(body) {
        for (id, name) in t.vars() {
            if !imports.iter().any(|(i, _)| *i == id) {
                imports.push((id, name.to_string()));
            }
        }
    }
    imports
}

/// The request built once at compile time when URL, headers and body have no variables.
pub(crate) fn prepare_fixed(
    method: &Method,
    url: &Template,
    headers: &[(String, Template)],
    body: Option<&Template>,
    content_type: Option<&str>,
) -> Option<Result<Prepared, PrepareError>> {
    let all_static = url.is_static()
        && headers.iter().all(|(_, t)| t.is_static())
        && body.is_none_or(|b| b.is_static());
    if !all_static {
        return None;
    }
    let hs: Vec<(&str, &str)> =
        headers.iter().map(|(n, t)| (n.as_str(), t.static_text().unwrap_or(""))).collect();
    Some(prepare(
        method,
        url.static_text().unwrap_or(""),
        &hs,
        body.and_then(|b| b.static_text()),
        content_type,
    ))
}

/// Renders an API's templates with `vars` and prepares the request.
pub(crate) fn render(api: &ApiPlan, vars: &[Option<String>]) -> Result<Prepared, PrepareError> {
    let url = api.url.render(vars);
    let hv: Vec<(String, String)> =
        api.headers.iter().map(|(n, t)| (n.clone(), t.render(vars))).collect();
    let hr: Vec<(&str, &str)> = hv.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let body = api.body.as_ref().map(|b| b.render(vars));
    prepare(&api.method, &url, &hr, body.as_deref(), api.content_type.as_deref())
}

/// The raw host of a URL template when it has no variables in its scheme/authority part.
pub(crate) fn static_host(url: &str) -> Option<Result<(String, u16, bool), PrepareError>> {
    let t = url.trim();
    let after = t.find("://").map(|i| i + 3)?;
    let end = t[after..].find(['/', '?', '#']).map(|e| e + after).unwrap_or(t.len());
    if t[..end].contains("${") {
        return None;
    }
    Some(parse_url(&t[..end]).map(|u| (u.host, u.port, u.tls)))
}

/// Parses a method name (upper-cased).
pub(crate) fn parse_method(m: &str) -> Result<Method, String> {
    let up = m.trim().to_ascii_uppercase();
    match up.as_str() {
        "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS" => {
            Method::from_bytes(up.as_bytes()).map_err(|e| e.to_string())
        }
        _ => Err(format!("unsupported HTTP method `{m}`")),
    }
}

/// Maps a prepare error found at compile time to an engine error.
pub(crate) fn compile_err(e: PrepareError, ctx: &str) -> EngineError {
    match e {
        PrepareError::Invalid(m) => EngineError::InvalidScene(format!("{ctx}: {m}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        let s = Schedule::Steps { begin: 2, limit: 10, step: 3, keep: Duration::from_secs(2) };
        let l = |t: f64| s.level_at(Duration::from_secs_f64(t));
        assert_eq!((l(0.0), l(1.9), l(2.0), l(4.1), l(6.0), l(100.0)), (2, 2, 5, 8, 10, 10));
        let j = Schedule::Linear { target: 4, ramp: Duration::from_secs(4) };
        assert_eq!(j.level_at(Duration::ZERO), 1);
        assert_eq!(j.level_at(Duration::from_secs(3)), 4);
        assert!(j.settled(Duration::from_secs(5)));
    }

    #[test]
    fn urls() {
        let u = parse_url("http://LocalHost:8080/a b?x=中").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.authority.as_str()),
            ("localhost", 8080, "LocalHost:8080")
        );
        assert_eq!(u.uri.to_string(), "/a%20b?x=%E4%B8%AD");
        assert!(!u.tls);
        let u = parse_url("https://Shop.Test/x").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.tls), ("shop.test", 443, true));
        assert!(parse_url("ftp://x/").is_err());
        let u = parse_url("http://[::1]").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.uri.to_string().as_str()), ("::1", 80, "/"));
        assert!(static_host("http://${h}/x").is_none());
        assert_eq!(static_host("http://a:1/${x}").unwrap().unwrap(), ("a".to_string(), 1, false));
        let p = prepare(&Method::POST, "http://h/x", &[("X-A", "1")], Some("a=1"), None).unwrap();
        assert_eq!(p.headers.get("host").unwrap(), "h");
        assert_eq!(p.headers.get("content-type").unwrap(), "application/x-www-form-urlencoded");
    }
}

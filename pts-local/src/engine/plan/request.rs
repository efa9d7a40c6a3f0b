//! Turning an API's URL, method, headers and body into a ready request (at compile time
//! when nothing is templated, else per request).

use super::api::{ApiPlan, Prepared};
use crate::engine::error::EngineError;
use crate::engine::safety::norm_host;
use crate::engine::template::{Template, VarId};
use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use http::{Method, Uri};

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

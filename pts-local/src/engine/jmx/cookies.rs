//! The HTTP Cookie Manager: one cookie store per thread (virtual user).

use crate::engine::plan::Prepared;
use http::header::{COOKIE, HeaderMap, HeaderValue, SET_COOKIE};

#[derive(Debug, Clone, PartialEq)]
struct Cookie {
    name: String,
    value: String,
    /// Lower-case domain without a leading dot.
    domain: String,
    /// Sent to `domain` only (no `Domain` attribute), not to its subdomains.
    host_only: bool,
    path: String,
}

/// A thread's cookies.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CookieJar {
    cookies: Vec<Cookie>,
}

fn domain_match(host: &str, c: &Cookie) -> bool {
    host == c.domain
        || (!c.host_only
            && host.len() > c.domain.len()
            && host.ends_with(&format!(".{}", c.domain)))
}

fn path_match(path: &str, cookie_path: &str) -> bool {
    path == cookie_path
        || (path.starts_with(cookie_path)
            && (cookie_path.ends_with('/') || path[cookie_path.len()..].starts_with('/')))
}

/// The directory of a request path (the default cookie path).
fn default_path(path: &str) -> String {
    match path.rfind('/') {
        Some(0) | None => "/".into(),
        Some(i) => path[..i].to_string(),
    }
}

impl CookieJar {
    pub(crate) fn clear(&mut self) {
        self.cookies.clear();
    }

    /// `req` with a `Cookie` header holding the cookies that match it (None when none do).
    pub(crate) fn with_cookies(&self, req: &Prepared) -> Option<Prepared> {
        let path = req.uri.path();
        let mut matching: Vec<&Cookie> = self
            .cookies
            .iter()
            .filter(|c| domain_match(&req.host, c) && path_match(path, &c.path))
            .collect();
        if matching.is_empty() {
            return None;
        }
        // More specific paths first.
        matching.sort_by_key(|c| std::cmp::Reverse(c.path.len()));
        let text = matching
            .iter()
            .map(|c| format!("{}={}", c.name, c.value))
            .collect::<Vec<_>>()
            .join("; ");
        let value = HeaderValue::from_str(&text).ok()?;
        let mut out = req.clone();
        out.bytes_out += (COOKIE.as_str().len() + 4 + text.len()) as u64;
        out.headers.insert(COOKIE, value);
        Some(out)
    }

    /// A redirect hop: its `Cookie` header is this jar's for the hop's host and path (the one
    /// copied from the previous hop is dropped).
    pub(crate) fn apply(&self, mut req: Prepared) -> Prepared {
        match self.with_cookies(&req) {
            Some(with) => with,
            None => {
                req.headers.remove(COOKIE);
                req
            }
        }
    }

    /// Stores the `Set-Cookie` headers of the response to `req`.
    pub(crate) fn store(&mut self, req: &Prepared, headers: &HeaderMap) {
        for v in headers.get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
            let mut parts = v.split(';');
            let Some((name, value)) = parts.next().and_then(|nv| nv.split_once('=')) else {
                continue;
            };
            let name = name.trim().to_string();
            if name.is_empty() {
                continue;
            }
            let mut c = Cookie {
                name,
                value: value.trim().trim_matches('"').to_string(),
                domain: req.host.clone(),
                host_only: true,
                path: default_path(req.uri.path()),
            };
            let mut expired = false;
            for attr in parts {
                let (k, val) = attr.split_once('=').unwrap_or((attr, ""));
                let val = val.trim();
                match k.trim().to_ascii_lowercase().as_str() {
                    "domain" if !val.is_empty() => {
                        let d = val.trim_start_matches('.').to_ascii_lowercase();
                        // A server may only set cookies for its own domain.
                        if req.host != d && !req.host.ends_with(&format!(".{d}")) {
                            expired = true;
                        }
                        c.domain = d;
                        c.host_only = false;
                    }
                    "path" if val.starts_with('/') => c.path = val.to_string(),
                    "max-age" => expired |= val.parse::<i64>().is_ok_and(|s| s <= 0),
                    "expires" => expired |= expired_date(val),
                    _ => {}
                }
            }
            self.cookies
                .retain(|o| !(o.name == c.name && o.domain == c.domain && o.path == c.path));
            if !expired {
                self.cookies.push(c);
            }
        }
    }
}

/// True for an `Expires` date in the past (unreadable dates keep the cookie).
fn expired_date(v: &str) -> bool {
    let fmt = time::format_description::well_known::Rfc2822;
    let v = v.replace("GMT", "+0000").replace('-', " ");
    time::OffsetDateTime::parse(&v, &fmt).is_ok_and(|t| t < time::OffsetDateTime::now_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::plan::prepare;

    fn req(url: &str) -> Prepared {
        prepare(&http::Method::GET, url, &[], None, None).unwrap()
    }

    #[test]
    fn jar() {
        let mut jar = CookieJar::default();
        let mut h = HeaderMap::new();
        h.append(SET_COOKIE, "sid=abc; Path=/; HttpOnly".parse().unwrap());
        h.append(SET_COOKIE, "cart=1; Path=/shop".parse().unwrap());
        h.append(SET_COOKIE, "gone=x; Max-Age=0".parse().unwrap());
        h.append(SET_COOKIE, "old=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT".parse().unwrap());
        h.append(SET_COOKIE, "evil=x; Domain=example.com".parse().unwrap());
        jar.store(&req("http://127.0.0.1:8080/login"), &h);
        let c = |jar: &CookieJar, u: &str| {
            jar.with_cookies(&req(u)).map(|p| p.headers[COOKIE].to_str().unwrap().to_string())
        };
        assert_eq!(c(&jar, "http://127.0.0.1:8080/shop/cart").unwrap(), "cart=1; sid=abc");
        assert_eq!(c(&jar, "http://127.0.0.1:9/home").unwrap(), "sid=abc");
        assert_eq!(c(&jar, "http://127.0.0.1/shopping").unwrap(), "sid=abc");
        assert!(c(&jar, "http://localhost/").is_none());
        // Replaced, then deleted.
        let mut h = HeaderMap::new();
        h.append(SET_COOKIE, "sid=def; Path=/".parse().unwrap());
        jar.store(&req("http://127.0.0.1/"), &h);
        assert_eq!(c(&jar, "http://127.0.0.1/").unwrap(), "sid=def");
        let mut h = HeaderMap::new();
        h.append(SET_COOKIE, "sid=; Path=/; Max-Age=0".parse().unwrap());
        jar.store(&req("http://127.0.0.1/"), &h);
        assert!(c(&jar, "http://127.0.0.1/").is_none());
        jar.clear();
        assert!(c(&jar, "http://127.0.0.1/shop/x").is_none());
    }
}

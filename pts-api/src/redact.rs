//! The one redaction step: every sink that shows or stores what a user sent (stdout, stderr,
//! `--verbose` logs, evidence files, diffs, MCP replies) passes its values through here.
//!
//! Two name rules: [`looks_secret`] for header, query and form names (any name containing
//! `key` included: `X-Api-Key`), and [`is_credential_key`] for JSON keys, which leaves ids
//! such as `AccessKeyId` or `KeyWord` readable. Values hidden by name: the value of a
//! secret JSON key, the value of a `{HeaderName|ParamName|Name, HeaderValue|ParamValue|Value}`
//! pair whose name looks secret, secret query/form params inside any string (URLs, form
//! bodies), secret keys of JSON text inside a string (request bodies), and `Bearer`/`Basic`
//! credentials or `Name: value` header lines in free text.

use serde_json::Value;
use std::borrow::Cow;

/// What a redacted value prints as.
pub const REDACTED: &str = "<redacted>";

/// Header, query or form names whose values are secrets: `Authorization`,
/// `Proxy-Authorization`, `Cookie`, `Set-Cookie`, and any name containing `token`, `secret`,
/// `password`, `passwd` or `key` (case-insensitive).
pub fn looks_secret(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(n.as_str(), "authorization" | "proxy-authorization" | "cookie" | "set-cookie")
        || ["token", "secret", "password", "passwd", "key"].iter().any(|w| n.contains(w))
}

/// JSON keys whose values are credentials: like [`looks_secret`] without the `key` word
/// (`AccessKeyId`, `KeyWord` stay readable; `AccessKeySecret` does not).
pub fn is_credential_key(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(n.as_str(), "authorization" | "proxy-authorization" | "cookie" | "set-cookie")
        || ["token", "secret", "password", "passwd"].iter().any(|w| n.contains(w))
}

const PAIR_NAMES: [&str; 6] =
    ["HeaderName", "headerName", "ParamName", "paramName", "name", "Name"];
const PAIR_VALUES: [&str; 6] =
    ["HeaderValue", "headerValue", "ParamValue", "paramValue", "value", "Value"];

/// True for a field that may hold a secret whatever its sibling says: a credential key, or
/// the value side of a name/value pair.
pub fn may_hold_secret(field: &str) -> bool {
    is_credential_key(field) || PAIR_VALUES.contains(&field)
}

/// Redacts `v` in place (see the module docs for what is hidden).
pub fn redact_json(v: &mut Value) {
    match v {
        Value::Object(map) => {
            let pair_is_secret = PAIR_NAMES
                .iter()
                .find_map(|k| map.get(*k).and_then(Value::as_str))
                .is_some_and(looks_secret);
            for (k, child) in map.iter_mut() {
                let pair_value = pair_is_secret && PAIR_VALUES.contains(&k.as_str());
                if (is_credential_key(k) || pair_value) && holds_value(child) {
                    *child = Value::String(REDACTED.into());
                } else {
                    redact_json(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        Value::String(s) => {
            if let Cow::Owned(r) = redact_string(s) {
                *s = r;
            }
        }
        _ => {}
    }
}

/// Whether a secret's place holds something to hide: not null, not a flag saying whether a
/// secret exists (`"SecurityToken": true`), not an already masked `****`.
fn holds_value(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(_) => false,
        Value::String(s) => !s.is_empty() && !s.chars().all(|c| c == '*') && s != REDACTED,
        _ => true,
    }
}

/// A JSON value's string: JSON text inside it (a request body) is redacted as JSON, anything
/// else as text ([`redact_text`]).
pub fn redact_string(s: &str) -> Cow<'_, str> {
    let t = s.trim_start();
    if (t.starts_with('{') || t.starts_with('['))
        && let Ok(mut inner) = serde_json::from_str::<Value>(s)
    {
        let before = inner.clone();
        redact_json(&mut inner);
        return if inner == before { Cow::Borrowed(s) } else { Cow::Owned(inner.to_string()) };
    }
    redact_text(s)
}

/// Free text (a log line, a URL, a form body, a header line): hides the values of secret
/// `name=value` params, of `Name: value` lines with a secret name, and `Bearer`/`Basic`
/// credentials.
pub fn redact_text(text: &str) -> Cow<'_, str> {
    if !text.contains('=') && !text.contains(':') && !has_scheme_word(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let red = redact_line(line);
        changed |= matches!(red, Cow::Owned(_));
        out.push_str(&red);
    }
    if changed { Cow::Owned(out) } else { Cow::Borrowed(text) }
}

fn has_scheme_word(text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    l.contains("bearer ") || l.contains("basic ")
}

fn redact_line(line: &str) -> Cow<'_, str> {
    // `Authorization: Bearer x`, `X-Api-Key: k`.
    if let Some((name, _)) = line.split_once(": ") {
        let name = name.trim().trim_matches('"');
        if !name.contains(' ') && !name.is_empty() && looks_secret(name) {
            return Cow::Owned(format!("{}: {REDACTED}", &line[..line.find(": ").unwrap_or(0)]));
        }
    }
    let line = redact_params(line);
    match redact_scheme_credentials(&line) {
        Some(r) => Cow::Owned(r),
        None => line,
    }
}

/// `a=1&token=x`, `?password=y`: values of secret names up to the next separator.
fn redact_params(line: &str) -> Cow<'_, str> {
    if !line.contains('=') {
        return Cow::Borrowed(line);
    }
    let is_sep = |c: char| matches!(c, '&' | '?' | ';' | ',' | ' ' | '"' | '\'' | '\t');
    let mut out = String::with_capacity(line.len());
    let mut changed = false;
    let mut rest = line;
    while let Some(eq) = rest.find('=') {
        let name_start = rest[..eq].rfind(is_sep).map_or(0, |p| p + 1);
        let name = &rest[name_start..eq];
        let value_end = rest[eq + 1..].find(is_sep).map_or(rest.len(), |p| eq + 1 + p);
        out.push_str(&rest[..=eq]);
        let value = &rest[eq + 1..value_end];
        if looks_secret(name.trim_start_matches('-')) && !value.is_empty() && value != REDACTED {
            out.push_str(REDACTED);
            changed = true;
        } else {
            out.push_str(value);
        }
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    if changed { Cow::Owned(out) } else { Cow::Borrowed(line) }
}

/// `Bearer abc.def` -> `Bearer <redacted>` (also `Basic`), case-insensitive.
fn redact_scheme_credentials(line: &str) -> Option<String> {
    let lower = line.to_ascii_lowercase();
    let mut out = String::new();
    let (mut last, mut i) = (0, 0);
    while i < line.len() {
        let word_start = i == 0 || !lower.as_bytes()[i - 1].is_ascii_alphanumeric();
        let scheme = ["bearer ", "basic "].into_iter().find(|s| lower[i..].starts_with(s));
        let Some(scheme) = scheme.filter(|_| word_start) else {
            i += line[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let start = i + scheme.len();
        let end = line[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '}' | '\\'))
            .map_or(line.len(), |p| start + p);
        if end > start && &line[start..end] != REDACTED {
            out.push_str(&line[last..start]);
            out.push_str(REDACTED);
            last = end;
        }
        i = end.max(start);
    }
    (last > 0).then(|| {
        out.push_str(&line[last..]);
        out
    })
}

/// A command line with the values of secret-looking flags (`--access-key-secret X`,
/// `--SecurityToken=X`) replaced; `--…-stdin` switches take no value.
pub fn redact_command(args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut hide_next = false;
    for a in args {
        if hide_next {
            out.push(REDACTED.to_string());
            hide_next = false;
            continue;
        }
        match a.strip_prefix("--").map(|f| f.split_once('=')) {
            Some(Some((flag, _))) if is_credential_key(flag) => {
                out.push(format!("--{flag}={REDACTED}"))
            }
            Some(None) if is_credential_key(&a[2..]) && !a.ends_with("-stdin") => {
                out.push(a.clone());
                hide_next = true;
            }
            _ => out.push(redact_text(a).into_owned()),
        }
    }
    out
}

#[cfg(test)]
mod tests;

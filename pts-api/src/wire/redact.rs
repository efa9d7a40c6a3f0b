//! Keeps credentials out of `Debug` output: the AccessKey secret never leaves the signer,
//! but an STS token travels in a header (v3) or a query param (v1) and would otherwise be
//! printed by any `{:?}` of a request, a verification result or a signing error.

use std::borrow::Cow;
use std::fmt;

pub use crate::redact::REDACTED;

/// Headers whose value is a credential.
pub fn is_sensitive_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("x-acs-security-token")
        || name.eq_ignore_ascii_case("x-acs-bearer-token")
}

/// Query or form params whose value is a credential.
pub fn is_sensitive_param(name: &str) -> bool {
    matches!(name, "SecurityToken" | "BearerToken")
}

/// Replaces the text after each `marker` up to the next `terminator` (or the end) with
/// [`REDACTED`]. Used on wire query strings (`SecurityToken=` … `&`) and on v1 strings to
/// sign, where the same param appears encoded once more (`SecurityToken%3D` … `%26`).
pub fn redact_after<'a>(text: &'a str, marker: &str, terminator: &str) -> Cow<'a, str> {
    if !text.contains(marker) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        let value_start = at + marker.len();
        out.push_str(&rest[..value_start]);
        out.push_str(REDACTED);
        rest = match rest[value_start..].find(terminator) {
            Some(end) => &rest[value_start + end..],
            None => "",
        };
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Redacts credential params in a wire query string (`a=1&SecurityToken=...`).
pub fn redact_query(query: &str) -> Cow<'_, str> {
    match redact_after(query, "SecurityToken=", "&") {
        Cow::Borrowed(q) => redact_after(q, "BearerToken=", "&"),
        Cow::Owned(q) => Cow::Owned(redact_after(&q, "BearerToken=", "&").into_owned()),
    }
}

/// `Debug` for name/value pairs that prints sensitive values as [`REDACTED`].
pub struct Pairs<'a, N, V> {
    pub pairs: &'a [(N, V)],
    pub sensitive: fn(&str) -> bool,
}

impl<N: AsRef<str>, V: AsRef<str>> fmt::Debug for Pairs<'_, N, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.pairs.iter().map(|(n, v)| {
                let n = n.as_ref();
                (n, if (self.sensitive)(n) { REDACTED } else { v.as_ref() })
            }))
            .finish()
    }
}

/// `Debug` for an optional credential: `Some(<redacted>)` or `None`.
pub fn opt(value: Option<&str>) -> Option<&'static str> {
    value.map(|_| REDACTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_every_occurrence() {
        assert_eq!(redact_query("A=1&SecurityToken=t%2B1&B=2"), "A=1&SecurityToken=<redacted>&B=2");
        assert_eq!(redact_query("SecurityToken=x"), "SecurityToken=<redacted>");
        assert_eq!(
            redact_after("a%3D1%26SecurityToken%3Dt%2525%26z", "SecurityToken%3D", "%26"),
            "a%3D1%26SecurityToken%3D<redacted>%26z"
        );
        assert!(matches!(redact_query("A=1"), Cow::Borrowed("A=1")));
    }
}

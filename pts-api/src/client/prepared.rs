//! A signed request that has not been sent: what a dry run prints.

use crate::wire::WireRequest;
use crate::wire::redact::{REDACTED, is_sensitive_header, redact_after, redact_query};
use std::fmt;

/// The exact request an attempt sends: method, URL, headers and body.
///
/// `Debug` and [`PreparedRequest::redacted`] hide the signature, the STS token and most of the
/// AccessKey id; the fields themselves hold the real values (they are what goes on the wire).
#[derive(Clone)]
pub struct PreparedRequest {
    /// The full URL, query string included.
    pub url: String,
    pub operation: &'static str,
    pub wire: WireRequest,
}

/// A copy of a request that is safe to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedactedRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// The body as text (form bodies are ASCII), with credential params redacted.
    pub body: String,
}

impl PreparedRequest {
    pub fn method(&self) -> &'static str {
        self.wire.method
    }
    pub fn headers(&self) -> &[(String, String)] {
        &self.wire.headers
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.wire
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn body(&self) -> &[u8] {
        &self.wire.body
    }

    /// The request with the signature, tokens and the AccessKey id hidden.
    pub fn redacted(&self) -> RedactedRequest {
        let headers =
            self.wire.headers.iter().map(|(n, v)| (n.clone(), redact_header(n, v))).collect();
        RedactedRequest {
            method: self.wire.method.to_string(),
            url: redact_url(&self.url),
            headers,
            body: redact_params(&String::from_utf8_lossy(&self.wire.body)),
        }
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.redacted();
        f.debug_struct("PreparedRequest")
            .field("operation", &self.operation)
            .field("method", &r.method)
            .field("url", &r.url)
            .field("headers", &r.headers)
            .field("body", &r.body)
            .finish()
    }
}

/// Masks an AccessKey id, keeping a short prefix to tell keys apart.
fn mask_id(id: &str) -> String {
    crate::credentials::mask_access_key_id(id)
}

fn redact_header(name: &str, value: &str) -> String {
    if is_sensitive_header(name) {
        return REDACTED.to_string();
    }
    if name.eq_ignore_ascii_case("x-acs-accesskey-id") {
        return mask_id(value);
    }
    if name.eq_ignore_ascii_case("authorization") {
        // ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=...,Signature=<hex>
        let mut out = String::with_capacity(value.len());
        for (i, part) in value.split(',').enumerate() {
            if i > 0 {
                out.push(',');
            }
            if let Some(sig) = part.find("Signature=").filter(|_| !part.contains("SignedHeaders="))
            {
                out.push_str(&part[..sig + "Signature=".len()]);
                out.push_str(REDACTED);
            } else if let Some(at) = part.find("Credential=") {
                out.push_str(&part[..at + "Credential=".len()]);
                out.push_str(&mask_id(&part[at + "Credential=".len()..]));
            } else {
                out.push_str(part);
            }
        }
        return out;
    }
    value.to_string()
}

/// Redacts `Signature`, `SecurityToken`, `BearerToken` and masks `AccessKeyId` in
/// `name=value&...` text.
fn redact_params(text: &str) -> String {
    let text = redact_query(text);
    let text = redact_after(&text, "Signature=", "&").into_owned();
    // `SignatureMethod=`/`SignatureVersion=`/`SignatureNonce=` also contain `Signature`, but not
    // `Signature=` directly after a separator, so only the real signature param is hit...
    // except when a param name merely ends with `Signature`; PTS has none.
    let mut out = String::with_capacity(text.len());
    for (i, pair) in text.split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match pair.split_once('=') {
            Some(("AccessKeyId", v)) => {
                out.push_str("AccessKeyId=");
                out.push_str(&mask_id(v));
            }
            _ => out.push_str(pair),
        }
    }
    out
}

fn redact_url(url: &str) -> String {
    match url.split_once('?') {
        Some((base, query)) => format!("{base}?{}", redact_params(query)),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_v1_query() {
        let q = "Action=X&SignatureMethod=HMAC-SHA1&SignatureNonce=n&SecurityToken=tok&AccessKeyId=LTAI5tABCDEFG&Signature=abc%3D";
        let r = redact_params(q);
        assert!(!r.contains("tok"), "{r}");
        assert!(!r.contains("abc%3D"), "{r}");
        assert!(!r.contains("LTAI5tABCDEFG"), "{r}");
        assert!(r.contains("SignatureMethod=HMAC-SHA1"), "{r}");
        assert!(r.contains("SignatureNonce=n"), "{r}");
    }

    #[test]
    fn redacts_authorization() {
        let v = "ACS3-HMAC-SHA256 Credential=LTAI5tABCDEFG,SignedHeaders=host;x-acs-date,Signature=deadbeef";
        let r = redact_header("authorization", v);
        assert!(!r.contains("deadbeef"), "{r}");
        assert!(!r.contains("LTAI5tABCDEFG"), "{r}");
        assert!(r.contains("SignedHeaders=host;x-acs-date"), "{r}");
    }
}

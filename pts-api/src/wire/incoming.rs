//! The server's view of a received request, as [`verify`](super::verify::verify) needs it:
//! query and form already decoded (`+` → space), header names lower-case, body bytes raw.

use super::encode::decode_form;
use super::redact;
use super::request::{FORM_CONTENT_TYPE, WireRequest};
use std::fmt;

/// A borrowed, decoded request. Build one from your HTTP server's types, or use
/// [`DecodedRequest`] to decode the raw pieces.
#[derive(Clone, Copy)]
pub struct IncomingRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    /// Decoded URL query pairs, in wire order.
    pub query: &'a [(String, String)],
    /// Header names lower-case; a repeated header appears once per value.
    pub headers: &'a [(String, String)],
    /// The exact body bytes (hashed by v3).
    pub body: &'a [u8],
    /// Decoded form-body pairs (empty unless the body is a form); signed by v1.
    pub form: &'a [(String, String)],
}

impl IncomingRequest<'_> {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The first value of query param `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for IncomingRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_request(f, "IncomingRequest", self)
    }
}

/// Shared by both request types; credential-bearing params and headers print redacted.
fn debug_request(f: &mut fmt::Formatter<'_>, name: &str, r: &IncomingRequest<'_>) -> fmt::Result {
    let pairs = |pairs, sensitive| redact::Pairs { pairs, sensitive };
    f.debug_struct(name)
        .field("method", &r.method)
        .field("path", &r.path)
        .field("query", &pairs(r.query, redact::is_sensitive_param))
        .field("headers", &pairs(r.headers, redact::is_sensitive_header))
        .field("body", &String::from_utf8_lossy(r.body))
        .field("form", &pairs(r.form, redact::is_sensitive_param))
        .finish()
}

/// Owns a decoded request; [`DecodedRequest::view`] lends it out as an [`IncomingRequest`].
#[derive(Clone, PartialEq, Eq)]
pub struct DecodedRequest {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub form: Vec<(String, String)>,
}

impl DecodedRequest {
    /// Decodes the raw pieces a server receives: the query string (no `?`), the headers
    /// (names are lower-cased here) and the body. The body is decoded as a form only when
    /// `content-type` says so, so a JSON or binary body never contributes v1 params.
    pub fn from_raw<N: AsRef<str>, V: AsRef<str>>(
        method: &str,
        path: &str,
        raw_query: &str,
        headers: impl IntoIterator<Item = (N, V)>,
        body: Vec<u8>,
    ) -> Self {
        let headers: Vec<(String, String)> = headers
            .into_iter()
            .map(|(n, v)| (n.as_ref().to_ascii_lowercase(), v.as_ref().to_owned()))
            .collect();
        let is_form = headers.iter().any(|(n, v)| {
            n == "content-type"
                && v.split(';')
                    .next()
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case(FORM_CONTENT_TYPE))
        });
        let form = if is_form { decode_form(&body) } else { Vec::new() };
        Self {
            method: method.to_owned(),
            path: path.to_owned(),
            query: decode_form(raw_query.as_bytes()),
            headers,
            body,
            form,
        }
    }

    /// What a server would decode from `req` once it has crossed the wire.
    pub fn from_wire(req: &WireRequest) -> Self {
        Self::from_raw(
            req.method,
            &req.path,
            &req.query_string,
            req.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            req.body.clone(),
        )
    }

    pub fn view(&self) -> IncomingRequest<'_> {
        IncomingRequest {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &self.headers,
            body: &self.body,
            form: &self.form,
        }
    }
}

impl fmt::Debug for DecodedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_request(f, "DecodedRequest", &self.view())
    }
}

//! The server's view of a received request, as [`verify`](super::verify::verify) needs it.
//!
//! Parsing happens once, in [`DecodedRequest::from_raw`]: the URL query and a form body are
//! decoded (`+` → space) into one parameter set in which every parameter remembers where it
//! came from ([`Place`]). RPC clients put parameters in either place or split them between
//! the two, under both signature schemes, so routing, authentication and the operation's own
//! parameters all read this one set. Header names are lower-case; body bytes stay raw.

use super::encode::decode_form;
use super::redact;
use super::request::{FORM_CONTENT_TYPE, WireRequest};
use std::fmt;

/// Where a parameter travelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// The URL query (signed by both schemes).
    Query,
    /// An `application/x-www-form-urlencoded` body (signed by v1 param by param, by v3
    /// through the body hash).
    Form,
}

impl Place {
    pub fn as_str(self) -> &'static str {
        match self {
            Place::Query => "query",
            Place::Form => "form body",
        }
    }
}

/// One decoded parameter.
#[derive(Clone, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub value: String,
    pub place: Place,
}

/// A borrowed, decoded request. Build one from your HTTP server's types, or use
/// [`DecodedRequest`] to decode the raw pieces.
#[derive(Clone, Copy)]
pub struct IncomingRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    /// Every query and form parameter: the query's in wire order, then the body's.
    pub params: &'a [Param],
    /// Header names lower-case; a repeated header appears once per value.
    pub headers: &'a [(String, String)],
    /// The exact body bytes (hashed by v3).
    pub body: &'a [u8],
}

impl<'a> IncomingRequest<'a> {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The first value of parameter `name`, wherever it travelled.
    pub fn param(&self, name: &str) -> Option<&'a str> {
        self.params_named(name).next().map(|p| p.value.as_str())
    }

    /// Every occurrence of parameter `name`, in order.
    pub fn params_named<'n>(&self, name: &'n str) -> impl Iterator<Item = &'a Param> + 'n
    where
        'a: 'n,
    {
        self.params.iter().filter(move |p| p.name == name)
    }

    /// The first value of query param `name`.
    pub fn query_param(&self, name: &str) -> Option<&'a str> {
        self.params_named(name).find(|p| p.place == Place::Query).map(|p| p.value.as_str())
    }

    /// The URL query pairs, in wire order.
    pub fn query(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        pairs_in(self.params, Place::Query)
    }

    /// The form-body pairs (none unless the body is a form).
    pub fn form(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        pairs_in(self.params, Place::Form)
    }
}

fn pairs_in(params: &[Param], place: Place) -> impl Iterator<Item = (&str, &str)> {
    params.iter().filter(move |p| p.place == place).map(|p| (p.name.as_str(), p.value.as_str()))
}

impl fmt::Debug for IncomingRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_request(f, "IncomingRequest", self)
    }
}

/// Shared by both request types; credential-bearing params and headers print redacted.
fn debug_request(f: &mut fmt::Formatter<'_>, name: &str, r: &IncomingRequest<'_>) -> fmt::Result {
    let query: Vec<(&str, &str)> = pairs_in(r.params, Place::Query).collect();
    let form: Vec<(&str, &str)> = pairs_in(r.params, Place::Form).collect();
    let params = |pairs| redact::Pairs { pairs, sensitive: redact::is_sensitive_param };
    let headers = redact::Pairs { pairs: r.headers, sensitive: redact::is_sensitive_header };
    f.debug_struct(name)
        .field("method", &r.method)
        .field("path", &r.path)
        .field("query", &params(&query))
        .field("headers", &headers)
        .field("body", &String::from_utf8_lossy(r.body))
        .field("form", &params(&form))
        .finish()
}

/// Owns a decoded request; [`DecodedRequest::view`] lends it out as an [`IncomingRequest`].
#[derive(Clone, PartialEq, Eq)]
pub struct DecodedRequest {
    pub method: String,
    pub path: String,
    pub params: Vec<Param>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl DecodedRequest {
    /// Decodes the raw pieces a server receives: the query string (no `?`), the headers
    /// (names are lower-cased here) and the body. The body is decoded as a form only when
    /// `content-type` says so, so a JSON or binary body never contributes parameters.
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
        let place = |place| move |(name, value)| Param { name, value, place };
        let mut params: Vec<Param> =
            decode_form(raw_query.as_bytes()).into_iter().map(place(Place::Query)).collect();
        if is_form {
            params.extend(decode_form(&body).into_iter().map(place(Place::Form)));
        }
        Self { method: method.to_owned(), path: path.to_owned(), params, headers, body }
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
            params: &self.params,
            headers: &self.headers,
            body: &self.body,
        }
    }

    /// The pairs that travelled in `place`, owned (for comparisons and test fixtures).
    pub fn pairs(&self, place: Place) -> Vec<(String, String)> {
        pairs_in(&self.params, place).map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
    }
}

impl fmt::Debug for DecodedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_request(f, "DecodedRequest", &self.view())
    }
}

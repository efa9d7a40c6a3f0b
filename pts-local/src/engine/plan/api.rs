//! One compiled API: its request template and, when nothing is templated, the prepared request.

use crate::engine::check::{CheckGroup, ExportRule};
use crate::engine::template::{Template, VarId};
use bytes::Bytes;
use http::header::HeaderMap;
use http::{Method, Uri};
use std::time::Duration;

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

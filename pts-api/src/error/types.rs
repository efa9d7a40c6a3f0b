//! The error type and its per-stage details; classification lives in `class` and `classify`.

use crate::credentials::CredentialsError;
use crate::validate::ValidationError;
use serde_json::Value;
use std::fmt;
use std::time::Duration;

/// A boxed error source (reqwest, the credential chain, ...).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Which phase of an attempt ran out of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutPhase {
    /// Opening the connection: the request was certainly not sent.
    Connect,
    /// Waiting for or reading the response: the request may have reached the server.
    Response,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request broke a rule of the operation's metadata. Nothing was sent.
    #[error("invalid request: {0}")]
    Validation(#[from] ValidationError),

    /// No credentials could be resolved. Nothing was sent.
    #[error("credentials: {0}")]
    Credentials(#[from] CredentialsError),

    /// The client configuration (endpoint, user agent, TLS) is unusable. Nothing was sent.
    #[error("client configuration: {0}")]
    Config(String),

    /// Connection or I/O failure. `sent` is false only when the request certainly never left
    /// (the connection could not be opened); otherwise it may have reached the server.
    #[error("{operation}: transport error{}: {message}", if *sent { "" } else { " (request not sent)" })]
    Transport {
        operation: &'static str,
        message: String,
        sent: bool,
        #[source]
        source: Option<BoxError>,
    },

    /// An attempt ran out of time.
    #[error("{operation}: timed out {}", match phase { TimeoutPhase::Connect => "connecting (request not sent)", TimeoutPhase::Response => "waiting for the response" })]
    Timeout {
        operation: &'static str,
        phase: TimeoutPhase,
        #[source]
        source: Option<BoxError>,
    },

    /// HTTP 4xx/5xx with the service's error body.
    #[error("{0}")]
    Service(Box<ServiceError>),

    /// HTTP 2xx whose body says `"Success": false`.
    ///
    /// The official SDKs return such a body as a success and leave the check to the caller
    /// (observed: `Code "4001"`, `HttpStatusCode 404` inside an HTTP 200). This client surfaces it
    /// as an error on purpose; the body is kept in [`ApiError::raw`].
    #[error("{0}")]
    Api(Box<ApiError>),

    /// A 2xx body that is not the JSON the operation returns. The raw bytes are kept.
    #[error("{0}")]
    Decode(Box<DecodeError>),
}

/// An HTTP 4xx/5xx answer, its body parsed as JSON, or as XML under `Error`.
#[derive(Clone)]
pub struct ServiceError {
    pub operation: &'static str,
    pub status: u16,
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub recommend: Option<String>,
    pub host_id: Option<String>,
    /// The `AccessDeniedDetail` object of a 403, when present.
    pub access_denied_detail: Option<Value>,
    /// From the `x-acs-retry-after` header (milliseconds, > 0).
    pub retry_after: Option<Duration>,
    /// The response body as received.
    pub raw: Vec<u8>,
    pub content_type: Option<String>,
}

/// An HTTP 2xx answer whose body carries `"Success": false`.
#[derive(Clone)]
pub struct ApiError {
    pub operation: &'static str,
    /// The HTTP status of the response (2xx).
    pub status: u16,
    pub code: Option<String>,
    pub message: Option<String>,
    /// `HttpStatusCode` from the body, which often differs from the real status.
    pub http_status_code: Option<i64>,
    pub request_id: Option<String>,
    pub raw: Vec<u8>,
}

/// A body that did not decode into the operation's response.
pub struct DecodeError {
    pub operation: &'static str,
    pub status: u16,
    pub request_id: Option<String>,
    pub raw: Vec<u8>,
    pub source: serde_json::Error,
}

impl Error {
    /// The service's error code (`Service` and `Api` only).
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.code.as_deref(),
            Error::Api(e) => e.code.as_deref(),
            _ => None,
        }
    }

    /// The service's message (`Service` and `Api` only).
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.message.as_deref(),
            Error::Api(e) => e.message.as_deref(),
            _ => None,
        }
    }

    /// The RequestId of the failed call, when the service answered.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.request_id.as_deref(),
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Service(e) => Some(e.status),
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// The raw response body, when there was one.
    pub fn raw_body(&self) -> Option<&[u8]> {
        match self {
            Error::Service(e) => Some(&e.raw),
            Error::Api(e) => Some(&e.raw),
            Error::Decode(e) => Some(&e.raw),
            _ => None,
        }
    }

    /// The wait the service asked for with `x-acs-retry-after`.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Service(e) => e.retry_after,
            _ => None,
        }
    }
}

fn write_tail(f: &mut fmt::Formatter<'_>, request_id: Option<&str>) -> fmt::Result {
    if let Some(id) = request_id {
        write!(f, " (RequestId: {id})")?;
    }
    Ok(())
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with HTTP {}", self.operation, self.status)?;
        match (&self.code, &self.message) {
            (Some(c), Some(m)) => write!(f, ": {c}: {m}")?,
            (Some(c), None) => write!(f, ": {c}")?,
            (None, Some(m)) => write!(f, ": {m}")?,
            (None, None) if !self.raw.is_empty() => write!(f, ": {}", snippet(&self.raw))?,
            (None, None) => {}
        }
        if self.retry_after.is_some_and(|d| d > Duration::ZERO) {
            write!(f, " (retry after {} ms)", self.retry_after.unwrap_or_default().as_millis())?;
        }
        write_tail(f, self.request_id.as_deref())
    }
}

impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("recommend", &self.recommend)
            .field("host_id", &self.host_id)
            .field("access_denied_detail", &self.access_denied_detail)
            .field("retry_after", &self.retry_after)
            .field("content_type", &self.content_type)
            .field("raw", &snippet(&self.raw))
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} returned Success=false", self.operation)?;
        if let Some(s) = self.http_status_code {
            write!(f, " (HttpStatusCode {s})")?;
        }
        match (&self.code, &self.message) {
            (Some(c), Some(m)) => write!(f, ": {c}: {m}")?,
            (Some(c), None) => write!(f, ": {c}")?,
            (None, Some(m)) => write!(f, ": {m}")?,
            (None, None) => {}
        }
        write_tail(f, self.request_id.as_deref())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("http_status_code", &self.http_status_code)
            .field("request_id", &self.request_id)
            .field("raw", &snippet(&self.raw))
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: cannot decode the HTTP {} response: {}; body starts: {}",
            self.operation,
            self.status,
            self.source,
            snippet(&self.raw)
        )?;
        write_tail(f, self.request_id.as_deref())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("source", &self.source)
            .field("raw", &snippet(&self.raw))
            .finish()
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// The first 200 characters of a body, lossily decoded, on one line.
fn snippet(raw: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(raw);
    let mut out: String =
        text.chars().take(MAX).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.chars().count() > MAX {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_bounded() {
        let long = vec![b'a'; 1000];
        assert_eq!(snippet(&long).len(), 203);
    }
}

//! The one error type of a PTS call.
//!
//! Every variant says where the call stopped: before the network ([`Error::Validation`],
//! [`Error::Credentials`], [`Error::Config`]), on the way ([`Error::Transport`],
//! [`Error::Timeout`]), or in the service's answer ([`Error::Service`] for HTTP 4xx/5xx,
//! [`Error::Api`] for an HTTP 2xx whose body says `"Success": false`, [`Error::Decode`] for a
//! body that does not parse). `Display` always shows the error code, the message and the
//! RequestId when the service sent them, and never a secret.

use crate::credentials::CredentialsError;
use crate::validate::ValidationError;
use serde_json::Value;
use std::fmt;
use std::time::Duration;

/// A boxed error source (reqwest, the credential chain, ...).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Error codes that mean "who you are or what you may do", not "what you asked for".
/// Matched as prefixes, so `InvalidAccessKeyId.NotFound` and `Forbidden.RAM` are covered.
const AUTHORIZATION_CODE_PREFIXES: &[&str] = &[
    "InvalidAccessKeyId",
    "InvalidAccessKeySecret",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "InvalidSignature",
    "SignatureNonceUsed",
    "InvalidTimeStamp",
    "InvalidSecurityToken",
    "MissingSecurityToken",
    "InvalidAuthorization",
    "MissingAuthorization",
    "InvalidCredentials",
    "Forbidden",
    "NoPermission",
    "Unauthorized",
    "UnauthorizedOperation",
    "AccessDenied",
    "InvalidBearerToken",
];

/// Codes that say "try again later" whatever the HTTP status (`Throttling.User` comes as 400).
const RETRYABLE_CODE_PREFIXES: &[&str] = &["Throttling", "ServiceUnavailable", "InternalError"];

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
    /// (protocol.md §6, observed: `Code "4001"`, `HttpStatusCode 404` inside an HTTP 200). This
    /// client surfaces it as an error on purpose; the body is kept in [`ApiError::raw`].
    #[error("{0}")]
    Api(Box<ApiError>),

    /// A 2xx body that is not the JSON the operation returns. The raw bytes are kept.
    #[error("{0}")]
    Decode(Box<DecodeError>),
}

/// An HTTP 4xx/5xx answer, parsed per protocol.md §6 (JSON, or XML under `Error`).
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

    /// Whether the error is transient by nature: throttling, `ServiceUnavailable`,
    /// `InternalError` (classified by code, whatever the HTTP status), HTTP 429, a transport
    /// failure or a timeout. Business errors are never retryable, even as HTTP 503
    /// (`EnvNotExist`). Whether a retry is *safe* also depends on the operation; see
    /// [`crate::retry::RetryPolicy`].
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::Timeout { .. } => true,
            Error::Service(e) => {
                e.status == 429 || e.retry_after.is_some() || code_is_retryable(e.code.as_deref())
            }
            Error::Api(e) => code_is_retryable(e.code.as_deref()),
            _ => false,
        }
    }

    /// Whether the request may have reached the server. False only for errors raised before
    /// sending and for connection failures.
    pub fn may_have_been_sent(&self) -> bool {
        match self {
            Error::Validation(_) | Error::Credentials(_) | Error::Config(_) => false,
            Error::Transport { sent, .. } => *sent,
            Error::Timeout { phase, .. } => *phase == TimeoutPhase::Response,
            Error::Service(_) | Error::Api(_) | Error::Decode(_) => true,
        }
    }

    /// Whether the service refused the caller's identity or permissions. Classified by error
    /// code (`InvalidAccessKeyId.*`, `SignatureDoesNotMatch`, `Forbidden*`, `NoPermission*`,
    /// `InvalidSecurityToken.*`, `InvalidTimeStamp.*`, `SignatureNonceUsed`, ...), never by
    /// HTTP status: PTS also answers 403 for missing objects (`SceneNotExist`).
    pub fn is_authorization(&self) -> bool {
        self.code().is_some_and(code_is_authorization)
    }

    /// Throttled by the service (`Throttling*`, HTTP 429, or an `x-acs-retry-after` header).
    pub fn is_throttling(&self) -> bool {
        match self {
            Error::Service(e) => {
                e.status == 429
                    || e.retry_after.is_some()
                    || e.code.as_deref().is_some_and(|c| c.starts_with("Throttling"))
            }
            Error::Api(e) => e.code.as_deref().is_some_and(|c| c.starts_with("Throttling")),
            _ => false,
        }
    }

    /// The object named in the request does not exist: codes ending in `NotExist`,
    /// `NotExists` or `NotFound` (e.g. `SceneNotExist`, `EnvNotExist`, `ReportNotExist`),
    /// and the generic `*Fail` codes whose message says so ("The scene does not exist",
    /// PTS's own "does not exit"). Authorization codes (`InvalidAccessKeyId.NotFound`) are not
    /// counted.
    pub fn is_not_found(&self) -> bool {
        let Some(code) = self.code() else {
            return false;
        };
        if code_is_authorization(code) {
            return false;
        }
        let tail = code.rsplit('.').next().unwrap_or(code);
        if ["NotExist", "NotExists", "NotFound"].iter().any(|s| tail.ends_with(s)) {
            return true;
        }
        let msg = self.message().unwrap_or("").to_ascii_lowercase();
        code.ends_with("Fail")
            && (msg.contains("does not exist")
                || msg.contains("does not exit")
                || msg.contains("not found"))
    }
}

/// `true` for codes that name an authentication or authorization failure.
pub fn code_is_authorization(code: &str) -> bool {
    AUTHORIZATION_CODE_PREFIXES.iter().any(|p| code_has_prefix(code, p))
}

fn code_is_retryable(code: Option<&str>) -> bool {
    code.is_some_and(|c| RETRYABLE_CODE_PREFIXES.iter().any(|p| code_has_prefix(c, p)))
}

/// `Forbidden` matches `Forbidden`, `Forbidden.RAM` and `ForbiddenOperation`, and
/// `InvalidAccessKeyId` matches `InvalidAccessKeyId.NotFound`.
fn code_has_prefix(code: &str, prefix: &str) -> bool {
    code.starts_with(prefix)
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

/// Fields read from an error body (protocol.md §6).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ErrorBody {
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub recommend: Option<String>,
    pub host_id: Option<String>,
    pub access_denied_detail: Option<Value>,
}

/// Parses an error body: XML under `Error` when the content type says XML (or the body starts
/// with `<`), JSON otherwise. Keys are read in either capitalization (`Code`/`code`).
/// Unparseable bodies give an empty [`ErrorBody`]; the raw bytes stay in the error.
pub fn parse_error_body(content_type: Option<&str>, raw: &[u8]) -> ErrorBody {
    let is_xml = content_type.is_some_and(|ct| {
        let ct = ct.to_ascii_lowercase();
        ct.starts_with("text/xml") || ct.starts_with("application/xml")
    });
    let trimmed = trim_ascii_start(raw);
    if is_xml || trimmed.first() == Some(&b'<') {
        return parse_xml_error(&String::from_utf8_lossy(raw));
    }
    match serde_json::from_slice::<Value>(raw) {
        Ok(Value::Object(map)) => {
            let get = |names: &[&str]| -> Option<String> {
                names.iter().find_map(|n| map.get(*n)).and_then(value_text)
            };
            ErrorBody {
                code: get(&["Code", "code"]),
                message: get(&["Message", "message"]),
                request_id: get(&["RequestId", "requestId"]),
                recommend: get(&["Recommend", "recommend"]),
                host_id: get(&["HostId", "hostId"]),
                access_denied_detail: ["AccessDeniedDetail", "accessDeniedDetail"]
                    .iter()
                    .find_map(|n| map.get(*n))
                    .filter(|v| !v.is_null())
                    .cloned(),
            }
        }
        _ => ErrorBody::default(),
    }
}

fn trim_ascii_start(raw: &[u8]) -> &[u8] {
    let start = raw.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(raw.len());
    &raw[start..]
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn parse_xml_error(text: &str) -> ErrorBody {
    let get = |name: &str| xml_element(text, name);
    ErrorBody {
        code: get("Code").or_else(|| get("code")),
        message: get("Message").or_else(|| get("message")),
        request_id: get("RequestId").or_else(|| get("requestId")),
        recommend: get("Recommend").or_else(|| get("recommend")),
        host_id: get("HostId").or_else(|| get("hostId")),
        access_denied_detail: None,
    }
}

/// The text of the first `<name>...</name>` element (CDATA and the five XML entities
/// understood). Enough for the flat `<Error>` documents of the RPC gateway.
fn xml_element(text: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = text.find(&open)? + open.len();
    let end = start + text[start..].find(&close)?;
    let inner = text[start..end].trim();
    let inner = inner
        .strip_prefix("<![CDATA[")
        .and_then(|s| s.strip_suffix("]]>"))
        .map(str::to_string)
        .unwrap_or_else(|| xml_unescape(inner));
    Some(inner)
}

fn xml_unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_either_case() {
        let b = parse_error_body(
            Some("application/json"),
            br#"{"requestId":"r1","code":"Throttling.User","message":"slow down","Recommend":"https://x","HostId":"pts.aliyuncs.com"}"#,
        );
        assert_eq!(b.code.as_deref(), Some("Throttling.User"));
        assert_eq!(b.message.as_deref(), Some("slow down"));
        assert_eq!(b.request_id.as_deref(), Some("r1"));
        assert_eq!(b.recommend.as_deref(), Some("https://x"));
        assert_eq!(b.host_id.as_deref(), Some("pts.aliyuncs.com"));
    }

    #[test]
    fn xml_body() {
        let b = parse_error_body(
            Some("text/xml;charset=utf-8"),
            b"<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>R</RequestId><HostId>h</HostId><Code>SignatureDoesNotMatch</Code><Message>a &amp; b</Message></Error>",
        );
        assert_eq!(b.code.as_deref(), Some("SignatureDoesNotMatch"));
        assert_eq!(b.message.as_deref(), Some("a & b"));
        assert_eq!(b.request_id.as_deref(), Some("R"));
        assert_eq!(b.host_id.as_deref(), Some("h"));
    }

    #[test]
    fn authorization_by_code() {
        for c in [
            "InvalidAccessKeyId.NotFound",
            "SignatureDoesNotMatch",
            "Forbidden.RAM",
            "NoPermission",
            "InvalidSecurityToken.Expired",
            "InvalidTimeStamp.Expired",
            "SignatureNonceUsed",
            "IncompleteSignature",
        ] {
            assert!(code_is_authorization(c), "{c}");
        }
        for c in ["SceneNotExist", "EnvNotExist", "Throttling.User", "StartPtsSceneFail"] {
            assert!(!code_is_authorization(c), "{c}");
        }
    }

    #[test]
    fn snippet_is_bounded() {
        let long = vec![b'a'; 1000];
        assert_eq!(snippet(&long).len(), 203);
    }
}

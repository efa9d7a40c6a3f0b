//! Assembles a complete signed PTS request (method, path, query, headers, body) the way the
//! official SDK puts it on the wire: `POST /`, signed with v3 (default) or v1, form-encoded query
//! and body, retry headers on a retry. Nonce and date are inputs so tests can pin them; the client
//! draws them from [`new_nonce`] and [`format_date`].

use super::encode::{form_body, form_pairs, hex_lower};
use super::{redact, v1, v3};
use std::fmt;
use std::time::SystemTime;

/// `content-type` of a form body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Which signature scheme to use. `V3` (ACS3-HMAC-SHA256) is the SDK default; `V1` is the
/// legacy RPC HMAC-SHA1 scheme the SDK uses for `signature_algorithm = "v2"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureVersion {
    V3,
    V1,
}

impl SignatureVersion {
    /// The algorithm name as it appears on the wire.
    pub fn algorithm(self) -> &'static str {
        match self {
            Self::V3 => v3::ALGORITHM,
            Self::V1 => v1::SIGNATURE_METHOD,
        }
    }
}

/// The credentials one request is signed with. `Debug` never shows the secret or token.
#[derive(Clone, Copy)]
pub struct SigningKey<'a> {
    pub access_key_id: &'a str,
    pub access_key_secret: &'a str,
    /// STS token; sent as `x-acs-security-token` (v3) or `SecurityToken` (v1).
    pub security_token: Option<&'a str>,
}

impl fmt::Debug for SigningKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &redact::REDACTED)
            .field("security_token", &redact::opt(self.security_token))
            .finish()
    }
}

/// One RPC call before signing. Param values are already text: scalars as written,
/// `style: json` params as compact JSON.
#[derive(Clone, Copy, Debug)]
pub struct RpcRequestParts<'a> {
    /// `host` or `host:port`, sent verbatim as the `host` header (it is signed in v3).
    pub host: &'a str,
    pub action: &'a str,
    pub version: &'a str,
    /// Params located in the URL query, in the order they go on the wire.
    pub query: &'a [(&'a str, String)],
    /// Params located in the form body; the body lists them sorted by name.
    pub form: &'a [(&'a str, String)],
    pub user_agent: &'a str,
    /// Value of `x-acs-credentials-provider`, e.g. `static_ak`.
    pub credentials_provider: &'a str,
    /// Set on retries only: adds `x-acs-retry-attempts` / `x-acs-retry-delay`.
    pub retry: Option<RetryInfo>,
}

/// Retry bookkeeping the SDK reports to the server on every retried attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryInfo {
    /// 1 on the first retry, 2 on the second, ...
    pub attempts: u32,
    /// Milliseconds slept before this attempt.
    pub delay_ms: u64,
}

/// A request ready to send. The HTTP layer must send `headers` byte for byte (v3 signs
/// `host`, `user-agent` and `accept`) and may only add unsigned ones such as `content-length`.
#[derive(Clone, PartialEq, Eq)]
pub struct WireRequest {
    /// Always `POST`.
    pub method: &'static str,
    /// Always `/`.
    pub path: String,
    /// Form-encoded (space as `+`), without the leading `?`.
    pub query_string: String,
    /// Lower-case names, exactly the set that is sent, `authorization` last in v3.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl WireRequest {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// `path?query`, or just the path when the query is empty.
    pub fn path_and_query(&self) -> String {
        if self.query_string.is_empty() {
            return self.path.clone();
        }
        format!("{}?{}", self.path, self.query_string)
    }
}

impl fmt::Debug for WireRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers =
            redact::Pairs { pairs: &self.headers, sensitive: redact::is_sensitive_header };
        f.debug_struct("WireRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query_string", &redact::redact_query(&self.query_string))
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

/// Builds and signs one request. `date` is `YYYY-MM-DDThh:mm:ssZ` ([`format_date`]).
pub fn build_signed_request(
    parts: &RpcRequestParts<'_>,
    key: &SigningKey<'_>,
    version: SignatureVersion,
    nonce: &str,
    date: &str,
) -> WireRequest {
    match version {
        SignatureVersion::V3 => build_v3(parts, key, nonce, date),
        SignatureVersion::V1 => build_v1(parts, key, nonce, date),
    }
}

fn pairs<'a>(params: &'a [(&'a str, String)]) -> impl Iterator<Item = (&'a str, &'a str)> + Clone {
    params.iter().map(|(k, v)| (*k, v.as_str()))
}

fn body_of(parts: &RpcRequestParts<'_>) -> Vec<u8> {
    if parts.form.is_empty() {
        return Vec::new();
    }
    form_body(parts.form).into_bytes()
}

fn build_v3(
    parts: &RpcRequestParts<'_>,
    key: &SigningKey<'_>,
    nonce: &str,
    date: &str,
) -> WireRequest {
    let body = body_of(parts);
    let content_sha256 = v3::hashed_payload(&body);
    let mut headers = Headers::with_capacity(16);
    headers.push("host", parts.host);
    headers.push("x-acs-version", parts.version);
    headers.push("x-acs-action", parts.action);
    headers.push("user-agent", parts.user_agent);
    headers.push("x-acs-date", date);
    headers.push("x-acs-signature-nonce", nonce);
    headers.push("accept", "application/json");
    if !body.is_empty() {
        headers.push("content-type", FORM_CONTENT_TYPE);
    }
    let sha_at = headers.0.len();
    headers.push_owned("x-acs-content-sha256", content_sha256);
    headers.push("x-acs-credentials-provider", parts.credentials_provider);
    if let Some(token) = key.security_token {
        headers.push("x-acs-accesskey-id", key.access_key_id);
        headers.push("x-acs-security-token", token);
    }
    headers.push_retry(parts.retry);

    // Everything set so far is signed; authorization is added afterwards.
    let signed = v3::Computed::new(
        key.access_key_secret,
        "POST",
        "/",
        pairs(parts.query),
        headers.0.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        &headers.0[sha_at].1,
    );
    let authorization =
        v3::authorization(key.access_key_id, signed.signed_headers(), signed.signature());
    headers.push_owned("authorization", authorization);

    WireRequest {
        method: "POST",
        path: "/".to_owned(),
        query_string: form_pairs(pairs(parts.query)),
        headers: headers.0,
        body,
    }
}

fn build_v1(
    parts: &RpcRequestParts<'_>,
    key: &SigningKey<'_>,
    nonce: &str,
    date: &str,
) -> WireRequest {
    // Wire order as the SDK writes it: common params, API params, auth params, Signature.
    let mut params: Vec<(&str, &str)> = Vec::with_capacity(parts.query.len() + 11);
    params.extend([
        ("Action", parts.action),
        ("Format", "json"),
        ("Version", parts.version),
        ("Timestamp", date),
        ("SignatureNonce", nonce),
    ]);
    params.extend(pairs(parts.query));
    if let Some(token) = key.security_token {
        params.push(("SecurityToken", token));
    }
    params.extend([
        ("SignatureMethod", v1::SIGNATURE_METHOD),
        ("SignatureVersion", v1::SIGNATURE_VERSION),
        ("AccessKeyId", key.access_key_id),
    ]);
    let signed = params.iter().copied().chain(pairs(parts.form));
    let signature = v1::signature_only(key.access_key_secret, "POST", signed);
    params.push(("Signature", &signature));
    let query_string = form_pairs(params.iter().copied());

    let body = body_of(parts);
    let mut headers = Headers::with_capacity(8);
    headers.push("host", parts.host);
    headers.push("x-acs-version", parts.version);
    headers.push("x-acs-action", parts.action);
    headers.push("user-agent", parts.user_agent);
    headers.push("x-acs-credentials-provider", parts.credentials_provider);
    if !body.is_empty() {
        headers.push("content-type", FORM_CONTENT_TYPE);
    }
    headers.push_retry(parts.retry);

    WireRequest { method: "POST", path: "/".to_owned(), query_string, headers: headers.0, body }
}

struct Headers(Vec<(String, String)>);

impl Headers {
    fn with_capacity(n: usize) -> Self {
        Self(Vec::with_capacity(n))
    }

    fn push(&mut self, name: &str, value: &str) {
        self.push_owned(name, value.to_owned());
    }

    fn push_owned(&mut self, name: &str, value: String) {
        self.0.push((name.to_owned(), value));
    }

    fn push_retry(&mut self, retry: Option<RetryInfo>) {
        if let Some(r) = retry {
            self.push_owned("x-acs-retry-attempts", r.attempts.to_string());
            self.push_owned("x-acs-retry-delay", r.delay_ms.to_string());
        }
    }
}

/// A fresh `x-acs-signature-nonce` / `SignatureNonce`: 32 lower-hex chars (128 random bits,
/// like the SDK), so a server can reject replays by nonce.
pub fn new_nonce() -> String {
    use rand::Rng;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex_lower(&bytes)
}

/// `YYYY-MM-DDThh:mm:ssZ` in UTC, without fraction (the `x-acs-date` / `Timestamp` format).
pub fn format_date(t: SystemTime) -> String {
    let t = time::OffsetDateTime::from(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn date_format_is_utc_without_fraction() {
        let t = UNIX_EPOCH + Duration::from_millis(1_717_243_200_999);
        assert_eq!(format_date(t), "2024-06-01T12:00:00Z");
        assert_eq!(format_date(UNIX_EPOCH), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn nonces_are_32_lower_hex_and_fresh() {
        let (a, b) = (new_nonce(), new_nonce());
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
        assert_ne!(a, b);
    }
}

//! One call: attempts, retries, the HTTP exchange and the classification of its answer.

use super::handle::{API_VERSION, CallOptions, Client, Output};
use super::prepared::PreparedRequest;
use crate::credentials::Credentials;
use crate::envelope::Envelope;
use crate::error::{ApiError, DecodeError, Error, ServiceError, TimeoutPhase, parse_error_body};
use crate::meta::OperationMeta;
use crate::operation::Response;
use crate::params::WireParams;
use crate::retry::RetryPolicy;
use crate::wire::{self, RetryInfo, RpcRequestParts, SigningKey};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::borrow::Cow;
use std::time::{Duration, Instant};
use tracing::Instrument;

/// What came back from one attempt, before decoding.
pub(crate) struct RawResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: bytes::Bytes,
}

/// Turns a 2xx body into the call's value and its RequestId.
pub(crate) type Decoder<T> = fn(&'static str, u16, &[u8]) -> Result<(T, Option<String>), Error>;

/// The header a request id may also travel in.
const REQUEST_ID_HEADER: &str = "x-acs-request-id";
const RETRY_AFTER_HEADER: &str = "x-acs-retry-after";

impl Client {
    pub(crate) async fn credentials(&self) -> Result<Credentials, Error> {
        self.inner.credentials.provide().await.map_err(Error::from)
    }

    fn nonce(&self) -> String {
        match &self.inner.hooks.nonce {
            Some(f) => f(),
            None => wire::new_nonce(),
        }
    }

    fn date(&self) -> String {
        let now = match &self.inner.hooks.now {
            Some(f) => f(),
            None => std::time::SystemTime::now(),
        };
        wire::format_date(now)
    }

    /// Signs one attempt with a fresh nonce and date.
    pub(crate) fn sign(
        &self,
        op: &'static OperationMeta,
        params: &WireParams,
        creds: &Credentials,
        retry: Option<RetryInfo>,
    ) -> Result<PreparedRequest, Error> {
        let inner = &self.inner;
        let parts = RpcRequestParts {
            host: &inner.host,
            action: op.name,
            version: API_VERSION,
            query: &params.query,
            form: &params.form,
            user_agent: &inner.user_agent,
            credentials_provider: &creds.provider_name,
            retry,
        };
        let key = SigningKey {
            access_key_id: &creds.access_key_id,
            access_key_secret: creds.access_key_secret.expose(),
            security_token: creds.security_token.as_ref().map(|t| t.expose()),
        };
        let nonce = self.nonce();
        let date = self.date();
        let req = wire::build_signed_request(&parts, &key, inner.signature_version, &nonce, &date);
        let url = if req.query_string.is_empty() {
            inner.base_url.clone()
        } else {
            let mut u = String::with_capacity(inner.base_url.len() + 1 + req.query_string.len());
            u.push_str(&inner.base_url);
            u.push('?');
            u.push_str(&req.query_string);
            u
        };
        Ok(PreparedRequest { url, operation: op.name, wire: req })
    }

    /// Runs a call: attempts, classification and retries, inside one tracing span.
    pub(crate) async fn execute<T>(
        &self,
        op: &'static OperationMeta,
        params: &WireParams,
        opts: &CallOptions,
        decode: Decoder<T>,
    ) -> Result<Output<T>, Error> {
        let span = tracing::info_span!(
            "pts_call",
            operation = op.name,
            attempt = tracing::field::Empty,
            http_status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            error_code = tracing::field::Empty,
        );
        let run = self.run_attempts(op, params, opts, decode, &span);
        run.instrument(span.clone()).await
    }

    async fn run_attempts<T>(
        &self,
        op: &'static OperationMeta,
        params: &WireParams,
        opts: &CallOptions,
        decode: Decoder<T>,
        span: &tracing::Span,
    ) -> Result<Output<T>, Error> {
        let policy: Cow<'_, RetryPolicy> = match (&opts.retry, opts.retry_mutations) {
            (Some(p), None) => Cow::Borrowed(p),
            (None, None) => Cow::Borrowed(&self.inner.retry),
            (p, Some(m)) => {
                Cow::Owned(p.as_ref().unwrap_or(&self.inner.retry).clone().retry_mutations(m))
            }
        };
        let mutating = op.is_mutating();
        let start = Instant::now();
        let mut attempt: u32 = 1;
        let mut retry_info: Option<RetryInfo> = None;
        loop {
            span.record("attempt", attempt);
            let result = match self.attempt(op, params, retry_info, opts.timeout).await {
                Ok(raw) => {
                    span.record("http_status", raw.status);
                    decode(op.name, raw.status, &raw.body).map(|(body, request_id)| {
                        let request_id =
                            request_id.or_else(|| header_text(&raw.headers, REQUEST_ID_HEADER));
                        Output {
                            body,
                            request_id,
                            status: raw.status,
                            headers: raw.headers,
                            attempts: attempt,
                        }
                    })
                }
                Err(e) => Err(e),
            };
            let err = match result {
                Ok(out) => {
                    if let Some(id) = &out.request_id {
                        span.record("request_id", id.as_str());
                    }
                    span.record("duration_ms", elapsed_ms(start));
                    tracing::debug!(attempts = attempt, "call succeeded");
                    return Ok(out);
                }
                Err(e) => e,
            };
            if let Some(id) = err.request_id() {
                span.record("request_id", id);
            }
            if let Some(code) = err.code() {
                span.record("error_code", code);
            }
            match policy.next_delay(&err, mutating, attempt, start.elapsed()) {
                Some(delay) => {
                    tracing::debug!(
                        error = %err,
                        delay_ms = delay.as_millis() as u64,
                        "retrying after a transient error"
                    );
                    tokio::time::sleep(delay).await;
                    retry_info = Some(RetryInfo {
                        attempts: attempt,
                        delay_ms: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    });
                    attempt += 1;
                }
                None => {
                    span.record("duration_ms", elapsed_ms(start));
                    tracing::debug!(error = %err, attempts = attempt, "call failed");
                    return Err(err);
                }
            }
        }
    }

    /// One signed HTTP exchange. HTTP 4xx/5xx become [`Error::Service`] here.
    async fn attempt(
        &self,
        op: &'static OperationMeta,
        params: &WireParams,
        retry: Option<RetryInfo>,
        timeout: Option<Duration>,
    ) -> Result<RawResponse, Error> {
        let creds = self.credentials().await?;
        let prepared = self.sign(op, params, &creds, retry)?;
        let PreparedRequest { url, wire: w, .. } = prepared;
        let method = reqwest::Method::from_bytes(w.method.as_bytes())
            .map_err(|_| Error::Config(format!("invalid HTTP method {:?}", w.method)))?;
        let mut headers = HeaderMap::with_capacity(w.headers.len() + 1);
        for (name, value) in &w.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("invalid header name {name:?}")))?;
            let value = HeaderValue::from_str(value)
                .map_err(|_| Error::Config(format!("invalid value for header {name}")))?;
            headers.append(name, value);
        }
        let mut rb = self.inner.http.request(method, url).headers(headers);
        if let Some(t) = timeout {
            rb = rb.timeout(t);
        }
        if !w.body.is_empty() {
            rb = rb.body(w.body);
        }
        let mut resp = rb.send().await.map_err(|e| map_send_error(op.name, e))?;
        let status = resp.status().as_u16();
        let headers = std::mem::take(resp.headers_mut());
        let body = resp.bytes().await.map_err(|e| map_body_error(op.name, e))?;
        let raw = RawResponse { status, headers, body };
        if (400..=599).contains(&status) {
            return Err(service_error(op.name, raw));
        }
        Ok(raw)
    }
}

fn elapsed_ms(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// The error chain as one line. reqwest's own text is terse ("error sending request").
fn chain_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        let t = s.to_string();
        if !out.contains(&t) {
            out.push_str(": ");
            out.push_str(&t);
        }
        cur = s.source();
    }
    out
}

/// Maps a failure before any response arrived. The URL is dropped from the error: a v1 URL
/// carries the signature and an STS token.
fn map_send_error(operation: &'static str, e: reqwest::Error) -> Error {
    let e = e.without_url();
    if e.is_builder() {
        return Error::Config(chain_text(&e));
    }
    if e.is_timeout() {
        let phase = if e.is_connect() { TimeoutPhase::Connect } else { TimeoutPhase::Response };
        return Error::Timeout { operation, phase, source: Some(Box::new(e)) };
    }
    let sent = !e.is_connect();
    Error::Transport { operation, message: chain_text(&e), sent, source: Some(Box::new(e)) }
}

/// Maps a failure while reading the body: the request was sent.
fn map_body_error(operation: &'static str, e: reqwest::Error) -> Error {
    let e = e.without_url();
    if e.is_timeout() {
        return Error::Timeout {
            operation,
            phase: TimeoutPhase::Response,
            source: Some(Box::new(e)),
        };
    }
    Error::Transport { operation, message: chain_text(&e), sent: true, source: Some(Box::new(e)) }
}

/// HTTP 4xx/5xx → [`Error::Service`], with the fields of the error body and any
/// `x-acs-retry-after` wait (milliseconds, > 0).
pub(crate) fn service_error(operation: &'static str, raw: RawResponse) -> Error {
    let content_type = header_text(&raw.headers, "content-type");
    let parsed = parse_error_body(content_type.as_deref(), &raw.body);
    let retry_after = raw
        .headers
        .get(RETRY_AFTER_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis);
    let request_id = parsed.request_id.or_else(|| header_text(&raw.headers, REQUEST_ID_HEADER));
    Error::Service(Box::new(ServiceError {
        operation,
        status: raw.status,
        code: parsed.code,
        message: parsed.message,
        request_id,
        recommend: parsed.recommend,
        host_id: parsed.host_id,
        access_denied_detail: parsed.access_denied_detail,
        retry_after,
        raw: raw.body.to_vec(),
        content_type,
    }))
}

struct RawBody<'a> {
    status: u16,
    body: &'a [u8],
}

fn api_error(operation: &'static str, status: u16, env: Envelope, raw: &[u8]) -> Error {
    Error::Api(Box::new(ApiError {
        operation,
        status,
        code: env.code,
        message: env.message,
        http_status_code: env.http_status_code,
        request_id: env.request_id,
        raw: raw.to_vec(),
    }))
}

/// Decodes a typed body; `Success: false` → [`Error::Api`].
pub(crate) fn decode_typed<R: Response>(
    operation: &'static str,
    status: u16,
    body: &[u8],
) -> Result<(R, Option<String>), Error> {
    let raw = RawBody { status, body };
    match serde_json::from_slice::<R>(raw.body) {
        Ok(body) => {
            if body.success() == Some(false) {
                let env = Envelope {
                    request_id: body.request_id().map(str::to_string),
                    success: Some(false),
                    code: body.code().map(str::to_string),
                    message: body.message().map(str::to_string),
                    http_status_code: body.http_status_code(),
                };
                return Err(api_error(operation, raw.status, env, raw.body));
            }
            let id = body.request_id().map(str::to_string);
            Ok((body, id))
        }
        Err(source) => {
            // A failure envelope whose other fields do not fit the typed shape is still a
            // failure the caller should see as such.
            let env = serde_json::from_slice(raw.body).ok().and_then(|v| Envelope::of(&v));
            match env {
                Some(env) if env.success == Some(false) => {
                    Err(api_error(operation, raw.status, env, raw.body))
                }
                env => Err(Error::Decode(Box::new(DecodeError {
                    operation,
                    status: raw.status,
                    request_id: env.and_then(|e| e.request_id),
                    raw: raw.body.to_vec(),
                    source,
                }))),
            }
        }
    }
}

/// Decodes any JSON body; `Success: false` → [`Error::Api`].
pub(crate) fn decode_json(
    operation: &'static str,
    status: u16,
    body: &[u8],
) -> Result<(serde_json::Value, Option<String>), Error> {
    let raw = RawBody { status, body };
    let value: serde_json::Value = serde_json::from_slice(raw.body).map_err(|source| {
        Error::Decode(Box::new(DecodeError {
            operation,
            status: raw.status,
            request_id: None,
            raw: raw.body.to_vec(),
            source,
        }))
    })?;
    let env = Envelope::of(&value).unwrap_or_default();
    if env.success == Some(false) {
        return Err(api_error(operation, raw.status, env, raw.body));
    }
    Ok((value, env.request_id))
}

//! The client handle, its defaults, and the options and outputs of a call.

use super::endpoint::Protocol;
use super::hooks::TestHooks;
use crate::credentials::ProvideCredentials;
use crate::retry::RetryPolicy;
use crate::wire::SignatureVersion;
use reqwest::header::HeaderMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The API version every request names.
pub const API_VERSION: &str = "2020-10-20";
/// Default region; it reaches the wire only as the `RegionId` of the VPC lookup operations.
pub const DEFAULT_REGION: &str = "cn-hangzhou";
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(5000);
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_millis(10000);

/// A successful call: the decoded body plus what the HTTP layer said.
#[derive(Debug, Clone)]
pub struct Output<T> {
    pub body: T,
    /// `RequestId` from the body, else the `x-acs-request-id` header.
    pub request_id: Option<String>,
    /// The HTTP status (2xx).
    pub status: u16,
    pub headers: HeaderMap,
    /// How many attempts the call took (1 without retries).
    pub attempts: u32,
}

impl<T> Output<T> {
    pub fn into_body(self) -> T {
        self.body
    }
    /// Replaces the body, keeping the rest.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Output<U> {
        Output {
            body: f(self.body),
            request_id: self.request_id,
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
        }
    }
}

/// Per-call settings that override the client's.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// Replaces the client's retry policy for this call.
    pub retry: Option<RetryPolicy>,
    /// Overrides only whether mutating operations are retried after they may have been sent.
    pub retry_mutations: Option<bool>,
    /// A bound on each attempt as a whole (connect + send + response). The client's read
    /// timeout still applies to every read.
    pub timeout: Option<Duration>,
}

impl CallOptions {
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
    pub fn retry_mutations(mut self, yes: bool) -> Self {
        self.retry_mutations = Some(yes);
        self
    }
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = Some(t);
        self
    }
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) host: String,
    pub(crate) protocol: Protocol,
    /// `<protocol>://<host>/`, the URL without its query.
    pub(crate) base_url: String,
    pub(crate) region: String,
    pub(crate) user_agent: String,
    pub(crate) signature_version: SignatureVersion,
    pub(crate) retry: RetryPolicy,
    pub(crate) credentials: Arc<dyn ProvideCredentials>,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) hooks: TestHooks,
}

/// A PTS client. Cloning is cheap: clones share the connection pool and the credentials.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("endpoint", &i.host)
            .field("protocol", &i.protocol)
            .field("region", &i.region)
            .field("user_agent", &i.user_agent)
            .field("signature_version", &i.signature_version)
            .field("retry", &i.retry)
            .field("connect_timeout", &i.connect_timeout)
            .field("read_timeout", &i.read_timeout)
            .field("credentials", &"<provider>")
            .finish()
    }
}

impl Client {
    /// The host requests go to (`host[:port]`), which is also the `host` header.
    pub fn endpoint(&self) -> &str {
        &self.inner.host
    }
    pub fn protocol(&self) -> Protocol {
        self.inner.protocol
    }
    /// The configured region, for operations that take a `RegionId` parameter.
    pub fn region(&self) -> &str {
        &self.inner.region
    }
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }
    pub fn signature_version(&self) -> SignatureVersion {
        self.inner.signature_version
    }
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }
}

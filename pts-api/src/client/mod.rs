//! The PTS client: endpoint, signing, transport, retries, error classification.
//!
//! ```no_run
//! # async fn demo() -> Result<(), pts_api::Error> {
//! use pts_api::ops::get_pts_scene::{GetPtsScene, GetPtsSceneRequest};
//! let client = pts_api::Client::builder().build()?;
//! let req = GetPtsSceneRequest::builder().scene_id("ABC").build()?;
//! let out = client.send::<GetPtsScene>(req).await?;
//! println!("{:?} {:?}", out.request_id, out.body.scene);
//! # Ok(()) }
//! ```

mod endpoint;
mod prepared;
mod transport;
mod user_agent;

pub use crate::wire::SignatureVersion;
pub use endpoint::{CENTRAL_ENDPOINT, Protocol, resolve_endpoint};
pub use prepared::{PreparedRequest, RedactedRequest};
pub use user_agent::{USER_AGENT_ENV, base_user_agent};

use crate::credentials::ProvideCredentials;
use crate::error::Error;
use crate::meta::OperationMeta;
use crate::operation::{Operation, Request, WireParams};
use crate::retry::RetryPolicy;
use reqwest::header::HeaderMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

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

/// Replacements for the nonce and the clock, for tests that compare signed bytes.
///
/// Not part of the supported API: a pinned nonce makes every request replayable, so this is
/// reachable only through [`ClientBuilder::unstable_test_hooks`], which is hidden from the docs.
#[doc(hidden)]
#[derive(Clone, Default)]
pub struct TestHooks {
    pub nonce: Option<Arc<dyn Fn() -> String + Send + Sync>>,
    pub now: Option<Arc<dyn Fn() -> SystemTime + Send + Sync>>,
}

impl fmt::Debug for TestHooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestHooks")
            .field("nonce", &self.nonce.is_some())
            .field("now", &self.now.is_some())
            .finish()
    }
}

/// Builds a [`Client`]. Every setting has a default; with no credentials set, the default
/// credential chain is used.
#[derive(Clone)]
pub struct ClientBuilder {
    region: String,
    endpoint: Option<String>,
    protocol: Option<Protocol>,
    network: Option<String>,
    connect_timeout: Duration,
    read_timeout: Duration,
    user_agent_suffix: Option<String>,
    signature_version: SignatureVersion,
    retry: RetryPolicy,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    env_proxy: bool,
    proxy: Option<String>,
    hooks: TestHooks,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            region: DEFAULT_REGION.to_string(),
            endpoint: None,
            protocol: None,
            network: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            user_agent_suffix: None,
            signature_version: SignatureVersion::V3,
            retry: RetryPolicy::default(),
            credentials: None,
            env_proxy: true,
            proxy: None,
            hooks: TestHooks::default(),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("protocol", &self.protocol)
            .field("network", &self.network)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("signature_version", &self.signature_version)
            .field("retry", &self.retry)
            .field("credentials", &self.credentials.as_ref().map(|_| "<provider>"))
            .field("env_proxy", &self.env_proxy)
            .field("proxy", &self.proxy.as_ref().map(|p| redact_proxy(p)))
            .field("hooks", &self.hooks)
            .finish()
    }
}

impl ClientBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The region (default `cn-hangzhou`). PTS has one central endpoint, so the region is
    /// used only by operations with a `RegionId` parameter (see [`Client::region`]).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// An explicit endpoint, `host` or `host:port`, used verbatim as the `host` header.
    /// A leading `http://`/`https://` is accepted and sets the protocol.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// `http` or `https` (default).
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = Some(protocol);
        self
    }

    /// A network type: `vpc` selects `pts-vpc.aliyuncs.com`; `public` is the default.
    pub fn network(mut self, network: impl Into<String>) -> Self {
        self.network = Some(network.into());
        self
    }

    /// Time to open a connection (default 5000 ms).
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.connect_timeout = t;
        self
    }

    /// Longest wait for each read of the response (default 10000 ms).
    pub fn read_timeout(mut self, t: Duration) -> Self {
        self.read_timeout = t;
        self
    }

    /// Appended to the user agent after a space. Without it, `ALIBABA_CLOUD_USER_AGENT` is used.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// ACS3-HMAC-SHA256 (V3, default) or the legacy RPC HMAC-SHA1 (V1).
    pub fn signature_version(mut self, v: SignatureVersion) -> Self {
        self.signature_version = v;
        self
    }

    /// The retry policy of every call (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The credentials provider. Without one, the default chain is used.
    pub fn credentials_provider(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.credentials = Some(provider);
        self
    }

    /// Static AccessKey credentials (`static_ak`), or STS ones (`static_sts`) with a token.
    pub fn static_credentials(
        self,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
        security_token: Option<String>,
    ) -> Self {
        use crate::credentials::{Secret, StaticProvider};
        let id = access_key_id.into();
        let secret = Secret::new(access_key_secret.into());
        let provider = match security_token.filter(|t| !t.is_empty()) {
            Some(token) => StaticProvider::with_token(id, secret, Secret::new(token)),
            None => StaticProvider::new(id, secret),
        };
        self.credentials_provider(Arc::new(provider))
    }

    /// Whether `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` (and their lower-case
    /// forms) are honoured (default true).
    pub fn env_proxy(mut self, yes: bool) -> Self {
        self.env_proxy = yes;
        self
    }

    /// An explicit proxy URL for every request, e.g. `http://proxy:3128`.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Pins the nonce and/or the clock. For tests that compare signed bytes only.
    #[doc(hidden)]
    pub fn unstable_test_hooks(mut self, hooks: TestHooks) -> Self {
        self.hooks = hooks;
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        // reqwest is built without a rustls crypto provider; install ring once per process.
        let _ = rustls::crypto::ring::default_provider().install_default();

        let (url_protocol, host) = match self.endpoint.as_deref() {
            Some(e) => {
                let (p, h) = endpoint::split_endpoint(e);
                (p, Some(h.to_string()))
            }
            None => (None, None),
        };
        let host = resolve_endpoint(host.as_deref(), self.network.as_deref());
        if host.is_empty() || host.contains(['/', '?', '#', ' ']) {
            return Err(Error::Config(format!(
                "invalid endpoint {host:?}: expected host or host:port"
            )));
        }
        let protocol = self.protocol.or(url_protocol).unwrap_or_default();
        let user_agent = user_agent::user_agent(self.user_agent_suffix.as_deref());
        if reqwest::header::HeaderValue::from_str(&user_agent).is_err() {
            return Err(Error::Config(
                "the user agent contains characters not allowed in a header".into(),
            ));
        }

        let mut http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout)
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(50))
            // HTTP/1.1 as the SDK speaks it: the signed `host` header then reaches the server
            // as sent (over HTTP/2 it would travel beside `:authority`).
            .http1_only()
            // A redirect of a signed POST is never followed; the 3xx is returned as is.
            .redirect(reqwest::redirect::Policy::none());
        if !self.env_proxy {
            http = http.no_proxy();
        }
        if let Some(p) = &self.proxy {
            let proxy = reqwest::Proxy::all(p)
                .map_err(|e| Error::Config(format!("invalid proxy {}: {e}", redact_proxy(p))))?;
            http = http.proxy(proxy);
        }
        let http = http
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;

        let credentials = match self.credentials {
            Some(c) => c,
            None => Arc::new(crate::credentials::DefaultChain::new()),
        };
        let base_url = format!("{}://{}/", protocol.as_str(), host);
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                host,
                protocol,
                base_url,
                region: self.region,
                user_agent,
                signature_version: self.signature_version,
                retry: self.retry,
                credentials,
                connect_timeout: self.connect_timeout,
                read_timeout: self.read_timeout,
                hooks: self.hooks,
            }),
        })
    }
}

/// Hides the user info of a proxy URL (`http://user:pass@host` → `http://***@host`).
fn redact_proxy(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}***{}", &url[..s + 3], &url[at..]),
        (None, Some(at)) => format!("***{}", &url[at..]),
        _ => url.to_string(),
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
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

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

    /// Validates, signs and sends one typed request, retrying per the client's policy.
    ///
    /// A request that breaks a rule of the metadata fails with [`Error::Validation`] and
    /// nothing is sent. HTTP 4xx/5xx give [`Error::Service`]; an HTTP 2xx body with
    /// `"Success": false` gives [`Error::Api`] (the official SDK returns those as successes).
    pub async fn send<O: Operation>(&self, req: O::Request) -> Result<Output<O::Response>, Error> {
        self.send_with::<O>(req, &CallOptions::default()).await
    }

    /// [`Client::send`] with per-call options.
    pub async fn send_with<O: Operation>(
        &self,
        req: O::Request,
        opts: &CallOptions,
    ) -> Result<Output<O::Response>, Error> {
        req.validate()?;
        self.send_unchecked_with::<O>(req, opts).await
    }

    /// Sends without validating: the explicit raw path, for values the metadata rejects but the
    /// service may accept. The wire encoding still applies.
    pub async fn send_unchecked<O: Operation>(
        &self,
        req: O::Request,
    ) -> Result<Output<O::Response>, Error> {
        self.send_unchecked_with::<O>(req, &CallOptions::default()).await
    }

    /// [`Client::send_unchecked`] with per-call options.
    pub async fn send_unchecked_with<O: Operation>(
        &self,
        req: O::Request,
        opts: &CallOptions,
    ) -> Result<Output<O::Response>, Error> {
        let wire = req.to_wire()?;
        self.execute(O::meta(), &wire, opts, transport::decode_typed::<O::Response>).await
    }

    /// The generic path (the CLI): `params` is a JSON object keyed by wire names. It is
    /// validated with [`crate::validate::validate_params`], encoded with [`crate::params::encode`]
    /// and the raw JSON body is returned; errors are classified exactly as for [`Client::send`].
    /// A missing `RegionId` of the VPC lookup operations is filled from [`Client::region`].
    pub async fn send_json(
        &self,
        op: &'static OperationMeta,
        params: serde_json::Value,
    ) -> Result<Output<serde_json::Value>, Error> {
        self.send_json_with(op, params, &CallOptions::default()).await
    }

    /// [`Client::send_json`] with per-call options.
    pub async fn send_json_with(
        &self,
        op: &'static OperationMeta,
        params: serde_json::Value,
        opts: &CallOptions,
    ) -> Result<Output<serde_json::Value>, Error> {
        let params = self.fill_region(op, params);
        crate::validate::validate_params(op, &params)?;
        let wire = crate::params::encode(op, &params)?;
        self.execute(op, &wire, opts, transport::decode_json).await
    }

    /// [`Client::send_json`] without validation (the CLI's raw path).
    pub async fn send_json_unchecked(
        &self,
        op: &'static OperationMeta,
        params: serde_json::Value,
        opts: &CallOptions,
    ) -> Result<Output<serde_json::Value>, Error> {
        let params = self.fill_region(op, params);
        let wire = crate::params::encode(op, &params)?;
        self.execute(op, &wire, opts, transport::decode_json).await
    }

    /// The exact signed request [`Client::send`] would send first, without sending it: for dry
    /// runs. Validates first. Print it with `{:?}` or [`PreparedRequest::redacted`], which
    /// hide the signature and tokens.
    pub async fn prepare_request<O: Operation>(
        &self,
        req: &O::Request,
    ) -> Result<PreparedRequest, Error> {
        req.validate()?;
        let wire = req.to_wire()?;
        self.prepare_wire(O::meta(), &wire).await
    }

    /// [`Client::prepare_request`] for the generic JSON path.
    pub async fn prepare_json(
        &self,
        op: &'static OperationMeta,
        params: &serde_json::Value,
    ) -> Result<PreparedRequest, Error> {
        let params = self.fill_region(op, params.clone());
        crate::validate::validate_params(op, &params)?;
        let wire = crate::params::encode(op, &params)?;
        self.prepare_wire(op, &wire).await
    }

    /// On the JSON path, an operation with a `RegionId` parameter (the VPC lookups) gets the
    /// client's region when the caller gave none. Typed requests carry their own `RegionId`.
    fn fill_region(
        &self,
        op: &'static OperationMeta,
        mut params: serde_json::Value,
    ) -> serde_json::Value {
        if op.param("RegionId").is_some()
            && let Some(map) = params.as_object_mut()
            && map.get("RegionId").is_none_or(serde_json::Value::is_null)
        {
            map.insert("RegionId".into(), serde_json::Value::String(self.inner.region.clone()));
        }
        params
    }

    /// Signs already-encoded wire parameters without sending them.
    pub async fn prepare_wire(
        &self,
        op: &'static OperationMeta,
        wire: &WireParams,
    ) -> Result<PreparedRequest, Error> {
        let creds = self.credentials().await?;
        self.sign(op, wire, &creds, None)
    }
}

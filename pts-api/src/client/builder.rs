//! [`ClientBuilder`]: the client's settings, their defaults, and building the HTTP stack.

use super::endpoint::{self, Protocol, resolve_endpoint};
use super::handle::{Client, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_REGION, Inner};
use super::hooks::TestHooks;
use super::user_agent;
use crate::credentials::ProvideCredentials;
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::wire::SignatureVersion;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

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

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

//! Fetching the live metadata with bounded time and a clear error when offline.

use anyhow::{Context, Result};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub connect: Duration,
    pub total: Duration,
    /// Who is asking (`pts/<version>`, `pts-xtask/<version>`).
    pub user_agent: String,
}

impl FetchOptions {
    pub fn new(user_agent: impl Into<String>) -> Self {
        FetchOptions {
            connect: Duration::from_secs(10),
            total: Duration::from_secs(60),
            user_agent: user_agent.into(),
        }
    }
}

pub fn fetch(url: &str, opts: &FetchOptions) -> Result<Vec<u8>> {
    // reqwest is built without a default TLS provider; ring is the one we ship.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        let client = reqwest::Client::builder()
            .connect_timeout(opts.connect)
            .timeout(opts.total)
            .user_agent(opts.user_agent.as_str())
            .build()?;
        let hint = "offline? pass --from FILE or set PTS_API_DOCS to a saved api-docs.json";
        let resp =
            client.get(url).send().await.with_context(|| format!("cannot fetch {url} ({hint})"))?;
        let status = resp.status();
        anyhow::ensure!(status.is_success(), "fetching {url} answered HTTP {status} ({hint})");
        let body = resp.bytes().await.with_context(|| format!("reading {url} failed"))?;
        Ok(body.to_vec())
    })
}

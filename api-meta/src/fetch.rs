//! Fetching the live metadata with bounded time and a clear error when offline.

use anyhow::{Context, Result};
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { connect: Duration::from_secs(10), total: Duration::from_secs(60) }
    }
}

pub fn fetch(url: &str, timeouts: Timeouts) -> Result<Vec<u8>> {
    // reqwest is built without a default TLS provider; ring is the one we ship.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        let client = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.total)
            .user_agent(concat!("pts-xtask/", env!("CARGO_PKG_VERSION")))
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

//! What the demo runs on, all on loopback and in a temporary directory: pts-local with its
//! real load engine and its own generated key, the sample shop target, and a client built
//! straight from the server's credentials (the user's pts configuration is never read or
//! written).

use pts_api::client::Protocol;
use pts_local::sample_target::SampleTarget;
use pts_local::{Config, RunningServer, Server};
use pts_ops::exit::{CliError, CliResult, ExitCode};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long the target waits before each answer: a visible, known latency floor.
pub const TARGET_DELAY: Duration = Duration::from_millis(20);

/// A temporary directory removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> CliResult<TempDir> {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!("pts-demo-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(|e| CliError::io("create", &path, &e))?;
        Ok(TempDir(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub struct Embedded {
    pub server: RunningServer,
    pub target: SampleTarget,
    pub client: pts_api::Client,
}

impl Embedded {
    /// Starts both services on ephemeral loopback ports. `time_scale`: scene seconds per
    /// real second.
    pub async fn start(data: &Path, time_scale: f64) -> CliResult<Embedded> {
        let fail = |what: &str, e: String| {
            CliError::new(ExitCode::Network, format!("demo: cannot start {what}: {e}"))
        };
        let server = Server::start(Config::new(data).with_time_scale(time_scale))
            .await
            .map_err(|e| fail("the embedded pts-local", e))?;
        let target = SampleTarget::start(TARGET_DELAY)
            .await
            .map_err(|e| fail("the target", e.to_string()))?;
        let key = server.credentials();
        let client = pts_api::Client::builder()
            .endpoint(server.endpoint())
            .protocol(Protocol::Http)
            .static_credentials(key.access_key_id.clone(), key.access_key_secret.clone(), None)
            // Loopback only: a proxy from the environment must not see these requests.
            .env_proxy(false)
            .build()
            .map_err(|e| fail("the client", e.to_string()))?;
        Ok(Embedded { server, target, client })
    }

    pub async fn shutdown(self) {
        self.target.shutdown();
        self.server.shutdown().await;
    }
}

//! Server settings and the key pair kept in the data dir.

use crate::auth::Key;
use crate::seam::RunEngine;
use crate::vpc_inventory::VpcInventory;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Which keys the server accepts.
#[derive(Debug, Clone, Default)]
pub enum Keys {
    /// The key pair in `<data dir>/credentials.json`, created (mode 0600) on first start.
    #[default]
    Generated,
    /// Exactly these keys (AK pairs and/or STS credentials); nothing is written.
    Explicit(Vec<Key>),
}

/// Everything [`crate::Server::start`] needs. `Config::new(dir)` gives the defaults.
#[derive(Clone)]
pub struct Config {
    /// SQLite database, file store, generated keys and optional `vpcs.json` live here.
    pub data_dir: PathBuf,
    /// Default `127.0.0.1:0` (an ephemeral loopback port). Another address only when set
    /// explicitly (the CLI's `--bind`).
    pub bind: SocketAddr,
    pub keys: Keys,
    /// Scene seconds per real second (see [`crate::clock`]); 1 is real time.
    pub time_scale: f64,
    /// Hosts a run may target besides loopback: start and debug refuse scenes whose API hosts
    /// are neither loopback nor listed.
    pub allowed_targets: Vec<String>,
    /// PEM files of certificate authorities the load engine trusts for `https://` targets,
    /// besides the system's roots (`--ca-file`, repeatable).
    pub ca_files: Vec<PathBuf>,
    /// The VPC inventory served by the VPC lookups; `None`: `<data dir>/vpcs.json` if present,
    /// else the built-in fixture.
    pub vpc_inventory: Option<VpcInventory>,
    /// Offset of the `YYYY-MM-DD hh:mm:ss` times; default UTC+8 (Asia/Shanghai).
    pub utc_offset_secs: i32,
    /// Answer service errors with HTTP 200 and `Success: false` in the body (as several PTS documentation examples show).
    pub errors_in_body: bool,
    /// Hard cap on remembered signature nonces (see [`crate::nonce`]).
    pub nonce_capacity: usize,
    /// How long a debug run lasts, in scene seconds, when nothing ends it earlier
    /// **(convention: 60; PTS publishes no figure)**.
    pub debug_window_secs: f64,
    /// The load engine; `None` is the default [`crate::engine_adapter::EngineAdapter`] (real
    /// load). [`Config::with_null_engine`] selects [`crate::seam::NullEngine`] (no traffic).
    pub engine: Option<Arc<dyn RunEngine>>,
    /// Connection, time and memory limits of the HTTP server.
    pub limits: crate::limits::Limits,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("bind", &self.bind)
            .field("keys", &self.keys)
            .field("time_scale", &self.time_scale)
            .field("allowed_targets", &self.allowed_targets)
            .field("ca_files", &self.ca_files)
            .field("utc_offset_secs", &self.utc_offset_secs)
            .field("errors_in_body", &self.errors_in_body)
            .field("nonce_capacity", &self.nonce_capacity)
            .field("debug_window_secs", &self.debug_window_secs)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Config {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            data_dir: data_dir.into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            keys: Keys::Generated,
            time_scale: 1.0,
            allowed_targets: Vec::new(),
            ca_files: Vec::new(),
            vpc_inventory: None,
            utc_offset_secs: crate::ids::TimeFmt::SHANGHAI_SECS,
            errors_in_body: false,
            nonce_capacity: crate::nonce::DEFAULT_NONCE_CAPACITY,
            debug_window_secs: 60.0,
            engine: None,
            limits: crate::limits::Limits::default(),
        }
    }

    pub fn with_keys(mut self, keys: Vec<Key>) -> Self {
        self.keys = Keys::Explicit(keys);
        self
    }

    pub fn with_time_scale(mut self, scale: f64) -> Self {
        self.time_scale = scale;
        self
    }

    pub fn with_bind(mut self, bind: SocketAddr) -> Self {
        self.bind = bind;
        self
    }

    /// Uses `engine` instead of the default load engine.
    pub fn with_engine(mut self, engine: Arc<dyn RunEngine>) -> Self {
        self.engine = Some(engine);
        self
    }

    /// Uses the [`crate::seam::NullEngine`]: no traffic, measured fields stay absent.
    pub fn with_null_engine(self) -> Self {
        self.with_engine(Arc::new(crate::seam::NullEngine))
    }
}

#[derive(Serialize, Deserialize)]
struct StoredKey {
    access_key_id: String,
    access_key_secret: String,
}

/// Loads the data dir's key pair, creating it on first use. Returns the key and whether it
/// was created now. The secret only ever goes to this 0600 file (and the pts profile).
pub fn load_or_create_key(data_dir: &Path) -> std::io::Result<(Key, bool)> {
    let path = data_dir.join(crate::layout::CREDENTIALS_FILE);
    if let Ok(bytes) = std::fs::read(&path) {
        let k: StoredKey = serde_json::from_slice(&bytes)
            .map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?;
        return Ok((Key::new(k.access_key_id, k.access_key_secret), false));
    }
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let key = Key::new(
        format!("LTAI5tLocal{}", crate::ids::secure_random(13, ALNUM)),
        crate::ids::secure_random(30, ALNUM),
    );
    let stored = StoredKey {
        access_key_id: key.access_key_id.clone(),
        access_key_secret: key.access_key_secret.clone(),
    };
    let text = serde_json::to_vec_pretty(&stored).map_err(std::io::Error::other)?;
    crate::profile::write_private_atomic(&path, &text)?;
    Ok((key, true))
}

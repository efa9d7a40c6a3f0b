//! pts's own config file: profiles with credentials and connection settings. The CLI reads
//! and edits it; pts-local writes its `local` profile into it (one format, one writer).
//!
//! Location: `$PTS_CONFIG`, else `$XDG_CONFIG_HOME/pts/config.json`, else
//! `~/.config/pts/config.json`. Written atomically (fsynced 0600 temp file + rename); keys
//! pts does not know are kept.
//!
//! ```json
//! { "current": "default",
//!   "profiles": { "default": { "access_key_id": "LTAI...", "access_key_secret": "...",
//!                              "region": "cn-hangzhou", "read_only": true } } }
//! ```

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const ENV_CONFIG: &str = "PTS_CONFIG";

/// One profile. `Debug` masks the key id and hides the secret and token.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub access_key_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub access_key_secret: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// `host[:port]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// `http` or `https`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// `v3` or `v1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
}

impl Profile {
    pub fn has_credentials(&self) -> bool {
        !self.access_key_id.is_empty() && !self.access_key_secret.is_empty()
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("access_key_id", &crate::credentials::mask_access_key_id(&self.access_key_id))
            .field("access_key_secret", &"***")
            .field("security_token", &self.security_token.as_ref().map(|_| "***"))
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("protocol", &self.protocol)
            .field("signature", &self.signature)
            .field("read_only", &self.read_only)
            .finish()
    }
}

/// The whole file. Top-level keys pts does not know are kept as they were.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug)]
pub enum ConfigError {
    NoPath,
    Read(PathBuf, std::io::Error),
    Parse(PathBuf, String),
    Write(PathBuf, std::io::Error),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NoPath => {
                write!(f, "no config path: set {ENV_CONFIG}, XDG_CONFIG_HOME or HOME")
            }
            ConfigError::Read(p, e) => write!(f, "cannot read {}: {e}", p.display()),
            ConfigError::Parse(p, e) => write!(f, "{} is not a valid pts config: {e}", p.display()),
            ConfigError::Write(p, e) => write!(f, "cannot write {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Where the config file is, by the process environment.
pub fn config_path() -> Option<PathBuf> {
    config_path_from(|name| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from))
}

/// [`config_path`] over any variable lookup (tests).
pub fn config_path_from(var: impl Fn(&str) -> Option<PathBuf>) -> Option<PathBuf> {
    if let Some(p) = var(ENV_CONFIG) {
        return Some(p);
    }
    if let Some(x) = var("XDG_CONFIG_HOME") {
        return Some(x.join("pts").join("config.json"));
    }
    var("HOME").map(|h| h.join(".config").join("pts").join("config.json"))
}

impl Config {
    /// Reads the file; a missing file is an empty config.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(ConfigError::Read(path.to_path_buf(), e)),
        };
        // serde_json's message names line and column, never a value.
        serde_json::from_str(&text).map_err(|e| {
            ConfigError::Parse(
                path.to_path_buf(),
                format!("line {}, column {}", e.line(), e.column()),
            )
        })
    }

    /// Writes the file atomically with mode 0600, creating the directory (0700).
    pub fn save(&self, path: &Path) -> Result<(), ConfigError> {
        let err = |e| ConfigError::Write(path.to_path_buf(), e);
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        create_private_dir(dir).map_err(err)?;
        let mut text = serde_json::to_string_pretty(self).expect("config serializes");
        text.push('\n');
        write_private_atomic(path, text.as_bytes()).map_err(err)
    }

    /// The profile that applies without `--profile`: `current`, when it exists.
    pub fn current_profile(&self) -> Option<(&str, &Profile)> {
        let name = self.current.as_deref()?;
        self.profiles.get_key_value(name).map(|(k, v)| (k.as_str(), v))
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// Writes `bytes` to `path` through a 0600 temp file in the same directory, fsynced, then
/// renamed over the target (and the directory fsynced), so a crash leaves the old file or
/// the new one, never half of either.
pub fn write_private_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}.{seq}.tmp", std::process::id()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let result = (|| {
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Adds or replaces profile `name` in the config file at `path`; with `set_current` it
/// becomes the current one.
pub fn write_profile_at(
    path: &Path,
    name: &str,
    profile: Profile,
    set_current: bool,
) -> Result<(), ConfigError> {
    let mut config = Config::load(path)?;
    config.profiles.insert(name.to_string(), profile);
    if set_current {
        config.current = Some(name.to_string());
    }
    config.save(path)
}

/// For pts-local and other tools: writes profile `name` (e.g. `local`) into pts's config file
/// at its usual place ([`config_path`]) and returns that path.
pub fn write_profile(
    name: &str,
    profile: Profile,
    set_current: bool,
) -> Result<PathBuf, ConfigError> {
    let path = config_path().ok_or(ConfigError::NoPath)?;
    write_profile_at(&path, name, profile, set_current)?;
    Ok(path)
}

//! The `local` profile in pts's own configuration (not the aliyun CLI's file), so that
//! `pts --profile local ...` talks to this server.
//!
//! File: `$PTS_CONFIG`, else `$XDG_CONFIG_HOME/pts/config.json`, else
//! `~/.config/pts/config.json`. Shape (the format pts-cli reads):
//! `{"current": "...", "profiles": {"local": {"access_key_id", "access_key_secret",
//! "endpoint": "127.0.0.1:PORT", "protocol": "http", "region": "cn-hangzhou", "signature": "v3"}}}`.
//! Written atomically (temp file + rename) with mode 0600; other profiles and unknown keys are
//! kept; `current` is set to `local` only when the file names no current profile.
//!
//! This is the format of `pts_cli::config` (`Config`/`Profile`, `write_profile`). pts-local
//! cannot call that function because pts-cli depends on pts-local (for `pts local serve`), so
//! it writes the same format itself; pts-cli may equally call its own `write_profile` with
//! [`crate::RunningServer::credentials`] and [`crate::RunningServer::endpoint`].

use crate::auth::Key;
use serde_json::{Map, Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Name of the profile pts-local writes.
pub const PROFILE_NAME: &str = "local";

/// Where pts keeps its configuration.
pub fn config_path() -> Option<PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(p) = env("PTS_CONFIG") {
        return Some(p);
    }
    if let Some(x) = env("XDG_CONFIG_HOME") {
        return Some(x.join("pts").join("config.json"));
    }
    env("HOME").map(|h| h.join(".config").join("pts").join("config.json"))
}

/// Writes (or refreshes) the `local` profile for `key` at `endpoint` into `path`.
pub fn write_local_profile(path: &Path, key: &Key, endpoint: &str) -> std::io::Result<()> {
    let mut root = match std::fs::read(path) {
        Ok(bytes) if !bytes.iter().all(u8::is_ascii_whitespace) => {
            serde_json::from_slice::<Value>(&bytes).map_err(|e| {
                std::io::Error::other(format!(
                    "{} is not valid JSON ({e}); not overwriting it",
                    path.display()
                ))
            })?
        }
        _ => json!({}),
    };
    let Some(obj) = root.as_object_mut() else {
        return Err(std::io::Error::other(format!(
            "{} does not hold a JSON object",
            path.display()
        )));
    };
    let profiles = obj.entry("profiles").or_insert_with(|| Value::Object(Map::new()));
    let Some(profiles) = profiles.as_object_mut() else {
        return Err(std::io::Error::other(format!(
            "{}: \"profiles\" is not an object",
            path.display()
        )));
    };
    let mut profile = json!({
        "access_key_id": key.access_key_id,
        "access_key_secret": key.access_key_secret,
        "endpoint": endpoint,
        "protocol": "http",
        "region": "cn-hangzhou",
        "signature": "v3",
    });
    if let Some(token) = &key.security_token {
        profile["security_token"] = json!(token);
    }
    profiles.insert(PROFILE_NAME.to_string(), profile);
    let has_current = obj.get("current").and_then(Value::as_str).is_some_and(|s| !s.is_empty());
    if !has_current {
        obj.insert("current".into(), json!(PROFILE_NAME));
    }
    let mut text = serde_json::to_vec_pretty(&root).map_err(std::io::Error::other)?;
    text.push(b'\n');
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // 0700, like pts-cli's own `Config::save`.
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(std::fs::DirBuilder::new().recursive(true), 0o700)
            .create(dir)?;
        #[cfg(not(unix))]
        std::fs::create_dir_all(dir)?;
    }
    write_private_atomic(path, &text)
}

/// Writes `bytes` to `path` through a 0600 temp file in the same directory, fsynced, then
/// renamed over the target.
pub fn write_private_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.{}.tmp", crate::ids::new_id()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_other_profiles_and_current() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pts").join("config.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            r#"{"current":"prod","profiles":{"prod":{"access_key_id":"x"}},"extra":1}"#,
        )
        .unwrap();
        write_local_profile(&path, &Key::new("id", "secret"), "127.0.0.1:9").unwrap();
        let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(v["current"], "prod");
        assert_eq!(v["extra"], 1);
        assert_eq!(v["profiles"]["prod"]["access_key_id"], "x");
        assert_eq!(v["profiles"]["local"]["endpoint"], "127.0.0.1:9");
        assert_eq!(v["profiles"]["local"]["protocol"], "http");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let fresh = dir.path().join("new.json");
        write_local_profile(&fresh, &Key::new("id", "secret"), "127.0.0.1:9").unwrap();
        let v: Value = serde_json::from_slice(&std::fs::read(&fresh).unwrap()).unwrap();
        assert_eq!(v["current"], "local");
    }
}

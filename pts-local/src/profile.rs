//! The `local` profile in pts's own configuration (not the aliyun CLI's file), so that
//! `pts --profile local ...` talks to this server. The file format and its atomic 0600
//! writer are pts-api's ([`pts_api::config`]), shared with pts-cli; other profiles and
//! unknown keys are kept; `current` is set to `local` only when the file names none.

use crate::auth::Key;
use pts_api::config::{Config, Profile};
use std::path::Path;

pub use pts_api::config::{config_path, write_private_atomic};

/// Name of the profile pts-local writes.
pub const PROFILE_NAME: &str = "local";

/// Writes (or refreshes) the `local` profile for `key` at `endpoint` into `path`.
pub fn write_local_profile(path: &Path, key: &Key, endpoint: &str) -> std::io::Result<()> {
    let config = Config::load(path)
        .map_err(|e| std::io::Error::other(format!("{e}; not overwriting it")))?;
    let profile = Profile {
        access_key_id: key.access_key_id.clone(),
        access_key_secret: key.access_key_secret.clone(),
        security_token: key.security_token.clone(),
        region: Some("cn-hangzhou".into()),
        endpoint: Some(endpoint.to_string()),
        protocol: Some("http".into()),
        signature: Some("v3".into()),
        read_only: None,
    };
    let set_current = config.current.as_deref().is_none_or(str::is_empty);
    pts_api::config::write_profile_at(path, PROFILE_NAME, profile, set_current)
        .map_err(|e| std::io::Error::other(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

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

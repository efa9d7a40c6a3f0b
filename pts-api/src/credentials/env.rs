//! The injectable environment: [`EnvSource`] with [`ProcessEnv`] (the real process) and
//! [`FakeEnv`] (a map, for tests), plus the variable-name families and `region_from_env`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Where providers read environment variables and the home directory. Values are read when
/// credentials are resolved, never cached at start-up.
pub trait EnvSource: Send + Sync {
    /// The variable's value, `None` when unset or not valid UTF-8.
    fn var(&self, name: &str) -> Option<String>;
    /// The user's home directory.
    fn home_dir(&self) -> Option<PathBuf>;
}

/// The real process environment. Home: `HOME`, else the platform's home directory.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl EnvSource for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn home_dir(&self) -> Option<PathBuf> {
        match std::env::var_os("HOME") {
            Some(h) if !h.is_empty() => Some(PathBuf::from(h)),
            _ => std::env::home_dir(),
        }
    }
}

/// A map-backed environment for tests; never touches the process environment.
/// Home: the one given with [`FakeEnv::with_home`], else its own `HOME` entry.
#[derive(Debug, Clone, Default)]
pub struct FakeEnv {
    vars: BTreeMap<String, String>,
    home: Option<PathBuf>,
}

impl FakeEnv {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) one variable.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    pub fn with_home(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.vars.insert(name.into(), value.into());
    }

    pub fn remove(&mut self, name: &str) {
        self.vars.remove(name);
    }

    pub fn into_arc(self) -> Arc<dyn EnvSource> {
        Arc::new(self)
    }
}

impl EnvSource for FakeEnv {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }

    fn home_dir(&self) -> Option<PathBuf> {
        self.home.clone().or_else(|| self.vars.get("HOME").map(PathBuf::from))
    }
}

impl<T: EnvSource + ?Sized> EnvSource for Arc<T> {
    fn var(&self, name: &str) -> Option<String> {
        (**self).var(name)
    }

    fn home_dir(&self) -> Option<PathBuf> {
        (**self).home_dir()
    }
}

/// The variable-name families, in precedence order: the official `ALIBABA_CLOUD_*` names,
/// then the `ALIBABACLOUD_*` and `ALICLOUD_*` aliases of other Alibaba Cloud tools, then the
/// Terraform provider's `ALICLOUD_ACCESS_KEY` / `ALICLOUD_SECRET_KEY` /
/// `ALICLOUD_SECURITY_TOKEN` / `ALICLOUD_REGION`. Id, secret and token always come from one
/// family.
pub const ENV_FAMILIES: [FamilyNames; 4] = [
    FamilyNames {
        access_key_id: "ALIBABA_CLOUD_ACCESS_KEY_ID",
        access_key_secret: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        security_token: "ALIBABA_CLOUD_SECURITY_TOKEN",
        region_id: "ALIBABA_CLOUD_REGION_ID",
    },
    FamilyNames {
        access_key_id: "ALIBABACLOUD_ACCESS_KEY_ID",
        access_key_secret: "ALIBABACLOUD_ACCESS_KEY_SECRET",
        security_token: "ALIBABACLOUD_SECURITY_TOKEN",
        region_id: "ALIBABACLOUD_REGION_ID",
    },
    FamilyNames {
        access_key_id: "ALICLOUD_ACCESS_KEY_ID",
        access_key_secret: "ALICLOUD_ACCESS_KEY_SECRET",
        security_token: "ALICLOUD_SECURITY_TOKEN",
        region_id: "ALICLOUD_REGION_ID",
    },
    FamilyNames {
        access_key_id: "ALICLOUD_ACCESS_KEY",
        access_key_secret: "ALICLOUD_SECRET_KEY",
        security_token: "ALICLOUD_SECURITY_TOKEN",
        region_id: "ALICLOUD_REGION",
    },
];

/// The variables naming a profile, in precedence order (official name first, then the
/// aliases of other tools, the Terraform provider's `ALICLOUD_PROFILE` among them).
pub const ENV_PROFILES: [&str; 3] =
    ["ALIBABA_CLOUD_PROFILE", "ALIBABACLOUD_PROFILE", "ALICLOUD_PROFILE"];

/// Variable names of one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FamilyNames {
    pub access_key_id: &'static str,
    pub access_key_secret: &'static str,
    pub security_token: &'static str,
    pub region_id: &'static str,
}

/// The profile name from the environment, with the variable that named it.
pub fn profile_from_env(env: &dyn EnvSource) -> Option<(String, &'static str)> {
    ENV_PROFILES.iter().find_map(|name| non_empty(env, name).map(|v| (v.trim().to_owned(), *name)))
}

/// A variable's value when it is set and not blank (blank counts as unset).
pub(crate) fn non_empty(env: &dyn EnvSource, name: &str) -> Option<String> {
    env.var(name).filter(|v| !v.trim().is_empty())
}

/// `true` when the variable is `true` (any case), as the SDK's `*_DISABLED` switches read.
pub(crate) fn flag(env: &dyn EnvSource, name: &str) -> bool {
    env.var(name).is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The region from the environment, by the families' order (`ALIBABA_CLOUD_REGION_ID` first,
/// Terraform's `ALICLOUD_REGION` last). Returns `(value, variable name)`.
pub fn region_from_env(env: &dyn EnvSource) -> Option<(String, String)> {
    ENV_FAMILIES.iter().find_map(|family| {
        let name = family.region_id;
        non_empty(env, name).map(|v| (v.trim().to_owned(), name.to_owned()))
    })
}

/// `~/<rel>` under the environment's home directory.
pub(crate) fn home_path(env: &dyn EnvSource, rel: &[&str]) -> Option<PathBuf> {
    let mut p = env.home_dir()?;
    for part in rel {
        p.push(part);
    }
    Some(p)
}

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
/// then the `ALIBABACLOUD_*` and `ALICLOUD_*` aliases used by other tools.
pub const ENV_FAMILIES: [&str; 3] = ["ALIBABA_CLOUD", "ALIBABACLOUD", "ALICLOUD"];

/// Variable names of one family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyNames {
    pub access_key_id: String,
    pub access_key_secret: String,
    pub security_token: String,
    pub region_id: String,
}

impl FamilyNames {
    pub fn of(prefix: &str) -> Self {
        FamilyNames {
            access_key_id: format!("{prefix}_ACCESS_KEY_ID"),
            access_key_secret: format!("{prefix}_ACCESS_KEY_SECRET"),
            security_token: format!("{prefix}_SECURITY_TOKEN"),
            region_id: format!("{prefix}_REGION_ID"),
        }
    }
}

/// A variable's value when it is set and not blank (blank counts as unset).
pub(crate) fn non_empty(env: &dyn EnvSource, name: &str) -> Option<String> {
    env.var(name).filter(|v| !v.trim().is_empty())
}

/// `true` when the variable is `true` (any case), as the SDK's `*_DISABLED` switches read.
pub(crate) fn flag(env: &dyn EnvSource, name: &str) -> bool {
    env.var(name).is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The region from the environment: `ALIBABA_CLOUD_REGION_ID`, then `ALIBABACLOUD_REGION_ID`,
/// then `ALICLOUD_REGION_ID`. Returns `(value, variable name)`.
pub fn region_from_env(env: &dyn EnvSource) -> Option<(String, String)> {
    ENV_FAMILIES.iter().find_map(|prefix| {
        let name = FamilyNames::of(prefix).region_id;
        non_empty(env, &name).map(|v| (v.trim().to_owned(), name))
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

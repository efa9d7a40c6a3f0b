//! Credentials: where they come from (the official SDK's default chain: environment, OIDC role,
//! aliyun CLI profile, INI file, ECS RAM role) and how they are kept.
//!
//! - [`Secret`] / [`Credentials`]: values with redacting `Debug` ([`secret`])
//! - [`EnvSource`] with [`ProcessEnv`] and [`FakeEnv`]: the injectable environment ([`mod@env`])
//! - providers behind [`ProvideCredentials`]: [`StaticProvider`], [`EnvProvider`],
//!   [`OidcProvider`], [`CliProfileProvider`], [`IniProfileProvider`],
//!   [`EcsRamRoleProvider`], [`UriProvider`], and [`AssumeRoleProvider`] for role profiles
//! - [`CachedProvider`]: caching and refresh of temporary credentials
//! - [`CredentialChain`]: the default chain with a [`SourceReport`] for `pts whoami`
//!
//! Nothing here ever logs, formats or returns in an error the value of a secret or token.
//! Every remote endpoint can be overridden ([`Endpoints`]) so tests talk only to loopback.

pub mod assume_role;
pub mod cache;
pub mod chain;
pub mod cli_config;
pub mod cli_profile;
pub mod ecs;
pub mod env;
pub mod env_provider;
pub mod error;
mod http;
pub mod ini;
pub mod ini_profile;
pub mod oidc;
pub mod provider;
pub mod secret;
pub mod sts;
pub mod uri;

pub use assume_role::{AssumeRoleConfig, AssumeRoleProvider};
pub use cache::{CachedProvider, Clock, DEFAULT_STALE_MARGIN, ManualClock, SystemClock};
pub use chain::{ChainBuilder, ChainDescription, CredentialChain, DefaultChain, SourceReport};
pub use cli_config::{
    CliConfig, CliProfile, CliProfileSummary, cli_config_path, list_cli_profiles, read_cli_profile,
};
pub use cli_profile::CliProfileProvider;
pub use ecs::{EcsConfig, EcsRamRoleProvider};
pub use env::{
    ENV_FAMILIES, ENV_PROFILES, EnvSource, FakeEnv, FamilyNames, ProcessEnv, profile_from_env,
    region_from_env,
};
pub use env_provider::EnvProvider;
pub use error::CredentialsError;
pub use http::Timeouts;
pub use ini_profile::{IniProfileProvider, ini_credentials_path};
pub use oidc::{OidcConfig, OidcProvider};
pub use provider::{
    BoxFuture, Description, Endpoints, ProvideCredentials, SourceDetails, Sourced, StaticProvider,
};
pub use secret::{Credentials, Secret, mask_access_key_id, read_secret_line};
pub use sts::StsEndpoint;
pub use uri::UriProvider;

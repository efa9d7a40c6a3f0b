//! The default chain: order, stickiness, SourceReport, and the NotFound error.

#[path = "credentials_support.rs"]
mod support;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use pts_api::credentials::{
    BoxFuture, CredentialChain, Credentials, CredentialsError, DefaultChain, Endpoints,
    ProvideCredentials,
};
use support::*;

fn write_cli(home: &Path) {
    std::fs::create_dir_all(home.join(".aliyun")).unwrap();
    std::fs::write(
        home.join(".aliyun/config.json"),
        r#"{"current":"main","profiles":[{"name":"main","mode":"AK","access_key_id":"LTAIcli","access_key_secret":"cli-secret"}]}"#,
    )
    .unwrap();
}

fn write_ini(home: &Path) {
    std::fs::create_dir_all(home.join(".alibabacloud")).unwrap();
    std::fs::write(
        home.join(".alibabacloud/credentials.ini"),
        "[default]\ntype = access_key\naccess_key_id = LTAIini\naccess_key_secret = ini-secret\n",
    )
    .unwrap();
}

const ENV_AK: [(&str, &str); 2] =
    [("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret")];
const NO_ECS: (&str, &str) = ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");

#[test]
fn default_order() {
    let home = tempfile::tempdir().unwrap();
    let chain = CredentialChain::default_chain(env_of(home.path(), &[]));
    assert_eq!(
        chain.labels(),
        [
            "static",
            "env",
            "oidc_role_arn",
            "cli_profile",
            "ini_profile",
            "ecs_ram_role",
            "credentials_uri"
        ]
    );
    // `DefaultChain::new()` (the client's default) builds over the process environment;
    // it is not resolved here, so nothing is read or contacted.
    assert_eq!(DefaultChain::new().labels().len(), 7);
}

#[tokio::test]
async fn env_then_cli_then_ini() {
    let home = tempfile::tempdir().unwrap();
    write_cli(home.path());
    write_ini(home.path());
    let resolve = |pairs: Vec<(&'static str, &'static str)>| {
        let chain = CredentialChain::default_chain(env_of(home.path(), &pairs));
        async move { chain.resolve().await.unwrap() }
    };
    let (c, r) = resolve(vec![ENV_AK[0], ENV_AK[1], NO_ECS]).await;
    assert_eq!((c.access_key_id.as_str(), c.provider_name.as_str()), ("LTAIenv", "default/env"));
    assert_eq!(r.source, "env");

    let (c, r) = resolve(vec![NO_ECS]).await;
    assert_eq!(c.provider_name, "default/cli_profile/static_ak");
    assert_eq!(r.source, "cli_profile");
    assert_eq!(r.profile.as_deref(), Some("main"));
    assert_eq!(r.file, Some(home.path().join(".aliyun/config.json")));
    let tried: Vec<&str> = r.tried.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(tried, ["static", "env", "oidc_role_arn"]);

    let (c, r) = resolve(vec![NO_ECS, ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")]).await;
    assert_eq!(c.provider_name, "default/profile/static_ak");
    assert_eq!(c.access_key_id, "LTAIini");
    assert_eq!(r.source, "ini_profile");
    assert_eq!(r.profile.as_deref(), Some("default"));
    assert!(
        r.tried.iter().any(|(p, why)| p == "cli_profile"
            && why.contains("ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true"))
    );

    // A `--profile` given to the chain selects the CLI profile over ALIBABA_CLOUD_PROFILE.
    let chain =
        CredentialChain::builder(env_of(home.path(), &[NO_ECS, ("ALIBABA_CLOUD_PROFILE", "x")]))
            .profile("main")
            .build();
    assert_eq!(chain.resolve().await.unwrap().1.profile.as_deref(), Some("main"));
}

#[tokio::test]
async fn chain_falls_through_to_ecs() {
    let home = tempfile::tempdir().unwrap();
    let meta = FakeServer::start(|r| match r.path.as_str() {
        "/latest/api/token" => reply(200, "t"),
        "/latest/meta-data/ram/security-credentials/" => reply(200, "Role"),
        _ => reply(200, temp_ok("STS.ecs", "s", "t", in_secs(3600))),
    })
    .await;
    let chain = CredentialChain::builder(env_of(home.path(), &[]))
        .endpoints(Endpoints { sts: None, ecs_metadata: Some(meta.url()) })
        .build();
    let (c, r) = chain.resolve().await.unwrap();
    assert_eq!(c.provider_name, "default/ecs_ram_role");
    assert_eq!(r.source, "ecs_ram_role");
    assert_eq!(r.tried.len(), 5);
}

/// Fails while `up` is false; counts calls.
struct Toggle {
    id: &'static str,
    up: AtomicBool,
    calls: AtomicUsize,
}

impl Toggle {
    fn new(id: &'static str, up: bool) -> Arc<Self> {
        Arc::new(Toggle { id, up: AtomicBool::new(up), calls: AtomicUsize::new(0) })
    }
}

impl ProvideCredentials for Toggle {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if self.up.load(Ordering::SeqCst) {
                Ok(Credentials::new(self.id, "s", None))
            } else {
                Err(CredentialsError::NotFound { tried: vec![] })
            }
        })
    }

    fn name(&self) -> &'static str {
        "toggle"
    }
}

#[tokio::test]
async fn first_success_wins_and_sticks() {
    let a = Toggle::new("A", false);
    let b = Toggle::new("B", true);
    let c = Toggle::new("C", true);
    let chain = CredentialChain::from_providers(vec![
        ("a".into(), a.clone() as Arc<dyn ProvideCredentials>),
        ("b".into(), b.clone()),
        ("c".into(), c.clone()),
    ]);
    let (creds, report) = chain.resolve().await.unwrap();
    assert_eq!(creds.access_key_id, "B");
    assert_eq!(report.source, "b");
    assert_eq!(report.tried.len(), 1);
    assert_eq!(c.calls.load(Ordering::SeqCst), 0, "later providers are not consulted");

    // A recovers, but the chain sticks to B.
    a.up.store(true, Ordering::SeqCst);
    assert_eq!(chain.provide().await.unwrap().access_key_id, "B");
    assert_eq!(a.calls.load(Ordering::SeqCst), 1);
    assert_eq!(b.calls.load(Ordering::SeqCst), 2);

    // If B then fails, its error is returned; the chain does not fall through to C.
    b.up.store(false, Ordering::SeqCst);
    assert!(chain.resolve().await.is_err());
    assert_eq!(c.calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn not_found_lists_every_provider_and_why() {
    let home = tempfile::tempdir().unwrap();
    let chain = CredentialChain::default_chain(env_of(
        home.path(),
        &[("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIhalf"), NO_ECS],
    ));
    let err = chain.resolve().await.unwrap_err();
    let CredentialsError::NotFound { tried } = &err else { panic!("{err:?}") };
    let names: Vec<&str> = tried.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        names,
        [
            "static",
            "env",
            "oidc_role_arn",
            "cli_profile",
            "ini_profile",
            "ecs_ram_role",
            "credentials_uri"
        ]
    );
    let text = err.to_string();
    for needle in [
        "no credentials found; tried 7 provider(s):",
        "  - static: no explicit AccessKey configured",
        "  - env: ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET not set",
        "ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not",
        "  - oidc_role_arn: ALIBABA_CLOUD_OIDC_TOKEN_FILE, ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN not set",
        "  - cli_profile: ",
        "config.json not found",
        "  - ini_profile: ALIBABA_CLOUD_CREDENTIALS_FILE not set",
        "  - ecs_ram_role: ALIBABA_CLOUD_ECS_METADATA_DISABLED=true",
        "  - credentials_uri: ALIBABA_CLOUD_CREDENTIALS_URI not set",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert_eq!(text.lines().count(), 8, "{text}");
}

#[tokio::test]
async fn unreachable_metadata_is_listed() {
    let home = tempfile::tempdir().unwrap();
    let chain = CredentialChain::builder(env_of(home.path(), &[]))
        .endpoints(Endpoints { sts: None, ecs_metadata: Some(closed_port_url().await) })
        .build();
    let err = chain.resolve().await.unwrap_err();
    assert!(err.to_string().contains("metadata service http://127.0.0.1:"), "{err}");
    assert!(err.to_string().contains("unreachable"), "{err}");
}

/// `describe` walks the same order as `resolve`, from env and files only: a role profile
/// is reported by configuration (the STS endpoint here does not exist and is not called).
#[test]
fn describe_needs_no_network() {
    let home = tempfile::tempdir().unwrap();
    // Nothing configured: no winner, every step tried with its reason.
    let none = CredentialChain::default_chain(env_of(home.path(), &[NO_ECS])).describe();
    assert_eq!(none.source, None);
    let steps: Vec<&str> = none.tried.iter().map(|(s, _)| s.as_str()).collect();
    assert!(steps.contains(&"env") && steps.contains(&"credentials_uri"), "{steps:?}");

    // The INI file wins over nothing else configured, key masked.
    write_ini(home.path());
    let ini = CredentialChain::default_chain(env_of(home.path(), &[NO_ECS])).describe();
    assert_eq!(ini.source.as_deref(), Some("ini_profile"));
    assert_eq!(ini.description.mode.as_deref(), Some("access_key"));
    assert_eq!(ini.description.details.profile.as_deref(), Some("default"));
    assert!(ini.description.access_key_id.as_deref().unwrap().ends_with("****"));

    // A RamRoleArn CLI profile: remote STS, not contacted.
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    std::fs::write(
        home.path().join(".aliyun/config.json"),
        r#"{"current":"role","profiles":[{"name":"role","mode":"RamRoleArn","access_key_id":"LTAIsrc","access_key_secret":"s","ram_role_arn":"acs:ram::1:role/x","ram_session_name":"n"}]}"#,
    )
    .unwrap();
    let chain = CredentialChain::builder(env_of(home.path(), &[NO_ECS]))
        .endpoints(Endpoints { sts: Some("http://127.0.0.1:9".into()), ecs_metadata: None })
        .build();
    let role = chain.describe();
    assert_eq!(role.source.as_deref(), Some("cli_profile"));
    assert_eq!(role.description.mode.as_deref(), Some("RamRoleArn"));
    assert_eq!(role.description.remote.as_deref(), Some("STS AssumeRole"));
    assert_eq!(role.description.access_key_id, None);

    // Environment variables come first.
    let env = CredentialChain::default_chain(env_of(home.path(), &ENV_AK)).describe();
    assert_eq!(env.source.as_deref(), Some("env"));
    assert_eq!(env.description.details.variables.len(), 2);
}

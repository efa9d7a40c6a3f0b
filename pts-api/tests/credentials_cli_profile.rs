//! aliyun CLI `config.json` profiles: every mode, profile selection, listing, and role
//! assumption against a loopback fake STS that verifies the signature.

#[path = "credentials_support.rs"]
mod support;

use std::path::Path;
use std::sync::Arc;

use pts_api::credentials::{
    AssumeRoleConfig, AssumeRoleProvider, CliProfileProvider, CredentialsError, Endpoints,
    EnvSource, ProvideCredentials, StaticProvider, StsEndpoint, list_cli_profiles,
    read_cli_profile,
};
use serde_json::json;
use support::*;

const CONFIG: &str = r#"{
  "current": "default",
  "profiles": [
    {"name": "default", "mode": "AK", "access_key_id": "LTAIdefault", "access_key_secret": "default-secret", "region_id": "cn-hangzhou"},
    {"name": "tmp", "mode": "StsToken", "access_key_id": "STS.tmp", "access_key_secret": "tmp-secret", "sts_token": "tmp-token"},
    {"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAIrole", "access_key_secret": "role-secret",
     "ram_role_arn": "acs:ram::1:role/first", "ram_session_name": "cli-session", "expired_seconds": 900,
     "policy": "", "sts_region": "", "enable_vpc": false},
    {"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "role", "ram_role_arn": "acs:ram::1:role/second"},
    {"name": "chain-sts", "mode": "ChainableRamRoleArn", "source_profile": "tmp", "ram_role_arn": "acs:ram::1:role/second"},
    {"name": "loop-a", "mode": "ChainableRamRoleArn", "source_profile": "loop-b", "ram_role_arn": "acs:ram::1:role/a"},
    {"name": "loop-b", "mode": "ChainableRamRoleArn", "source_profile": "loop-a", "ram_role_arn": "acs:ram::1:role/b"},
    {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "EcsRole"},
    {"name": "sso", "mode": "CloudSSO"},
    {"name": "broken", "mode": "AK", "access_key_id": "LTAIbroken"}
  ]
}"#;

fn home_with_config(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".aliyun")).unwrap();
    std::fs::write(dir.path().join(".aliyun/config.json"), config).unwrap();
    dir
}

fn env(home: &Path, pairs: &[(&str, &str)]) -> Arc<dyn EnvSource> {
    env_of(home, pairs)
}

/// A fake STS that checks the v1/v3 signature against known keys and answers per role.
async fn fake_sts() -> FakeServer {
    let exp = in_secs(3600);
    FakeServer::start(move |r| {
        let keys =
            [("LTAIrole", "role-secret"), ("STS.tmp", "tmp-secret"), ("STS.first", "first-secret")];
        let action = r.param("Action").or_else(|| r.header("x-acs-action"));
        if action.as_deref() != Some("AssumeRole") {
            return reply(400, sts_error("InvalidAction", "not AssumeRole"));
        }
        if let Err(e) = r.verify_signature(&keys) {
            return reply(400, sts_error("SignatureDoesNotMatch", &e));
        }
        match r.form("RoleArn").as_deref() {
            Some("acs:ram::1:role/first") => {
                reply(200, sts_ok("STS.first", "first-secret", "first-token", exp))
            }
            Some("acs:ram::1:role/second") => {
                reply(200, sts_ok("STS.second", "second-secret", "second-token", exp))
            }
            _ => reply(404, sts_error("EntityNotExist.Role", "The role not exists")),
        }
    })
    .await
}

fn provider(home: &Path, pairs: &[(&str, &str)], sts: Option<&FakeServer>) -> CliProfileProvider {
    CliProfileProvider::new(env(home, pairs))
        .with_endpoints(Endpoints { sts: sts.map(FakeServer::url), ecs_metadata: None })
}

#[tokio::test]
async fn ak_mode_from_current_profile() {
    let home = home_with_config(CONFIG);
    let s = provider(home.path(), &[], None).provide_sourced().await.unwrap();
    assert_eq!(s.credentials.access_key_id, "LTAIdefault");
    assert_eq!(s.credentials.access_key_secret.expose(), "default-secret");
    assert_eq!(s.credentials.provider_name, "cli_profile/static_ak");
    assert_eq!(s.details.profile.as_deref(), Some("default"));
    assert_eq!(s.details.file, Some(home.path().join(".aliyun/config.json")));
    assert!(s.details.variables.is_empty());
}

#[tokio::test]
async fn sts_token_mode_and_profile_selection() {
    let home = home_with_config(CONFIG);
    let s = provider(home.path(), &[("ALIBABA_CLOUD_PROFILE", "tmp")], None)
        .provide_sourced()
        .await
        .unwrap();
    assert_eq!(s.credentials.provider_name, "cli_profile/static_sts");
    assert_eq!(s.credentials.security_token.as_ref().unwrap().expose(), "tmp-token");
    assert_eq!(s.details.variables, ["ALIBABA_CLOUD_PROFILE"]);
    // The aliases of other tools select it too, after the official name.
    for var in ["ALIBABACLOUD_PROFILE", "ALICLOUD_PROFILE"] {
        let s = provider(home.path(), &[(var, "tmp")], None).provide_sourced().await.unwrap();
        assert_eq!(s.credentials.provider_name, "cli_profile/static_sts", "{var}");
        assert_eq!(s.details.variables, [var]);
    }
    let s = provider(
        home.path(),
        &[("ALICLOUD_PROFILE", "tmp"), ("ALIBABA_CLOUD_PROFILE", "default")],
        None,
    )
    .provide_sourced()
    .await
    .unwrap();
    assert_eq!(s.details.variables, ["ALIBABA_CLOUD_PROFILE"]);

    // An explicit name beats ALIBABA_CLOUD_PROFILE.
    let c = provider(home.path(), &[("ALIBABA_CLOUD_PROFILE", "tmp")], None)
        .with_profile("default")
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "LTAIdefault");
}

#[tokio::test]
async fn ram_role_arn_is_signed_with_the_profile_key() {
    let home = home_with_config(CONFIG);
    let sts = fake_sts().await;
    let p = provider(home.path(), &[("ALIBABA_CLOUD_PROFILE", "role")], Some(&sts));
    let c = p.provide().await.unwrap();
    assert_eq!(c.access_key_id, "STS.first");
    assert_eq!(c.security_token.as_ref().unwrap().expose(), "first-token");
    assert_eq!(c.provider_name, "cli_profile/ram_role_arn/static_ak");
    assert!(c.expiration.is_some());

    let reqs = sts.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.param("AccessKeyId").as_deref(), Some("LTAIrole"));
    assert!(r.param("Signature").is_some() || r.header("authorization").is_some());
    let verified = r.verify_signature(&[("LTAIrole", "role-secret")]).unwrap();
    assert_eq!(verified.access_key_id, "LTAIrole");
    assert!(verified.security_token.is_none());
    assert_eq!(r.param("Version").as_deref(), Some("2015-04-01"));
    assert_eq!(r.form("RoleSessionName").as_deref(), Some("cli-session"));
    assert_eq!(r.form("DurationSeconds").as_deref(), Some("900"));
    assert!(r.form("Policy").is_none(), "empty policy is not sent");
    assert_eq!(r.header("x-acs-credentials-provider").as_deref(), Some("static_ak"));

    // Cached: no second STS call.
    p.provide().await.unwrap();
    assert_eq!(sts.count(), 1);
}

#[tokio::test]
async fn chainable_ram_role_arn_follows_source_profiles() {
    let home = home_with_config(CONFIG);
    let sts = fake_sts().await;
    // chain -> role (RamRoleArn, AK) : two AssumeRole calls, the second signed with the
    // first call's temporary key and token.
    let c = provider(home.path(), &[("ALIBABA_CLOUD_PROFILE", "chain")], Some(&sts))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "STS.second");
    assert_eq!(c.provider_name, "cli_profile/ram_role_arn/ram_role_arn/static_ak");
    let reqs = sts.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].form("RoleArn").as_deref(), Some("acs:ram::1:role/first"));
    assert_eq!(reqs[1].form("RoleArn").as_deref(), Some("acs:ram::1:role/second"));
    let v = reqs[1].verify_signature(&[("STS.first", "first-secret")]).unwrap();
    assert_eq!(v.security_token.as_deref(), Some("first-token"));

    // chain-sts -> tmp (StsToken): one call signed with the static STS key and token.
    let c = provider(home.path(), &[("ALIBABA_CLOUD_PROFILE", "chain-sts")], Some(&sts))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.provider_name, "cli_profile/ram_role_arn/static_sts");
    let last = sts.requests().pop().unwrap();
    let v = last.verify_signature(&[("STS.tmp", "tmp-secret")]).unwrap();
    assert_eq!(v.security_token.as_deref(), Some("tmp-token"));
}

#[tokio::test]
async fn source_profile_cycle_is_rejected() {
    let home = home_with_config(CONFIG);
    let err = provider(home.path(), &[("ALIBABA_CLOUD_PROFILE", "loop-a")], None)
        .provide()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::InvalidConfig { .. }), "{err:?}");
    assert!(err.to_string().contains("cycle: loop-a -> loop-b -> loop-a"), "{err}");
}

#[tokio::test]
async fn ecs_ram_role_mode_uses_metadata() {
    let home = home_with_config(CONFIG);
    let exp = in_secs(3600);
    let meta = FakeServer::start(move |r| match (r.method.as_str(), r.path.as_str()) {
        ("PUT", "/latest/api/token") => reply(200, "meta-token"),
        ("GET", "/latest/meta-data/ram/security-credentials/EcsRole") => {
            reply(200, temp_ok("STS.ecs", "ecs-secret", "ecs-token", exp))
        }
        _ => reply(404, "{}"),
    })
    .await;
    let c = CliProfileProvider::new(env(home.path(), &[]))
        .with_profile("ecs")
        .with_endpoints(Endpoints { sts: None, ecs_metadata: Some(meta.url()) })
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "STS.ecs");
    assert_eq!(c.provider_name, "cli_profile/ecs_ram_role");
    assert_eq!(meta.count(), 2, "role name given: no discovery request");
}

#[tokio::test]
async fn unsupported_missing_and_incomplete_profiles() {
    let home = home_with_config(CONFIG);
    let err_of = |name: &str| {
        let p = provider(home.path(), &[], None).with_profile(name);
        async move { p.provide().await.unwrap_err().to_string() }
    };
    let e = err_of("sso").await;
    assert!(e.contains("unsupported mode `CloudSSO`"), "{e}");
    let e = err_of("nope").await;
    assert!(e.contains("profile `nope` not found"), "{e}");
    let e = err_of("broken").await;
    assert!(e.contains("has no access_key_secret"), "{e}");
}

#[tokio::test]
async fn disabled_and_absent_config() {
    let home = home_with_config(CONFIG);
    let err = provider(home.path(), &[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "TRUE")], None)
        .provide()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::Disabled { .. }), "{err:?}");

    let empty = tempfile::tempdir().unwrap();
    let err = provider(empty.path(), &[], None).provide().await.unwrap_err();
    assert!(matches!(err, CredentialsError::NotConfigured { .. }), "{err:?}");
    assert!(err.to_string().contains("config.json not found"), "{err}");

    let bad = home_with_config("{ not json");
    let err = provider(bad.path(), &[], None).provide().await.unwrap_err();
    assert!(matches!(err, CredentialsError::InvalidConfig { .. }), "{err:?}");
}

#[test]
fn list_and_read_profiles() {
    let home = home_with_config(CONFIG);
    let e = env(home.path(), &[("ALIBABA_CLOUD_PROFILE", "tmp")]);
    let (path, list) = list_cli_profiles(e.as_ref()).unwrap();
    assert_eq!(path, home.path().join(".aliyun/config.json"));
    let names: Vec<&str> = list.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names[..4], ["default", "tmp", "role", "chain"]);
    let selected: Vec<&str> = list.iter().filter(|p| p.selected).map(|p| p.name.as_str()).collect();
    assert_eq!(selected, ["tmp"]);
    assert_eq!(list[0].region_id.as_deref(), Some("cn-hangzhou"));
    assert_eq!(list[2].mode, "RamRoleArn");

    let p = read_cli_profile(e.as_ref(), None).unwrap();
    assert_eq!(p.name, "tmp");
    let p = read_cli_profile(e.as_ref(), Some("role")).unwrap();
    assert_eq!(p.ram_role_arn.as_deref(), Some("acs:ram::1:role/first"));
    let shown = format!("{p:?}");
    assert!(!shown.contains("role-secret") && shown.contains("LTAI****"), "{shown}");
    assert!(read_cli_profile(e.as_ref(), Some("nope")).is_err());

    // Unknown fields and nulls written by newer CLIs are tolerated.
    let cfg = json!({"current": "x", "meta_path": "", "profiles": [
        {"name": "x", "mode": "AK", "access_key_id": "id", "access_key_secret": "s",
         "sts_token": null, "retry_count": 0, "language": "en"}]});
    let home = home_with_config(&cfg.to_string());
    let p = read_cli_profile(env(home.path(), &[]).as_ref(), None).unwrap();
    assert_eq!(p.mode, "AK");
}

#[tokio::test]
async fn assume_role_can_sign_with_v3() {
    let sts = fake_sts().await;
    let mut config = AssumeRoleConfig::new("acs:ram::1:role/first");
    config.endpoint = StsEndpoint::at(sts.url());
    config.signature = pts_api::__private::wire::SignatureVersion::V3;
    config.policy =
        Some(r#"{"Statement":[{"Action":"pts:*","Effect":"Allow","Resource":"*"}]}"#.into());
    let source = Arc::new(StaticProvider::with_token("STS.tmp", "tmp-secret", "tmp-token"));
    let c = AssumeRoleProvider::new(source, config).provide().await.unwrap();
    assert_eq!(c.provider_name, "ram_role_arn/static_sts");
    let r = &sts.requests()[0];
    assert!(r.header("authorization").unwrap().starts_with("ACS3-HMAC-SHA256 Credential=STS.tmp,"));
    assert_eq!(r.header("x-acs-action").as_deref(), Some("AssumeRole"));
    assert_eq!(r.header("x-acs-version").as_deref(), Some("2015-04-01"));
    let v = r.verify_signature(&[("STS.tmp", "tmp-secret")]).unwrap();
    assert_eq!(v.security_token.as_deref(), Some("tmp-token"));
    assert!(r.form("Policy").unwrap().contains("pts:*"));
}

#[test]
fn sts_endpoint_rules() {
    let home = tempfile::tempdir().unwrap();
    let none = env(home.path(), &[]);
    assert_eq!(StsEndpoint::default().base_url(), "https://sts.aliyuncs.com");
    let e = StsEndpoint::from_env(none.as_ref(), None, Some("cn-shanghai"), false);
    assert_eq!(e.base_url(), "https://sts.cn-shanghai.aliyuncs.com");
    let e = StsEndpoint::from_env(none.as_ref(), None, Some("cn-shanghai"), true);
    assert_eq!(e.base_url(), "https://sts-vpc.cn-shanghai.aliyuncs.com");
    let vars = env(
        home.path(),
        &[
            ("ALIBABA_CLOUD_STS_REGION", "cn-beijing"),
            ("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true"),
        ],
    );
    let e = StsEndpoint::from_env(vars.as_ref(), None, None, false);
    assert_eq!(e.base_url(), "https://sts-vpc.cn-beijing.aliyuncs.com");
    let e = StsEndpoint::from_env(vars.as_ref(), Some("http://127.0.0.1:9/"), None, false);
    assert_eq!(e.base_url(), "http://127.0.0.1:9");
}

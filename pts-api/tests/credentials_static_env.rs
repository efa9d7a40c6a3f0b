//! Explicit credentials and the environment provider: alias families, their precedence,
//! no mixing of families, region lookup.

#[path = "credentials_support.rs"]
mod support;

use std::sync::Arc;

use pts_api::credentials::{
    CredentialChain, Credentials, CredentialsError, EnvProvider, EnvSource, FakeEnv, ProcessEnv,
    ProvideCredentials, Secret, StaticProvider, region_from_env,
};

fn env(pairs: &[(&str, &str)]) -> Arc<dyn EnvSource> {
    let mut e = FakeEnv::new();
    for (k, v) in pairs {
        e.set(*k, *v);
    }
    Arc::new(e)
}

#[tokio::test]
async fn explicit_ak_and_sts() {
    let ak = StaticProvider::new("LTAIexplicit", "s3cr3t").provide().await.unwrap();
    assert_eq!(ak.provider_name, "static_ak");
    assert_eq!(ak.access_key_id, "LTAIexplicit");
    assert_eq!(ak.access_key_secret.expose(), "s3cr3t");
    assert!(ak.security_token.is_none() && ak.expiration.is_none());

    let sts = StaticProvider::with_token("STS.id", "s3cr3t", "tok").provide().await.unwrap();
    assert_eq!(sts.provider_name, "static_sts");
    assert_eq!(sts.security_token.as_ref().map(Secret::expose), Some("tok"));

    // An empty token means AK; an empty id or secret means no explicit credentials.
    let c = Credentials::new("id", "sec", Some(Secret::new("")));
    assert_eq!(c.provider_name, "static_ak");
    let secret = Secret::new("x");
    assert!(StaticProvider::from_parts(Some(""), Some(&secret), None).is_none());
    assert!(StaticProvider::from_parts(Some("id"), Some(&Secret::new("")), None).is_none());
    assert!(StaticProvider::from_parts(Some("id"), Some(&secret), None).is_some());
}

#[tokio::test]
async fn explicit_wins_over_environment_in_chain() {
    let e = env(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "envsecret"),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
    ]);
    let chain =
        CredentialChain::builder(e).explicit(Credentials::new("LTAIexplicit", "exp", None)).build();
    let (c, report) = chain.resolve().await.unwrap();
    assert_eq!(c.access_key_id, "LTAIexplicit");
    assert_eq!(c.provider_name, "static_ak", "explicit keys are not inside the default chain");
    assert_eq!(report.source, "static");
    assert!(report.tried.is_empty());
}

#[tokio::test]
async fn env_official_names() {
    let e = env(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIofficial"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "sec"),
    ]);
    let s = EnvProvider::new(e).resolve().unwrap();
    assert_eq!(s.credentials.access_key_id, "LTAIofficial");
    assert_eq!(s.credentials.provider_name, "env");
    assert!(s.credentials.security_token.is_none());
    assert_eq!(
        s.details.variables,
        ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"]
    );
}

#[tokio::test]
async fn env_security_token_makes_sts() {
    let e = env(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.abc"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "sec"),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", "tok"),
    ]);
    let s = EnvProvider::new(e).resolve().unwrap();
    assert_eq!(s.credentials.security_token.as_ref().map(Secret::expose), Some("tok"));
    assert_eq!(s.details.variables.last().unwrap(), "ALIBABA_CLOUD_SECURITY_TOKEN");
}

#[tokio::test]
async fn env_alias_families() {
    for prefix in ["ALIBABACLOUD", "ALICLOUD"] {
        let id_var = format!("{prefix}_ACCESS_KEY_ID");
        let secret_var = format!("{prefix}_ACCESS_KEY_SECRET");
        let token_var = format!("{prefix}_SECURITY_TOKEN");
        let e = env(&[(&id_var, "LTAIalias"), (&secret_var, "sec"), (&token_var, "tok")]);
        let s = EnvProvider::new(e).resolve().unwrap();
        assert_eq!(s.credentials.access_key_id, "LTAIalias");
        assert_eq!(s.credentials.security_token.as_ref().map(Secret::expose), Some("tok"));
        assert_eq!(s.details.variables, [id_var, secret_var, token_var]);
    }
}

#[tokio::test]
async fn env_family_precedence() {
    let all = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "id-official"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s1"),
        ("ALIBABACLOUD_ACCESS_KEY_ID", "id-alibabacloud"),
        ("ALIBABACLOUD_ACCESS_KEY_SECRET", "s2"),
        ("ALICLOUD_ACCESS_KEY_ID", "id-alicloud"),
        ("ALICLOUD_ACCESS_KEY_SECRET", "s3"),
    ];
    let pick = |pairs: &[(&str, &str)]| EnvProvider::new(env(pairs)).resolve().unwrap();
    assert_eq!(pick(&all).credentials.access_key_id, "id-official");
    assert_eq!(pick(&all[2..]).credentials.access_key_id, "id-alibabacloud");
    assert_eq!(pick(&all[4..]).credentials.access_key_id, "id-alicloud");
    let official_and_alicloud = [all[0], all[1], all[4], all[5]];
    assert_eq!(pick(&official_and_alicloud).credentials.access_key_secret.expose(), "s1");
    // Terraform's names come last, with their own token.
    let terraform = [
        ("ALICLOUD_ACCESS_KEY", "id-terraform"),
        ("ALICLOUD_SECRET_KEY", "s4"),
        ("ALICLOUD_SECURITY_TOKEN", "t4"),
    ];
    let s = pick(&terraform);
    assert_eq!(s.credentials.access_key_id, "id-terraform");
    assert_eq!(s.credentials.security_token.as_ref().map(Secret::expose), Some("t4"));
    assert_eq!(
        s.details.variables,
        ["ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN"]
    );
    let mut alicloud_and_terraform = terraform.to_vec();
    alicloud_and_terraform.extend([all[4], all[5]]);
    assert_eq!(pick(&alicloud_and_terraform).credentials.access_key_id, "id-alicloud");
}

#[tokio::test]
async fn env_never_mixes_families() {
    // Id from one family and secret from another: no credential at all.
    let e = env(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "id-official"),
        ("ALICLOUD_ACCESS_KEY_SECRET", "s3"),
    ]);
    let err = EnvProvider::new(e).resolve().unwrap_err();
    assert!(matches!(err, CredentialsError::NotConfigured { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains(
            "ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not"
        ),
        "{text}"
    );
    assert!(
        text.contains("ALICLOUD_ACCESS_KEY_SECRET is set but ALICLOUD_ACCESS_KEY_ID is not"),
        "{text}"
    );
    assert!(!text.contains("s3") && !text.contains("id-official"), "{text}");

    // A half official pair is skipped; the complete alias pair is used whole, and the
    // official token is not borrowed by it.
    let e = env(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "id-official"),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", "official-token"),
        ("ALICLOUD_ACCESS_KEY_ID", "id-alicloud"),
        ("ALICLOUD_ACCESS_KEY_SECRET", "s3"),
    ]);
    let s = EnvProvider::new(e).resolve().unwrap();
    assert_eq!(s.credentials.access_key_id, "id-alicloud");
    assert_eq!(s.credentials.access_key_secret.expose(), "s3");
    assert!(s.credentials.security_token.is_none());
    assert_eq!(s.details.variables, ["ALICLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY_SECRET"]);
}

#[tokio::test]
async fn env_blank_values_count_as_unset() {
    let e = env(&[("ALIBABA_CLOUD_ACCESS_KEY_ID", "  "), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "")]);
    assert!(matches!(EnvProvider::new(e).resolve(), Err(CredentialsError::NotConfigured { .. })));
}

#[tokio::test]
async fn chain_names_env_credentials_default_env() {
    let e = env(&[
        ("ALICLOUD_ACCESS_KEY_ID", "LTAIchain"),
        ("ALICLOUD_ACCESS_KEY_SECRET", "sec"),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
    ]);
    let (c, report) = CredentialChain::default_chain(e).resolve().await.unwrap();
    assert_eq!(c.provider_name, "default/env");
    assert_eq!(report.source, "env");
    assert_eq!(report.variables, ["ALICLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY_SECRET"]);
    assert_eq!(report.tried.len(), 1);
    assert_eq!(report.tried[0].0, "static");
}

#[test]
fn region_precedence() {
    assert_eq!(region_from_env(env(&[]).as_ref()), None);
    let e = env(&[("ALICLOUD_REGION_ID", "cn-beijing"), ("ALIBABACLOUD_REGION_ID", "cn-shanghai")]);
    assert_eq!(
        region_from_env(e.as_ref()),
        Some(("cn-shanghai".to_owned(), "ALIBABACLOUD_REGION_ID".to_owned()))
    );
    let e =
        env(&[("ALICLOUD_REGION_ID", "cn-beijing"), ("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou")]);
    assert_eq!(
        region_from_env(e.as_ref()),
        Some(("cn-hangzhou".to_owned(), "ALIBABA_CLOUD_REGION_ID".to_owned()))
    );
    let e = env(&[("ALICLOUD_REGION_ID", "cn-beijing")]);
    assert_eq!(region_from_env(e.as_ref()).unwrap().1, "ALICLOUD_REGION_ID");
    let e = env(&[("ALICLOUD_REGION", "cn-qingdao")]);
    assert_eq!(
        region_from_env(e.as_ref()).unwrap(),
        ("cn-qingdao".into(), "ALICLOUD_REGION".into())
    );
}

#[test]
fn fake_env_and_process_env() {
    let fake = FakeEnv::new().with("HOME", "/nonexistent/fake-home");
    assert_eq!(fake.home_dir().unwrap(), std::path::Path::new("/nonexistent/fake-home"));
    let fake = fake.with_home("/elsewhere");
    assert_eq!(fake.home_dir().unwrap(), std::path::Path::new("/elsewhere"));
    assert_eq!(fake.var("NOPE"), None);
    // ProcessEnv only reads the real environment.
    assert_eq!(ProcessEnv.var("PATH"), std::env::var("PATH").ok());
}

//! OIDC role provider against a loopback fake STS (`AssumeRoleWithOIDC`, anonymous).

#[path = "credentials_support.rs"]
mod support;

use pts_api::credentials::{
    CredentialChain, CredentialsError, Endpoints, OidcProvider, ProvideCredentials,
};
use support::*;

fn oidc_env(
    dir: &std::path::Path,
    token_file: &str,
    extra: &[(&str, &str)],
) -> std::sync::Arc<dyn pts_api::credentials::EnvSource> {
    let mut pairs = vec![
        ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::123:role/pts"),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::123:oidc-provider/ack"),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_file),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
    ];
    pairs.extend_from_slice(extra);
    env_of(dir, &pairs)
}

#[tokio::test]
async fn assume_role_with_oidc_is_anonymous_and_parsed() {
    let dir = tempfile::tempdir().unwrap();
    let token_path = dir.path().join("token");
    std::fs::write(&token_path, "eyJ.oidc.token\n").unwrap();
    let expiration = in_secs(3600);
    let server = FakeServer::start(move |r| {
        if r.query("Action").as_deref() != Some("AssumeRoleWithOIDC") {
            return reply(400, sts_error("InvalidAction", "wrong action"));
        }
        reply(200, sts_ok("STS.oidc", "oidc-secret", "oidc-token", expiration))
    })
    .await;
    let env = oidc_env(
        dir.path(),
        token_path.to_str().unwrap(),
        &[("ALIBABA_CLOUD_ROLE_SESSION_NAME", "my-session")],
    );
    let provider = OidcProvider::from_env(env.as_ref(), Some(&server.url())).unwrap();
    let sourced = provider.provide_sourced().await.unwrap();
    let c = sourced.credentials;
    assert_eq!(c.access_key_id, "STS.oidc");
    assert_eq!(c.access_key_secret.expose(), "oidc-secret");
    assert_eq!(c.security_token.as_ref().unwrap().expose(), "oidc-token");
    assert_eq!(c.expiration, Some(expiration));
    assert_eq!(c.provider_name, "oidc_role_arn");
    assert_eq!(
        sourced.details.variables,
        [
            "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
            "ALIBABA_CLOUD_ROLE_ARN",
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "ALIBABA_CLOUD_ROLE_SESSION_NAME"
        ]
    );
    assert_eq!(sourced.details.file.as_deref(), Some(token_path.as_path()));

    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.query("Version").as_deref(), Some("2015-04-01"));
    assert_eq!(r.query("Format").as_deref(), Some("JSON"));
    assert!(r.query("Timestamp").is_some());
    assert_eq!(r.form("OIDCToken").as_deref(), Some("eyJ.oidc.token"));
    assert_eq!(r.form("RoleArn").as_deref(), Some("acs:ram::123:role/pts"));
    assert_eq!(r.form("OIDCProviderArn").as_deref(), Some("acs:ram::123:oidc-provider/ack"));
    assert_eq!(r.form("RoleSessionName").as_deref(), Some("my-session"));
    assert_eq!(r.form("DurationSeconds").as_deref(), Some("3600"));
    // Anonymous: no signature of either scheme, no AccessKey.
    assert!(r.header("authorization").is_none());
    assert!(r.param("Signature").is_none() && r.param("AccessKeyId").is_none());
}

#[tokio::test]
async fn default_session_name_is_generated() {
    let dir = tempfile::tempdir().unwrap();
    let token_path = dir.path().join("token");
    std::fs::write(&token_path, "tok").unwrap();
    let server = FakeServer::start(|_| reply(200, sts_ok("STS.x", "s", "t", in_secs(3600)))).await;
    let env = oidc_env(dir.path(), token_path.to_str().unwrap(), &[]);
    OidcProvider::from_env(env.as_ref(), Some(&server.url())).unwrap().provide().await.unwrap();
    let name = server.requests()[0].form("RoleSessionName").unwrap();
    assert!(name.starts_with("pts-") && name[4..].parse::<u64>().is_ok(), "{name}");
}

#[test]
fn missing_variables_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let env = env_of(dir.path(), &[("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/x")]);
    let err = OidcProvider::from_env(env.as_ref(), None).unwrap_err();
    assert!(matches!(err, CredentialsError::NotConfigured { .. }));
    let text = err.to_string();
    assert!(
        text.contains("ALIBABA_CLOUD_OIDC_TOKEN_FILE")
            && text.contains("ALIBABA_CLOUD_OIDC_PROVIDER_ARN"),
        "{text}"
    );
    assert!(!text.contains("ALIBABA_CLOUD_ROLE_ARN"), "{text}");
}

#[tokio::test]
async fn sts_error_and_missing_token_file() {
    let dir = tempfile::tempdir().unwrap();
    let token_path = dir.path().join("token");
    std::fs::write(&token_path, "tok").unwrap();
    let server = FakeServer::start(|_| {
        reply(400, sts_error("AuthenticationFail.OIDCToken.Expired", "The OIDC token has expired."))
    })
    .await;
    let env = oidc_env(dir.path(), token_path.to_str().unwrap(), &[]);
    let err = OidcProvider::from_env(env.as_ref(), Some(&server.url()))
        .unwrap()
        .provide()
        .await
        .unwrap_err();
    match &err {
        CredentialsError::Remote { status, code, request_id, .. } => {
            assert_eq!(*status, Some(400));
            assert_eq!(code.as_deref(), Some("AuthenticationFail.OIDCToken.Expired"));
            assert_eq!(request_id.as_deref(), Some("req-err"));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("The OIDC token has expired."), "{err}");

    let env = oidc_env(dir.path(), dir.path().join("absent").to_str().unwrap(), &[]);
    let err = OidcProvider::from_env(env.as_ref(), Some(&server.url()))
        .unwrap()
        .provide()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::InvalidConfig { .. }), "{err:?}");
    assert!(err.to_string().contains("cannot read OIDC token file"), "{err}");
}

#[tokio::test]
async fn chain_uses_oidc_after_environment() {
    let dir = tempfile::tempdir().unwrap();
    let token_path = dir.path().join("token");
    std::fs::write(&token_path, "tok").unwrap();
    let server =
        FakeServer::start(|_| reply(200, sts_ok("STS.chain", "s", "t", in_secs(3600)))).await;
    let env = oidc_env(dir.path(), token_path.to_str().unwrap(), &[]);
    let chain = CredentialChain::builder(env)
        .endpoints(Endpoints { sts: Some(server.url()), ecs_metadata: None })
        .build();
    let (c, report) = chain.resolve().await.unwrap();
    assert_eq!(c.provider_name, "default/oidc_role_arn");
    assert_eq!(report.source, "oidc_role_arn");
    let tried: Vec<&str> = report.tried.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(tried, ["static", "env"]);
    // Cached: a second resolve does not call STS again.
    chain.resolve().await.unwrap();
    assert_eq!(server.count(), 1);
}

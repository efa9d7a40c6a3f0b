//! ECS RAM role via a loopback fake metadata service: IMDSv2 token, role discovery,
//! v1 fallback, v1 disabled, refusal, unreachable service, disabled provider.

#[path = "credentials_support.rs"]
mod support;

use std::time::{Duration, Instant};

use pts_api::credentials::{CredentialsError, EcsRamRoleProvider, ProvideCredentials};
use support::*;

const CREDS: &str = "/latest/meta-data/ram/security-credentials/";

/// A metadata fake; `token_ok` decides whether `PUT /latest/api/token` works, and every
/// credential GET demands the token when one was issued.
async fn metadata(token_ok: bool) -> FakeServer {
    let exp = in_secs(3600);
    FakeServer::start(move |r| {
        let with_token = r.header("x-aliyun-ecs-metadata-token").as_deref() == Some("v2-token");
        match (r.method.as_str(), r.path.as_str()) {
            ("PUT", "/latest/api/token") if token_ok => {
                if r.header("x-aliyun-ecs-metadata-token-ttl-seconds").as_deref() == Some("21600") {
                    reply(200, "v2-token")
                } else {
                    reply(400, "missing ttl")
                }
            }
            ("PUT", _) => reply(403, "forbidden"),
            ("GET", p) if token_ok && !with_token && p.starts_with(CREDS) => reply(401, ""),
            ("GET", CREDS) => reply(200, "DiscoveredRole\n"),
            ("GET", "/latest/meta-data/ram/security-credentials/DiscoveredRole")
            | ("GET", "/latest/meta-data/ram/security-credentials/NamedRole") => {
                reply(200, temp_ok("STS.ecs", "ecs-secret", "ecs-token", exp))
            }
            _ => reply(404, "not found"),
        }
    })
    .await
}

#[tokio::test]
async fn imds_v2_token_then_discovery_then_credentials() {
    let meta = metadata(true).await;
    let home = tempfile::tempdir().unwrap();
    let env = env_of(home.path(), &[]);
    let p = EcsRamRoleProvider::from_env(env.as_ref(), Some(&meta.url())).unwrap();
    let c = p.provide().await.unwrap();
    assert_eq!(c.access_key_id, "STS.ecs");
    assert_eq!(c.access_key_secret.expose(), "ecs-secret");
    assert_eq!(c.security_token.as_ref().unwrap().expose(), "ecs-token");
    assert_eq!(c.provider_name, "ecs_ram_role");
    assert!(c.expiration.is_some());
    let reqs = meta.requests();
    let seen: Vec<(&str, &str)> =
        reqs.iter().map(|r| (r.method.as_str(), r.path.as_str())).collect();
    assert_eq!(
        seen,
        [
            ("PUT", "/latest/api/token"),
            ("GET", CREDS),
            ("GET", "/latest/meta-data/ram/security-credentials/DiscoveredRole")
        ]
    );
    assert!(
        reqs[1..]
            .iter()
            .all(|r| r.header("x-aliyun-ecs-metadata-token").as_deref() == Some("v2-token"))
    );
}

#[tokio::test]
async fn role_name_from_environment_skips_discovery() {
    let meta = metadata(true).await;
    let home = tempfile::tempdir().unwrap();
    let env = env_of(home.path(), &[("ALIBABA_CLOUD_ECS_METADATA", "NamedRole")]);
    let p = EcsRamRoleProvider::from_env(env.as_ref(), Some(&meta.url())).unwrap();
    let s = p.provide_sourced().await.unwrap();
    assert_eq!(s.details.variables, ["ALIBABA_CLOUD_ECS_METADATA"]);
    assert_eq!(meta.count(), 2);
    assert_eq!(meta.requests()[1].path, "/latest/meta-data/ram/security-credentials/NamedRole");
}

#[tokio::test]
async fn falls_back_to_v1_without_token() {
    let meta = metadata(false).await;
    let home = tempfile::tempdir().unwrap();
    let env = env_of(home.path(), &[]);
    let c = EcsRamRoleProvider::from_env(env.as_ref(), Some(&meta.url()))
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "STS.ecs");
    let reqs = meta.requests();
    assert_eq!(reqs.len(), 3);
    assert!(reqs[1..].iter().all(|r| r.header("x-aliyun-ecs-metadata-token").is_none()));
}

#[tokio::test]
async fn v1_fallback_can_be_disabled() {
    let meta = metadata(false).await;
    let home = tempfile::tempdir().unwrap();
    let env = env_of(home.path(), &[("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")]);
    let err = EcsRamRoleProvider::from_env(env.as_ref(), Some(&meta.url()))
        .unwrap()
        .provide()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("ALIBABA_CLOUD_IMDSV1_DISABLED=true"), "{err}");
    assert_eq!(meta.count(), 1);
}

#[tokio::test]
async fn failure_code_is_an_error() {
    let meta = FakeServer::start(|r| match r.path.as_str() {
        "/latest/api/token" => reply(200, "t"),
        _ => reply(200, r#"{"Code":"Failed","Message":"role detached"}"#),
    })
    .await;
    let home = tempfile::tempdir().unwrap();
    let env = env_of(home.path(), &[("ALIBABA_CLOUD_ECS_METADATA", "R")]);
    let err = EcsRamRoleProvider::from_env(env.as_ref(), Some(&meta.url()))
        .unwrap()
        .provide()
        .await
        .unwrap_err();
    match &err {
        CredentialsError::Remote { code, .. } => assert_eq!(code.as_deref(), Some("Failed")),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("role detached"), "{err}");
}

#[tokio::test]
async fn unreachable_service_fails_fast() {
    let home = tempfile::tempdir().unwrap();
    let env = env_of(home.path(), &[]);
    let url = closed_port_url().await;
    let started = Instant::now();
    let err = EcsRamRoleProvider::from_env(env.as_ref(), Some(&url))
        .unwrap()
        .provide()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::Transport { .. }), "{err:?}");
    assert!(err.to_string().contains("unreachable"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn disabled_by_environment() {
    let home = tempfile::tempdir().unwrap();
    let env = env_of(home.path(), &[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]);
    let err = EcsRamRoleProvider::from_env(env.as_ref(), None).unwrap_err();
    assert!(matches!(err, CredentialsError::Disabled { .. }), "{err:?}");
    // The default endpoint and timeouts when not disabled (never contacted here).
    let env = env_of(home.path(), &[]);
    let p = EcsRamRoleProvider::from_env(env.as_ref(), None).unwrap();
    assert_eq!(p.config().base_url, "http://100.100.100.200");
    assert_eq!(p.config().timeouts.connect, Duration::from_secs(1));
    assert_eq!(p.config().timeouts.read, Duration::from_secs(1));
}

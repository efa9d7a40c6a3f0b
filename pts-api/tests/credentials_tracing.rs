//! Secrets and tokens never appear in tracing output (debug events of every provider).
//! Alone in its binary: the subscriber is the global default, so events from any thread
//! (and callsite interest caching across parallel tests) cannot hide anything.

#[path = "credentials_support.rs"]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use pts_api::credentials::{CredentialChain, Endpoints};
use support::*;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_output_is_clean() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("only test in this binary");

    let home = tempfile::tempdir().unwrap();
    home_with_profiles(home.path());
    let token_file = home.path().join("token");
    std::fs::write(&token_file, "OIDCJWTsecret").unwrap();
    let server = sts().await;
    let endpoints = Endpoints { sts: Some(server.url()), ecs_metadata: None };

    // Env STS credential through the chain.
    let env = env_of(
        home.path(),
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.env"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "SUPERSECRETsource"),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", "SUPERTOKENsource"),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
        ],
    );
    CredentialChain::default_chain(env).resolve().await.unwrap();
    // RamRoleArn through the chain (signed AssumeRole, issued temporary credentials).
    let env = env_of(home.path(), &[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]);
    let chain = CredentialChain::builder(env).endpoints(endpoints.clone()).build();
    chain.resolve().await.unwrap();
    chain.resolve().await.unwrap();
    // OIDC (token in the body).
    let env = env_of(
        home.path(),
        &[
            ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/ok"),
            ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/p"),
            ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_file.to_str().unwrap()),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
        ],
    );
    CredentialChain::builder(env).endpoints(endpoints.clone()).build().resolve().await.unwrap();
    // A failing chain with a signature-mismatch answer.
    let env = env_of(
        home.path(),
        &[("ALIBABA_CLOUD_PROFILE", "chained"), ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")],
    );
    let chain = CredentialChain::builder(env).endpoints(endpoints).build();
    assert!(chain.resolve().await.is_err());

    let logged = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(logged.contains("credentials provider selected"), "{logged}");
    assert!(logged.contains("credentials provider skipped"), "{logged}");
    assert!(logged.contains("calling STS"), "{logged}");
    assert!(logged.contains("assuming RAM role"), "{logged}");
    assert_clean("tracing output", &logged);
}

//! Credentials URI (`ALIBABA_CLOUD_CREDENTIALS_URI`) against a loopback fake.

#[path = "credentials_support.rs"]
mod support;

use pts_api::credentials::{CredentialChain, CredentialsError, ProvideCredentials, UriProvider};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn fetches_and_parses() {
    let exp = in_secs(1800);
    let server = FakeServer::start(move |r| {
        assert_eq!(r.method, "GET");
        reply(200, temp_ok("STS.uri", "uri-secret", "uri-token", exp))
    })
    .await;
    let home = tempfile::tempdir().unwrap();
    let uri = format!("{}/creds?x=1", server.url());
    let env = env_of(home.path(), &[("ALIBABA_CLOUD_CREDENTIALS_URI", &uri)]);
    let s = UriProvider::from_env(env.as_ref()).unwrap().provide_sourced().await.unwrap();
    assert_eq!(s.credentials.access_key_id, "STS.uri");
    assert_eq!(s.credentials.security_token.as_ref().unwrap().expose(), "uri-token");
    assert_eq!(s.credentials.expiration, Some(exp));
    assert_eq!(s.credentials.provider_name, "credential_uri");
    assert_eq!(s.details.variables, ["ALIBABA_CLOUD_CREDENTIALS_URI"]);
    assert_eq!(server.requests()[0].path, "/creds");
    assert_eq!(server.requests()[0].query("x").as_deref(), Some("1"));
}

#[tokio::test]
async fn failures_are_reported_without_the_query() {
    let server = FakeServer::start(|r| match r.path.as_str() {
        "/fail" => reply(200, r#"{"Code":"Forbidden","Message":"no role"}"#),
        "/garbage" => reply(200, "not json"),
        _ => reply(500, "{}"),
    })
    .await;
    let get = |path: &str| {
        let p = UriProvider::new(format!("{}{path}?sig=QUERYSECRET", server.url()));
        async move { p.provide().await.unwrap_err() }
    };
    let err = get("/fail").await;
    assert!(
        matches!(&err, CredentialsError::Remote { code: Some(c), .. } if c == "Forbidden"),
        "{err:?}"
    );
    let err = get("/garbage").await;
    assert!(err.to_string().contains("not credentials JSON"), "{err}");
    let err = get("/500").await;
    assert!(matches!(&err, CredentialsError::Remote { status: Some(500), .. }), "{err:?}");
    for e in [get("/fail").await, get("/garbage").await, get("/500").await] {
        assert!(!format!("{e} {e:?}").contains("QUERYSECRET"), "{e:?}");
    }
}

#[tokio::test]
async fn not_set_is_not_configured_and_chain_uses_it_last() {
    let home = tempfile::tempdir().unwrap();
    let env = env_of(home.path(), &[]);
    assert!(matches!(
        UriProvider::from_env(env.as_ref()),
        Err(CredentialsError::NotConfigured { .. })
    ));

    let server = FakeServer::start(|_| reply(200, temp_ok("STS.u", "s", "t", in_secs(3600)))).await;
    let env = env_of(
        home.path(),
        &[
            ("ALIBABA_CLOUD_CREDENTIALS_URI", &server.url()),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
        ],
    );
    let (c, report) = CredentialChain::default_chain(env).resolve().await.unwrap();
    assert_eq!(c.provider_name, "default/credential_uri");
    assert_eq!(report.source, "credentials_uri");
    assert_eq!(report.tried.len(), 6);
}

#[tokio::test]
async fn fake_server_records_requests() {
    let server = FakeServer::start(|r| reply(200, format!("{{\"path\":\"{}\"}}", r.path))).await;
    let listener_url = server.url();
    assert!(listener_url.starts_with("http://127.0.0.1:"));
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"POST /x?a=1&b=c+d HTTP/1.1\r\nhost: h\r\ncontent-length: 3\r\n\r\nk=v")
        .await
        .unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).await.unwrap();
    assert!(out.ends_with("{\"path\":\"/x\"}"));
    let got = &server.requests()[0];
    assert_eq!(got.query("b").as_deref(), Some("c d"));
    assert_eq!(got.body, b"k=v");
}

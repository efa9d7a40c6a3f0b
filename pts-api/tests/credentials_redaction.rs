//! Secrets and tokens never appear in Debug/Display of Credentials, SourceReport,
//! CredentialsError, profiles, or in tracing output.

#[path = "credentials_support.rs"]
mod support;

use pts_api::credentials::{
    CliProfileProvider, CredentialChain, Credentials, Endpoints, ProvideCredentials, Secret,
    mask_access_key_id, read_cli_profile,
};
use support::*;

#[test]
fn credentials_and_secret_formatting() {
    let c = Credentials::new(
        "LTAI5tABCDEF",
        "SUPERSECRETsource",
        Some(Secret::new("SUPERTOKENsource")),
    );
    let dbg = format!("{c:?} {c:#?}");
    assert_clean("Credentials Debug", &dbg);
    assert!(dbg.contains("LTAI****") && !dbg.contains("LTAI5tABCDEF"), "{dbg}");
    assert!(dbg.contains("static_sts"));
    let s = Secret::new("SUPERSECRETsource");
    assert_eq!(format!("{s}"), "***");
    assert_eq!(format!("{s:?}"), "***");
    assert_eq!(s.expose(), "SUPERSECRETsource");
    assert_eq!(mask_access_key_id("LTAI"), "****");
    assert_eq!(c.masked_access_key_id(), "LTAI****DEF");
}

#[tokio::test]
async fn reports_errors_and_profiles_are_clean() {
    let home = tempfile::tempdir().unwrap();
    home_with_profiles(home.path());
    let server = sts().await;

    // SourceReport of an env STS credential.
    let env = env_of(
        home.path(),
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.env"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "SUPERSECRETsource"),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", "SUPERTOKENsource"),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
        ],
    );
    let (c, report) = CredentialChain::default_chain(env).resolve().await.unwrap();
    assert_clean("SourceReport", &format!("{report:?} {report} {c:?}"));
    assert!(report.to_string().contains("ALIBABA_CLOUD_SECURITY_TOKEN"));

    // An STS error that quotes the string to sign.
    let p = CliProfileProvider::new(env_of(home.path(), &[]))
        .with_profile("chained")
        .with_endpoints(Endpoints { sts: Some(server.url()), ecs_metadata: None });
    let err = p.provide().await.unwrap_err();
    let text = format!("{err} {err:?}");
    assert_clean("STS error", &text);
    assert!(
        text.contains("SignatureDoesNotMatch") && text.contains("string to sign omitted"),
        "{text}"
    );

    // NotFound with half-set variables and a failing profile.
    let env = env_of(
        home.path(),
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "SUPERSECRETsource"),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", "SUPERTOKENsource"),
            ("ALIBABA_CLOUD_PROFILE", "chained"),
            ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/nonexistent/OIDCJWTsecret-not-a-value"),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
        ],
    );
    let chain = CredentialChain::builder(env)
        .endpoints(Endpoints { sts: Some(server.url()), ecs_metadata: None })
        .build();
    let err = chain.resolve().await.unwrap_err();
    let text = format!("{err} {err:?}");
    assert_clean("NotFound", &text);
    assert!(text.contains("cli_profile: ram_role_arn: STS AssumeRole failed"), "{text}");

    // Profiles read for the CLI.
    let profile = read_cli_profile(env_of(home.path(), &[]).as_ref(), Some("sts")).unwrap();
    assert_clean("CliProfile", &format!("{profile:?} {profile:#?}"));
}

//! INI credentials file: file lookup (env override, `.ini`, older name), section selection,
//! each type, inline comments, unsupported types, and the parser itself.

#[path = "credentials_support.rs"]
mod support;

use std::path::Path;

use pts_api::credentials::ini::IniFile;
use pts_api::credentials::{
    CredentialsError, Endpoints, IniProfileProvider, ProvideCredentials, ini_credentials_path,
};
use support::*;

fn write(home: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let dir = home.join(".alibabacloud");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const INI: &str = "
# whole-line comment
; another
[default]
type = access_key            # inline comment
access_key_id = LTAIini      # the id
access_key_secret = ini-secret

[client2]
type = access_key
access_key_id = LTAIclient2
access_key_secret = client2-secret

[role]
type = ram_role_arn
access_key_id = LTAIinirole
access_key_secret = inirole-secret
role_arn = acs:ram::1:role/ini
role_session_name = ini-session

[ecs]
type = ecs_ram_role
role_name = IniEcsRole

[sts]
type = sts
access_key_id = STS.x
access_key_secret = s
security_token = t

[rsa]
type = rsa_key_pair
public_key_id = x
private_key_file = /k.pem

[notype]
access_key_id = x
";

fn provider(home: &Path, pairs: &[(&str, &str)]) -> IniProfileProvider {
    IniProfileProvider::new(env_of(home, pairs))
}

#[tokio::test]
async fn access_key_default_section_with_inline_comments() {
    let home = tempfile::tempdir().unwrap();
    let path = write(home.path(), "credentials.ini", INI);
    let s = provider(home.path(), &[]).provide_sourced().await.unwrap();
    assert_eq!(s.credentials.access_key_id, "LTAIini");
    assert_eq!(s.credentials.access_key_secret.expose(), "ini-secret");
    assert_eq!(s.credentials.provider_name, "profile/static_ak");
    assert_eq!(s.details.profile.as_deref(), Some("default"));
    assert_eq!(s.details.file.as_deref(), Some(path.as_path()));
}

#[tokio::test]
async fn section_from_alibaba_cloud_profile() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), "credentials.ini", INI);
    let s = provider(home.path(), &[("ALIBABA_CLOUD_PROFILE", "client2")])
        .provide_sourced()
        .await
        .unwrap();
    assert_eq!(s.credentials.access_key_id, "LTAIclient2");
    assert_eq!(s.details.variables, ["ALIBABA_CLOUD_PROFILE"]);
    let err = provider(home.path(), &[("ALIBABA_CLOUD_PROFILE", "absent")]).provide().await;
    assert!(err.unwrap_err().to_string().contains("section [absent] not found"));
}

#[tokio::test]
async fn older_file_name_and_precedence() {
    let home = tempfile::tempdir().unwrap();
    let old = write(
        home.path(),
        "credentials",
        "[default]\ntype=access_key\naccess_key_id=LTAIold\naccess_key_secret=o\n",
    );
    let e = env_of(home.path(), &[]);
    assert_eq!(ini_credentials_path(e.as_ref()).unwrap(), Some((old.clone(), None)));
    let c = provider(home.path(), &[]).provide().await.unwrap();
    assert_eq!(c.access_key_id, "LTAIold");

    // The `.ini` name wins when both exist.
    let new = write(home.path(), "credentials.ini", INI);
    assert_eq!(ini_credentials_path(e.as_ref()).unwrap(), Some((new, None)));
    assert_eq!(provider(home.path(), &[]).provide().await.unwrap().access_key_id, "LTAIini");
}

#[tokio::test]
async fn credentials_file_variable_overrides() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), "credentials.ini", INI);
    let other = home.path().join("elsewhere.ini");
    std::fs::write(
        &other,
        "[default]\ntype = access_key\naccess_key_id = LTAIother\naccess_key_secret = x\n",
    )
    .unwrap();
    let s = provider(home.path(), &[("ALIBABA_CLOUD_CREDENTIALS_FILE", other.to_str().unwrap())])
        .provide_sourced()
        .await
        .unwrap();
    assert_eq!(s.credentials.access_key_id, "LTAIother");
    assert_eq!(s.details.variables, ["ALIBABA_CLOUD_CREDENTIALS_FILE"]);

    let missing = home.path().join("missing.ini");
    let err =
        provider(home.path(), &[("ALIBABA_CLOUD_CREDENTIALS_FILE", missing.to_str().unwrap())])
            .provide()
            .await
            .unwrap_err();
    assert!(matches!(err, CredentialsError::InvalidConfig { .. }), "{err:?}");
    assert!(err.to_string().contains("does not exist"), "{err}");
}

#[tokio::test]
async fn no_file_is_not_configured() {
    let home = tempfile::tempdir().unwrap();
    let err = provider(home.path(), &[]).provide().await.unwrap_err();
    assert!(matches!(err, CredentialsError::NotConfigured { .. }), "{err:?}");
}

#[tokio::test]
async fn ram_role_arn_via_signed_assume_role() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), "credentials.ini", INI);
    let sts =
        FakeServer::start(|r| match r.verify_signature(&[("LTAIinirole", "inirole-secret")]) {
            Ok(_) if r.param("Action").as_deref() == Some("AssumeRole") => {
                reply(200, sts_ok("STS.ini", "ini-temp-secret", "ini-temp-token", in_secs(3600)))
            }
            Ok(_) => reply(400, sts_error("InvalidAction", "x")),
            Err(e) => reply(400, sts_error("SignatureDoesNotMatch", &e)),
        })
        .await;
    let c = provider(home.path(), &[("ALIBABA_CLOUD_PROFILE", "role")])
        .with_endpoints(Endpoints { sts: Some(sts.url()), ecs_metadata: None })
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "STS.ini");
    assert_eq!(c.provider_name, "profile/ram_role_arn/static_ak");
    let r = &sts.requests()[0];
    assert_eq!(r.param("AccessKeyId").as_deref(), Some("LTAIinirole"));
    assert!(r.param("Signature").is_some());
    assert_eq!(r.form("RoleArn").as_deref(), Some("acs:ram::1:role/ini"));
    assert_eq!(r.form("RoleSessionName").as_deref(), Some("ini-session"));
}

#[tokio::test]
async fn ecs_ram_role_type() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), "credentials.ini", INI);
    let meta = FakeServer::start(|r| match r.path.as_str() {
        "/latest/api/token" => reply(200, "tok"),
        "/latest/meta-data/ram/security-credentials/IniEcsRole" => {
            reply(200, temp_ok("STS.iniecs", "s", "t", in_secs(3600)))
        }
        _ => reply(404, ""),
    })
    .await;
    let c = provider(home.path(), &[("ALIBABA_CLOUD_PROFILE", "ecs")])
        .with_endpoints(Endpoints { sts: None, ecs_metadata: Some(meta.url()) })
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "STS.iniecs");
    assert_eq!(c.provider_name, "profile/ecs_ram_role");
}

#[tokio::test]
async fn oidc_role_arn_type() {
    let home = tempfile::tempdir().unwrap();
    let token = home.path().join("oidc-token");
    std::fs::write(&token, "oidc-jwt").unwrap();
    write(
        home.path(),
        "credentials.ini",
        &format!(
            "[default]\ntype = oidc_role_arn\nrole_arn = acs:ram::1:role/o\noidc_provider_arn = acs:ram::1:oidc-provider/p\noidc_token_file_path = {}\nrole_session_name = ini-oidc\n",
            token.display()
        ),
    );
    let sts =
        FakeServer::start(|_| reply(200, sts_ok("STS.inioidc", "s", "t", in_secs(3600)))).await;
    let c = provider(home.path(), &[])
        .with_endpoints(Endpoints { sts: Some(sts.url()), ecs_metadata: None })
        .provide()
        .await
        .unwrap();
    assert_eq!(c.provider_name, "profile/oidc_role_arn");
    let r = &sts.requests()[0];
    assert_eq!(r.query("Action").as_deref(), Some("AssumeRoleWithOIDC"));
    assert_eq!(r.form("OIDCToken").as_deref(), Some("oidc-jwt"));
    assert_eq!(r.form("RoleSessionName").as_deref(), Some("ini-oidc"));
}

#[tokio::test]
async fn unsupported_types() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), "credentials.ini", INI);
    for (section, kind) in [("sts", "`sts`"), ("rsa", "`rsa_key_pair`"), ("notype", "``")] {
        let err = provider(home.path(), &[("ALIBABA_CLOUD_PROFILE", section)])
            .provide()
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains(&format!("unsupported credential type {kind}")), "{text}");
    }
}

#[test]
fn parser_drops_comments_and_hides_values() {
    let f = IniFile::parse("top = ignored\n[a]\nk = v # c\nempty =\n[b]\nx=1=2\n[a]\nk2 = w\n")
        .unwrap();
    let a = f.section("a").unwrap();
    assert_eq!(a.get("k"), Some("v"));
    assert_eq!(a.get("k2"), Some("w"), "repeated sections merge");
    assert_eq!(a.get("empty"), None);
    assert_eq!(f.section("b").unwrap().get("x"), Some("1=2"));
    assert_eq!(f.section_names().collect::<Vec<_>>(), ["a", "b"]);
    let shown = format!("{f:?}");
    assert!(shown.contains("\"k\"") && !shown.contains("\"v\""), "{shown}");
    assert!(IniFile::parse("[a]\nno equals sign\n").unwrap_err().contains("line 2"));
    assert!(IniFile::parse("[unterminated\n").is_err());
}

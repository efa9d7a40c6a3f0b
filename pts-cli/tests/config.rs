//! pts's config file (`pts configure`), profiles (pts's and the aliyun CLI's), `pts whoami`.

mod common;
use common::{AK, Pts, SECRET, Server, TOKEN, scenes};

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn configure_writes_0600_and_list_masks() {
    let p = Pts::new();
    let run = p.run_stdin(
        &[
            "configure",
            "--profile",
            "work",
            "--access-key-id",
            AK,
            "--access-key-secret-stdin",
            "--region",
            "cn-shanghai",
            "--read-only",
        ],
        Some(&format!("{SECRET}\n")),
    );
    run.assert_code(0);
    let cfg = p.config_path();
    #[cfg(unix)]
    assert_eq!(mode(&cfg), 0o600);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cfg).unwrap()).unwrap();
    assert_eq!(saved["current"], "work", "the first profile becomes current");
    assert_eq!(saved["profiles"]["work"]["access_key_secret"], SECRET);
    assert_eq!(saved["profiles"]["work"]["read_only"], true);

    let list = p.run(&["configure", "list"]);
    list.assert_code(0);
    let rows = list.json();
    let work = rows.as_array().unwrap().iter().find(|r| r["Name"] == "work").unwrap();
    assert_eq!(work["AccessKeyId"], "LTAI****d01");
    assert_eq!(work["AccessKeySecret"], "****");
    assert_eq!(work["Current"], true);
    assert!(!list.stdout.contains(AK));

    // Settings can change without touching the keys; then the profile is deleted.
    p.run(&["configure", "--profile", "work", "--read-only=false"]).assert_code(0);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cfg).unwrap()).unwrap();
    assert_eq!(saved["profiles"]["work"]["read_only"], false);
    assert_eq!(saved["profiles"]["work"]["access_key_secret"], SECRET);
    p.run(&["configure", "delete", "work"]).assert_code(0);
    p.run(&["configure", "delete", "work"]).assert_code(2);
}

#[test]
fn configure_without_secret_in_a_non_tty_is_refused() {
    let p = Pts::new();
    let run = p.run(&["configure", "--access-key-id", AK]);
    run.assert_code(2);
    assert!(run.stderr.contains("--access-key-secret-stdin"), "{}", run.stderr);
    assert!(!p.config_path().exists());
}

#[test]
fn pts_profile_is_used_for_calls_and_current_applies_without_env_credentials() {
    let s = Server::fixed(scenes(&["S1"]));
    let p = Pts::new();
    let profile = pts_cli::Profile {
        access_key_id: AK.into(),
        access_key_secret: SECRET.into(),
        endpoint: Some(s.endpoint()),
        protocol: Some("http".into()),
        ..Default::default()
    };
    // The library entry pts-local uses to write its `local` profile.
    pts_cli::write_profile_at(&p.config_path(), "local", profile, false).unwrap();
    #[cfg(unix)]
    assert_eq!(mode(&p.config_path()), 0o600);
    p.run(&["--profile", "local", "call", "ListPtsScene", "--PageNumber", "1", "--PageSize", "10"])
        .assert_code(0);
    p.run(&["call", "ListPtsScene", "--PageNumber", "1", "--PageSize", "10", "--profile", "local"])
        .assert_code(0);
    // Not current yet: without --profile there are no credentials.
    p.run(&["call", "ListPtsScene", "--PageNumber", "1", "--PageSize", "10"]).assert_code(3);
    let p2 = p.env("PTS_PROFILE", "local");
    p2.run(&["call", "ListPtsScene", "--PageNumber", "1", "--PageSize", "10"]).assert_code(0);
    let reqs = s.requests();
    assert_eq!(reqs.len(), 3);
    assert!(reqs.iter().all(|r| r.verified.is_ok()));
    assert!(reqs.iter().all(|r| r.header("x-acs-credentials-provider") == Some("static_ak")));
}

#[test]
fn aliyun_cli_profile_works_as_it_is() {
    let s = Server::fixed(scenes(&["S1"]));
    let p = Pts::new().env("PTS_ENDPOINT", &s.endpoint()).env("PTS_PROTOCOL", "http");
    let dir = p.home_path().join(".aliyun");
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = serde_json::json!({
        "current": "default",
        "profiles": [
            {"name": "default", "mode": "AK", "access_key_id": "LTAIother", "access_key_secret": "other", "region_id": "cn-beijing"},
            {"name": "tmp", "mode": "StsToken", "access_key_id": AK, "access_key_secret": SECRET, "sts_token": TOKEN, "region_id": "cn-shenzhen"}
        ]
    });
    std::fs::write(dir.join("config.json"), cfg.to_string()).unwrap();
    p.run(&["--profile", "tmp", "call", "ListPtsScene", "--PageNumber", "1", "--PageSize", "10"])
        .assert_code(0);
    let r = &s.requests()[0];
    assert_eq!(r.verified, Ok(()));
    assert_eq!(r.header("x-acs-security-token"), Some(TOKEN));
    let who = p.run(&["whoami", "--profile", "tmp"]);
    who.assert_code(0);
    let w = who.json();
    assert_eq!(w["CredentialSource"], "cli_profile");
    assert_eq!(w["ProfileKind"], "aliyun-cli");
    assert_eq!(w["Region"], "cn-shenzhen");
    assert_eq!(w["AccessKeyId"], "LTAI****d01");
    assert_eq!(w["SecurityToken"], true);
    // An unknown profile name is a usage error naming the profiles that exist, before any call.
    let before = s.requests().len();
    let r = p.run(&[
        "--profile",
        "tpm",
        "call",
        "ListPtsScene",
        "--PageNumber",
        "1",
        "--PageSize",
        "10",
    ]);
    r.assert_code(2);
    assert!(
        r.stderr.contains("unknown profile \"tpm\"") && r.stderr.contains("did you mean tmp?"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("default, tmp"), "{}", r.stderr);
    assert!(!r.stderr.contains(".aliyun/config.json"), "{}", r.stderr);
    p.run(&["whoami", "--profile", "nope"]).assert_code(2);
    assert_eq!(s.requests().len(), before);
}

#[test]
fn whoami_masks_and_names_the_env_variables() {
    let p = Pts::new().with_env_creds();
    let run = p.run(&["whoami"]);
    run.assert_code(0);
    let w = run.json();
    assert_eq!(w["CredentialSource"], "env");
    assert_eq!(
        w["Variables"],
        serde_json::json!(["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"])
    );
    assert_eq!(w["AccessKeyId"], "LTAI****d01");
    assert_eq!(w["Endpoint"], "pts.aliyuncs.com");
    assert_eq!(w["Protocol"], "https");
    assert!(!run.stdout.contains(AK));

    // The ALICLOUD_* aliases the operator scripts use, with a region.
    let p = Pts::new()
        .env("ALICLOUD_ACCESS_KEY_ID", AK)
        .env("ALICLOUD_ACCESS_KEY_SECRET", SECRET)
        .env("ALICLOUD_SECURITY_TOKEN", TOKEN)
        .env("ALICLOUD_REGION_ID", "cn-shanghai");
    let w = p
        .run(&["whoami", "--endpoint", "127.0.0.1:9", "--protocol", "http", "--signature", "v1"])
        .json();
    assert_eq!(w["CredentialSource"], "env");
    let vars = w["Variables"].to_string();
    assert!(
        vars.contains("ALICLOUD_ACCESS_KEY_ID") && vars.contains("ALICLOUD_SECURITY_TOKEN"),
        "{vars}"
    );
    assert_eq!(w["SecurityToken"], true);
    assert_eq!(w["Region"], "cn-shanghai");
    assert_eq!(w["RegionFrom"], "ALICLOUD_REGION_ID");
    assert_eq!(w["Endpoint"], "127.0.0.1:9");
    assert_eq!(w["Protocol"], "http");
    assert!(w["Signature"].as_str().unwrap().starts_with("v1"));
}

#[test]
fn whoami_without_credentials_lists_what_was_tried_and_exits_3() {
    // The ECS role step left on, as on a laptop: it is not claimed without a role name.
    let p = Pts::new().env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "");
    let run = p.run(&["whoami"]);
    run.assert_code(3);
    let w = run.json();
    assert_eq!(w["CredentialSource"], "none");
    let skipped = w["Skipped"].to_string();
    for step in ["env:", "cli_profile:", "ini_profile:", "ecs_ram_role:"] {
        assert!(skipped.contains(step), "{step} missing from {skipped}");
    }
    assert!(run.stderr.contains("no credentials resolved"), "{}", run.stderr);
    // doctor agrees: its credentials check fails with the same exit code.
    let doctor = p.run(&["doctor", "--offline", "--no-evidence"]);
    doctor.assert_code(3);
    assert!(doctor.stdout.contains("no credential source found"), "{}", doctor.stdout);
}

#[test]
fn terraform_variable_names_are_read() {
    let p = Pts::new()
        .env("ALICLOUD_ACCESS_KEY", AK)
        .env("ALICLOUD_SECRET_KEY", SECRET)
        .env("ALICLOUD_REGION", "cn-beijing");
    let run = p.run(&["whoami"]);
    run.assert_code(0);
    let w = run.json();
    assert_eq!(w["CredentialSource"], "env");
    assert_eq!(w["Variables"], serde_json::json!(["ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY"]));
    assert_eq!(w["RegionFrom"], "ALICLOUD_REGION");
    assert_eq!(w["AccessKeyId"], "LTAI****d01");
    // The official names win over every alias.
    let p = p
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIofficial000")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "x");
    assert_eq!(p.run(&["whoami"]).json()["AccessKeyId"], "LTAI****000");
}

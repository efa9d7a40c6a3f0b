//! Safety rules: confirmation of mutating operations, read-only mode, dry runs.

mod common;
use common::{AK, Pts, SECRET, Server, TOKEN};
use serde_json::json;

fn server() -> Server {
    Server::fixed(json!({"RequestId": "R1", "Success": true, "Code": "200", "PlanId": "P1"}))
}

fn pts(server: &Server) -> Pts {
    Pts::new().with_env_creds().env("PTS_ENDPOINT", &server.endpoint()).env("PTS_PROTOCOL", "http")
}

#[test]
fn mutating_without_yes_in_a_non_tty_is_refused_and_nothing_sent() {
    let s = server();
    let run = pts(&s).run(&["call", "StartPtsScene", "--SceneId", "S1"]);
    run.assert_code(2);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert!(s.requests().is_empty());
    // readAndWrite counts as mutating too.
    let op = pts_api::operation_meta("SavePtsScene").unwrap();
    assert!(op.is_mutating());
}

#[test]
fn mutating_with_yes_is_sent() {
    let s = server();
    pts(&s).run(&["call", "StartPtsScene", "--SceneId", "S1", "--yes"]).assert_code(0);
    pts(&s).run(&["-y", "call", "StopPtsScene", "--SceneId", "S1"]).assert_code(0);
    let reqs = s.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].action, "StartPtsScene");
    assert_eq!(reqs[0].param("SceneId"), Some("S1"));
}

#[test]
fn read_only_blocks_mutations_even_with_yes() {
    let s = server();
    let run = pts(&s).run(&["--read-only", "call", "StartPtsScene", "--SceneId", "S1", "--yes"]);
    run.assert_code(2);
    assert!(run.stderr.contains("read-only"), "{}", run.stderr);
    let run = pts(&s).run(&["call", "DeletePtsScene", "--SceneId", "S1", "--yes", "--read-only"]);
    run.assert_code(2);
    let run = pts(&s).env("PTS_READ_ONLY", "true").run(&[
        "call",
        "StopPtsScene",
        "--SceneId",
        "S1",
        "-y",
    ]);
    run.assert_code(2);
    // Reads still work in read-only mode.
    pts(&s).run(&["--read-only", "call", "GetPtsScene", "--SceneId", "S1"]).assert_code(0);
    assert_eq!(s.requests().len(), 1);
}

#[test]
fn read_only_profile_setting_blocks_before_credentials_are_needed() {
    let s = server();
    // No credentials at all: the refusal comes first, so the exit code is 2, not 3.
    let p = Pts::new();
    let cfg = p.config_path();
    let profile = pts_cli::Profile {
        endpoint: Some(s.endpoint()),
        protocol: Some("http".into()),
        read_only: Some(true),
        ..Default::default()
    };
    pts_cli::write_profile_at(&cfg, "ro", profile, true).unwrap();
    let run = p.run(&["call", "StartPtsScene", "--SceneId", "S1", "--yes"]);
    run.assert_code(2);
    assert!(run.stderr.contains("profile ro"), "{}", run.stderr);
    // --read-only=false lifts it for one call (then credentials are missing: exit 3).
    let run = p.run(&["call", "StartPtsScene", "--SceneId", "S1", "--yes", "--read-only=false"]);
    run.assert_code(3);
    assert!(s.requests().is_empty());
}

/// Every 64-hex run in `text` (a v3 signature or a SHA-256).
fn hex64(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        while i < b.len() && b[i].is_ascii_hexdigit() {
            i += 1;
        }
        if i - start == 64 {
            out.push(text[start..i].to_string());
        }
        i = i.max(start + 1);
    }
    out
}

#[test]
fn dry_run_sends_nothing_and_redacts_v3() {
    let s = server();
    let p = pts(&s).env("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN);
    // A mutating operation: a dry run needs no --yes.
    let run = p.run(&["call", "StartPtsScene", "--SceneId", "S1", "--dry-run"]);
    run.assert_code(0);
    assert!(s.requests().is_empty());
    let v = run.json();
    assert_eq!(v["Method"], "POST");
    assert!(v["Url"].as_str().unwrap().contains("SceneId=S1"));
    let auth = v["Headers"]["authorization"].as_str().unwrap();
    assert!(auth.starts_with("ACS3-HMAC-SHA256 Credential="), "{auth}");
    assert!(auth.ends_with("Signature=<redacted>"), "{auth}");
    assert!(!run.stdout.contains(AK), "AccessKey id unmasked: {}", run.stdout);
    assert_eq!(v["Headers"]["x-acs-security-token"], "<redacted>");
    // The only 64-hex value left is the body hash, not a signature.
    let body_hash = v["Headers"]["x-acs-content-sha256"].as_str().unwrap();
    for h in hex64(&run.stdout) {
        assert_eq!(h, body_hash, "unredacted signature? {}", run.stdout);
    }
    assert!(!run.stdout.contains(SECRET) && !run.stdout.contains(TOKEN));
}

#[test]
fn dry_run_redacts_v1_query_signature_and_token() {
    let s = server();
    let p = pts(&s).env("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN);
    let run = p.run(&[
        "call",
        "ListPtsScene",
        "--PageNumber",
        "1",
        "--PageSize",
        "10",
        "--signature",
        "v1",
        "--dry-run",
    ]);
    run.assert_code(0);
    let url = run.json()["Url"].as_str().unwrap().to_string();
    assert!(url.contains("Signature=<redacted>"), "{url}");
    assert!(url.contains("SecurityToken=<redacted>"), "{url}");
    assert!(url.contains("SignatureMethod=HMAC-SHA1"), "{url}");
    assert!(!url.contains(AK), "{url}");
    assert!(s.requests().is_empty());
}

#[test]
fn dry_run_still_validates() {
    let s = server();
    let run = pts(&s).run(&[
        "call",
        "ListPtsScene",
        "--PageNumber",
        "0",
        "--PageSize",
        "10",
        "--dry-run",
    ]);
    run.assert_code(2);
    assert!(run.stderr.contains("PageNumber must be at least 1"), "{}", run.stderr);
}

#[test]
fn on_a_terminal_mutations_ask_first() {
    // `script` runs pts on a pseudo-terminal and feeds it our stdin.
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("skipping: no /usr/bin/script to provide a terminal");
        return;
    }
    let s = server();
    let p = pts(&s);
    let cmd = format!("{} call StartPtsScene --SceneId S1", env!("CARGO_BIN_EXE_pts"));
    let no = p.run_program("/usr/bin/script", &["-qec", &cmd, "/dev/null"], Some("n\n"));
    assert!(no.stdout.contains("proceed? [y/N]"), "{}", no.stdout);
    assert!(no.stdout.contains("aborted"), "{}", no.stdout);
    assert!(s.requests().is_empty());
    let yes = p.run_program("/usr/bin/script", &["-qec", &cmd, "/dev/null"], Some("y\n"));
    assert!(yes.stdout.contains("\"PlanId\": \"P1\""), "{}", yes.stdout);
    assert_eq!(s.requests().len(), 1);
}

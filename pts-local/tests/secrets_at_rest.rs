//! Secrets at rest and in flight: `serve` takes the secret from stdin or the environment (the
//! argument form warns), and the data dir is 0700 with every file pts-local writes 0600.

mod common;

use common::{AK, SK, client_for};
use pts_api::__private::wire::SignatureVersion;
use pts_api::ops::list_pts_scene::{ListPtsScene, ListPtsSceneRequest};
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Starts `pts-local serve` with `args`; stdin, stderr piped. Kill it with [`stop`].
fn serve(data: &Path, args: &[&str], env_secret: Option<&str>) -> (Child, String) {
    let ep_file = data.join("endpoint.txt");
    let _ = std::fs::remove_file(&ep_file);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pts-local"));
    cmd.args(["serve", "--port", "0", "--no-profile"]).args(args);
    cmd.arg("--data").arg(data).arg("--endpoint-file").arg(&ep_file);
    cmd.env_remove("PTS_LOCAL_ACCESS_KEY_SECRET");
    if let Some(s) = env_secret {
        cmd.env("PTS_LOCAL_ACCESS_KEY_SECRET", s);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn pts-local");
    if args.contains(&"--access-key-secret-stdin") {
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(format!("{SK}\n").as_bytes()).unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(ep) = std::fs::read_to_string(&ep_file)
            && !ep.is_empty()
        {
            return (child, ep);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    stop(child);
    panic!("pts-local did not start");
}

/// Kills the child and returns what it wrote on stderr.
fn stop(mut child: Child) -> String {
    let _ = child.kill();
    let _ = child.wait();
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    err
}

async fn answers(ep: &str, secret: &str) -> bool {
    let c = client_for(ep, AK, secret, None, SignatureVersion::V3);
    let req = ListPtsSceneRequest::builder().page_number(1).page_size(10).build().unwrap();
    c.send::<ListPtsScene>(req).await.is_ok()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).permissions().mode()
        & 0o777
}

#[tokio::test]
async fn the_secret_comes_from_stdin_or_the_environment_and_never_the_process_table() {
    for (how, args, env) in [
        ("stdin", vec!["--access-key-id", AK, "--access-key-secret-stdin"], None),
        ("environment", vec!["--access-key-id", AK], Some(SK)),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (child, ep) = serve(dir.path(), &args, env);
        let cmdline = std::fs::read(format!("/proc/{}/cmdline", child.id())).unwrap();
        assert!(!String::from_utf8_lossy(&cmdline).contains(SK), "{how}: secret in argv");
        assert!(answers(&ep, SK).await, "{how}: the right secret is accepted");
        assert!(!answers(&ep, "wrong-secret").await, "{how}: a wrong secret is refused");
        let err = stop(child);
        assert!(!err.contains("process table"), "{how}: no warning expected: {err}");
    }
    let dir = tempfile::tempdir().unwrap();
    let (child, ep) = serve(dir.path(), &["--access-key-id", AK, "--access-key-secret", SK], None);
    assert!(answers(&ep, SK).await);
    let err = stop(child);
    assert!(err.contains("visible to other users in the process table"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pts-local"))
        .args(["serve", "--no-profile", "--access-key-id", AK])
        .arg("--data")
        .arg(dir.path())
        .env_remove("PTS_LOCAL_ACCESS_KEY_SECRET")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("PTS_LOCAL_ACCESS_KEY_SECRET"), "{err}");
}

#[tokio::test]
async fn the_data_dir_is_0700_and_its_files_0600() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let csv = root.path().join("users.csv");
    std::fs::write(&csv, "user\nalice\n").unwrap();
    let upload = Command::new(env!("CARGO_BIN_EXE_pts-local"))
        .arg("upload")
        .arg("--data")
        .arg(&data)
        .arg(&csv)
        .output()
        .unwrap();
    assert!(upload.status.success(), "{}", String::from_utf8_lossy(&upload.stderr));
    // The generated key pair: no --access-key-id.
    let (child, ep) = serve(&data, &[], None);
    let key: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("credentials.json")).unwrap()).unwrap();
    let secret = key["access_key_secret"].as_str().unwrap().to_string();
    let id = key["access_key_id"].as_str().unwrap();
    let c = client_for(&ep, id, &secret, None, SignatureVersion::V3);
    let req = ListPtsSceneRequest::builder().page_number(1).page_size(10).build().unwrap();
    c.send::<ListPtsScene>(req).await.expect("a call writes nothing but opens the db");
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("files")), 0o700);
    for f in ["pts-local.sqlite3", "pts-local.sqlite3-wal", "pts-local.sqlite3-shm"] {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
    assert_eq!(mode(&data.join("credentials.json")), 0o600);
    assert_eq!(mode(&data.join("files").join("users.csv")), 0o600);
    stop(child);
    // A data dir made by an older build (0755/0644) is tightened at the next start.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = data.join("pts-local.sqlite3");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (child, _) = serve(&data, &[], None);
    assert_eq!((mode(&data), mode(&db)), (0o700, 0o600));
    stop(child);
}

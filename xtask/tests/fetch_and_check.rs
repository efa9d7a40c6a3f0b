//! The fetch path against a loopback server serving the snapshot, and the drift and
//! determinism checks on regenerated trees. Nothing leaves 127.0.0.1.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;
use xtask::fetch::fetch;
use xtask::fetch_options;

/// Serves `body` with `status` to one connection, then stops.
fn serve_once(status: &'static str, body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut buf = [0u8; 4096];
        let _ = conn.read(&mut buf);
        let head = format!(
            "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        conn.write_all(head.as_bytes()).unwrap();
        conn.write_all(&body).unwrap();
    });
    format!("http://{addr}/meta/v1/products/PTS/versions/2020-10-20/api-docs.json")
}

fn snapshot() -> Option<Vec<u8>> {
    let path = api_meta::snapshot::require_shared(&api_meta::snapshot::snapshot_path())?;
    Some(std::fs::read(path).unwrap())
}

#[test]
fn fetches_the_snapshot_from_loopback_and_regenerates_the_commit() {
    let Some(raw) = snapshot() else { return };
    let url = serve_once("200 OK", raw.clone());
    let fetched = fetch(&url, &fetch_options()).expect("fetch from loopback");
    assert_eq!(fetched, raw);
    let out = xtask::regenerate(&fetched).unwrap();
    let committed = api_meta::snapshot::committed_inventory();
    assert_eq!(out.inventory, committed, "fetched metadata regenerates the committed inventory");
}

#[test]
fn an_http_error_and_an_unreachable_host_are_clear() {
    let url = serve_once("503 Service Unavailable", b"down".to_vec());
    let e = fetch(&url, &fetch_options()).unwrap_err().to_string();
    assert!(e.contains("503") && e.contains("--from FILE"), "{e}");
    // A port nobody listens on: bind, take the port, close it.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let quick = xtask::fetch::FetchOptions {
        connect: Duration::from_secs(2),
        total: Duration::from_secs(5),
        ..fetch_options()
    };
    let e = fetch(&format!("http://127.0.0.1:{port}/x"), &quick).unwrap_err();
    assert!(format!("{e:#}").contains("offline?"), "{e:#}");
}

#[test]
fn regeneration_is_deterministic_and_drift_is_reported_by_operation() {
    let Some(raw) = snapshot() else { return };
    let a = xtask::regenerate(&raw).unwrap();
    let b = xtask::regenerate(&raw).unwrap();
    assert!(xtask::tree::differing(&a.files, &b.files).is_empty());
    let mut edited = a.files.clone();
    let path = format!("{}/operations/get_pts_scene.rs", xtask::GENERATED_DIR);
    edited.get_mut(&path).unwrap().push_str("// edited\n");
    edited.remove(&format!("{}/operations/list_envs.rs", xtask::GENERATED_DIR));
    let drift = xtask::tree::differing(&edited, &a.files);
    assert_eq!(drift.len(), 2);
    let ops = xtask::tree::changed_operations(&drift, Some(&a.inventory), &a.inventory);
    assert_eq!(ops, vec!["GetPtsScene".to_string(), "ListEnvs".to_string()]);
    // An inventory change names the operation even when no file path does.
    let mut old = a.inventory.clone();
    old.operations.retain(|o| o.name != "StopPtsScene");
    let ops = xtask::tree::changed_operations(&[], Some(&old), &a.inventory);
    assert_eq!(ops, vec!["StopPtsScene".to_string()]);
}

#[test]
fn written_output_round_trips_and_removes_stale_files() {
    let Some(raw) = snapshot() else { return };
    let out = xtask::regenerate(&raw).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join(xtask::GENERATED_DIR).join("operations/gone.rs");
    std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
    std::fs::write(&stale, "// old").unwrap();
    xtask::write_output(dir.path(), &out).unwrap();
    assert!(!stale.exists());
    let back = xtask::tree::read_owned(dir.path(), &out.files).unwrap();
    assert!(xtask::tree::differing(&back, &out.files).is_empty());
}

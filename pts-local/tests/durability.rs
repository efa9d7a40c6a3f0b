//! Durability: the `pts-local` binary is killed with SIGKILL while clients are writing; after
//! a restart on the same data dir every write that got a success response is there, and
//! SQLite's `integrity_check` is ok. Everything is bounded in time and on 127.0.0.1.

mod common;

use common::{AK, SK, client_for};
use pts_api::ops::get_pts_scene::{GetPtsScene, GetPtsSceneRequest};
use pts_api::ops::save_pts_scene::{SavePtsScene, SavePtsSceneRequest};
use pts_api::wire::SignatureVersion;
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A child server that is killed (and reaped) when dropped, so a failing assertion never
/// leaves a server behind.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary; the returned guard kills it when dropped.
#[allow(clippy::zombie_processes)]
fn spawn(data: &Path) -> (Server, String) {
    let ep_file = data.join("endpoint.txt");
    let _ = std::fs::remove_file(&ep_file);
    let mut child = Command::new(env!("CARGO_BIN_EXE_pts-local"))
        .args([
            "serve",
            "--port",
            "0",
            "--access-key-id",
            AK,
            "--access-key-secret",
            SK,
            "--no-profile",
        ])
        .arg("--data")
        .arg(data)
        .arg("--endpoint-file")
        .arg(&ep_file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn pts-local");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(ep) = std::fs::read_to_string(&ep_file)
            && !ep.is_empty()
        {
            return (Server(child), ep);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("pts-local did not start");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn scene(name: &str, id: Option<&str>) -> pts_api::shapes::scene::Scene {
    let mut v = json!({
        "SceneName": name,
        "RelationList": [{"RelationName": "r", "ApiList": [{"ApiName": "a", "Url": "http://127.0.0.1:9/", "Method": "GET", "RedirectCountLimit": 0}]}],
        "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": 1, "Configuration": {"AllConcurrencyBegin": 1, "AllConcurrencyLimit": 1}}
    });
    if let Some(id) = id {
        v["SceneId"] = json!(id);
    }
    serde_json::from_value(v).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, ep) = spawn(dir.path());
    // scene id -> last acknowledged name (each scene is written by one task only).
    let acked: Arc<Mutex<HashMap<String, String>>> = Arc::default();
    // scene id -> name of an update sent but not acknowledged when the server died: it may
    // or may not have been committed, so after the restart either name is correct.
    let in_flight: Arc<Mutex<HashMap<String, String>>> = Arc::default();
    let mut tasks = Vec::new();
    for t in 0..8 {
        let (ep, acked, in_flight) = (ep.clone(), acked.clone(), in_flight.clone());
        tasks.push(tokio::spawn(async move {
            let c = client_for(&ep, AK, SK, None, SignatureVersion::V3);
            let deadline = Instant::now() + Duration::from_secs(10);
            let mut mine: Vec<String> = Vec::new();
            let mut i = 0u32;
            while Instant::now() < deadline {
                i += 1;
                // Alternate creates and updates of an earlier scene of this task.
                let target = i
                    .is_multiple_of(2)
                    .then(|| mine.get(i as usize % mine.len().max(1)).cloned())
                    .flatten();
                let name = format!("t{t}-w{i}");
                let req = SavePtsSceneRequest::builder()
                    .scene(scene(&name, target.as_deref()))
                    .build()
                    .unwrap();
                if let Some(id) = &target {
                    in_flight.lock().unwrap().insert(id.clone(), name.clone());
                }
                match c.send::<SavePtsScene>(req).await {
                    Ok(out) => {
                        if let Some(id) = &target {
                            in_flight.lock().unwrap().remove(id);
                        }
                        let id = out.body.scene_id.unwrap();
                        if target.is_none() {
                            mine.push(id.clone());
                        }
                        acked.lock().unwrap().insert(id, name);
                    }
                    Err(_) => return i, // the server is gone
                }
            }
            i
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    child.0.kill().expect("SIGKILL");
    let _ = child.0.wait();
    for t in tasks {
        t.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let in_flight = in_flight.lock().unwrap().clone();
    assert!(acked.len() > 20, "too few writes before the kill: {}", acked.len());

    let (mut child, ep) = spawn(dir.path());
    let c = client_for(&ep, AK, SK, None, SignatureVersion::V3);
    for (id, name) in &acked {
        let got = c
            .send::<GetPtsScene>(GetPtsSceneRequest::builder().scene_id(id).build().unwrap())
            .await;
        let got = got.unwrap_or_else(|e| panic!("acknowledged scene {id} lost: {e}"));
        let found = got.body.scene.unwrap().scene_name.unwrap_or_default();
        let unacked = in_flight.get(id);
        assert!(
            found == *name || unacked == Some(&found),
            "scene {id}: found {found:?}, last acknowledged {name:?}, in flight {unacked:?}"
        );
    }
    let _ = Command::new("kill").args(["-TERM", &child.0.id().to_string()]).status();
    let status = child.0.wait().unwrap();
    assert!(status.success(), "graceful stop on SIGTERM: {status:?}");
    let conn = rusqlite::Connection::open(dir.path().join("pts-local.sqlite3")).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    println!("{} acknowledged writes survived kill -9", acked.len());
}

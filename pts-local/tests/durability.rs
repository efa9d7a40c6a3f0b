//! Durability: the `pts-local` binary is killed with SIGKILL while clients are writing; after
//! a restart on the same data dir every write that got a success response is there, and
//! SQLite's `integrity_check` is ok; killed during a run, the run is ended as interrupted at
//! the restart. Everything is bounded in time and on 127.0.0.1.

mod common;
mod engine_support;

use common::child::spawn;
use common::{AK, SK, client_for};
use pts_api::__private::wire::SignatureVersion;
use pts_api::ops::get_pts_report_details::{
    GetPtsReportDetails, GetPtsReportDetailsRequest, GetPtsReportDetailsResponse,
};
use pts_api::ops::get_pts_scene::{GetPtsScene, GetPtsSceneRequest};
use pts_api::ops::save_pts_scene::{SavePtsScene, SavePtsSceneRequest};
use pts_api::ops::start_pts_scene::{StartPtsScene, StartPtsSceneRequest};
use pts_local::sample_target::SampleTarget;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    let (mut child, ep) = spawn(dir.path(), &[]);
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
    // Kill once enough writes are acknowledged (a busy machine writes slower).
    let enough = Instant::now() + Duration::from_secs(8);
    tokio::time::sleep(Duration::from_millis(500)).await;
    while acked.lock().unwrap().len() <= 40 && Instant::now() < enough {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill_9();
    for t in tasks {
        t.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let in_flight = in_flight.lock().unwrap().clone();
    assert!(acked.len() > 20, "too few writes before the kill: {}", acked.len());

    let (mut child, ep) = spawn(dir.path(), &[]);
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
    assert!(child.terminate(), "graceful stop on SIGTERM");
    let conn = rusqlite::Connection::open(dir.path().join("pts-local.sqlite3")).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    println!("{} acknowledged writes survived kill -9", acked.len());
}

async fn save_and_start(c: &pts_api::Client, scene: serde_json::Value) -> (String, String) {
    let scene: pts_api::shapes::scene::Scene = serde_json::from_value(scene).unwrap();
    let req = SavePtsSceneRequest::builder().scene(scene).build().unwrap();
    let id = c.send::<SavePtsScene>(req).await.unwrap().body.scene_id.unwrap();
    let plan = start(c, &id).await.expect("the scene starts");
    (id, plan)
}

async fn start(c: &pts_api::Client, id: &str) -> Result<String, pts_api::Error> {
    let req = StartPtsSceneRequest::builder().scene_id(id).build().unwrap();
    Ok(c.send::<StartPtsScene>(req).await?.body.plan_id.unwrap())
}

async fn status(c: &pts_api::Client, id: &str) -> String {
    let req = GetPtsSceneRequest::builder().scene_id(id).build().unwrap();
    let scene = c.send::<GetPtsScene>(req).await.unwrap().body.scene.unwrap();
    scene.status.map(|s| s.to_string()).unwrap_or_default()
}

async fn report(c: &pts_api::Client, id: &str, plan: &str) -> GetPtsReportDetailsResponse {
    let req = GetPtsReportDetailsRequest::builder().scene_id(id).plan_id(plan).build().unwrap();
    c.send::<GetPtsReportDetails>(req).await.expect("the interrupted run has a report").body
}

/// kill -9 during a run: at the next start the run is ended and marked interrupted with what
/// was measured up to its last checkpoint, and the scene starts again at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_a_run_leaves_an_interrupted_report_and_a_startable_scene() {
    let target = SampleTarget::start(Duration::from_millis(2)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (mut child, ep) = spawn(dir.path(), &[]);
    let c = client_for(&ep, AK, SK, None, SignatureVersion::V3);
    let (id, plan) = save_and_start(&c, target.shop_scene("interrupted", 2, 10)).await;
    // Past the first checkpoints (one a second) with traffic flowing.
    let deadline = Instant::now() + Duration::from_secs(20);
    while target.counters().total() < 50 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(status(&c, &id).await, "Running");
    child.kill_9();
    let sent = target.counters().total();
    assert!(sent >= 50, "the run sent too little before the kill: {sent}");

    let t0 = Instant::now();
    let (mut child, ep) = spawn(dir.path(), &[]);
    let c = client_for(&ep, AK, SK, None, SignatureVersion::V3);
    assert_ne!(status(&c, &id).await, "Running", "no engine runs it any more");
    let r = report(&c, &id, &plan).await;
    let message = r.message.clone().unwrap_or_default();
    assert!(message.starts_with("Interrupted") && message.contains("checkpoint"), "{message}");
    let all = r.scene_metrics.as_ref().and_then(|m| m.all_count).unwrap_or(0);
    assert!(all > 0 && all as u64 <= sent, "checkpointed {all} of {sent} requests sent");
    let again = start(&c, &id).await.expect("startable again at once");
    println!(
        "restart: report of {plan} holds {all} of {sent} requests; {again} started {:?} after the restart",
        t0.elapsed()
    );
    assert!(child.terminate(), "graceful stop on SIGTERM");
}

/// With nothing measured (the null engine checkpoints nothing) the report says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_run_without_checkpoint_says_it_has_no_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, ep) = spawn(dir.path(), &["--null-engine"]);
    let c = client_for(&ep, AK, SK, None, SignatureVersion::V3);
    let mut long = serde_json::to_value(scene("null run", None)).unwrap();
    long["LoadConfig"]["MaxRunningTime"] = json!(10);
    let (id, plan) = save_and_start(&c, long).await;
    child.kill_9();
    let (_child, ep) = spawn(dir.path(), &["--null-engine"]);
    let c = client_for(&ep, AK, SK, None, SignatureVersion::V3);
    assert_ne!(status(&c, &id).await, "Running");
    let r = report(&c, &id, &plan).await;
    let message = r.message.unwrap_or_default();
    assert!(message.contains("no metrics"), "{message}");
    assert!(r.scene_metrics.is_none());
    start(&c, &id).await.expect("startable again at once");
}

/// A JMeter run interrupted by a restart gets the same report message as a PTS run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_jmeter_run_says_so_in_its_report() {
    use engine_support::jmeter::{jmx, save, scene};
    use pts_api::ops::get_jmeter_report_details::{
        GetJMeterReportDetails, GetJMeterReportDetailsRequest,
    };
    use pts_api::ops::start_testing_jmeter_scene::{
        StartTestingJMeterScene, StartTestingJMeterSceneRequest,
    };
    let dir = tempfile::tempdir().unwrap();
    pts_local::FileStore::open(dir.path())
        .unwrap()
        .add_bytes("plan.jmx", jmx(9, "").as_bytes())
        .unwrap();
    let (mut child, ep) = spawn(dir.path(), &["--null-engine"]);
    let c = client_for(&ep, AK, SK, None, SignatureVersion::V3);
    let id = save(&c, scene("plan.jmx")).await.unwrap();
    let req = StartTestingJMeterSceneRequest::builder().scene_id(&id).build().unwrap();
    let report_id = c.send::<StartTestingJMeterScene>(req).await.unwrap().body.report_id.unwrap();
    child.kill_9();
    let (_child, ep) = spawn(dir.path(), &["--null-engine"]);
    let c = client_for(&ep, AK, SK, None, SignatureVersion::V3);
    let req = GetJMeterReportDetailsRequest::builder().report_id(&report_id).build().unwrap();
    let r = c.send::<GetJMeterReportDetails>(req).await.expect("a report").body;
    let message = r.message.unwrap_or_default();
    assert!(message.starts_with("Interrupted") && message.contains("no metrics"), "{message}");
}

//! Lifecycle rules that need a service answering on cue, so they run against the fake PTS
//! of `common`: a save whose outcome is unknown is looked up before any retry, and the
//! wait for RUNNING tells a stale STOPPED from a run that stopped.

mod common;

use serde_json::json;
use std::time::Duration;

/// A client of the fake server with this read timeout.
fn client_for(server: &common::Server, read_timeout: Duration) -> pts_api::Client {
    pts_api::Client::builder()
        .endpoint(server.endpoint())
        .protocol(pts_api::client::Protocol::Http)
        .static_credentials(common::AK, common::SECRET, None)
        .read_timeout(read_timeout)
        .build()
        .unwrap()
}

/// A fake PTS whose SavePtsScene answers too late (outcome unknown). `lands` says whether
/// the slow save created the scene; returns the saves sent and the id apply reported.
fn create_with_unknown_outcome(lands: bool) -> (usize, String) {
    use common::{Server, ok};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    let saves = Arc::new(AtomicUsize::new(0));
    let s2 = saves.clone();
    let server = Server::start(move |req| {
        let landed = lands && s2.load(SeqCst) > 0;
        match req.action.as_str() {
            "ListPtsScene" if landed => ok(json!({"SceneViewList": [
                {"SceneId": "OLD00001", "SceneName": "dup"}, {"SceneId": "NEW00001", "SceneName": "dup"}]})),
            "ListPtsScene" => {
                ok(json!({"SceneViewList": [{"SceneId": "OLD00001", "SceneName": "dup"}]}))
            }
            "SavePtsScene" => {
                let n = s2.fetch_add(1, SeqCst);
                let mut r = ok(json!({"SceneId": "RETRY001", "Success": true}));
                if n == 0 {
                    r.delay = Duration::from_millis(1500);
                }
                r
            }
            other => common::status(400, json!({"Code": "Unexpected", "Message": other})),
        }
    });
    let client = client_for(&server, Duration::from_millis(300));
    let scene = json!({"SceneName": "dup",
        "RelationList": [{"RelationName": "r", "ApiList": [{"ApiName": "a", "Url": "http://127.0.0.1/", "Method": "GET", "RedirectCountLimit": 0}]}],
        "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": 1, "Configuration": {"AllConcurrencyBegin": 1, "AllConcurrencyLimit": 1}}});
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut ev = pts_ops::evidence::Evidence::disabled("apply", "dup");
    let applied = rt
        .block_on(pts_ops::lifecycle::apply_pts(
            &client,
            &scene,
            pts_ops::lifecycle::Match::Create,
            &mut ev,
        ))
        .expect("apply succeeds");
    assert!(applied.created);
    (saves.load(SeqCst), applied.scene_id)
}

#[test]
fn a_save_with_unknown_outcome_is_looked_up_before_any_retry() {
    // The slow save landed: the new same-name scene is found, nothing is sent again.
    assert_eq!(create_with_unknown_outcome(true), (1, "NEW00001".to_string()));
    // It did not land: one retry.
    assert_eq!(create_with_unknown_outcome(false), (2, "RETRY001".to_string()));
}

/// Runtime statuses answered in turn (the last one repeats), through `wait_pts(Running)`.
fn wait_running_over(statuses: &'static [&'static str]) -> Result<Vec<String>, String> {
    use common::{Server, ok};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    let n = Arc::new(AtomicUsize::new(0));
    let server = Server::start(move |_| {
        let i = n.fetch_add(1, SeqCst).min(statuses.len() - 1);
        ok(json!({"Status": statuses[i], "Success": true}))
    });
    let client = client_for(&server, Duration::from_secs(10));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let poll = Duration::from_millis(20);
    let r = rt.block_on(pts_ops::lifecycle::wait_pts(
        &client,
        "ABCD1234",
        pts_ops::lifecycle::Until::Running,
        poll,
        Duration::from_secs(5),
    ));
    r.map(|p| p.polls.iter().map(|v| v["status"].as_str().unwrap().to_string()).collect())
        .map_err(|e| e.message)
}

#[test]
fn a_stale_stopped_right_after_start_is_not_a_failure_but_a_stop_after_prerun_is() {
    let seen = wait_running_over(&["STOPPED", "STOPPED", "CREATED", "RUNNING"]).unwrap();
    assert_eq!(seen, ["STOPPED", "STOPPED", "CREATED", "RUNNING"]);
    let e = wait_running_over(&["CREATED", "STOPPED"]).unwrap_err();
    assert!(e.contains("did not reach RUNNING"), "{e}");
    let e = wait_running_over(&["STOPPED"]).unwrap_err();
    assert!(e.contains("STOPPED"), "{e}");
}

//! A run's status is the engine's lifecycle: preparing until the first request is sent,
//! RUNNING while load flows, STOPPING while requests in flight drain, STOPPED once the final
//! figures are stored; seen on the engine's own phase channel and through the API.

mod common;
mod engine_support;

use engine_support::tls::TestCa;
use engine_support::{Reply, Target, api, cfg, conc_scene, relation};
use pts_api::Client;
use pts_api::ops::get_pts_scene_running_status::{
    GetPtsSceneRunningStatus, GetPtsSceneRunningStatusRequest,
};
use pts_api::ops::save_pts_scene::{SavePtsScene, SavePtsSceneRequest};
use pts_api::ops::start_pts_scene::{StartPtsScene, StartPtsSceneRequest};
use pts_api::ops::stop_pts_scene::{StopPtsScene, StopPtsSceneRequest};
use pts_api::shapes::pts_runtime_status::PtsRuntimeStatus;
use pts_local::engine::{NoFiles, RunPhase, start_run};
use pts_local::{Config, Key, Server};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Consecutive repeats folded: the order in which distinct values were seen.
fn order<T: PartialEq + Clone>(seen: &[T]) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for s in seen {
        if out.last() != Some(s) {
            out.push(s.clone());
        }
    }
    out
}

/// The engine publishes every transition: a slow-to-open target keeps the run preparing, a
/// slow answer keeps it stopping while the request in flight drains.
#[test]
fn engine_phases_follow_the_traffic() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(&["localhost"]);
    let delay = Duration::from_millis(300);
    let t =
        Target::start_tls_slow(&ca, delay, |_| Reply::ok("slow").delay(Duration::from_millis(200)));
    let url = format!("https://localhost:{}/x", t.addr.port());
    let scene = conc_scene(vec![relation("r", vec![api("a", "GET", &url)])], 1, 1);
    let c =
        pts_local::engine::EngineConfig { ca_files: vec![ca.write_ca(dir.path())], ..cfg(10.0) };
    let run = start_run(&scene, &NoFiles, &c).unwrap();
    let mut rx = run.phases();
    let seen = Arc::new(Mutex::new(vec![*rx.borrow_and_update()]));
    let s2 = seen.clone();
    let watcher = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async move {
            while rx.changed().await.is_ok() {
                let p = *rx.borrow_and_update();
                s2.lock().unwrap().push(p);
                if p == RunPhase::Finished {
                    break;
                }
            }
        })
    });
    assert_eq!(run.phase(), RunPhase::Preparing, "the connection is still opening");
    let t0 = Instant::now();
    while run.phase() != RunPhase::Running {
        assert!(t0.elapsed() < Duration::from_secs(5), "never running");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(t0.elapsed() >= delay / 2, "running before the connection was open");
    // Stop while a request is in flight (each takes 200 ms): the run drains first.
    std::thread::sleep(Duration::from_millis(250));
    run.stop();
    assert_eq!(run.phase(), RunPhase::Stopping);
    let report = run.wait();
    watcher.join().unwrap();
    assert_eq!(run.phase(), RunPhase::Finished);
    assert_eq!(
        order(&seen.lock().unwrap()),
        [RunPhase::Preparing, RunPhase::Running, RunPhase::Stopping, RunPhase::Finished]
    );
    assert_eq!(report.scene.count, t.count(), "the request in flight was counted");
}

async fn status(client: &Client, scene: &str) -> PtsRuntimeStatus {
    let req = GetPtsSceneRunningStatusRequest::builder().scene_id(scene).build().unwrap();
    client.send::<GetPtsSceneRunningStatus>(req).await.unwrap().body.status.unwrap()
}

/// Polls the status every few ms until `stop` says so; returns what it saw.
fn poll_status(
    client: Client,
    scene: String,
) -> (tokio::task::JoinHandle<Vec<PtsRuntimeStatus>>, tokio::sync::watch::Sender<bool>) {
    let (tx, mut rx) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move {
        let mut seen = Vec::new();
        loop {
            seen.push(status(&client, &scene).await);
            if *rx.borrow() {
                return seen;
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(5)) => {}
                _ = rx.changed() => {}
            }
        }
    });
    (task, tx)
}

/// Through the API, twice on the same scene: each run reads PREPARING, RUNNING, STOPPING,
/// STOPPED in that order, and the second run's first status after its start is never the
/// first run's STOPPED.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_status_is_the_engine_lifecycle() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(&["localhost"]);
    let mut config = Config::new(dir.path())
        .with_keys(vec![Key::new(common::AK, common::SK)])
        .with_time_scale(60.0);
    config.ca_files = vec![ca.write_ca(dir.path())];
    let server = Server::start(config).await.unwrap();
    let client = common::client(&server);
    let delay = Duration::from_millis(1000);
    let t =
        Target::start_tls_slow(&ca, delay, |_| Reply::ok("slow").delay(Duration::from_millis(400)));
    let url = format!("https://localhost:{}/x", t.addr.port());
    // 5 scene minutes: 5 s at this time scale, stopped well before.
    let scene = conc_scene(vec![relation("r", vec![api("a", "GET", &url)])], 1, 5);
    let req = SavePtsSceneRequest::builder().scene(scene).build().unwrap();
    let id = client.send::<SavePtsScene>(req).await.unwrap().body.scene_id.unwrap();
    assert_eq!(status(&client, &id).await, PtsRuntimeStatus::Stopped, "never ran");
    for round in 0..2 {
        let req = StartPtsSceneRequest::builder().scene_id(&id).build().unwrap();
        client.send::<StartPtsScene>(req).await.unwrap();
        let (poller, done) = poll_status(client.clone(), id.clone());
        let t0 = Instant::now();
        while status(&client, &id).await != PtsRuntimeStatus::Running {
            assert!(t0.elapsed() < Duration::from_secs(5), "round {round}: never RUNNING");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let req = StopPtsSceneRequest::builder().scene_id(&id).build().unwrap();
        client.send::<StopPtsScene>(req).await.unwrap();
        assert_eq!(status(&client, &id).await, PtsRuntimeStatus::Stopped);
        done.send_replace(true);
        let seen = poller.await.unwrap();
        use PtsRuntimeStatus::*;
        assert_eq!(
            order(&seen),
            [Preparing, Running, Stopping, Stopped],
            "round {round}: {seen:?}"
        );
    }
    server.shutdown().await;
}

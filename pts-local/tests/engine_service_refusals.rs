//! The service with its default load engine: starts refused because the plan cannot run answer
//! `Scene.PlanInvalid` (not `SceneNotExist`) naming the element and field; `https://` scenes
//! run with the CA files of the service's configuration.

mod common;
mod engine_support;

use engine_support::tls::TestCa;
use engine_support::{Reply, Target, api, check, conc_scene, jmeter, relation};
use pts_api::ops::get_pts_scene_running_status::{
    GetPtsSceneRunningStatus, GetPtsSceneRunningStatusRequest,
};
use pts_api::ops::save_pts_scene::{SavePtsScene, SavePtsSceneRequest};
use pts_api::ops::start_debug_pts_scene::{StartDebugPtsScene, StartDebugPtsSceneRequest};
use pts_api::ops::start_debugging_jmeter_scene::{
    StartDebuggingJMeterScene, StartDebuggingJMeterSceneRequest,
};
use pts_api::ops::start_pts_scene::{StartPtsScene, StartPtsSceneRequest};
use pts_api::ops::start_testing_jmeter_scene::{
    StartTestingJMeterScene, StartTestingJMeterSceneRequest,
};
use pts_api::shapes::scene::Scene;
use pts_api::{Client, Error};
use pts_local::envelope::PLAN_INVALID;

async fn save(client: &Client, scene: Scene) -> String {
    let req = SavePtsSceneRequest::builder().scene(scene).build().unwrap();
    client.send::<SavePtsScene>(req).await.unwrap().body.scene_id.unwrap()
}

fn assert_plan_invalid(e: &Error, names: &[&str]) {
    assert_eq!(e.code(), Some(PLAN_INVALID), "{e}");
    assert_eq!(e.status(), Some(400), "{e}");
    let msg = e.message().unwrap_or_default();
    for n in names {
        assert!(msg.contains(n), "`{n}` not in {msg:?}");
    }
}

/// A PTS scene with a checkpoint operator no rule knows is refused at save, naming the field;
/// one whose regular expression does not compile (a fact only the engine's compiler learns) is
/// saved, and then StartPtsScene and StartDebugPtsScene answer `Scene.PlanInvalid` naming the
/// API and the expression, and the scene stays startable (not running).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pts_start_refused_by_the_engine_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(dir.path(), 60.0).await;
    let client = common::client(&server);
    let mut a = api("login", "GET", "http://127.0.0.1:9/x");
    a.check_point_list = Some(vec![check("STATUS_CODE", "", "bogus-op", "200")]);
    let req = SavePtsSceneRequest::builder()
        .scene(conc_scene(vec![relation("r", vec![a.clone()])], 1, 1))
        .build()
        .unwrap();
    let e = client.send::<SavePtsScene>(req).await.unwrap_err();
    let msg = e.message().unwrap_or_default();
    assert!(msg.contains("CheckPointList[0].Operator") && msg.contains("bogus-op"), "{e}");
    a.check_point_list = Some(vec![check("BODY_TEXT", "", "regex", "(unclosed")]);
    let id = save(&client, conc_scene(vec![relation("r", vec![a])], 1, 1)).await;
    let req = StartPtsSceneRequest::builder().scene_id(&id).build().unwrap();
    let e = client.send::<StartPtsScene>(req).await.unwrap_err();
    assert_plan_invalid(&e, &["login", "(unclosed"]);
    let req = StartDebugPtsSceneRequest::builder().scene_id(&id).build().unwrap();
    let e = client.send::<StartDebugPtsScene>(req).await.unwrap_err();
    assert_plan_invalid(&e, &["login", "(unclosed"]);
    let req = GetPtsSceneRunningStatusRequest::builder().scene_id(&id).build().unwrap();
    let status = client.send::<GetPtsSceneRunningStatus>(req).await.unwrap().body;
    assert_eq!(status.status.as_ref().map(|s| s.as_str()), Some("STOPPED"));
    server.shutdown().await;
}

/// A JMeter scene whose TestFile left the file store after it was saved: both starts answer
/// `Scene.PlanInvalid` naming the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jmeter_start_refused_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(dir.path(), 60.0).await;
    let client = common::client(&server);
    let store = pts_local::FileStore::open(dir.path()).unwrap();
    store.add_bytes("gone.jmx", jmeter::jmx(9, "").as_bytes()).unwrap();
    let id = jmeter::save(&client, jmeter::scene("gone.jmx")).await.unwrap();
    std::fs::remove_file(store.resolve(Some("gone.jmx"), None).unwrap().path).unwrap();
    let req = StartTestingJMeterSceneRequest::builder().scene_id(&id).build().unwrap();
    let e = client.send::<StartTestingJMeterScene>(req).await.unwrap_err();
    assert_plan_invalid(&e, &["gone.jmx"]);
    let req = StartDebuggingJMeterSceneRequest::builder().scene_id(&id).build().unwrap();
    let e = client.send::<StartDebuggingJMeterScene>(req).await.unwrap_err();
    assert_plan_invalid(&e, &["gone.jmx"]);
    server.shutdown().await;
}

/// `Config::ca_files` reaches the engine: a debug run of an `https://` scene succeeds and its
/// sample's timing shows the TLS handshake.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_scene_runs_with_the_services_ca_files() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(&["127.0.0.1"]);
    let mut config = pts_local::Config::new(dir.path())
        .with_keys(vec![pts_local::Key::new(common::AK, common::SK)])
        .with_time_scale(60.0);
    config.ca_files = vec![ca.write_ca(dir.path())];
    let server = pts_local::Server::start(config).await.unwrap();
    let client = common::client(&server);
    let t = Target::start_tls(&ca, |_| Reply::ok("secure"));
    let scene = conc_scene(vec![relation("r", vec![api("home", "GET", &t.url("/home"))])], 1, 1);
    let id = save(&client, scene).await;
    let logs = engine_support::service::debug_samples(&client, &id, &t, 1).await;
    let logs = logs.sampling_logs.unwrap();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].http_response_status.as_deref(), Some("200"), "{:?}", logs[0]);
    let timing: serde_json::Value =
        serde_json::from_str(logs[0].http_timing.as_deref().unwrap()).unwrap();
    assert!(timing["tls"].as_u64().is_some_and(|ns| ns > 0), "{timing}");
    assert_eq!(t.count(), 1);
    server.shutdown().await;
}

mod common;

use pts_api::ops::get_pts_scene::{GetPtsScene, GetPtsSceneRequest};
use pts_api::ops::list_pts_scene::{ListPtsScene, ListPtsSceneRequest};
use pts_api::ops::save_pts_scene::{SavePtsScene, SavePtsSceneRequest};
use serde_json::json;

#[tokio::test]
async fn save_get_list() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(dir.path(), 1.0).await;
    let client = common::client(&server);
    let scene: pts_api::shapes::scene::Scene = serde_json::from_value(json!({
        "SceneName": "smoke",
        "RelationList": [{"RelationName": "r1", "ApiList": [{"ApiName": "a1", "Url": "http://127.0.0.1:1/x", "Method": "GET", "RedirectCountLimit": 10}]}],
        "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": 1, "Configuration": {"AllConcurrencyBegin": 1, "AllConcurrencyLimit": 2}}
    })).unwrap();
    let out = client
        .send::<SavePtsScene>(SavePtsSceneRequest::builder().scene(scene).build().unwrap())
        .await
        .unwrap();
    let id = out.body.scene_id.unwrap();
    let got = client
        .send::<GetPtsScene>(GetPtsSceneRequest::builder().scene_id(&id).build().unwrap())
        .await
        .unwrap();
    println!("{:?}", got.body);
    let list = client
        .send::<ListPtsScene>(
            ListPtsSceneRequest::builder().page_number(1).page_size(10).build().unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(list.body.scene_view_list.unwrap().len(), 1);
    let err = client
        .send::<GetPtsScene>(GetPtsSceneRequest::builder().scene_id("NOPE").build().unwrap())
        .await
        .unwrap_err();
    println!("{err}");
    server.shutdown().await;
}

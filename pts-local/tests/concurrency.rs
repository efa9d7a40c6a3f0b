//! 64 concurrent pts-api clients create, change and list scenes: no write is lost, and every
//! list reflects every write acknowledged before the list started.

mod common;

use pts_api::ops::get_pts_scene::{GetPtsScene, GetPtsSceneRequest};
use pts_api::ops::list_pts_scene::{ListPtsScene, ListPtsSceneRequest};
use pts_api::ops::modify_pts_scene::{ModifyPtsScene, ModifyPtsSceneRequest};
use pts_api::ops::save_pts_scene::{SavePtsScene, SavePtsSceneRequest};
use pts_api::{Client, JsonText};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

const CLIENTS: usize = 64;
const ROUNDS: usize = 4;

fn scene_json(name: &str) -> serde_json::Value {
    json!({
        "SceneName": name,
        "RelationList": [{"RelationName": "r", "ApiList": [{"ApiName": "a", "Url": "http://127.0.0.1:9/", "Method": "GET", "RedirectCountLimit": 0}]}],
        "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": 1, "Configuration": {"AllConcurrencyBegin": 1, "AllConcurrencyLimit": 1}}
    })
}

async fn list_all(c: &Client) -> HashMap<String, String> {
    let req = ListPtsSceneRequest::builder().page_number(1).page_size(1000).build().unwrap();
    let out = c.send::<ListPtsScene>(req).await.expect("list");
    out.body
        .scene_view_list
        .unwrap()
        .into_iter()
        .map(|v| (v.scene_id.unwrap(), v.scene_name.unwrap()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_clients_lose_nothing_and_lists_see_acknowledged_writes() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(dir.path(), 1.0).await;
    let ep = server.endpoint();
    let acked: Arc<Mutex<HashSet<String>>> = Arc::default();
    let mut tasks = Vec::new();
    for t in 0..CLIENTS {
        let (ep, acked) = (ep.clone(), acked.clone());
        tasks.push(tokio::spawn(async move {
            let c = common::client_for(
                &ep,
                common::AK,
                common::SK,
                None,
                pts_api::__private::wire::SignatureVersion::V3,
            );
            let mut mine: HashMap<String, String> = HashMap::new();
            for round in 0..ROUNDS {
                // Create.
                let name = format!("c{t}-r{round}");
                let scene: pts_api::shapes::scene::Scene =
                    serde_json::from_value(scene_json(&name)).unwrap();
                let out = c
                    .send::<SavePtsScene>(
                        SavePtsSceneRequest::builder().scene(scene).build().unwrap(),
                    )
                    .await
                    .expect("save");
                let id = out.body.scene_id.unwrap();
                acked.lock().unwrap().insert(id.clone());
                mine.insert(id.clone(), name);
                // Change an earlier scene of this client (ModifyPtsScene, lowerCamel text).
                let (target, _) = mine.iter().next().map(|(k, v)| (k.clone(), v.clone())).unwrap();
                let renamed = format!("c{t}-r{round}-m");
                let mut text = scene_json(&renamed);
                text["SceneId"] = json!(target);
                let req = ModifyPtsSceneRequest::builder()
                    .scene(JsonText::raw(text.to_string()))
                    .build()
                    .unwrap();
                c.send::<ModifyPtsScene>(req).await.expect("modify");
                mine.insert(target.clone(), renamed.clone());
                // Read-your-write.
                let got = c
                    .send::<GetPtsScene>(
                        GetPtsSceneRequest::builder().scene_id(&target).build().unwrap(),
                    )
                    .await
                    .expect("get");
                assert_eq!(got.body.scene.unwrap().scene_name.as_deref(), Some(renamed.as_str()));
                // A list started now contains every write acknowledged so far (by anyone),
                // and this client's own scenes with their latest names.
                let before: HashSet<String> = acked.lock().unwrap().clone();
                let listed = list_all(&c).await;
                let missing: Vec<&String> =
                    before.iter().filter(|id| !listed.contains_key(*id)).collect();
                assert!(missing.is_empty(), "list misses acknowledged scenes {missing:?}");
                for (id, name) in &mine {
                    assert_eq!(listed.get(id), Some(name), "scene {id}");
                }
            }
            mine
        }));
    }
    let mut expected: HashMap<String, String> = HashMap::new();
    for t in tasks {
        expected.extend(t.await.expect("client task"));
    }
    assert_eq!(expected.len(), CLIENTS * ROUNDS);
    let c = common::client(&server);
    let listed = list_all(&c).await;
    assert_eq!(listed, expected, "final state is exactly every acknowledged write");
    server.shutdown().await;
}

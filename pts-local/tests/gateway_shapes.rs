//! Request-shape matrix: parameters in the query, in a form body or split between them, x
//! signature v1 and v3, x GET and POST, signed by the independent signer of
//! `gateway_support`. Each shape creates a scene, lists, gets it, and is refused with a
//! wrong secret.

mod common;
mod gateway_support;

use common::{AK, SK};
use gateway_support::{Call, Placement, Scheme, scene_json, send, sign};
use pts_local::{Config, Key, Server};
use serde_json::Value;

fn call<'a>(
    scheme: Scheme,
    method: &'a str,
    placement: Placement,
    action: &'a str,
    params: &[(&str, &str)],
    secret: &'a str,
) -> Call<'a> {
    let params = params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Call { scheme, method, placement, action, params, access_key_id: AK, secret }
}

#[tokio::test]
async fn every_placement_scheme_and_method_is_accepted_and_verified() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(dir.path()).with_keys(vec![Key::new(AK, SK)]).with_null_engine();
    let server = Server::start(config).await.unwrap();
    let ep = server.endpoint();
    let mut shapes = 0;
    for scheme in [Scheme::V1, Scheme::V3] {
        for method in ["GET", "POST"] {
            for placement in [Placement::Query, Placement::Body, Placement::Split] {
                let what = format!("{scheme:?} {method} {placement:?}");
                let name = format!("shape {what} 场景 a+b&c=d");
                let scene = scene_json(&name);
                let save =
                    call(scheme, method, placement, "SavePtsScene", &[("Scene", &scene)], SK);
                let (status, body) = send(&ep, &sign(&save, &ep)).await;
                assert_eq!(status, 200, "{what}: SavePtsScene {body}");
                let id = body["SceneId"].as_str().unwrap_or_else(|| panic!("{what}: {body}"));

                let get = call(scheme, method, placement, "GetPtsScene", &[("SceneId", id)], SK);
                let (status, body) = send(&ep, &sign(&get, &ep)).await;
                assert_eq!(status, 200, "{what}: GetPtsScene {body}");
                assert_eq!(body["Scene"]["SceneName"], Value::from(name.as_str()), "{what}");

                let list_params = [("PageNumber", "1"), ("PageSize", "100"), ("KeyWord", "shape")];
                let list = call(scheme, method, placement, "ListPtsScene", &list_params, SK);
                let (status, body) = send(&ep, &sign(&list, &ep)).await;
                assert_eq!(status, 200, "{what}: ListPtsScene {body}");
                let listed = body["SceneViewList"].as_array().expect("SceneViewList");
                assert!(listed.iter().any(|s| s["SceneId"] == id), "{what}: {id} not listed");

                let wrong = call(scheme, method, placement, "ListPtsScene", &list_params, "wrong");
                let (status, body) = send(&ep, &sign(&wrong, &ep)).await;
                assert_eq!(
                    (status, body["Code"].as_str()),
                    (400, Some("SignatureDoesNotMatch")),
                    "{what}: wrong secret {body}"
                );
                shapes += 1;
            }
        }
    }
    assert_eq!(shapes, 12);
    server.shutdown().await;
}

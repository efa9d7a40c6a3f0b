//! Paginators against a server that serves a fixed collection page by page.

mod client_support;

use client_support::*;
use futures_core::Stream;
use pts_api::Paginator;
use pts_api::ops::list_envs::{ListEnvs, ListEnvsRequest};
use pts_api::ops::list_pts_scene::{ListPtsScene, ListPtsSceneRequest};
use std::pin::Pin;

/// A server holding `total` envs (ListEnvs, which returns TotalCount).
async fn env_server(total: usize, with_total_count: bool) -> Server {
    Server::start(move |r, _| {
        let page: usize = r.param("PageNumber").unwrap().parse().unwrap();
        let size: usize = r.param("PageSize").unwrap().parse().unwrap();
        let from = (page - 1) * size;
        let to = (from + size).min(total);
        let envs: Vec<serde_json::Value> = (from..to.max(from))
            .map(|i| serde_json::json!({"EnvId": format!("env-{i}"), "EnvName": format!("n{i}")}))
            .collect();
        let mut body = serde_json::json!({
            "RequestId": format!("page-{page}"), "Success": true, "Envs": envs,
            "PageNumber": page, "PageSize": size,
        });
        if with_total_count {
            body["TotalCount"] = serde_json::json!(total);
        }
        Reply::ok(body.to_string())
    })
    .await
}

/// A server holding `total` scenes (ListPtsScene, which has no TotalCount).
async fn scene_server(total: usize) -> Server {
    Server::start(move |r, _| {
        let page: usize = r.param("PageNumber").unwrap().parse().unwrap();
        let size: usize = r.param("PageSize").unwrap().parse().unwrap();
        let from = ((page - 1) * size).min(total);
        let to = (from + size).min(total);
        let scenes: Vec<serde_json::Value> =
            (from..to).map(|i| serde_json::json!({"SceneId": format!("s-{i}"), "SceneName": "x", "Status": "Draft"})).collect();
        Reply::ok(serde_json::json!({"RequestId": "r", "Success": true, "SceneViewList": scenes}).to_string())
    })
    .await
}

fn envs_req(page: i32, size: i32) -> ListEnvsRequest {
    ListEnvsRequest::builder().page_number(page).page_size(size).build().unwrap()
}

fn scenes_req(size: i32) -> ListPtsSceneRequest {
    ListPtsSceneRequest::builder().page_number(1).page_size(size).build().unwrap()
}

#[tokio::test]
async fn stops_on_total_count() {
    bounded(async {
        // 20 items in pages of 10: exactly two calls, no empty third page.
        let server = env_server(20, true).await;
        let client = client_for(&server);
        let mut p = Paginator::<ListEnvs>::new(&client, envs_req(1, 10));
        let mut ids = Vec::new();
        let mut request_ids = Vec::new();
        while let Some(page) = p.next_page().await {
            let page = page.unwrap();
            request_ids.push(page.request_id.clone().unwrap());
            ids.extend(page.body.envs.unwrap().into_iter().map(|e| e.env_id.unwrap()));
        }
        assert_eq!(ids.len(), 20);
        assert_eq!(ids[19], "env-19");
        assert_eq!(request_ids, ["page-1", "page-2"]);
        assert_eq!(server.count(), 2);
        assert!(p.next_page().await.is_none(), "stays done");
        assert_eq!(server.count(), 2);
    })
    .await
}

#[tokio::test]
async fn stops_on_short_page_without_total_count() {
    bounded(async {
        let server = scene_server(25).await;
        let client = client_for(&server);
        let items =
            Paginator::<ListPtsScene>::new(&client, scenes_req(10)).collect_items().await.unwrap();
        assert_eq!(items.len(), 25);
        assert_eq!(items[24].scene_id.as_deref(), Some("s-24"));
        assert_eq!(server.count(), 3, "pages of 10, 10, 5: the short page ends it");

        // A multiple of the page size ends on an empty page.
        let server = scene_server(20).await;
        let client = client_for(&server);
        let items =
            Paginator::<ListPtsScene>::new(&client, scenes_req(10)).collect_items().await.unwrap();
        assert_eq!(items.len(), 20);
        assert_eq!(server.count(), 3);
    })
    .await
}

#[tokio::test]
async fn max_items_bounds_calls_and_items() {
    bounded(async {
        let server = env_server(1000, true).await;
        let client = client_for(&server);
        let items = Paginator::<ListEnvs>::new(&client, envs_req(1, 10))
            .max_items(25)
            .collect_items()
            .await
            .unwrap();
        assert_eq!(items.len(), 25);
        assert_eq!(server.count(), 3);

        let before = server.count();
        let mut pages = Paginator::<ListEnvs>::new(&client, envs_req(1, 10)).max_pages(2).pages();
        let mut n = 0;
        while let Some(p) = pages.next().await {
            p.unwrap();
            n += 1;
        }
        assert_eq!(n, 2);
        assert_eq!(server.count() - before, 2);
    })
    .await
}

#[tokio::test]
async fn starts_from_the_request_page_number() {
    bounded(async {
        let server = env_server(30, true).await;
        let client = client_for(&server);
        let items =
            Paginator::<ListEnvs>::new(&client, envs_req(2, 10)).collect_items().await.unwrap();
        assert_eq!(items.len(), 20);
        assert_eq!(items[0].env_id.as_deref(), Some("env-10"));
        let pages: Vec<String> =
            server.requests().iter().map(|r| r.param("PageNumber").unwrap()).collect();
        assert_eq!(pages, ["2", "3"]);
    })
    .await
}

#[tokio::test]
async fn items_is_a_stream_and_errors_end_it() {
    bounded(async {
        let server = Server::start(|r, _| {
            if r.param("PageNumber").as_deref() == Some("2") {
                Reply::json(400, r#"{"RequestId":"bad","Code":"ListEnvsFail","Message":"boom"}"#)
            } else {
                let envs: Vec<_> = (0..10).map(|i| serde_json::json!({"EnvId": format!("e{i}")})).collect();
                Reply::ok(serde_json::json!({"RequestId":"r","Success":true,"TotalCount":100,"Envs":envs}).to_string())
            }
        })
        .await;
        let client = client_for(&server);
        let mut stream = Paginator::<ListEnvs>::new(&client, envs_req(1, 10)).items();
        let mut ok = 0;
        let mut errors = Vec::new();
        // Drive it through the Stream trait.
        while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
            match item {
                Ok(_) => ok += 1,
                Err(e) => errors.push(e),
            }
        }
        assert_eq!(ok, 10);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code(), Some("ListEnvsFail"));
        assert_eq!(server.count(), 2, "an error is not followed by more pages");
    })
    .await
}

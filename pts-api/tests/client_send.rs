//! Client calls against a loopback server: decoding, validation (nothing sent),
//! both signature versions, the JSON path, dry runs, and secrets kept out of output.
//! The error model is in `client_errors.rs`.

mod client_support;

use client_support::*;
use pts_api::__private::wire::SignatureVersion;
use pts_api::Error;
use pts_api::ops::get_pts_scene::{GetPtsScene, GetPtsSceneRequest};
use pts_api::ops::list_pts_scene::{ListPtsScene, ListPtsSceneRequest};
use std::time::Duration;

fn get_scene(id: &str) -> GetPtsSceneRequest {
    GetPtsSceneRequest::builder().scene_id(id).build().unwrap()
}

#[tokio::test]
async fn success_decodes_body_and_output_fields() {
    bounded(async {
        let server =
            Server::start(|_, _| Reply::ok(SCENE_BODY).header("x-acs-request-id", "HDR-ID")).await;
        let client = client_for(&server);
        let out = client.send::<GetPtsScene>(get_scene("SC1")).await.unwrap();
        assert_eq!(out.status, 200);
        assert_eq!(out.request_id.as_deref(), Some("REQ-1"), "body RequestId wins over the header");
        assert_eq!(out.attempts, 1);
        assert_eq!(out.headers.get("x-acs-request-id").unwrap(), "HDR-ID");
        let scene = out.body.scene.unwrap();
        assert_eq!(scene.scene_id.as_deref(), Some("SC1"));
        assert_eq!(scene.scene_name.as_deref(), Some("demo"));

        let reqs = server.requests();
        assert_eq!(reqs.len(), 1);
        let r = &reqs[0];
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/");
        assert_eq!(r.raw_query, "SceneId=SC1");
        assert_eq!(r.header("host"), Some(server.endpoint().as_str()));
        assert_eq!(r.header("x-acs-action"), Some("GetPtsScene"));
        assert_eq!(r.header("x-acs-version"), Some("2020-10-20"));
        assert_eq!(r.header("x-acs-credentials-provider"), Some("static_ak"));
        assert_eq!(r.header("accept"), Some("application/json"));
        let ua = r.header("user-agent").unwrap();
        assert!(ua.starts_with("AlibabaCloud ("), "{ua}");
        assert!(ua.contains(&format!(" pts/{} TeaDSL/2", env!("CARGO_PKG_VERSION"))), "{ua}");
        assert!(r.header("x-acs-retry-attempts").is_none());
        let v = r.verify().expect("v3 signature verifies");
        assert_eq!(v.scheme, SignatureVersion::V3);
    })
    .await
}

#[tokio::test]
async fn fresh_nonce_per_request_and_connection_reuse() {
    bounded(async {
        let server = Server::start(|_, _| Reply::ok(SCENE_BODY)).await;
        let client = client_for(&server);
        for _ in 0..3 {
            client.send::<GetPtsScene>(get_scene("SC1")).await.unwrap();
        }
        let nonces: std::collections::HashSet<String> = server
            .requests()
            .iter()
            .map(|r| r.header("x-acs-signature-nonce").unwrap().to_string())
            .collect();
        assert_eq!(nonces.len(), 3);
        assert_eq!(server.connections(), 1, "one pooled keep-alive connection");
        // Clones share the pool.
        client.clone().send::<GetPtsScene>(get_scene("SC1")).await.unwrap();
        assert_eq!(server.connections(), 1);
    })
    .await
}

#[tokio::test]
async fn json_path_fills_region_id_from_the_client() {
    bounded(async {
        let server = Server::start(|_, _| {
            Reply::ok(r#"{"RequestId":"v","Success":true,"Vpcs":[],"TotalCount":0}"#)
        })
        .await;
        let client = builder_for(&server.endpoint()).region("cn-shanghai").build().unwrap();
        let op = pts_api::operation_meta("GetUserVpcs").unwrap();
        client.send_json(op, serde_json::json!({"PageNumber": 1, "PageSize": 10})).await.unwrap();
        client
            .send_json(
                op,
                serde_json::json!({"PageNumber": 1, "PageSize": 10, "RegionId": "cn-beijing"}),
            )
            .await
            .unwrap();
        // Operations without RegionId never get one.
        client.send::<GetPtsScene>(get_scene("SC1")).await.unwrap();
        let reqs = server.requests();
        assert_eq!(reqs[0].param("RegionId").as_deref(), Some("cn-shanghai"));
        assert_eq!(reqs[1].param("RegionId").as_deref(), Some("cn-beijing"));
        assert_eq!(reqs[2].param("RegionId"), None);
    })
    .await
}

#[tokio::test]
async fn validation_error_sends_nothing() {
    bounded(async {
        let server = Server::start(|_, _| Reply::ok(SCENE_BODY)).await;
        let client = client_for(&server);
        // PageSize must be at least 10.
        let req =
            ListPtsSceneRequest::builder().page_number(1).page_size(5).build_unchecked().unwrap();
        let err = client.send::<ListPtsScene>(req.clone()).await.unwrap_err();
        match &err {
            Error::Validation(v) => {
                assert_eq!(v.operation, "ListPtsScene");
                assert_eq!(v.field, "PageSize");
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
        assert!(!err.may_have_been_sent());
        assert_eq!(server.count(), 0);

        // The JSON path validates too.
        let err = client
            .send_json(
                pts_api::operation_meta("ListPtsScene").unwrap(),
                serde_json::json!({"PageNumber": 1, "PageSize": 5}),
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Validation(_)), "{err:?}");
        assert_eq!(server.count(), 0);

        // The explicit raw path sends it anyway.
        client.send_unchecked::<ListPtsScene>(req).await.unwrap();
        assert_eq!(server.count(), 1);
        assert_eq!(server.requests()[0].param("PageSize").as_deref(), Some("5"));
    })
    .await
}

#[tokio::test]
async fn send_json_returns_raw_json() {
    bounded(async {
        let server = Server::start(|_, _| {
            Reply::ok(r#"{"RequestId":"J1","Success":true,"Extra":{"x":[1,2]}}"#)
        })
        .await;
        let client = client_for(&server);
        let out = client
            .send_json(
                pts_api::operation_meta("GetPtsScene").unwrap(),
                serde_json::json!({"SceneId": "S 1"}),
            )
            .await
            .unwrap();
        assert_eq!(out.request_id.as_deref(), Some("J1"));
        assert_eq!(out.body["Extra"]["x"][1], 2);
        let r = &server.requests()[0];
        assert_eq!(r.param("SceneId").as_deref(), Some("S 1"));
        r.verify().unwrap();
    })
    .await
}

#[tokio::test]
async fn v1_and_v3_both_verify_with_sts_token() {
    bounded(async {
        let server = Server::start(|_, _| Reply::ok(SCENE_BODY)).await;
        for version in [SignatureVersion::V3, SignatureVersion::V1] {
            let client = sts_builder_for(&server.endpoint(), version).build().unwrap();
            client.send::<GetPtsScene>(get_scene("SC 1/é")).await.unwrap();
        }
        // A form-body operation, in both versions.
        for version in [SignatureVersion::V3, SignatureVersion::V1] {
            let client =
                builder_for(&server.endpoint()).signature_version(version).build().unwrap();
            client
                .send_json(
                    pts_api::operation_meta("ListPtsReports").unwrap(),
                    serde_json::json!({"PageNumber": 1, "PageSize": 10, "Keyword": "a b"}),
                )
                .await
                .unwrap();
        }
        let reqs = server.requests();
        assert_eq!(reqs.len(), 4);
        let v3 = reqs[0].verify().expect("v3 verifies");
        assert_eq!(v3.scheme, SignatureVersion::V3);
        assert_eq!(reqs[0].header("x-acs-credentials-provider"), Some("static_sts"));
        assert_eq!(reqs[0].header("x-acs-security-token"), Some(STS_TOKEN));
        let v1 = reqs[1].verify().expect("v1 verifies");
        assert_eq!(v1.scheme, SignatureVersion::V1);
        assert_eq!(reqs[1].param("SignatureMethod").as_deref(), Some("HMAC-SHA1"));
        assert_eq!(reqs[1].param("SceneId").as_deref(), Some("SC 1/é"));
        assert!(reqs[1].header("authorization").is_none());
        for r in &reqs[2..] {
            assert_eq!(r.param("Keyword").as_deref(), Some("a b"));
            assert!(!r.body.is_empty(), "ListPtsReports sends a form body");
            r.verify().expect("form-body request verifies");
        }
    })
    .await
}

#[tokio::test]
async fn prepare_request_is_the_exact_signed_request_and_redacts() {
    bounded(async {
        let server = Server::start(|_, _| Reply::ok(SCENE_BODY)).await;
        let client = sts_builder_for(&server.endpoint(), SignatureVersion::V1).build().unwrap();
        let prepared = client.prepare_request::<GetPtsScene>(&get_scene("SC1")).await.unwrap();
        assert_eq!(server.count(), 0, "a dry run sends nothing");
        assert_eq!(prepared.method(), "POST");
        assert!(
            prepared.url.starts_with(&format!("http://{}/?", server.endpoint())),
            "{}",
            prepared.url
        );
        assert!(prepared.url.contains("Signature="));
        let shown = format!("{prepared:?} {:?}", prepared.redacted());
        for secret in [AK_SECRET, STS_TOKEN, AK_ID] {
            assert!(!shown.contains(secret), "{secret} leaked in {shown}");
        }
        assert!(shown.contains("SceneId=SC1"), "{shown}");

        // The v3 dry run hides the signature but keeps the signed header list.
        let client = builder_for(&server.endpoint()).build().unwrap();
        let prepared = client.prepare_request::<GetPtsScene>(&get_scene("SC1")).await.unwrap();
        let auth = prepared.header("authorization").unwrap().to_string();
        let sig = auth.rsplit("Signature=").next().unwrap().to_string();
        let red = prepared.redacted();
        let red_auth = &red.headers.iter().find(|(n, _)| n == "authorization").unwrap().1;
        assert!(!red_auth.contains(&sig), "{red_auth}");
        assert!(red_auth.contains("SignedHeaders="), "{red_auth}");

        // Invalid requests are rejected before signing.
        let bad =
            ListPtsSceneRequest::builder().page_number(0).page_size(10).build_unchecked().unwrap();
        assert!(matches!(
            client.prepare_request::<ListPtsScene>(&bad).await,
            Err(Error::Validation(_))
        ));
    })
    .await
}

#[tokio::test]
async fn test_hooks_pin_nonce_and_date() {
    bounded(async {
        let server = Server::start(|_, _| Reply::ok(SCENE_BODY)).await;
        let hooks = pts_api::client::TestHooks {
            nonce: Some(std::sync::Arc::new(|| "0123456789abcdef0123456789abcdef".to_string())),
            now: Some(std::sync::Arc::new(|| {
                std::time::UNIX_EPOCH + Duration::from_secs(1_717_200_000)
            })),
        };
        let client = builder_for(&server.endpoint()).unstable_test_hooks(hooks).build().unwrap();
        let a = client.prepare_request::<GetPtsScene>(&get_scene("SC1")).await.unwrap();
        let b = client.prepare_request::<GetPtsScene>(&get_scene("SC1")).await.unwrap();
        assert_eq!(a.header("x-acs-signature-nonce"), Some("0123456789abcdef0123456789abcdef"));
        assert_eq!(a.header("x-acs-date"), Some("2024-06-01T00:00:00Z"));
        assert_eq!(a.header("authorization"), b.header("authorization"));
    })
    .await
}

#[tokio::test]
async fn endpoint_resolution_and_user_agent() {
    let c = pts_api::Client::builder().static_credentials("a", "b", None).build().unwrap();
    assert_eq!(c.endpoint(), "pts.aliyuncs.com");
    assert_eq!(c.protocol(), pts_api::client::Protocol::Https);
    assert_eq!(c.region(), "cn-hangzhou");
    let c = pts_api::Client::builder()
        .network("vpc")
        .region("cn-shanghai")
        .static_credentials("a", "b", None)
        .build()
        .unwrap();
    assert_eq!(c.endpoint(), "pts-vpc.aliyuncs.com");
    assert_eq!(c.region(), "cn-shanghai");
    let c = pts_api::Client::builder()
        .endpoint("http://127.0.0.1:9/")
        .user_agent_suffix("my-tool/1.0")
        .static_credentials("a", "b", None)
        .build()
        .unwrap();
    assert_eq!(c.endpoint(), "127.0.0.1:9");
    assert_eq!(c.protocol(), pts_api::client::Protocol::Http);
    assert!(c.user_agent().ends_with(" TeaDSL/2 my-tool/1.0"), "{}", c.user_agent());
    assert!(c.user_agent().starts_with(&format!(
        "AlibabaCloud ({}; {}) Rust/",
        std::env::consts::OS,
        std::env::consts::ARCH
    )));
}

#[tokio::test]
async fn secrets_stay_out_of_debug_and_errors() {
    let builder = builder_for("127.0.0.1:9").static_credentials(
        AK_ID,
        AK_SECRET,
        Some(STS_TOKEN.to_string()),
    );
    let client = builder.clone().build().unwrap();
    let shown = format!("{builder:?} {client:?} {builder:#?} {client:#?}");
    assert!(!shown.contains(AK_SECRET), "{shown}");
    assert!(!shown.contains(STS_TOKEN), "{shown}");
}

//! Authentication and gateway errors as the real gateway answers them: its HTTP status and a
//! body of RequestId, HostId, Code, Message and Recommend.

mod common;
mod gateway_support;

use common::{AK, SK, client_for};
use gateway_support::{Raw, send};
use pts_api::__private::wire::SignatureVersion::{self, V1, V3};
use pts_api::client::TestHooks;
use pts_api::meta::{Access, OperationMeta, ShapeMeta};
use pts_api::ops::get_all_regions::{GetAllRegions, GetAllRegionsRequest};
use pts_api::ops::get_pts_scene::{GetPtsScene, GetPtsSceneRequest};
use pts_api::{CallOptions, Client, Error};
use pts_local::{Config, Key, Server};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

fn status_code(e: &Error) -> (u16, String) {
    (e.status().unwrap_or(0), e.code().unwrap_or("").to_string())
}

async fn regions(c: &Client) -> Result<(), Error> {
    c.send::<GetAllRegions>(GetAllRegionsRequest::builder().build().unwrap()).await.map(|_| ())
}

fn hooked(endpoint: &str, v: SignatureVersion, hooks: TestHooks) -> Client {
    Client::builder()
        .endpoint(endpoint)
        .protocol(pts_api::client::Protocol::Http)
        .env_proxy(false)
        .static_credentials(AK, SK, None)
        .signature_version(v)
        .retry_policy(pts_api::RetryPolicy::disabled())
        .unstable_test_hooks(hooks)
        .build()
        .unwrap()
}

#[tokio::test]
async fn signatures_keys_timestamps_nonces_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let keys =
        vec![Key::new(AK, SK), Key::sts("STS.Temp001", "StsSecret", "CAIS+token/with=chars")];
    let server = Server::start(Config::new(dir.path()).with_keys(keys)).await.unwrap();
    let ep = server.endpoint();

    for v in [V3, V1] {
        regions(&client_for(&ep, AK, SK, None, v)).await.unwrap();
        let bad = regions(&client_for(&ep, AK, "wrong", None, v)).await.unwrap_err();
        assert_eq!(status_code(&bad), (400, "SignatureDoesNotMatch".into()), "{v:?}");
        let unknown = regions(&client_for(&ep, "LTAI5tUnknown", SK, None, v)).await.unwrap_err();
        assert_eq!(status_code(&unknown), (404, "InvalidAccessKeyId.NotFound".into()));

        // STS: the token bound to the temporary key is required and must match.
        regions(&client_for(&ep, "STS.Temp001", "StsSecret", Some("CAIS+token/with=chars"), v))
            .await
            .unwrap();
        let wrong = regions(&client_for(&ep, "STS.Temp001", "StsSecret", Some("other"), v))
            .await
            .unwrap_err();
        assert_eq!(status_code(&wrong), (400, "InvalidSecurityToken.MismatchWithAccessKey".into()));
        let missing =
            regions(&client_for(&ep, "STS.Temp001", "StsSecret", None, v)).await.unwrap_err();
        assert_eq!(status_code(&missing), (400, "MissingSecurityToken".into()));
        let on_ak = regions(&client_for(&ep, AK, SK, Some("tok"), v)).await.unwrap_err();
        assert_eq!(status_code(&on_ak), (400, "InvalidSecurityToken.MismatchWithAccessKey".into()));

        // A date 20 minutes off is outside the 15-minute window.
        let old = TestHooks {
            now: Some(Arc::new(|| SystemTime::now() - Duration::from_secs(1200))),
            nonce: None,
        };
        let e = regions(&hooked(&ep, v, old)).await.unwrap_err();
        assert_eq!(status_code(&e), (400, "InvalidTimeStamp.Expired".into()));
        let ahead = TestHooks {
            now: Some(Arc::new(|| SystemTime::now() + Duration::from_secs(1200))),
            nonce: None,
        };
        assert_eq!(
            status_code(&regions(&hooked(&ep, v, ahead)).await.unwrap_err()).1,
            "InvalidTimeStamp.Expired"
        );

        // A nonce is accepted once.
        let nonce = format!("fixed-nonce-{v:?}");
        let fixed = TestHooks { nonce: Some(Arc::new(move || nonce.clone())), now: None };
        let c = hooked(&ep, v, fixed);
        regions(&c).await.unwrap();
        assert_eq!(
            status_code(&regions(&c).await.unwrap_err()),
            (400, "SignatureNonceUsed".into())
        );
    }

    // Unknown action (signed correctly) and wrong version.
    static NO_SUCH: OperationMeta = OperationMeta {
        name: "NoSuchAction",
        purpose: None,
        access: Access::Read,
        paging: None,
        params: &[],
        response: &ShapeMeta::OBJECT,
        error_codes: &[],
    };
    let c = client_for(&ep, AK, SK, None, V3);
    let e = c.send_json_unchecked(&NO_SUCH, json!({}), &CallOptions::default()).await.unwrap_err();
    assert_eq!(status_code(&e), (404, "InvalidAction.NotFound".into()));
    let unsigned = || Raw::unsigned(&ep).header("x-acs-action", "GetAllRegions");
    let (status, body) = send(&ep, &unsigned().header("x-acs-version", "2019-01-01")).await;
    assert_eq!((status, body["Code"].as_str()), (400, Some("InvalidVersion")));
    assert_eq!(body["HostId"], json!(ep));
    assert!(body["Recommend"].as_str().unwrap().contains("InvalidVersion"));
    let (status, body) = send(&ep, &unsigned().header("x-acs-version", "2020-10-20")).await;
    assert_eq!((status, body["Code"].as_str()), (400, Some("MissingSignature")));
    let (status, body) = send(&ep, &Raw::unsigned(&ep).header("x-acs-version", "2020-10-20")).await;
    assert_eq!((status, body["Code"].as_str()), (400, Some("MissingAction")));

    // Validation failures carry the client's own message.
    let e = c
        .send_json_unchecked(GetPtsScene::meta_ref(), json!({}), &CallOptions::default())
        .await
        .unwrap_err();
    assert_eq!(status_code(&e), (400, "MissingParameter".into()));
    assert_eq!(e.message(), Some("GetPtsScene: parameter SceneId is required"));
    server.shutdown().await;
}

trait MetaRef {
    fn meta_ref() -> &'static OperationMeta;
}
impl<O: pts_api::Operation> MetaRef for O {
    fn meta_ref() -> &'static OperationMeta {
        O::meta()
    }
}

#[tokio::test]
async fn nonce_memory_is_capped_and_replays_stay_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(dir.path()).with_keys(vec![Key::new(AK, SK)]);
    config.nonce_capacity = 50;
    let server = Server::start(config).await.unwrap();
    let ep = server.endpoint();
    // A captured request replayed byte for byte keeps its date: same nonce, same timestamp.
    let t0 = SystemTime::now();
    let first = TestHooks {
        nonce: Some(Arc::new(|| "replayed-later".to_string())),
        now: Some(Arc::new(move || t0)),
    };
    regions(&hooked(&ep, V3, first.clone())).await.unwrap();
    let c = client_for(&ep, AK, SK, None, V3);
    // 4 x 30 requests over ~4 s: older seconds are evicted whole, every request succeeds.
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(1050)).await;
        for _ in 0..30 {
            regions(&c).await.unwrap();
        }
    }
    assert!(server.remembered_nonces() <= 50, "{} nonces kept", server.remembered_nonces());
    // The evicted nonce was signed no later than the eviction horizon: still refused.
    let e = regions(&hooked(&ep, V3, first)).await.unwrap_err();
    assert_eq!(status_code(&e), (400, "InvalidTimeStamp.Expired".into()));
    // More requests within one second than the cap holds: the excess is throttled.
    let mut throttled = 0;
    for _ in 0..120 {
        if let Err(e) = regions(&c).await {
            assert_eq!(status_code(&e), (400, "Throttling.User".into()));
            throttled += 1;
        }
    }
    assert!(throttled > 0);
    server.shutdown().await;
}

#[tokio::test]
async fn errors_in_body_mode_answers_200_with_success_false() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(dir.path()).with_keys(vec![Key::new(AK, SK)]);
    config.errors_in_body = true;
    let server = Server::start(config).await.unwrap();
    let c = client_for(&server.endpoint(), AK, SK, None, V3);
    let e = c
        .send::<GetPtsScene>(GetPtsSceneRequest::builder().scene_id("NOSUCHID").build().unwrap())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Api(_)), "{e:?}");
    assert_eq!(e.code(), Some("GetPtsSceneFail"));
    server.shutdown().await;
}

#[tokio::test]
async fn generated_key_is_persisted_private_and_profile_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(Config::new(dir.path())).await.unwrap();
    assert!(server.key_created());
    let key = server.credentials().clone();
    assert!(!format!("{key:?}").contains(&key.access_key_secret), "Debug hides the secret");
    let creds = dir.path().join("credentials.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&creds).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let profile = dir.path().join("config.json");
    server.write_profile(Some(&profile)).unwrap();
    let v: Value = serde_json::from_slice(&std::fs::read(&profile).unwrap()).unwrap();
    assert_eq!(v["profiles"]["local"]["endpoint"], json!(server.endpoint()));
    assert_eq!(v["profiles"]["local"]["access_key_id"], json!(key.access_key_id));
    let c = client_for(&server.endpoint(), &key.access_key_id, &key.access_key_secret, None, V3);
    regions(&c).await.unwrap();
    server.shutdown().await;
    let again = Server::start(Config::new(dir.path())).await.unwrap();
    assert!(!again.key_created());
    assert_eq!(again.credentials(), &key);
    again.shutdown().await;
}

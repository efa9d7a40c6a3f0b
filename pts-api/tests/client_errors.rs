//! The client's error model against loopback servers: service errors (JSON and XML), `Success:
//! false` inside an HTTP 200, undecodable bodies, and failures before or during sending
//! (credentials, timeouts, refused connections), each typed and never sending what it
//! should not.

mod client_support;

use client_support::*;
use pts_api::error::TimeoutPhase;
use pts_api::ops::get_pts_scene::{GetPtsScene, GetPtsSceneRequest};
use pts_api::ops::start_pts_scene::{StartPtsScene, StartPtsSceneRequest};
use pts_api::{Error, RetryPolicy};
use std::time::Duration;

fn get_scene(id: &str) -> GetPtsSceneRequest {
    GetPtsSceneRequest::builder().scene_id(id).build().unwrap()
}

#[tokio::test]
async fn service_error_json_is_parsed_and_displayed() {
    bounded(async {
        let server = Server::start(|_, _| {
            Reply::json(
                403,
                r#"{"RequestId":"RID-403","HostId":"pts.aliyuncs.com","Code":"SceneNotExist","Message":"The scene does not exist.","Recommend":"https://api.aliyun.com/troubleshoot?q=SceneNotExist"}"#,
            )
        })
        .await;
        let client = client_for(&server);
        let err = client.send::<GetPtsScene>(get_scene("nope")).await.unwrap_err();
        let Error::Service(se) = &err else { panic!("expected Service, got {err:?}") };
        assert_eq!(se.status, 403);
        assert_eq!(se.code.as_deref(), Some("SceneNotExist"));
        assert_eq!(se.message.as_deref(), Some("The scene does not exist."));
        assert_eq!(se.request_id.as_deref(), Some("RID-403"));
        assert_eq!(se.host_id.as_deref(), Some("pts.aliyuncs.com"));
        assert!(se.recommend.as_deref().unwrap().contains("SceneNotExist"));
        assert!(String::from_utf8_lossy(&se.raw).contains("\"HostId\""));
        let text = err.to_string();
        assert!(text.contains("SceneNotExist"), "{text}");
        assert!(text.contains("The scene does not exist."), "{text}");
        assert!(text.contains("RID-403"), "{text}");
        assert_eq!(err.code(), Some("SceneNotExist"));
        assert_eq!(err.request_id(), Some("RID-403"));
        // 403, but a missing object, not an authorization failure.
        assert!(!err.is_authorization());
        assert!(err.is_not_found());
        assert!(!err.is_retryable());
        assert!(!err.is_throttling());
        assert_eq!(server.count(), 1, "a business error is not retried");
    })
    .await
}

#[tokio::test]
async fn service_error_lower_case_json_and_xml() {
    bounded(async {
        let server = Server::start(|_, i| match i {
            0 => Reply::json(404, r#"{"requestId":"r-lower","code":"InvalidAccessKeyId.NotFound","message":"Specified access key is not found."}"#),
            _ => Reply::xml(
                400,
                "<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>r-xml</RequestId><HostId>pts.aliyuncs.com</HostId><Code>SignatureDoesNotMatch</Code><Message>Specified signature is not matched with our calculation.</Message><Recommend><![CDATA[https://x/y?a=1&b=2]]></Recommend></Error>",
            ),
        })
        .await;
        let client = client_for(&server);
        let err = client.send::<GetPtsScene>(get_scene("a")).await.unwrap_err();
        assert_eq!(err.code(), Some("InvalidAccessKeyId.NotFound"));
        assert_eq!(err.request_id(), Some("r-lower"));
        assert_eq!(err.status(), Some(404));
        assert!(err.is_authorization(), "classified by code");
        assert!(!err.is_not_found(), "an unknown key is an authorization failure, not a missing object");

        let err = client.send::<GetPtsScene>(get_scene("a")).await.unwrap_err();
        let Error::Service(se) = &err else { panic!("{err:?}") };
        assert_eq!(se.code.as_deref(), Some("SignatureDoesNotMatch"));
        assert_eq!(se.message.as_deref(), Some("Specified signature is not matched with our calculation."));
        assert_eq!(se.request_id.as_deref(), Some("r-xml"));
        assert_eq!(se.host_id.as_deref(), Some("pts.aliyuncs.com"));
        assert_eq!(se.recommend.as_deref(), Some("https://x/y?a=1&b=2"));
        assert!(err.is_authorization());
        let text = err.to_string();
        assert!(text.contains("SignatureDoesNotMatch") && text.contains("r-xml"), "{text}");
    })
    .await
}

#[tokio::test]
async fn success_false_in_200_is_an_api_error() {
    bounded(async {
        let server = Server::start(|_, _| {
            Reply::ok(r#"{"RequestId":"RID-4001","Success":false,"Code":"4001","Message":"scene not found","HttpStatusCode":404}"#)
        })
        .await;
        let client = client_for(&server);
        let err = client.send::<GetPtsScene>(get_scene("x")).await.unwrap_err();
        let Error::Api(api) = &err else { panic!("expected Api, got {err:?}") };
        assert_eq!(api.status, 200);
        assert_eq!(api.code.as_deref(), Some("4001"));
        assert_eq!(api.http_status_code, Some(404));
        assert_eq!(api.request_id.as_deref(), Some("RID-4001"));
        let text = err.to_string();
        assert!(text.contains("4001") && text.contains("scene not found") && text.contains("RID-4001"), "{text}");

        // Same classification on the JSON path.
        let err = client
            .send_json(pts_api::operation_meta("GetPtsScene").unwrap(), serde_json::json!({"SceneId": "x"}))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Api(_)), "{err:?}");
        assert_eq!(err.code(), Some("4001"));
    })
    .await
}

#[tokio::test]
async fn undecodable_body_keeps_raw_bytes() {
    bounded(async {
        let server = Server::start(|_, _| Reply::ok("<html>gateway</html>")).await;
        let client = client_for(&server);
        let err = client.send::<GetPtsScene>(get_scene("x")).await.unwrap_err();
        let Error::Decode(d) = &err else { panic!("{err:?}") };
        assert_eq!(d.raw, b"<html>gateway</html>");
        assert!(err.to_string().contains("gateway"));
    })
    .await
}

#[tokio::test]
async fn credentials_failure_sends_nothing() {
    use pts_api::credentials::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
    struct NoCredentials;
    impl ProvideCredentials for NoCredentials {
        fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            Box::pin(async {
                Err(CredentialsError::NotFound { tried: vec![("env".into(), "not set".into())] })
            })
        }
        fn name(&self) -> &'static str {
            "none"
        }
    }
    bounded(async {
        let server = Server::start(|_, _| Reply::ok(SCENE_BODY)).await;
        let client = builder_for(&server.endpoint())
            .credentials_provider(std::sync::Arc::new(NoCredentials))
            .build()
            .unwrap();
        let err = client.send::<GetPtsScene>(get_scene("SC1")).await.unwrap_err();
        assert!(matches!(err, Error::Credentials(CredentialsError::NotFound { .. })), "{err:?}");
        assert!(!err.is_retryable());
        assert!(err.to_string().contains("env"), "{err}");
        assert_eq!(server.count(), 0);
    })
    .await
}

#[tokio::test]
async fn read_timeout_is_a_timeout_error() {
    bounded(async {
        let server =
            Server::start(|_, _| Reply::ok(SCENE_BODY).delay(Duration::from_millis(800))).await;
        let client = builder_for(&server.endpoint())
            .read_timeout(Duration::from_millis(200))
            .retry_policy(RetryPolicy::disabled())
            .build()
            .unwrap();
        let err = client.send::<GetPtsScene>(get_scene("SC1")).await.unwrap_err();
        assert!(matches!(err, Error::Timeout { phase: TimeoutPhase::Response, .. }), "{err:?}");
        assert!(err.is_retryable());
        assert!(err.may_have_been_sent());
    })
    .await
}

#[tokio::test]
async fn connection_refused_is_transport_not_sent() {
    bounded(async {
        let dead = closed_port().await;
        let client =
            builder_for(&dead.to_string()).retry_policy(RetryPolicy::disabled()).build().unwrap();
        let err = client
            .send::<StartPtsScene>(StartPtsSceneRequest::builder().scene_id("S").build().unwrap())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Transport { sent: false, .. }), "{err:?}");
        assert!(!err.may_have_been_sent());
        assert!(err.to_string().contains("not sent"), "{err}");
    })
    .await
}

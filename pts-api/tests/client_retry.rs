//! Retry behaviour: which errors are retried for which operations, the retry headers, and
//! the waits.

mod client_support;

use client_support::*;
use pts_api::__private::wire::SignatureVersion;
use pts_api::client::CallOptions;
use pts_api::ops::get_pts_scene::{GetPtsScene, GetPtsSceneRequest};
use pts_api::ops::list_envs::{ListEnvs, ListEnvsRequest};
use pts_api::ops::start_pts_scene::{StartPtsScene, StartPtsSceneRequest};
use pts_api::{Error, RetryPolicy};
use std::time::{Duration, Instant};

const THROTTLED: &str = r#"{"RequestId":"T-1","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#;

fn get_scene() -> GetPtsSceneRequest {
    GetPtsSceneRequest::builder().scene_id("SC1").build().unwrap()
}

fn start_scene() -> StartPtsSceneRequest {
    StartPtsSceneRequest::builder().scene_id("SC1").build().unwrap()
}

const STARTED: &str = r#"{"RequestId":"S-1","Success":true,"PlanId":"P1"}"#;

#[tokio::test]
async fn throttling_as_400_is_retried_with_retry_headers() {
    bounded(async {
        let server =
            Server::start(
                |_, i| if i < 2 { Reply::json(400, THROTTLED) } else { Reply::ok(SCENE_BODY) },
            )
            .await;
        for version in [SignatureVersion::V3, SignatureVersion::V1] {
            let before = server.count();
            let client =
                builder_for(&server.endpoint()).signature_version(version).build().unwrap();
            let out = client.send::<GetPtsScene>(get_scene()).await.unwrap();
            let reqs = &server.requests()[before..];
            if version == SignatureVersion::V3 {
                assert_eq!(out.attempts, 3);
                assert_eq!(reqs.len(), 3);
                assert!(reqs[0].header("x-acs-retry-attempts").is_none());
                assert!(reqs[0].header("x-acs-retry-delay").is_none());
                assert_eq!(reqs[1].header("x-acs-retry-attempts"), Some("1"));
                assert_eq!(reqs[1].header("x-acs-retry-delay"), Some("20"));
                assert_eq!(reqs[2].header("x-acs-retry-attempts"), Some("2"));
                assert_eq!(reqs[2].header("x-acs-retry-delay"), Some("40"));
                // Signed in v3, with a fresh nonce and a valid signature every time.
                for r in reqs {
                    r.verify().expect("every attempt verifies");
                }
                assert!(reqs[1].header("authorization").unwrap().contains("x-acs-retry-attempts"));
                let nonces: std::collections::HashSet<_> = reqs
                    .iter()
                    .map(|r| r.header("x-acs-signature-nonce").unwrap().to_string())
                    .collect();
                assert_eq!(nonces.len(), 3);
                assert!(reqs[1].at.duration_since(reqs[0].at) >= Duration::from_millis(20));
            } else {
                // The server now always succeeds: one attempt.
                assert_eq!(out.attempts, 1);
                assert_eq!(reqs.len(), 1);
            }
        }
    })
    .await
}

#[tokio::test]
async fn retry_headers_in_v1_and_signature_still_verifies() {
    bounded(async {
        let server = Server::start(|_, i| {
            if i == 0 {
                Reply::json(503, r#"{"Code":"ServiceUnavailable","Message":"busy"}"#)
            } else {
                Reply::ok(SCENE_BODY)
            }
        })
        .await;
        let client = builder_for(&server.endpoint())
            .signature_version(SignatureVersion::V1)
            .build()
            .unwrap();
        let out = client.send::<GetPtsScene>(get_scene()).await.unwrap();
        assert_eq!(out.attempts, 2);
        let reqs = server.requests();
        assert_eq!(reqs[1].header("x-acs-retry-attempts"), Some("1"));
        assert_eq!(reqs[1].header("x-acs-retry-delay"), Some("20"));
        assert_ne!(reqs[0].param("SignatureNonce"), reqs[1].param("SignatureNonce"));
        for r in &reqs {
            r.verify().expect("v1 attempt verifies");
        }
    })
    .await
}

#[tokio::test]
async fn business_error_as_503_is_not_retried() {
    bounded(async {
        let server = Server::start(|_, _| {
            Reply::json(503, r#"{"RequestId":"E-1","Code":"EnvNotExist","Message":"The environment does not exist."}"#)
        })
        .await;
        let client = client_for(&server);
        let req = ListEnvsRequest::builder().page_number(1).page_size(10).build().unwrap();
        let err = client.send::<ListEnvs>(req).await.unwrap_err();
        assert_eq!(err.code(), Some("EnvNotExist"));
        assert_eq!(err.status(), Some(503));
        assert!(!err.is_retryable());
        assert!(err.is_not_found());
        assert_eq!(server.count(), 1);
    })
    .await
}

#[tokio::test]
async fn retry_after_header_is_honoured() {
    bounded(async {
        let server = Server::start(|_, i| {
            if i == 0 {
                Reply::json(429, r#"{"Code":"Throttling","Message":"slow down"}"#)
                    .header("x-acs-retry-after", "300")
            } else {
                Reply::ok(SCENE_BODY)
            }
        })
        .await;
        let client = client_for(&server);
        let start = Instant::now();
        let out = client.send::<GetPtsScene>(get_scene()).await.unwrap();
        assert_eq!(out.attempts, 2);
        let reqs = server.requests();
        assert!(reqs[1].at.duration_since(reqs[0].at) >= Duration::from_millis(300));
        assert_eq!(reqs[1].header("x-acs-retry-delay"), Some("300"));
        assert!(start.elapsed() < Duration::from_secs(5));

        // Capped by max_delay.
        let server = Server::start(|_, i| {
            if i == 0 {
                Reply::json(429, r#"{"Code":"Throttling"}"#).header("x-acs-retry-after", "60000")
            } else {
                Reply::ok(SCENE_BODY)
            }
        })
        .await;
        let client = builder_for(&server.endpoint())
            .retry_policy(fast_retry().max_delay(Duration::from_millis(100)))
            .build()
            .unwrap();
        client.send::<GetPtsScene>(get_scene()).await.unwrap();
        assert_eq!(server.requests()[1].header("x-acs-retry-delay"), Some("100"));
    })
    .await
}

#[tokio::test]
async fn retry_after_error_is_throttling() {
    bounded(async {
        let server = Server::start(|_, _| {
            Reply::json(429, r#"{"Code":"Throttling.Api","Message":"slow"}"#)
                .header("x-acs-retry-after", "10")
        })
        .await;
        let client =
            builder_for(&server.endpoint()).retry_policy(RetryPolicy::disabled()).build().unwrap();
        let err = client.send::<GetPtsScene>(get_scene()).await.unwrap_err();
        assert!(err.is_throttling());
        assert!(err.is_retryable());
        assert_eq!(err.retry_after(), Some(Duration::from_millis(10)));
        assert_eq!(server.count(), 1);
    })
    .await
}

#[tokio::test]
async fn mutating_op_is_not_retried_after_500_unless_opted_in() {
    bounded(async {
        let server = Server::start(|r, _| {
            if r.header("x-acs-retry-attempts").is_none() {
                Reply::json(500, r#"{"RequestId":"I-1","Code":"InternalError","Message":"oops"}"#)
            } else {
                Reply::ok(STARTED)
            }
        })
        .await;
        // Default policy: one attempt for a mutating call that may have been received.
        let client = client_for(&server);
        let err = client.send::<StartPtsScene>(start_scene()).await.unwrap_err();
        assert_eq!(err.code(), Some("InternalError"));
        assert!(err.is_retryable(), "transient by nature");
        assert_eq!(server.count(), 1, "but not retried: StartPtsScene may have run");

        // The same error on a read is retried.
        let server_reads = server.count();
        let _ = client.send::<GetPtsScene>(get_scene()).await;
        assert_eq!(server.count() - server_reads, 2);

        // Per-call opt-in.
        let before = server.count();
        let out = client
            .send_with::<StartPtsScene>(
                start_scene(),
                &CallOptions::default().retry_mutations(true),
            )
            .await
            .unwrap();
        assert_eq!(out.attempts, 2);
        assert_eq!(out.body.plan_id.as_deref(), Some("P1"));
        assert_eq!(server.count() - before, 2);

        // Client-wide opt-in.
        let client = builder_for(&server.endpoint())
            .retry_policy(fast_retry().retry_mutations(true))
            .build()
            .unwrap();
        let out = client.send::<StartPtsScene>(start_scene()).await.unwrap();
        assert_eq!(out.attempts, 2);
    })
    .await
}

#[tokio::test]
async fn connection_refused_on_mutating_op_is_retried() {
    bounded(async {
        // Nothing listens on the port for the first attempt; the server comes up during the
        // backoff, so the retry succeeds and the server sees exactly one request.
        let addr = closed_port().await;
        let client = builder_for(&addr.to_string())
            .retry_policy(fast_retry().base_delay(Duration::from_millis(400)))
            .build()
            .unwrap();
        let call = tokio::spawn(async move { client.send::<StartPtsScene>(start_scene()).await });
        tokio::time::sleep(Duration::from_millis(100)).await;
        let listener = tokio::net::TcpListener::bind(addr).await.expect("rebind the port");
        let server = Server::serve(listener, |_, _| Reply::ok(STARTED));
        let out = call.await.unwrap().expect("the retry reaches the server");
        assert_eq!(out.attempts, 2);
        assert_eq!(server.count(), 1);
        assert_eq!(server.requests()[0].header("x-acs-retry-attempts"), Some("1"));
    })
    .await
}

#[tokio::test]
async fn attempts_are_bounded() {
    bounded(async {
        let server = Server::start(|_, _| {
            Reply::json(503, r#"{"Code":"ServiceUnavailable","Message":"down"}"#)
        })
        .await;
        let client = builder_for(&server.endpoint())
            .retry_policy(fast_retry().max_attempts(4))
            .build()
            .unwrap();
        let err = client.send::<GetPtsScene>(get_scene()).await.unwrap_err();
        assert_eq!(err.code(), Some("ServiceUnavailable"));
        assert_eq!(server.count(), 4);

        // Default policy: 3 attempts.
        let before = server.count();
        let client = client_for(&server);
        client.send::<GetPtsScene>(get_scene()).await.unwrap_err();
        assert_eq!(server.count() - before, 3);

        // Disabled: 1.
        let before = server.count();
        let client =
            builder_for(&server.endpoint()).retry_policy(RetryPolicy::disabled()).build().unwrap();
        client.send::<GetPtsScene>(get_scene()).await.unwrap_err();
        assert_eq!(server.count() - before, 1);

        // max_total stops retries whose wait would not fit.
        let before = server.count();
        let client = builder_for(&server.endpoint())
            .retry_policy(
                fast_retry()
                    .max_attempts(10)
                    .base_delay(Duration::from_millis(200))
                    .max_total(Duration::from_millis(500)),
            )
            .build()
            .unwrap();
        client.send::<GetPtsScene>(get_scene()).await.unwrap_err();
        // waits 200 (total ~200) then 400 (would reach ~600 > 500): 2 attempts.
        assert_eq!(server.count() - before, 2);
    })
    .await
}

#[tokio::test]
async fn connection_refused_read_is_retried_and_bounded() {
    bounded(async {
        let addr = closed_port().await;
        let client = builder_for(&addr.to_string()).build().unwrap();
        let start = Instant::now();
        let err = client.send::<GetPtsScene>(get_scene()).await.unwrap_err();
        assert!(matches!(err, Error::Transport { sent: false, .. }), "{err:?}");
        // Two waits of 20 and 40 ms.
        assert!(start.elapsed() >= Duration::from_millis(60));
    })
    .await
}

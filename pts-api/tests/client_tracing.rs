//! The client's tracing output: call fields present, secrets absent. In its own test binary:
//! a scoped subscriber and tests calling the client on other threads at the same time race
//! over tracing's global callsite interest, and the call's span can be missed.

mod client_support;

use client_support::*;
use pts_api::__private::wire::SignatureVersion;
use pts_api::RetryPolicy;
use pts_api::ops::get_pts_scene::{GetPtsScene, GetPtsSceneRequest};

fn get_scene(id: &str) -> GetPtsSceneRequest {
    GetPtsSceneRequest::builder().scene_id(id).build().unwrap()
}

#[tokio::test]
async fn tracing_output_has_call_fields_and_no_secret() {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    bounded(async {
        let server = Server::start(|_, i| match i {
            0 => Reply::json(400, r#"{"RequestId":"T-1","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#),
            _ => Reply::ok(SCENE_BODY),
        })
        .await;
        for version in [SignatureVersion::V3, SignatureVersion::V1] {
            let client = sts_builder_for(&server.endpoint(), version)
                .build()
                .unwrap();
            client.send::<GetPtsScene>(get_scene("SC1")).await.unwrap();
            let _ = client.prepare_request::<GetPtsScene>(&get_scene("SC1")).await.unwrap();
        }
        // An error path too (connection refused).
        let dead = closed_port().await;
        let client = sts_builder_for(&dead.to_string(), SignatureVersion::V1)
            .retry_policy(RetryPolicy::disabled())
            .build()
            .unwrap();
        let err = client.send::<GetPtsScene>(get_scene("SC1")).await.unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(!text.contains(STS_TOKEN) && !text.contains(AK_SECRET), "{text}");
        assert!(!text.contains("Signature="), "the signed URL must not appear in errors: {text}");
    })
    .await;

    let out = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert!(out.contains("pts_call"), "{out}");
    assert!(
        out.contains("operation=\"GetPtsScene\"") || out.contains("operation=GetPtsScene"),
        "{out}"
    );
    assert!(out.contains("request_id"), "{out}");
    assert!(out.contains("http_status=200"), "{out}");
    assert!(out.contains("attempt=2"), "{out}");
    assert!(out.contains("duration_ms"), "{out}");
    for secret in [AK_SECRET, STS_TOKEN] {
        assert!(!out.contains(secret), "{secret} leaked into tracing output:\n{out}");
    }
    assert!(!out.to_ascii_lowercase().contains("authorization:"), "{out}");
    assert!(!out.contains("ACS3-HMAC-SHA256 Credential"), "{out}");
}

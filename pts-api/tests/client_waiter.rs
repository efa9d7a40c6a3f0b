//! Waiters against a fake server whose status advances with every poll.

mod client_support;

use client_support::*;
use pts_api::shapes::jmeter_scene_status::JMeterSceneStatus;
use pts_api::shapes::pts_runtime_status::PtsRuntimeStatus;
use pts_api::waiter::ReportStatus;
use pts_api::{WaitConfig, WaitError};
use std::time::Duration;

fn fast() -> WaitConfig {
    WaitConfig::default()
        .poll_interval(Duration::from_millis(10))
        .backoff(1.0)
        .max_interval(Duration::from_millis(10))
        .timeout(Duration::from_secs(5))
}

/// Answers GetPtsSceneRunningStatus with `statuses[i]` on poll `i` (the last one repeats).
async fn status_server(statuses: &'static [&'static str]) -> Server {
    Server::start(move |r, i| {
        assert_eq!(r.action().as_deref(), Some("GetPtsSceneRunningStatus"));
        let s = statuses[i.min(statuses.len() - 1)];
        Reply::ok(format!(
            r#"{{"RequestId":"poll-{i}","Success":true,"Status":"{s}","SceneName":"demo"}}"#
        ))
    })
    .await
}

#[tokio::test]
async fn pts_running_success_path() {
    bounded(async {
        let server = status_server(&["CREATED", "SYNCING", "PREPARING", "READY", "RUNNING"]).await;
        let client = client_for(&server);
        let out = client.wait_pts_run_started("SC1", "P1", &fast()).await.unwrap();
        assert_eq!(out.final_status, PtsRuntimeStatus::Running);
        assert_eq!(out.attempts, 5);
        let seen: Vec<_> = out.observed.iter().map(|o| o.status.to_string()).collect();
        assert_eq!(seen, ["CREATED", "SYNCING", "PREPARING", "READY", "RUNNING"]);
        assert!(out.observed.windows(2).all(|w| w[0].elapsed <= w[1].elapsed));
        assert_eq!(out.response.request_id.as_deref(), Some("poll-4"));
        assert_eq!(server.count(), 5);
    })
    .await
}

#[tokio::test]
async fn pts_running_fails_on_stopped_before_running() {
    bounded(async {
        let server = status_server(&["CREATED", "SYNCING", "STOPPING", "STOPPED"]).await;
        let client = client_for(&server);
        let err = client.wait_pts_run_started("SC1", "P1", &fast()).await.unwrap_err();
        match &err {
            WaitError::Failed { status, observed, attempts, .. } => {
                assert_eq!(status.as_ref(), Some(&PtsRuntimeStatus::Stopping));
                assert_eq!(observed.len(), 3);
                assert_eq!(*attempts, 3);
            }
            other => panic!("expected Failed, got {other:?}"),
        }
        let text = err.to_string();
        assert!(text.contains("STOPPING") && text.contains("CREATED"), "{text}");
        assert_eq!(server.count(), 3, "no poll after the failure state");
    })
    .await
}

/// The previous run's STOPPED right after a start: the new plan has no report yet, so the
/// wait goes on until the new run is RUNNING; a plan that has ended is the new run's end.
#[tokio::test]
async fn pts_start_waits_through_a_stale_stopped() {
    bounded(async {
        let plan_has_report = |ended: bool| {
            move |r: &Recorded, _: usize| -> Option<Reply> {
                (r.action().as_deref() == Some("GetPtsSceneRunningData")).then(|| {
                    Reply::ok(format!(r#"{{"RequestId":"d","Success":true,"HasReport":{ended}}}"#))
                })
            }
        };
        let statuses = ["STOPPED", "STOPPED", "PREPARING", "RUNNING"];
        let polls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let p2 = polls.clone();
        let stale = plan_has_report(false);
        let server = Server::start(move |r, i| {
            if let Some(reply) = stale(r, i) {
                return reply;
            }
            let n = p2.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let s = statuses[n.min(statuses.len() - 1)];
            Reply::ok(format!(r#"{{"RequestId":"s","Success":true,"Status":"{s}"}}"#))
        })
        .await;
        let client = client_for(&server);
        let out = client.wait_pts_run_started("SC1", "P2", &fast()).await.unwrap();
        assert_eq!(out.final_status, PtsRuntimeStatus::Running);
        let seen: Vec<_> = out.observed.iter().map(|o| o.status.to_string()).collect();
        assert_eq!(seen, ["STOPPED", "STOPPED", "PREPARING", "RUNNING"]);

        let ended = plan_has_report(true);
        let server = Server::start(move |r, i| {
            ended(r, i).unwrap_or_else(|| {
                Reply::ok(r#"{"RequestId":"s","Success":true,"Status":"STOPPED"}"#)
            })
        })
        .await;
        let client = client_for(&server);
        let err = client.wait_pts_run_started("SC1", "P2", &fast()).await.unwrap_err();
        let WaitError::Failed { status, attempts, .. } = &err else { panic!("{err:?}") };
        assert_eq!(status.as_ref(), Some(&PtsRuntimeStatus::Stopped));
        assert_eq!(*attempts, 1, "the new plan's own end, at once");
    })
    .await
}

#[tokio::test]
async fn pts_running_fails_on_success_false() {
    bounded(async {
        let server = Server::start(|_, i| {
            if i == 0 {
                Reply::ok(r#"{"RequestId":"a","Success":true,"Status":"CREATED"}"#)
            } else {
                Reply::ok(r#"{"RequestId":"b","Success":false,"Code":"GetPtsSceneRunningStatusFail","Message":"engine lost"}"#)
            }
        })
        .await;
        let client = client_for(&server);
        let err = client.wait_pts_run_started("SC1", "P1", &fast()).await.unwrap_err();
        let WaitError::Failed { status, reason, error, .. } = &err else { panic!("{err:?}") };
        assert_eq!(status.as_ref(), Some(&PtsRuntimeStatus::Created), "the last status seen");
        assert!(reason.contains("engine lost"), "{reason}");
        assert_eq!(error.as_ref().unwrap().code(), Some("GetPtsSceneRunningStatusFail"));
    })
    .await
}

#[tokio::test]
async fn pts_running_times_out_with_observed_statuses() {
    bounded(async {
        let server = status_server(&["CREATED", "SYNCING"]).await;
        let client = client_for(&server);
        let cfg = fast()
            .timeout(Duration::from_millis(200))
            .poll_interval(Duration::from_millis(20))
            .max_interval(Duration::from_millis(40))
            .backoff(2.0);
        let started = std::time::Instant::now();
        let err = client.wait_pts_run_started("SC1", "P1", &cfg).await.unwrap_err();
        let elapsed = started.elapsed();
        let WaitError::Timeout { waited, observed, attempts } = &err else { panic!("{err:?}") };
        assert!(*waited >= Duration::from_millis(200), "{waited:?}");
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
        // The last poll may have been cut short by the deadline.
        assert!(observed.len() as u32 == *attempts || observed.len() as u32 + 1 == *attempts);
        assert!(observed.len() >= 4, "{observed:?}");
        assert_eq!(observed[0].status, PtsRuntimeStatus::Created);
        assert!(observed[1..].iter().all(|o| o.status == PtsRuntimeStatus::Syncing));
        let text = err.to_string();
        assert!(text.contains("timed out") && text.contains("SYNCING x"), "{text}");
    })
    .await
}

#[tokio::test]
async fn pts_stopped_waits_through_stopping() {
    bounded(async {
        let server = status_server(&["RUNNING", "STOPPING", "STOPPED"]).await;
        let client = client_for(&server);
        let out = client.wait_pts_scene_stopped("SC1", &fast()).await.unwrap();
        assert_eq!(out.final_status, PtsRuntimeStatus::Stopped);
        assert_eq!(out.attempts, 3);
    })
    .await
}

#[tokio::test]
async fn unknown_scene_is_a_call_error() {
    bounded(async {
        let server = Server::start(|_, _| {
            Reply::json(403, r#"{"RequestId":"x","Code":"GetPtsSceneRunningStatusFail","Message":"The scene does not exist"}"#)
        })
        .await;
        let client = client_for(&server);
        let err = client.wait_pts_run_started("nope", "P1", &fast()).await.unwrap_err();
        let WaitError::Call { error, attempts, .. } = &err else { panic!("{err:?}") };
        assert!(error.is_not_found());
        assert_eq!(*attempts, 1);
    })
    .await
}

fn jmeter_body(i: usize, status: &str, has_error: bool) -> String {
    serde_json::json!({
        "RequestId": format!("j-{i}"), "Success": true,
        "RunningData": {"SceneId": "J1", "Status": status, "HasError": has_error,
                        "ErrorMessage": if has_error { "engine lease failed" } else { "" }}
    })
    .to_string()
}

#[tokio::test]
async fn jmeter_running_and_stopped() {
    bounded(async {
        const STEPS: &[&str] =
            &["PREPARING", "PREPARED", "STARTING", "RUNNING", "STOPPING", "STOPPED"];
        let server = Server::start(|r, i| {
            assert_eq!(r.action().as_deref(), Some("GetJMeterSceneRunningData"));
            Reply::ok(jmeter_body(i, STEPS[i.min(STEPS.len() - 1)], false))
        })
        .await;
        let client = client_for(&server);
        let out = client.wait_jmeter_run_started("J1", "R1", &fast()).await.unwrap();
        assert_eq!(out.final_status, JMeterSceneStatus::Running);
        assert_eq!(out.attempts, 4);
        let out = client.wait_jmeter_stopped("J1", &fast()).await.unwrap();
        assert_eq!(out.final_status, JMeterSceneStatus::Stopped);
        assert_eq!(out.attempts, 2);
    })
    .await
}

/// Running data names its run: the previous report's STOPPED is waited through.
#[tokio::test]
async fn jmeter_start_ignores_the_previous_report() {
    bounded(async {
        let server = Server::start(|_, i| {
            let (report, status) = if i < 2 { ("R0", "STOPPED") } else { ("R1", "RUNNING") };
            Reply::ok(
                serde_json::json!({"RequestId": "j", "Success": true,
                    "RunningData": {"SceneId": "J1", "ReportId": report, "Status": status}})
                .to_string(),
            )
        })
        .await;
        let client = client_for(&server);
        let out = client.wait_jmeter_run_started("J1", "R1", &fast()).await.unwrap();
        assert_eq!(out.final_status, JMeterSceneStatus::Running);
        assert_eq!(out.attempts, 3);
    })
    .await
}

#[tokio::test]
async fn jmeter_running_fails_on_has_error_and_on_stopped() {
    bounded(async {
        let server = Server::start(|_, i| {
            Reply::ok(jmeter_body(i, if i < 1 { "PREPARING" } else { "STARTING" }, i >= 1))
        })
        .await;
        let client = client_for(&server);
        let err = client.wait_jmeter_run_started("J1", "R1", &fast()).await.unwrap_err();
        let WaitError::Failed { status, reason, .. } = &err else { panic!("{err:?}") };
        assert_eq!(status.as_ref(), Some(&JMeterSceneStatus::Starting));
        assert!(reason.contains("engine lease failed"), "{reason}");

        let server = Server::start(|_, i| {
            Reply::ok(jmeter_body(i, if i < 1 { "PREPARING" } else { "STOPPED" }, false))
        })
        .await;
        let client = client_for(&server);
        let err = client.wait_jmeter_run_started("J1", "R1", &fast()).await.unwrap_err();
        let WaitError::Failed { status, .. } = &err else { panic!("{err:?}") };
        assert_eq!(status.as_ref(), Some(&JMeterSceneStatus::Stopped));
    })
    .await
}

#[tokio::test]
async fn report_ready_after_has_report() {
    bounded(async {
        // Running data: HasReport false twice, then true. Details: fail once, then succeed.
        let data_polls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let detail_polls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (d, e) = (data_polls.clone(), detail_polls.clone());
        let server = Server::start(move |r, _| {
            use std::sync::atomic::Ordering::SeqCst;
            assert_eq!(r.param("PlanId").as_deref(), Some("P1"));
            match r.action().as_deref() {
                Some("GetPtsSceneRunningData") => {
                    let n = d.fetch_add(1, SeqCst);
                    Reply::ok(format!(r#"{{"RequestId":"d{n}","Success":true,"Status":9,"HasReport":{}}}"#, n >= 2))
                }
                Some("GetPtsReportDetails") => {
                    if e.fetch_add(1, SeqCst) == 0 {
                        Reply::json(400, r#"{"RequestId":"x","Code":"GetPtsReportDetailsFail","Message":"report is generating"}"#)
                    } else {
                        Reply::ok(r#"{"RequestId":"rep","Success":true,"ReportOverView":{"ReportId":"R1"}}"#)
                    }
                }
                other => panic!("unexpected action {other:?}"),
            }
        })
        .await;
        let client = client_for(&server);
        let out = client.wait_pts_report_ready("SC1", "P1", &fast()).await.unwrap();
        assert_eq!(out.final_status, ReportStatus::Ready);
        assert_eq!(out.response.request_id.as_deref(), Some("rep"));
        let seen: Vec<String> = out.observed.iter().map(|o| o.status.to_string()).collect();
        assert_eq!(seen, ["NO_REPORT", "NO_REPORT", "PENDING(GetPtsReportDetailsFail)", "READY"]);
    })
    .await
}

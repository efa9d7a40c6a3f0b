//! Helpers of the service-level engine tests.

use super::Target;
use pts_api::Client;
use pts_api::ops::get_pts_debug_sample_logs::{
    GetPtsDebugSampleLogs, GetPtsDebugSampleLogsRequest, GetPtsDebugSampleLogsResponse,
};
use pts_api::ops::start_debug_pts_scene::{StartDebugPtsScene, StartDebugPtsSceneRequest};
use pts_api::ops::stop_debug_pts_scene::{StopDebugPtsScene, StopDebugPtsSceneRequest};
use std::time::{Duration, Instant};

/// Debugs scene `id` until `target` has seen `requests` requests (at most 5 s), stops the
/// debug run and returns the first page of its sample logs.
pub async fn debug_samples(
    client: &Client,
    id: &str,
    target: &Target,
    requests: u64,
) -> GetPtsDebugSampleLogsResponse {
    let req = StartDebugPtsSceneRequest::builder().scene_id(id).build().unwrap();
    let plan = client.send::<StartDebugPtsScene>(req).await.unwrap().body.plan_id.unwrap();
    let t0 = Instant::now();
    while target.count() < requests {
        assert!(t0.elapsed() < Duration::from_secs(5), "debug run sent nothing");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let req = StopDebugPtsSceneRequest::builder().scene_id(id).plan_id(&plan).build().unwrap();
    client.send::<StopDebugPtsScene>(req).await.unwrap();
    let req = GetPtsDebugSampleLogsRequest::builder()
        .plan_id(&plan)
        .page_number(1)
        .page_size(10)
        .build()
        .unwrap();
    client.send::<GetPtsDebugSampleLogs>(req).await.unwrap().body
}

//! Which statuses count as busy, and the clock start/stop results are stamped with.

use pts_api::shapes::jmeter_scene_status::JMeterSceneStatus;
use pts_api::shapes::pts_runtime_status::PtsRuntimeStatus;
use pts_api::shapes::pts_scene_status::PtsSceneStatus;

/// Whether a GetPtsSceneRunningStatus phase (any case) counts as busy: a start then is
/// refused (PTS refuses a start while the scene is RUNNING or SYNCING). `CREATED` is left
/// out because a scene that never ran may report it.
pub fn busy_runtime(status: &str) -> bool {
    use PtsRuntimeStatus::*;
    matches!(
        PtsRuntimeStatus::from(status.to_ascii_uppercase()),
        Syncing | SyncDone | Uploading | Uploaded | Preparing | Ready | Running | Stopping
    )
}

/// Whether a scene-level status (GetPtsScene/ListPtsScene) is that of a busy scene.
pub fn busy_scene(status: &str) -> bool {
    matches!(PtsSceneStatus::from(status), PtsSceneStatus::Running | PtsSceneStatus::Debugging)
}

/// Whether a JMeter status is that of a scene with an active run: every known status but
/// the idle `STOPPED`.
pub fn busy_jmeter(status: &JMeterSceneStatus) -> bool {
    status.is_known() && *status != JMeterSceneStatus::Stopped
}

/// Now, RFC 3339, for the timestamps start/stop results carry.
pub fn now_rfc3339() -> String {
    crate::evidence::rfc3339(std::time::SystemTime::now())
}

//! The scene's baseline (GetPtsSceneBaseLine) as a summary of kind `Baseline`.

use super::shared::pts_rate;
use crate::errors;
use crate::exit::CliResult;
use crate::report::model::{ApiReport, LoadTarget, Metrics, ReportKind, ReportSummary};
use crate::session::api_err;
use pts_api::Client;
use pts_api::ops::get_pts_scene_base_line as gbl;

/// GetPtsSceneBaseLine(SceneId) as a summary of kind `Baseline`; `None` when the scene has
/// no baseline (PTS answers `GetPtsSceneBaseLineFail` for that).
pub async fn fetch_baseline(client: &Client, scene_id: &str) -> CliResult<Option<ReportSummary>> {
    let req = gbl::GetPtsSceneBaseLineRequest::builder()
        .scene_id(scene_id)
        .build()
        .map_err(|e| errors::validation(&e))?;
    let body = match client.get_pts_scene_base_line(req).await {
        Ok(out) => out.into_body(),
        Err(e) if e.code() == Some("GetPtsSceneBaseLineFail") => return Ok(None),
        Err(e) => return Err(api_err(e)),
    };
    Ok(baseline_summary(scene_id, body))
}

/// A GetPtsSceneBaseLine response as a summary of kind `Baseline` (`None` without scene
/// metrics).
pub fn baseline_summary(
    scene_id: &str,
    body: gbl::GetPtsSceneBaseLineResponse,
) -> Option<ReportSummary> {
    let b = body.baseline?;
    let sb = b.scene_baseline?;
    // A baseline keeps no request count.
    let scene = wire_metrics!(sb, total: 0, rate: pts_rate, business: sb.fail_count_biz, p50: None, max: None);
    let apis = b
        .api_baselines
        .iter()
        .flatten()
        .map(|a| ApiReport {
            name: a.name.clone().unwrap_or_default(),
            metrics: wire_metrics!(a, total: 0, rate: pts_rate, business: a.fail_count_biz,
                p50: None, max: a.max_rt.map(f64::from)),
        })
        .collect();
    Some(ReportSummary {
        kind: ReportKind::Baseline,
        scene_id: body.scene_id.unwrap_or_else(|| scene_id.to_string()),
        plan_id: String::new(),
        name: b.name.unwrap_or_default(),
        started: None,
        ended: None,
        actual_s: None,
        planned_s: None,
        vum: None,
        agents: None,
        target: LoadTarget::default(),
        scene,
        apis,
    })
}

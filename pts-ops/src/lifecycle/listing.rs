//! Every scene, across pages: ListPtsScene and ListOpenJMeterScenes answer one page at a
//! time and ListPtsScene gives no total, so pages are read until one comes back short.

use super::call::read;
use crate::exit::CliResult;
use serde_json::{Value, json};

/// Page size used when reading all pages (PTS allows 10-1000).
const ALL_PAGES_SIZE: i64 = 100;
/// A bound on pages read, so a service that ignores paging cannot loop us forever.
const MAX_PAGES: i64 = 1000;

/// One page of ListPtsScene's `SceneViewList`.
pub async fn pts_page(
    client: &pts_api::Client,
    keyword: Option<&str>,
    number: i64,
    size: i64,
) -> CliResult<Vec<Value>> {
    let mut params = json!({"PageNumber": number, "PageSize": size});
    if let Some(k) = keyword.filter(|k| !k.is_empty()) {
        params["KeyWord"] = json!(k);
    }
    let body = read(client, "ListPtsScene", params).await?;
    Ok(body.get("SceneViewList").and_then(Value::as_array).cloned().unwrap_or_default())
}

/// Every PTS scene matching `keyword` (name fuzzy or id exact).
pub async fn all_pts(client: &pts_api::Client, keyword: Option<&str>) -> CliResult<Vec<Value>> {
    let mut out = Vec::new();
    for n in 1..=MAX_PAGES {
        let page = pts_page(client, keyword, n, ALL_PAGES_SIZE).await?;
        let short = (page.len() as i64) < ALL_PAGES_SIZE;
        out.extend(page);
        if short {
            break;
        }
    }
    Ok(out)
}

/// One page of ListOpenJMeterScenes' `JMeterScene` list, and the total it reports.
pub async fn jmeter_page(
    client: &pts_api::Client,
    name: Option<&str>,
    number: i64,
    size: i64,
) -> CliResult<(Vec<Value>, Option<i64>)> {
    let mut params = json!({"PageNumber": number, "PageSize": size});
    if let Some(k) = name.filter(|k| !k.is_empty()) {
        params["SceneName"] = json!(k);
    }
    let body = read(client, "ListOpenJMeterScenes", params).await?;
    let list = body.get("JMeterScene").and_then(Value::as_array).cloned().unwrap_or_default();
    Ok((list, body.get("TotalCount").and_then(Value::as_i64)))
}

/// Every JMeter scene whose name matches `name`.
pub async fn all_jmeter(client: &pts_api::Client, name: Option<&str>) -> CliResult<Vec<Value>> {
    let mut out = Vec::new();
    for n in 1..=MAX_PAGES {
        let (page, total) = jmeter_page(client, name, n, ALL_PAGES_SIZE).await?;
        let short = (page.len() as i64) < ALL_PAGES_SIZE;
        out.extend(page);
        if short || total.is_some_and(|t| out.len() as i64 >= t) {
            break;
        }
    }
    Ok(out)
}

/// The ids of scenes in `list` whose `SceneName` is exactly `name`.
pub fn ids_named(list: &[Value], name: &str) -> Vec<String> {
    list.iter()
        .filter(|s| s.get("SceneName").and_then(Value::as_str) == Some(name))
        .filter_map(|s| s.get("SceneId").and_then(Value::as_str).map(str::to_string))
        .collect()
}

/// The PlanId of the scene's most recent ended run (GetPtsReportsBySceneId lists ended runs
/// newest first; a PTS PlanId is its ReportId), `None` when it has none yet.
pub async fn latest_plan_id(client: &pts_api::Client, scene_id: &str) -> CliResult<Option<String>> {
    let params = json!({"SceneId": scene_id, "PageNumber": 1, "PageSize": 5});
    let body = match super::call::raw(client, "GetPtsReportsBySceneId", params).await {
        Ok(b) => b,
        // A scene that never ran answers with an error ("has not started").
        Err(e) if e.message().is_some_and(|m| m.contains("has not started")) => return Ok(None),
        Err(e) => return Err(crate::session::api_err(e)),
    };
    let newest = body
        .get("ReportOverViewList")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .max_by_key(|r| r.get("StartTime").and_then(Value::as_str).unwrap_or("").to_string());
    Ok(newest.and_then(|r| r.get("ReportId")).and_then(Value::as_str).map(str::to_string))
}

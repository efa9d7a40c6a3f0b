//! Baselines, one per PTS scene: GetPtsSceneBaseLine, CreatePtsSceneBaseLineFromReport,
//! UpdatePtsSceneBaseLine, DeletePtsSceneBaseLine.
//!
//! The stored form is pts-api's `GetPtsSceneBaseLine` `Baseline` type. UpdatePtsSceneBaseLine
//! takes untyped objects in either key casing; keys are mapped onto that type's wire names,
//! given fields overwrite stored ones and absent fields stay. API baselines are matched by
//! `Id`, else by `Name`.

use super::{convert, from_col, to_col};
use crate::ctx::Ctx;
use crate::envelope::Fail;
use crate::seam::PtsResult;
use pts_api::__private::params::keys_to_wire;
use pts_api::ops::{
    create_pts_scene_base_line_from_report as from_report_op,
    delete_pts_scene_base_line as delete_op, get_pts_scene_base_line as get_op,
    update_pts_scene_base_line as update_op,
};
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value, json};
use std::sync::Arc;

fn stored(c: &Connection, scene_id: &str) -> Result<Option<get_op::Baseline>, Fail> {
    let text: Option<String> = c
        .query_row("SELECT baseline FROM pts_baselines WHERE scene_id = ?1", [scene_id], |r| {
            r.get(0)
        })
        .optional()?;
    text.as_deref().map(from_col).transpose()
}

fn put(c: &Connection, scene_id: &str, b: &get_op::Baseline) -> Result<(), Fail> {
    c.execute(
        "INSERT INTO pts_baselines(scene_id, baseline) VALUES (?1, ?2)
         ON CONFLICT(scene_id) DO UPDATE SET baseline = excluded.baseline",
        (scene_id, to_col(b)?),
    )?;
    Ok(())
}

fn scene_name(c: &Connection, scene_id: &str) -> Result<Option<String>, Fail> {
    Ok(c.query_row("SELECT name FROM pts_scenes WHERE scene_id = ?1", [scene_id], |r| r.get(0))
        .optional()?)
}

pub async fn get(
    ctx: Arc<Ctx>,
    req: get_op::GetPtsSceneBaseLineRequest,
) -> Result<get_op::GetPtsSceneBaseLineResponse, Fail> {
    let found = ctx.store.read(|c| {
        if scene_name(c, &req.scene_id)?.is_none() {
            return Ok(None);
        }
        stored(c, &req.scene_id)
    })?;
    let baseline =
        found.ok_or_else(|| Fail::op(&get_op::META, "The scene information cannot be empty."))?;
    Ok(pts_api::make!(get_op::GetPtsSceneBaseLineResponse {
        scene_id: Some(req.scene_id),
        baseline: Some(baseline),
    }))
}

pub async fn from_report(
    ctx: Arc<Ctx>,
    req: from_report_op::CreatePtsSceneBaseLineFromReportRequest,
) -> Result<from_report_op::CreatePtsSceneBaseLineFromReportResponse, Fail> {
    ctx.store
        .write(move |c| {
            let fail = || Fail::op(&from_report_op::META, "The scene or the report cannot be empty.");
            let name = scene_name(c, &req.scene_id)?.ok_or_else(fail)?;
            let metrics: Option<Option<String>> = c
                .query_row(
                    "SELECT metrics FROM pts_plans WHERE plan_id = ?1 AND scene_id = ?2 AND debug = 0 AND active = 0",
                    (&req.report_id, &req.scene_id),
                    |r| r.get(0),
                )
                .optional()?;
            let metrics: Option<PtsResult> = metrics.ok_or_else(fail)?.as_deref().map(from_col).transpose()?;
            let m = metrics.unwrap_or_default();
            let apis = m
                .api_metrics
                .iter()
                .map(|a| {
                    let mut v = serde_json::to_value(a)?;
                    v["Name"] = json!(a.api_name);
                    convert::<get_op::ApiBaseline>(&v)
                })
                .collect::<Result<Vec<_>, Fail>>()?;
            let baseline = pts_api::make!(get_op::Baseline {
                name: Some(name),
                scene_baseline: m.scene_metrics.as_ref().map(convert).transpose()?,
                api_baselines: (!apis.is_empty()).then_some(apis),
            });
            put(c, &req.scene_id, &baseline)
        })
        .await?;
    Ok(Default::default())
}

pub async fn update(
    ctx: Arc<Ctx>,
    req: update_op::UpdatePtsSceneBaseLineRequest,
) -> Result<update_op::UpdatePtsSceneBaseLineResponse, Fail> {
    let shape = get_op::META.response.field("Baseline").expect("Baseline is declared");
    let scene_shape = shape.field("SceneBaseline").expect("SceneBaseline is declared");
    let api_shape =
        shape.field("ApiBaselines").and_then(|s| s.items).expect("ApiBaselines is declared");
    let scene_patch = req.scene_baseline.as_ref().map(|v| keys_to_wire(v, scene_shape));
    let api_patches: Vec<Value> =
        req.api_baselines.iter().flatten().map(|v| keys_to_wire(v, api_shape)).collect();
    ctx.store
        .write(move |c| {
            let name = scene_name(c, &req.scene_id)?
                .ok_or_else(|| Fail::op(&update_op::META, "The scene cannot be empty."))?;
            let current = stored(c, &req.scene_id)?.unwrap_or_default();
            let mut v = serde_json::to_value(&current)?;
            v["Name"] = json!(name);
            if let Some(patch) = &scene_patch {
                merge(
                    v.as_object_mut().expect("object").entry("SceneBaseline").or_insert(json!({})),
                    patch,
                );
            }
            if !api_patches.is_empty() {
                let list =
                    v.as_object_mut().expect("object").entry("ApiBaselines").or_insert(json!([]));
                if !list.is_array() {
                    *list = json!([]);
                }
                let items = list.as_array_mut().expect("array");
                for p in &api_patches {
                    let same = |e: &Value| {
                        let by = |k: &str| {
                            p.get(k).filter(|x| !x.is_null()).is_some_and(|x| e.get(k) == Some(x))
                        };
                        by("Id") || (p.get("Id").is_none_or(Value::is_null) && by("Name"))
                    };
                    match items.iter_mut().find(|e| same(e)) {
                        Some(e) => merge(e, p),
                        None => items.push(p.clone()),
                    }
                }
            }
            let baseline: get_op::Baseline = convert(&v)?;
            put(c, &req.scene_id, &baseline)
        })
        .await?;
    Ok(Default::default())
}

/// Overwrites the fields of `base` that `patch` sets (non-null).
fn merge(base: &mut Value, patch: &Value) {
    if !base.is_object() {
        *base = Value::Object(Map::new());
    }
    if let (Some(b), Some(p)) = (base.as_object_mut(), patch.as_object()) {
        for (k, v) in p.iter().filter(|(_, v)| !v.is_null()) {
            b.insert(k.clone(), v.clone());
        }
    }
}

pub async fn delete(
    ctx: Arc<Ctx>,
    req: delete_op::DeletePtsSceneBaseLineRequest,
) -> Result<delete_op::DeletePtsSceneBaseLineResponse, Fail> {
    ctx.store
        .write(move |c| {
            scene_name(c, &req.scene_id)?
                .ok_or_else(|| Fail::op(&delete_op::META, "The scene cannot be empty."))?;
            c.execute("DELETE FROM pts_baselines WHERE scene_id = ?1", [&req.scene_id])?;
            Ok(())
        })
        .await?;
    Ok(Default::default())
}

//! PTS scenes: CreatePtsScene, SavePtsScene, ModifyPtsScene, GetPtsScene, ListPtsScene,
//! DeletePtsScene, DeletePtsScenes.
//!
//! The stored configuration is pts-api's request `Scene` (wire keys, PascalCase), so what a
//! client sends is what GetPtsScene returns, plus SceneId, times, Status and server ids.

use super::scene_rules::admit;
use super::{from_col, like_pattern, page, to_col};
use crate::ctx::Ctx;
use crate::envelope::Fail;
use crate::store::{claim_id, fresh_id};
use pts_api::JsonText;
use pts_api::meta::OperationMeta;
use pts_api::ops::{
    create_pts_scene as create_op, delete_pts_scene as delete_op,
    delete_pts_scenes as delete_many_op, get_pts_scene as get_op, list_pts_scene as list_op,
    modify_pts_scene as modify_op, save_pts_scene as save_op,
};
use pts_api::shapes::pts_scene_status::PtsSceneStatus;
use pts_api::shapes::scene::Scene;
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::Arc;

/// Whether a stored scene status is one a change must wait for (a run or a debug pass).
pub fn busy(status: &str) -> bool {
    matches!(PtsSceneStatus::from(status), PtsSceneStatus::Running | PtsSceneStatus::Debugging)
}

pub async fn create(
    ctx: Arc<Ctx>,
    req: create_op::CreatePtsSceneRequest,
) -> Result<create_op::CreatePtsSceneResponse, Fail> {
    let scene = scene_from_text(&create_op::META, req.scene)?;
    let id = upsert(&ctx, &create_op::META, None, scene).await?;
    Ok(pts_api::make!(create_op::CreatePtsSceneResponse { scene_id: Some(id) }))
}

pub async fn save(
    ctx: Arc<Ctx>,
    req: save_op::SavePtsSceneRequest,
) -> Result<save_op::SavePtsSceneResponse, Fail> {
    let target = req.scene.scene_id.clone().filter(|s| !s.is_empty());
    let id = upsert(&ctx, &save_op::META, target, req.scene).await?;
    Ok(pts_api::make!(save_op::SavePtsSceneResponse { scene_id: Some(id) }))
}

pub async fn modify(
    ctx: Arc<Ctx>,
    req: modify_op::ModifyPtsSceneRequest,
) -> Result<modify_op::ModifyPtsSceneResponse, Fail> {
    let scene = scene_from_text(&modify_op::META, req.scene)?;
    let Some(target) = scene.scene_id.clone().filter(|s| !s.is_empty()) else {
        return Err(Fail::gateway(
            400,
            "MissingParameter",
            "ModifyPtsScene: parameter Scene.SceneId is required",
        ));
    };
    upsert(&ctx, &modify_op::META, Some(target), scene).await?;
    Ok(modify_op::ModifyPtsSceneResponse::default())
}

/// The Scene of CreatePtsScene/ModifyPtsScene: JSON text in either key casing.
fn scene_from_text(meta: &'static OperationMeta, text: JsonText<Scene>) -> Result<Scene, Fail> {
    match text {
        JsonText::Typed(s) => Ok(s),
        JsonText::Raw(t) => {
            let v: Value =
                serde_json::from_str(&t).map_err(|_| super::scene_rules::unreadable_scene())?;
            let shape = meta.params[0].shape;
            serde_json::from_value(pts_api::__private::params::keys_to_wire(&v, shape))
                .map_err(|e| Fail::invalid(format!("{}: parameter Scene: {e}", meta.name)))
        }
    }
}

/// Creates (`target` None) or replaces a scene; returns its SceneId.
async fn upsert(
    ctx: &Arc<Ctx>,
    meta: &'static OperationMeta,
    target: Option<String>,
    mut scene: Scene,
) -> Result<String, Fail> {
    admit(meta, &scene)?;
    for f in scene.file_parameter_list.iter().flatten() {
        ctx.files
            .resolve(f.file_name.as_deref(), f.file_oss_address.as_deref())
            .map_err(|m| Fail::op(meta, m))?;
    }
    ctx.store
        .write(move |c| {
            let now = crate::ids::now_ms();
            let (id, old_ids) = match &target {
                None => (fresh_id(c, "scene")?, HashSet::new()),
                Some(id) => {
                    let row: Option<(String, String)> = c
                        .query_row("SELECT status, config FROM pts_scenes WHERE scene_id = ?1", [id], |r| {
                            Ok((r.get(0)?, r.get(1)?))
                        })
                        .optional()?;
                    let Some((status, config)) = row else {
                        return Err(Fail::service(400, "ModifyPtsSceneFail", "The scene does not exit"));
                    };
                    if busy(&status) {
                        return Err(Fail::service(400, "ModifyPtsSceneFail", "Scene is running"));
                    }
                    (id.clone(), known_ids(&from_col::<Scene>(&config)?))
                }
            };
            assign_ids(c, &mut scene, &old_ids).map_err(|m| Fail::op(meta, m))?;
            scene.scene_id = Some(id.clone());
            let config = to_col(&scene)?;
            if target.is_none() {
                c.execute(
                    "INSERT INTO pts_scenes(scene_id, name, status, config, created_ms, modified_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                    (&id, &scene.scene_name, PtsSceneStatus::Draft.as_str(), &config, now),
                )?;
            } else {
                c.execute(
                    "UPDATE pts_scenes SET name = ?2, config = ?3, modified_ms = ?4 WHERE scene_id = ?1",
                    (&id, &scene.scene_name, &config, now),
                )?;
            }
            Ok(id)
        })
        .await
}

fn known_ids(s: &Scene) -> HashSet<String> {
    let mut ids = HashSet::new();
    for r in &s.relation_list {
        ids.extend(r.relation_id.clone());
        ids.extend(r.api_list.iter().filter_map(|a| a.api_id.clone()));
    }
    ids
}

/// Keeps echoed RelationIds/ApiIds (this scene's, or new ones no other resource holds) and
/// gives every relation and API without one a fresh id.
fn assign_ids(c: &Connection, s: &mut Scene, old: &HashSet<String>) -> Result<(), String> {
    let mut seen = HashSet::new();
    let mut keep = |id: &str, kind: &str| -> Result<(), String> {
        if !seen.insert(id.to_string()) {
            return Err(format!("{kind} {id} appears more than once in the scene"));
        }
        if old.contains(id) || claim_id(c, id, kind).map_err(|e| format!("{e:?}"))? {
            Ok(())
        } else {
            Err(format!("{kind} {id} belongs to another resource"))
        }
    };
    for r in &mut s.relation_list {
        match r.relation_id.as_deref().filter(|i| !i.is_empty()) {
            Some(id) => keep(id, "RelationId")?,
            None => r.relation_id = Some(fresh_id(c, "relation").map_err(|e| format!("{e:?}"))?),
        }
        for a in &mut r.api_list {
            match a.api_id.as_deref().filter(|i| !i.is_empty()) {
                Some(id) => keep(id, "ApiId")?,
                None => a.api_id = Some(fresh_id(c, "api").map_err(|e| format!("{e:?}"))?),
            }
        }
    }
    Ok(())
}

/// A stored scene row.
pub struct SceneRow {
    pub scene: Scene,
    pub name: String,
    pub status: String,
    pub created_ms: i64,
    pub modified_ms: i64,
}

pub fn load(c: &Connection, id: &str) -> Result<Option<SceneRow>, Fail> {
    let row = c
        .prepare_cached("SELECT config, name, status, created_ms, modified_ms FROM pts_scenes WHERE scene_id = ?1")?
        .query_row([id], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .optional()?;
    row.map(|(config, name, status, created_ms, modified_ms)| {
        Ok(SceneRow { scene: from_col(&config)?, name, status, created_ms, modified_ms })
    })
    .transpose()
}

pub async fn get(
    ctx: Arc<Ctx>,
    req: get_op::GetPtsSceneRequest,
) -> Result<get_op::GetPtsSceneResponse, Fail> {
    type Row = (String, String, i64, i64);
    let row: Option<Row> = ctx.store.read(|c| {
        let mut s = c.prepare_cached(
            "SELECT config, status, created_ms, modified_ms FROM pts_scenes WHERE scene_id = ?1",
        )?;
        Ok(s.query_row([&req.scene_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?)
    })?;
    let (config, status, created, modified) =
        row.ok_or_else(|| Fail::op(&get_op::META, "The scene does not exit"))?;
    let mut v: Value = serde_json::from_str(&config)?;
    v["CreateTime"] = json!(ctx.fmt_time(created));
    v["ModifiedTime"] = json!(ctx.fmt_time(modified));
    v["Status"] = json!(status);
    let mode = v["LoadConfig"]["TestMode"].as_str().map(pts_api::rules::mode::to_upper);
    v["LoadConfig"]["TestMode"] = json!(mode);
    Ok(pts_api::make!(get_op::GetPtsSceneResponse { scene: Some(serde_json::from_value(v)?) }))
}

pub async fn list(
    ctx: Arc<Ctx>,
    req: list_op::ListPtsSceneRequest,
) -> Result<list_op::ListPtsSceneResponse, Fail> {
    let kw = req.key_word.filter(|k| !k.is_empty());
    if kw.as_ref().is_some_and(|k| k.chars().count() > 30) {
        return Err(Fail::op(&list_op::META, "Keyword length cannot exceed 30 characters"));
    }
    let (limit, offset) = page(req.page_number, req.page_size);
    let pattern = kw.as_deref().map(like_pattern);
    let rows = ctx.store.read(|c| {
        let mut s = c.prepare_cached(
            "SELECT scene_id, name, status, created_ms FROM pts_scenes
             WHERE ?1 IS NULL OR scene_id = ?1 OR name LIKE ?2 ESCAPE '\\'
             ORDER BY seq DESC LIMIT ?3 OFFSET ?4",
        )?;
        let rows = s
            .query_map((&kw, &pattern, limit, offset), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    })?;
    let views = rows
        .into_iter()
        .map(|(id, name, status, created)| {
            pts_api::make!(list_op::SceneView {
                scene_id: Some(id),
                scene_name: Some(name),
                status: Some(status.as_str().into()),
                create_time: Some(ctx.fmt_time(created)),
            })
        })
        .collect();
    Ok(pts_api::make!(list_op::ListPtsSceneResponse { scene_view_list: Some(views) }))
}

pub async fn delete(
    ctx: Arc<Ctx>,
    req: delete_op::DeletePtsSceneRequest,
) -> Result<delete_op::DeletePtsSceneResponse, Fail> {
    ctx.store
        .write(move |c| {
            let status: Option<String> = c
                .query_row(
                    "SELECT status FROM pts_scenes WHERE scene_id = ?1",
                    [&req.scene_id],
                    |r| r.get(0),
                )
                .optional()?;
            match status.as_deref() {
                None => Err(Fail::op(
                    &delete_op::META,
                    "Delete Scene failed, please check the scene ID is correct",
                )),
                Some(status) if busy(status) => {
                    Err(Fail::service(400, "DeletePtsScenesFail", "Scene is running"))
                }
                Some(_) => delete_rows(c, &req.scene_id),
            }
        })
        .await?;
    Ok(delete_op::DeletePtsSceneResponse::default())
}

/// Deletes a scene and its baseline; its plans and reports stay (reports outlive scenes).
fn delete_rows(c: &Connection, id: &str) -> Result<(), Fail> {
    c.execute("DELETE FROM pts_scenes WHERE scene_id = ?1", [id])?;
    c.execute("DELETE FROM pts_baselines WHERE scene_id = ?1", [id])?;
    Ok(())
}

pub async fn delete_many(
    ctx: Arc<Ctx>,
    req: delete_many_op::DeletePtsScenesRequest,
) -> Result<delete_many_op::DeletePtsScenesResponse, Fail> {
    ctx.store
        .write(move |c| {
            for id in &req.scene_ids {
                let status: Option<String> = c
                    .query_row("SELECT status FROM pts_scenes WHERE scene_id = ?1", [id], |r| {
                        r.get(0)
                    })
                    .optional()?;
                if status.as_deref().is_some_and(busy) {
                    return Err(Fail::op(&delete_many_op::META, "Scene is running"));
                }
            }
            req.scene_ids.iter().try_for_each(|id| delete_rows(c, id))
        })
        .await?;
    Ok(delete_many_op::DeletePtsScenesResponse::default())
}

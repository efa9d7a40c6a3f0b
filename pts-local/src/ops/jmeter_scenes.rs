//! JMeter scenes: SaveOpenJMeterScene, GetOpenJMeterScene, ListOpenJMeterScenes,
//! RemoveOpenJMeterScene.
//!
//! The stored configuration is pts-api's `OpenJMeterScene` (wire keys). A scene's status is
//! that of its active run (PREPARING ... RUNNING), else `STOPPED`. Files resolve by name
//! against the file store at save time (and again at start); `FileSize`/`Md5` in responses
//! are those of the stored files.

use super::{convert, from_col, like_pattern, page, to_col};
use crate::ctx::Ctx;
use crate::envelope::Fail;
use crate::runs::jmeter_status;
use crate::store::fresh_id;
use pts_api::ops::save_open_jmeter_scene::OpenJMeterScene;
use pts_api::ops::{
    get_open_jmeter_scene as get_op, list_open_jmeter_scenes as list_op,
    remove_open_jmeter_scene as remove_op, save_open_jmeter_scene as save_op,
};
use rusqlite::{Connection, OptionalExtension};
use serde_json::json;
use std::sync::Arc;

fn save_fail(message: impl Into<String>) -> Fail {
    Fail::op(&save_op::META, message)
}

/// Checks the parts of a JMeter scene the metadata cannot express.
pub fn check(ctx: &Ctx, s: &OpenJMeterScene) -> Result<(), String> {
    if !s.mode.is_known() {
        return Err(format!("Mode must be CONCURRENCY or TPS (got {:?})", s.mode.as_str()));
    }
    if s.agent_count < 1 {
        return Err(format!("AgentCount must be at least 1 (got {})", s.agent_count));
    }
    if let Some(rc) = s.regional_condition.as_ref().filter(|r| !r.is_empty()) {
        let sum: i64 = rc.iter().map(|r| i64::from(r.amount.unwrap_or(0))).sum();
        if sum != i64::from(s.agent_count) {
            return Err(format!(
                "RegionalCondition amounts sum to {sum}, not AgentCount {}",
                s.agent_count
            ));
        }
    }
    for f in &s.file_list {
        ctx.files.resolve(Some(&f.file_name), Some(&f.file_oss_address))?;
    }
    if !s.file_list.iter().any(|f| f.file_name == s.test_file) {
        return Err(format!("TestFile {} is not in FileList", s.test_file));
    }
    Ok(())
}

pub async fn save(
    ctx: Arc<Ctx>,
    req: save_op::SaveOpenJMeterSceneRequest,
) -> Result<save_op::SaveOpenJMeterSceneResponse, Fail> {
    let mut scene = req.open_jmeter_scene;
    check(&ctx, &scene).map_err(save_fail)?;
    ctx.engine.check_jmeter(&ctx.files, &scene).map_err(save_fail)?;
    let target = scene.scene_id.clone().filter(|s| !s.is_empty());
    let id = ctx
        .store
        .write(move |c| {
            if let Some(env) = scene.environment_id.as_deref().filter(|e| !e.is_empty()) {
                let known: Option<i64> = c.query_row("SELECT 1 FROM envs WHERE env_id = ?1", [env], |r| r.get(0)).optional()?;
                if known.is_none() {
                    return Err(save_fail(format!("EnvironmentId {env} does not exist")));
                }
            }
            let now = crate::ids::now_ms();
            let id = match &target {
                None => fresh_id(c, "jmeter-scene")?,
                Some(id) => {
                    if !exists(c, id)? {
                        return Err(save_fail("The scene does not exist."));
                    }
                    if active_run(c, id)?.is_some() {
                        return Err(save_fail("Scene is running"));
                    }
                    id.clone()
                }
            };
            scene.scene_id = Some(id.clone());
            let config = to_col(&scene)?;
            if target.is_none() {
                c.execute(
                    "INSERT INTO jmeter_scenes(scene_id, name, config, created_ms, modified_ms) VALUES (?1, ?2, ?3, ?4, ?4)",
                    (&id, &scene.scene_name, &config, now),
                )?;
            } else {
                c.execute(
                    "UPDATE jmeter_scenes SET name = ?2, config = ?3, modified_ms = ?4 WHERE scene_id = ?1",
                    (&id, &scene.scene_name, &config, now),
                )?;
            }
            Ok(id)
        })
        .await?;
    Ok(pts_api::make!(save_op::SaveOpenJMeterSceneResponse { scene_id: Some(id) }))
}

pub fn exists(c: &Connection, id: &str) -> Result<bool, Fail> {
    let v: Option<i64> = c
        .query_row("SELECT 1 FROM jmeter_scenes WHERE scene_id = ?1", [id], |r| r.get(0))
        .optional()?;
    Ok(v.is_some())
}

/// The stored scene and its name.
pub fn load(c: &Connection, id: &str) -> Result<Option<OpenJMeterScene>, Fail> {
    let text: Option<String> = c
        .query_row("SELECT config FROM jmeter_scenes WHERE scene_id = ?1", [id], |r| r.get(0))
        .optional()?;
    text.as_deref().map(from_col).transpose()
}

/// The active run of a scene: (report id, started ms, debug).
pub fn active_run(c: &Connection, scene_id: &str) -> Result<Option<(String, i64, bool)>, Fail> {
    Ok(c.prepare_cached(
        "SELECT report_id, started_ms, debug FROM jmeter_runs WHERE scene_id = ?1 AND active = 1",
    )?
    .query_row([scene_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .optional()?)
}

fn not_exist() -> Fail {
    Fail::service(403, "SceneNotExist", "The scene does not exist.")
}

pub async fn get(
    ctx: Arc<Ctx>,
    req: get_op::GetOpenJMeterSceneRequest,
) -> Result<get_op::GetOpenJMeterSceneResponse, Fail> {
    let scene = ctx.store.read(|c| load(c, &req.scene_id))?.ok_or_else(not_exist)?;
    let mut v = serde_json::to_value(&scene)?;
    let files: Vec<serde_json::Value> = scene
        .file_list
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let stored = ctx.files.get(&f.file_name);
            let ext = f
                .file_name
                .rsplit_once('.')
                .map(|(_, e)| e.to_ascii_lowercase())
                .unwrap_or_default();
            json!({
                "Id": f.file_id.unwrap_or(i as i64 + 1),
                "FileName": f.file_name,
                "FileOssAddress": f.file_oss_address,
                "FileSize": stored.as_ref().map(|s| s.size).or(f.file_size),
                "Md5": stored.as_ref().map(|s| s.md5.clone()).or(f.md5.clone()),
                "FileType": ext,
                "SplitCsv": f.split_csv,
            })
        })
        .collect();
    v["FileList"] = json!(files);
    v["Pool"] = json!(if scene.is_vpc_test == Some(true) { "intranet-vpc" } else { "" });
    v["BaseInfo"] = json!({"Remark": "", "Principal": "", "Resource": "", "CreateName": "", "ModifyName": "", "OperateType": ""});
    Ok(pts_api::make!(get_op::GetOpenJMeterSceneResponse { scene: Some(convert(&v)?) }))
}

pub async fn list(
    ctx: Arc<Ctx>,
    req: list_op::ListOpenJMeterScenesRequest,
) -> Result<list_op::ListOpenJMeterScenesResponse, Fail> {
    let (limit, offset) = page(req.page_number, req.page_size);
    let id = req.scene_id.clone().filter(|s| !s.is_empty());
    let name = req.scene_name.as_deref().filter(|s| !s.is_empty()).map(like_pattern);
    let filter = "(?1 IS NULL OR s.scene_id = ?1) AND (?2 IS NULL OR s.name LIKE ?2 ESCAPE '\\')";
    let (total, rows) = ctx.store.read(|c| {
        let total: i64 =
            c.prepare_cached(&format!("SELECT COUNT(*) FROM jmeter_scenes s WHERE {filter}"))?.query_row((&id, &name), |r| r.get(0))?;
        let sql = format!(
            "SELECT s.scene_id, s.name, json_extract(s.config, '$.Duration'), r.report_id
             FROM jmeter_scenes s LEFT JOIN jmeter_runs r ON r.scene_id = s.scene_id AND r.active = 1
             WHERE {filter} ORDER BY s.seq DESC LIMIT ?3 OFFSET ?4"
        );
        let rows = c
            .prepare_cached(&sql)?
            .query_map((&id, &name, limit, offset), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<i64>>(2)?, r.get::<_, Option<String>>(3)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok((total, rows))
    })?;
    let scenes = rows
        .into_iter()
        .map(|(id, name, duration, run)| {
            convert(&json!({
                "SceneId": id,
                "SceneName": name,
                "Status": jmeter_status(&ctx, run.as_deref().unwrap_or(""), run.is_some()),
                "DurationStr": crate::ops::minutes_text(duration.unwrap_or(0) as f64),
            }))
        })
        .collect::<Result<Vec<list_op::JMeterScene>, Fail>>()?;
    Ok(pts_api::make!(list_op::ListOpenJMeterScenesResponse {
        jmeter_scene: Some(scenes),
        total_count: Some(total),
        page_number: Some(req.page_number),
        page_size: Some(req.page_size),
    }))
}

pub async fn remove(
    ctx: Arc<Ctx>,
    req: remove_op::RemoveOpenJMeterSceneRequest,
) -> Result<remove_op::RemoveOpenJMeterSceneResponse, Fail> {
    ctx.store
        .write(move |c| {
            if !exists(c, &req.scene_id)? {
                return Err(not_exist());
            }
            if active_run(c, &req.scene_id)?.is_some() {
                return Err(Fail::service(403, "SceneNotExist", "Scene is running"));
            }
            c.execute("DELETE FROM jmeter_scenes WHERE scene_id = ?1", [&req.scene_id])?;
            Ok(())
        })
        .await?;
    Ok(Default::default())
}

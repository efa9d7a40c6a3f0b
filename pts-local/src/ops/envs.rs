//! JMeter environments: SaveEnv, ListEnvs, RemoveEnv.
//!
//! Files resolve by name against the file store when the environment is saved; their sizes
//! and MD5s (and `UsedCapacity`, their sum) are those of the stored files. `EnvVersion` is
//! the JMeter version PTS reports, `5.0`.

use super::{convert, from_col, like_pattern, page, to_col};
use crate::ctx::Ctx;
use crate::envelope::Fail;
use crate::store::fresh_id;
use pts_api::ops::{list_envs as list_op, remove_env as remove_op, save_env as save_op};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;

const ENV_VERSION: &str = "5.0";

/// The saved request plus the resolved files.
#[derive(Serialize, Deserialize)]
struct StoredEnv {
    env: save_op::Env,
    files: Vec<list_op::File>,
}

fn env_not_exist(message: &str) -> Fail {
    Fail::service(503, "EnvNotExist", message)
}

pub async fn save(
    ctx: Arc<Ctx>,
    req: save_op::SaveEnvRequest,
) -> Result<save_op::SaveEnvResponse, Fail> {
    let mut env = req.env;
    let mut files = Vec::with_capacity(env.files.len());
    for (i, f) in env.files.iter().enumerate() {
        let stored = ctx
            .files
            .resolve(Some(&f.file_name), Some(&f.file_oss_address))
            .map_err(|m| Fail::op(&save_op::META, m))?;
        files.push(convert(&json!({
            "FileId": i as i64 + 1,
            "FileName": f.file_name,
            "FileOssAddress": f.file_oss_address,
            "FileSize": stored.size,
            "Md5": stored.md5,
        }))?);
    }
    let target = env.env_id.clone().filter(|e| !e.is_empty());
    let id = ctx
        .store
        .write(move |c| {
            let now = crate::ids::now_ms();
            let id = match &target {
                None => fresh_id(c, "env")?,
                Some(id) => {
                    if !exists(c, id)? {
                        return Err(env_not_exist("The env does not exist."));
                    }
                    id.clone()
                }
            };
            env.env_id = Some(id.clone());
            let name = env.env_name.clone();
            let config = to_col(&StoredEnv { env, files })?;
            if target.is_none() {
                c.execute(
                    "INSERT INTO envs(env_id, name, config, created_ms, modified_ms) VALUES (?1, ?2, ?3, ?4, ?4)",
                    (&id, &name, &config, now),
                )?;
            } else {
                c.execute(
                    "UPDATE envs SET name = ?2, config = ?3, modified_ms = ?4 WHERE env_id = ?1",
                    (&id, &name, &config, now),
                )?;
            }
            Ok(id)
        })
        .await?;
    Ok(pts_api::make!(save_op::SaveEnvResponse { env_id: Some(id) }))
}

fn exists(c: &Connection, id: &str) -> Result<bool, Fail> {
    let v: Option<i64> =
        c.query_row("SELECT 1 FROM envs WHERE env_id = ?1", [id], |r| r.get(0)).optional()?;
    Ok(v.is_some())
}

/// JMeter scenes using an environment: (all, those with an active run).
fn scenes_using(c: &Connection, env_id: &str) -> Result<(Vec<String>, Vec<String>), Fail> {
    let rows = c
        .prepare_cached(
            "SELECT s.scene_id, EXISTS(SELECT 1 FROM jmeter_runs r WHERE r.scene_id = s.scene_id AND r.active = 1)
             FROM jmeter_scenes s WHERE json_extract(s.config, '$.EnvironmentId') = ?1 ORDER BY s.seq",
        )?
        .query_map([env_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    let running = rows.iter().filter(|(_, r)| *r).map(|(s, _)| s.clone()).collect();
    Ok((rows.into_iter().map(|(s, _)| s).collect(), running))
}

pub async fn list(
    ctx: Arc<Ctx>,
    req: list_op::ListEnvsRequest,
) -> Result<list_op::ListEnvsResponse, Fail> {
    let (limit, offset) = page(req.page_number, req.page_size);
    let id = req.env_id.clone().filter(|s| !s.is_empty());
    let name = req.env_name.as_deref().filter(|s| !s.is_empty()).map(like_pattern);
    let filter = "(?1 IS NULL OR env_id = ?1) AND (?2 IS NULL OR name LIKE ?2 ESCAPE '\\')";
    type Row = (String, String, i64, i64, Vec<String>, Vec<String>);
    let (total, rows) = ctx.store.read(|c| {
        if let Some(id) = &id
            && !exists(c, id)?
        {
            return Err(env_not_exist("The env does not exist."));
        }
        let total: i64 = c.prepare_cached(&format!("SELECT COUNT(*) FROM envs WHERE {filter}"))?.query_row((&id, &name), |r| r.get(0))?;
        let sql = format!(
            "SELECT env_id, config, created_ms, modified_ms FROM envs WHERE {filter} ORDER BY seq DESC LIMIT ?3 OFFSET ?4"
        );
        let base = c
            .prepare_cached(&sql)?
            .query_map((&id, &name, limit, offset), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut rows: Vec<Row> = Vec::with_capacity(base.len());
        for (env_id, config, created, modified) in base {
            let (related, running) = scenes_using(c, &env_id)?;
            rows.push((env_id, config, created, modified, related, running));
        }
        Ok((total, rows))
    })?;
    let envs = rows
        .into_iter()
        .map(|(env_id, config, created, modified, related, running)| {
            let stored: StoredEnv = from_col(&config)?;
            let used: i64 = stored.files.iter().filter_map(|f| f.file_size).sum();
            convert(&json!({
                "EnvId": env_id,
                "EnvName": stored.env.env_name,
                "EnvVersion": ENV_VERSION,
                "CreateTime": created,
                "ModifiedTime": modified,
                "Files": stored.files,
                "Properties": stored.env.properties,
                "UsedCapacity": used,
                "RelatedScenes": related,
                "RunningScenes": running,
            }))
        })
        .collect::<Result<Vec<list_op::Env>, Fail>>()?;
    Ok(pts_api::make!(list_op::ListEnvsResponse {
        envs: Some(envs),
        total_count: Some(total),
        page_number: Some(req.page_number),
        page_size: Some(req.page_size),
    }))
}

pub async fn remove(
    ctx: Arc<Ctx>,
    req: remove_op::RemoveEnvRequest,
) -> Result<remove_op::RemoveEnvResponse, Fail> {
    ctx.store
        .write(move |c| {
            if !exists(c, &req.env_id)? {
                return Err(env_not_exist("The env does not exist."));
            }
            if !scenes_using(c, &req.env_id)?.1.is_empty() {
                return Err(env_not_exist("Env is in use"));
            }
            c.execute("DELETE FROM envs WHERE env_id = ?1", [&req.env_id])?;
            Ok(())
        })
        .await?;
    Ok(Default::default())
}

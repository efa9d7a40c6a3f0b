//! Scene rules that the API metadata cannot express (pts-api's validator has already applied every
//! metadata constraint): load-model coverage, agent count, file parameter names, load-config ids
//! and the non-increasing RPS chain. Failures are answered with the operation's own error code.

use pts_api::shapes::scene::Scene;
use pts_api::shapes::test_mode::TestMode;
use std::collections::HashSet;

/// Scene rules that are not metadata constraints (those were already checked by pts-api's
/// validator): load model coverage, agent count, file parameter names.
pub fn check_scene(s: &Scene) -> Result<(), String> {
    let lc = &s.load_config;
    let cfg = &lc.configuration;
    let concurrency = lc.test_mode == TestMode::ConcurrencyMode;
    let limit = if concurrency {
        match (cfg.all_concurrency_begin, cfg.all_concurrency_limit, &lc.relation_load_config_list)
        {
            (Some(_), Some(l), _) => l,
            (None, None, Some(list)) if list.len() == s.relation_list.len() => {
                list.iter().map(|r| r.concurrency_limit).sum()
            }
            _ => {
                return Err("concurrency_mode needs Configuration.AllConcurrencyBegin and AllConcurrencyLimit, \
                            or one RelationLoadConfigList entry per relation"
                    .into());
            }
        }
    } else {
        let apis = s.relation_list.iter().map(|r| r.api_list.len()).sum::<usize>();
        match (cfg.all_rps_begin, cfg.all_rps_limit, &lc.api_load_config_list) {
            (Some(_), Some(l), _) => l,
            (None, None, Some(list)) if list.len() == apis => {
                list.iter().map(|a| a.rps_limit).sum()
            }
            _ => {
                return Err("tps_mode needs Configuration.AllRpsBegin and AllRpsLimit, \
                            or one ApiLoadConfigList entry per API"
                    .into());
            }
        }
    };
    if let Some(agents) = lc.agent_count {
        let per = if concurrency { 250 } else { 2000 };
        let max = ((i64::from(limit) + per - 1) / per).max(1);
        if i64::from(agents) > max {
            return Err(format!(
                "LoadConfig.AgentCount {agents} exceeds {max} (one agent per {per} of the limit {limit})"
            ));
        }
    }
    let files: HashSet<String> = s
        .file_parameter_list
        .iter()
        .flatten()
        .filter_map(|f| {
            crate::files::reference_name(f.file_name.as_deref(), f.file_oss_address.as_deref())
        })
        .collect();
    for r in &s.relation_list {
        for e in r.file_parameter_explain_list.iter().flatten() {
            if !files.contains(&e.file_name) {
                return Err(format!(
                    "FileParameterExplainList names {} which is not in FileParameterList",
                    e.file_name
                ));
            }
        }
    }
    Ok(())
}

/// RelationLoadConfigList/ApiLoadConfigList ids must name this scene's relations and APIs,
/// and per-API RPS must not increase along a relation's chain.
pub fn check_load_refs(s: &Scene) -> Result<(), String> {
    let lc = &s.load_config;
    for r in lc.relation_load_config_list.iter().flatten() {
        if let Some(id) = &r.relation_id
            && !s.relation_list.iter().any(|x| x.relation_id.as_ref() == Some(id))
        {
            return Err(format!(
                "RelationLoadConfigList names RelationId {id}, which is not in the scene"
            ));
        }
    }
    let Some(list) = &lc.api_load_config_list else { return Ok(()) };
    for a in list {
        if !s
            .relation_list
            .iter()
            .flat_map(|r| &r.api_list)
            .any(|x| x.api_id.as_ref() == Some(&a.api_id))
        {
            return Err(format!(
                "ApiLoadConfigList names ApiId {}, which is not in the scene",
                a.api_id
            ));
        }
    }
    for r in &s.relation_list {
        let rps: Vec<_> = r
            .api_list
            .iter()
            .filter_map(|a| list.iter().find(|c| Some(&c.api_id) == a.api_id.as_ref()))
            .collect();
        if rps
            .windows(2)
            .any(|w| w[1].rps_limit > w[0].rps_limit || w[1].rps_begin > w[0].rps_begin)
        {
            return Err(format!(
                "relation {}: per-API RPS must not increase along the chain",
                r.relation_name
            ));
        }
    }
    Ok(())
}

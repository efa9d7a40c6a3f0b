//! Compiling one scene API: request template, checkpoints, exports.

use crate::engine::check::{
    Check, CheckGroup, ExportRule, Op, Subject, parse_export, reads_body, scene_err,
};
use crate::engine::error::EngineError;
use crate::engine::plan::{
    ApiPlan, Vars, compile_err, parse_method, prepare_fixed, request_imports,
};
use pts_api::shapes::check_type::CheckType;
use pts_api::shapes::scene::Api;
use std::time::Duration;

/// Default API timeout when neither the API nor the scene sets one (seconds).
pub const DEFAULT_TIMEOUT_SECS: u64 = 5;

fn check_group(api: &Api, rel: &str, vars: &Vars) -> Result<Vec<CheckGroup>, EngineError> {
    let mut out = Vec::new();
    for cp in api.check_point_list.iter().flatten() {
        let ty = cp.check_type.as_ref().map_or("", |t| t.as_str()).trim().to_ascii_uppercase();
        let point = cp.check_point.clone().unwrap_or_default();
        let expect = cp.expect_value.clone().unwrap_or_default();
        let op_name = cp.operator.clone().unwrap_or_else(|| "eq".into());
        let subject = match CheckType::from(ty.as_str()) {
            CheckType::StatusCode => Subject::StatusCode,
            CheckType::Header => Subject::Header(point.trim().to_ascii_lowercase()),
            CheckType::BodyText => Subject::BodyText,
            CheckType::ExportedParam => Subject::ExportedParam(vars.ids.get(point.trim()).copied()),
            CheckType::Unknown(other) => {
                return Err(scene_err(rel, &api.api_name, format!("unknown CheckType `{other}`")));
            }
        };
        let op = Op::parse(&op_name, &expect).map_err(|e| scene_err(rel, &api.api_name, e))?;
        out.push(CheckGroup {
            checks: vec![Check { subject, op, expect, type_name: ty, point, op_name }],
            any: false,
        });
    }
    Ok(out)
}

/// Compiles one API of a PTS relation.
pub(super) fn compile_api(
    api: &Api,
    rel_idx: usize,
    rel_name: &str,
    vars: &mut Vars,
    scene_timeout: Option<i32>,
) -> Result<ApiPlan, EngineError> {
    let ctx = format!("relation `{rel_name}`, API `{}`", api.api_name);
    let method =
        parse_method(api.method.as_str()).map_err(|e| scene_err(rel_name, &api.api_name, e))?;
    let url = vars.template(&api.url);
    let headers: Vec<(String, _)> = api
        .header_list
        .iter()
        .flatten()
        .filter_map(|h| {
            let n = h.header_name.as_deref()?.trim();
            (!n.is_empty())
                .then(|| (n.to_string(), vars.template(h.header_value.as_deref().unwrap_or(""))))
        })
        .collect();
    let body = api.body.as_ref().and_then(|b| b.body_value.as_deref()).map(|b| vars.template(b));
    let content_type = api.body.as_ref().and_then(|b| b.content_type.clone());
    let timeout_s = api
        .timeout_in_second
        .filter(|t| *t > 0)
        .or(scene_timeout.filter(|t| *t > 0))
        .map(|t| t as u64)
        .unwrap_or(DEFAULT_TIMEOUT_SECS);
    let checks = check_group(api, rel_name, vars)?;
    let mut exports = Vec::new();
    for ex in api.export_list.iter().flatten() {
        // Not blank: the scene rules hold.
        let name = ex.export_name.as_deref().map(str::trim).unwrap_or("");
        let ty = ex.export_type.as_ref().map_or(String::new(), ToString::to_string);
        let expr = ex.export_value.clone().unwrap_or_default();
        let kind = parse_export(&ty, &expr, ex.count.as_deref())
            .map_err(|e| scene_err(rel_name, &api.api_name, e))?;
        exports.push(ExportRule {
            var: vars.var(name),
            name: name.to_string(),
            kind,
            type_name: ty,
            expr,
            count: ex.count.clone(),
            soft: false,
            default: None,
        });
    }
    let imports = request_imports(&url, &headers, body.as_ref());
    let fixed = prepare_fixed(&method, &url, &headers, body.as_ref(), content_type.as_deref())
        .transpose()
        .map_err(|e| compile_err(e, &ctx))?;
    let needs_body = reads_body(&checks, &exports);
    Ok(ApiPlan {
        name: api.api_name.clone(),
        id: api.api_id.clone(),
        relation: rel_idx,
        method,
        url,
        headers,
        body,
        content_type,
        fixed,
        timeout: Duration::from_secs(timeout_s),
        max_redirects: if api.redirect_count_limit.as_i64() > 0 { 10 } else { 0 },
        checks,
        exports,
        think: Duration::ZERO,
        needs_body,
        imports,
    })
}

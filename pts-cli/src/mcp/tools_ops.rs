//! One tool per PTS operation, generated from the inventory: named after the operation,
//! input schema from its parameters ([`super::schema`]), our one-line description and
//! read-only/mutating annotations. A call is validated with the same rules as `pts call`
//! before anything is sent; mutating calls pass the gate (plan, then token).

use super::context::Ctx;
use super::schema::{TOKEN_FIELD, input_schema};
use super::{describe, plan, reply};
use crate::call_evidence::begin_call_evidence;
use pts_api::__private::validate::validate_params;
use pts_api::meta::OperationMeta;
use pts_ops::errors;
use rmcp::model::{CallToolResult, Tool};
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// The 44 operation tools.
pub fn tools() -> Vec<Tool> {
    pts_api::OPERATIONS
        .iter()
        .map(|op| {
            let line = describe::one_line(op.name).unwrap_or(op.name);
            let line = if op.is_mutating() {
                format!("{line} Mutating: the first call returns a plan and confirm_token.")
            } else {
                line.to_string()
            };
            Tool::new(op.name, line, Arc::new(input_schema(op))).annotate(describe::annotations(op))
        })
        .collect()
}

/// Runs operation tool `op` with `args`.
pub async fn call(
    ctx: &Ctx,
    op: &'static OperationMeta,
    args: Map<String, Value>,
) -> CallToolResult {
    let token = match args.get(TOKEN_FIELD) {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) if op.is_mutating() => Some(t.clone()),
        Some(_) => {
            return reply::refused(
                "usage",
                format!(
                    "{}: {TOKEN_FIELD} must be a string, and only mutating tools take it",
                    op.name
                ),
            );
        }
    };
    let mut params = args.clone();
    params.remove(TOKEN_FIELD);
    let params = Value::Object(params);
    if let Err(e) = validate_params(op, &params) {
        return reply::validation(&e);
    }
    let problems = scene_problems(op, &params);
    if !problems.is_empty() {
        return reply::scene_rules(op.name, &problems);
    }
    if !op.is_mutating() {
        return send(ctx, op, params, None).await;
    }
    if let Err(why) = ctx.policy.check(op.name) {
        return reply::refused("refused", why);
    }
    let Some(token) = token else {
        let plan = plan::for_operation(ctx, op.name, &args).await;
        return planned(ctx, &plan, &[op.name], &args);
    };
    if let Err(why) = ctx.tokens.redeem(op.name, &args, &token) {
        return reply::refused("confirmation", why);
    }
    send(ctx, op, params, Some(&args)).await
}

/// Issues the token and returns the plan (not an error: the agent shows it and confirms).
pub fn planned(
    ctx: &Ctx,
    plan: &plan::Plan,
    operations: &[&str],
    args: &Map<String, Value>,
) -> CallToolResult {
    let issued = match ctx.tokens.issue(&plan.tool, args) {
        Ok(i) => i,
        Err(e) => return reply::refused("internal", e),
    };
    let summary = format!(
        "Plan for {} on {} (not executed): {}. To execute, call {} again with the same \
         arguments and confirm_token {} (single use, expires {}).",
        plan.tool,
        ctx.endpoint(),
        plan.effect,
        plan.tool,
        issued.token,
        issued.expires_at
    );
    reply::plan(
        summary,
        json!({
            "status": "confirmation_required",
            "executed": false,
            "plan": plan.to_json(ctx, operations),
            "expires_at": issued.expires_at,
            "next": {"tool": plan.tool, "arguments": "the same arguments plus confirm_token"},
        }),
        &issued.token,
    )
}

/// Sends a validated call; `confirmed` (the arguments) for mutations, which write evidence.
async fn send(
    ctx: &Ctx,
    op: &'static OperationMeta,
    params: Value,
    confirmed: Option<&Map<String, Value>>,
) -> CallToolResult {
    let mut ev = match confirmed {
        Some(args) => match begin_call_evidence(
            op,
            &params,
            &ctx.evidence,
            ctx.target.clone(),
            &ctx.command(op.name, args),
        ) {
            Ok(ev) => Some(ev),
            Err(e) => return reply::cli_error(op.name, &e, json!({"sent": false})),
        },
        None => None,
    };
    let result = ctx.client.send_json(op, params.clone()).await.map_err(|e| errors::from_api(&e));
    let mut evidence_dir = None;
    let health = ev.as_ref().map(|e| e.health()).unwrap_or_default();
    if let Some(mut ev) = ev.take() {
        for (key, name) in
            [("SceneId", "scene_id"), ("PlanId", "plan_id"), ("ReportId", "report_id")]
        {
            let returned = result.as_ref().ok().and_then(|o| o.body.get(key));
            if let Some(v) = params.get(key).or(returned) {
                ev.param(name, v);
            }
        }
        let _ = ev.call(op.name, &params, result.as_ref().map(|o| &o.body));
        let outcome = if result.is_ok() { "ok" } else { "failed" };
        evidence_dir = ev.finish(outcome, &[]).ok().flatten().map(|d| d.display().to_string());
    }
    match result {
        Ok(out) => {
            let summary =
                summarize(op, &out.body, out.request_id.as_deref(), evidence_dir.as_deref());
            let mut body = out.body;
            if let (Value::Object(m), Some(dir)) = (&mut body, &evidence_dir) {
                m.insert("evidence_dir".into(), dir.clone().into());
            }
            if confirmed.is_some()
                && let Value::Object(m) = &mut body
            {
                m.insert("executed".into(), true.into());
            }
            reply::with_evidence(reply::ok(summary, body), &health)
        }
        Err(e) => reply::with_evidence(
            reply::cli_error(op.name, &e, json!({"sent": true, "evidence_dir": evidence_dir})),
            &health,
        ),
    }
}

/// `ListPtsScene: ok, 3 SceneViewList item(s); RequestId ...`.
fn summarize(
    op: &OperationMeta,
    body: &Value,
    request_id: Option<&str>,
    dir: Option<&str>,
) -> String {
    let mut s = format!("{}: ok", op.name);
    if let Some(p) = &op.paging {
        let n = body.get(p.items).and_then(Value::as_array).map_or(0, Vec::len);
        s.push_str(&format!(", {n} {} item(s)", p.items));
    }
    for key in ["SceneId", "PlanId", "ReportId", "Status"] {
        if let Some(v) = body.get(key).and_then(Value::as_str) {
            s.push_str(&format!(", {key} {v}"));
        }
    }
    if let Some(id) = request_id {
        s.push_str(&format!("; RequestId {id}"));
    }
    if let Some(d) = dir {
        s.push_str(&format!("; evidence in {d}"));
    }
    s
}

/// The scene rules' verdict on the `Scene` of a scene save (the checks of `pts scene
/// validate`); empty for other operations.
fn scene_problems(op: &'static OperationMeta, params: &Value) -> Vec<pts_api::rules::Violation> {
    if !matches!(op.name, "SavePtsScene" | "CreatePtsScene" | "ModifyPtsScene") {
        return Vec::new();
    }
    let (Some(p), Some(scene)) = (op.param("Scene"), params.get("Scene")) else {
        return Vec::new();
    };
    let scene = match scene {
        Value::String(text) => serde_json::from_str(text).unwrap_or(Value::Null),
        v => v.clone(),
    };
    let scene = pts_api::__private::params::keys_to_wire(&scene, p.shape);
    pts_ops::scene_doc::validate::validate(&scene)
}

//! Workflow tools: the operator guides' steps on top of the operation tools. Each returns
//! structured content, a short summary and the ids the next step needs (`next`).
//! Mutating ones (start_scene, stop_scene, sla_run) pass the same gate as the operation
//! tools: plan and token first.

use super::context::Ctx;
use super::schema::{TOKEN_FIELD, object, token_property};
use super::{reply, wf_reads, wf_runs, wf_sla};
use rmcp::model::{CallToolResult, Tool, ToolAnnotations};
use serde_json::{Map, Value, json};
use std::sync::Arc;

struct Spec {
    name: &'static str,
    line: &'static str,
    mutating: bool,
    props: fn() -> Vec<(&'static str, Value, bool)>,
}

fn scene_id() -> (&'static str, Value, bool) {
    ("scene_id", json!({"type": "string", "minLength": 1, "description": "SceneId"}), true)
}

fn plan_id(required: bool) -> (&'static str, Value, bool) {
    (
        "plan_id",
        json!({"type": "string", "minLength": 1, "description": "PlanId of the run"}),
        required,
    )
}

const SPECS: &[Spec] = &[
    Spec {
        name: "scene_inventory",
        line: "List every PTS scene (all pages) with id, name and status.",
        mutating: false,
        props: || {
            vec![(
                "keyword",
                json!({"type": "string", "description": "name (fuzzy) or id (exact)"}),
                false,
            )]
        },
    },
    Spec {
        name: "scene_detail",
        line: "Show one PTS scene: URLs, load settings, runtime status and recent reports.",
        mutating: false,
        props: || vec![scene_id()],
    },
    Spec {
        name: "preflight_start",
        line: "Check a PTS scene before a start (exists, not running, complete config) and estimate its VUM.",
        mutating: false,
        props: || vec![scene_id()],
    },
    Spec {
        name: "start_scene",
        line: "Start a PTS scene after its pre-flight and verify that load flows; returns the PlanId.",
        mutating: true,
        props: || vec![scene_id()],
    },
    Spec {
        name: "running_snapshot",
        line: "One snapshot of a running PTS scene: status, concurrency, TPS, RT, failures, agents.",
        mutating: false,
        props: || vec![scene_id(), plan_id(true)],
    },
    Spec {
        name: "stop_scene",
        line: "Stop a running PTS scene and wait until it has stopped; returns the ids for its report.",
        mutating: true,
        props: || vec![scene_id()],
    },
    Spec {
        name: "report_summary",
        line: "Key metrics of a PTS report and findings rated high/medium/low.",
        mutating: false,
        props: || vec![scene_id(), plan_id(true)],
    },
    Spec {
        name: "sla_run",
        line: "Start a PTS scene, watch it to the end against SLA thresholds, stop it and report pass/fail.",
        mutating: true,
        props: || {
            vec![
                scene_id(),
                (
                    "sla",
                    json!({"type": "string", "minLength": 1,
                           "description": "criteria as for `pts run --sla`, e.g. \"p90<500ms,error_rate<1%,tps>=100\" (metrics avg_rt, p90, p99, error_rate, success_rate, tps)"}),
                    true,
                ),
                (
                    "duration_s",
                    json!({"type": "integer", "minimum": 1, "maximum": 86400,
                           "description": "stop after this many seconds (default: the scene's own duration)"}),
                    false,
                ),
            ]
        },
    },
];

/// The workflow tools' definitions.
pub fn tools() -> Vec<Tool> {
    SPECS
        .iter()
        .map(|s| {
            let mut props = Map::new();
            let mut required = Vec::new();
            for (name, schema, req) in (s.props)() {
                props.insert(name.into(), schema);
                if req {
                    required.push(Value::from(name));
                }
            }
            let line = if s.mutating {
                props.insert(TOKEN_FIELD.into(), token_property());
                format!("{} Mutating: the first call returns a plan and confirm_token.", s.line)
            } else {
                s.line.to_string()
            };
            let a = ToolAnnotations::with_title(s.name).open_world(true);
            let a = if s.mutating {
                a.read_only(false).destructive(s.name == "stop_scene").idempotent(false)
            } else {
                a.read_only(true)
            };
            Tool::new(s.name, line, Arc::new(object(props, required))).annotate(a)
        })
        .collect()
}

/// Runs workflow tool `name`; `None` when there is no such tool.
pub async fn call(ctx: &Ctx, name: &str, args: Map<String, Value>) -> Option<CallToolResult> {
    let spec = SPECS.iter().find(|s| s.name == name)?;
    if let Err(r) = check_args(spec, &args) {
        return Some(r);
    }
    if spec.mutating
        && let Err(why) = ctx.policy.check(name)
    {
        return Some(reply::refused("refused", why));
    }
    let s = |k: &str| args.get(k).and_then(Value::as_str).map(str::to_string);
    let scene = s("scene_id").unwrap_or_default();
    Some(match name {
        "scene_inventory" => wf_reads::inventory(ctx, s("keyword")).await,
        "scene_detail" => wf_reads::detail(ctx, &scene).await,
        "running_snapshot" => {
            wf_reads::snapshot(ctx, &scene, &s("plan_id").unwrap_or_default()).await
        }
        "preflight_start" => wf_runs::preflight(ctx, &scene).await,
        "report_summary" => wf_runs::report(ctx, &scene, &s("plan_id").unwrap_or_default()).await,
        "start_scene" => wf_runs::start(ctx, &scene, &args).await,
        "stop_scene" => wf_runs::stop(ctx, &scene, &args).await,
        "sla_run" => wf_sla::sla_run(ctx, &scene, &args).await,
        _ => return None,
    })
}

/// Required, known, and of the declared basic type; the rest is checked by the workflows.
fn check_args(spec: &Spec, args: &Map<String, Value>) -> Result<(), CallToolResult> {
    let props = (spec.props)();
    for key in args.keys() {
        let known = props.iter().any(|(n, _, _)| n == key) || (spec.mutating && key == TOKEN_FIELD);
        if !known {
            return Err(bad(spec.name, key, "unknown parameter"));
        }
    }
    for (name, schema, required) in &props {
        match args.get(*name) {
            None | Some(Value::Null) if *required => return Err(bad(spec.name, name, "required")),
            None | Some(Value::Null) => {}
            Some(v) => {
                let ok = match schema["type"].as_str() {
                    Some("string") => v.as_str().is_some_and(|s| !s.is_empty()),
                    Some("integer") => v.as_i64().is_some_and(|i| {
                        schema["minimum"].as_i64().is_none_or(|m| i >= m)
                            && schema["maximum"].as_i64().is_none_or(|m| i <= m)
                    }),
                    Some("array") => v.as_array().is_some_and(|a| !a.is_empty()),
                    _ => true,
                };
                if !ok {
                    return Err(bad(spec.name, name, &format!("must match {schema}")));
                }
            }
        }
    }
    Ok(())
}

fn bad(tool: &str, field: &str, rule: &str) -> CallToolResult {
    let message = format!("invalid arguments: {tool}: parameter {field}: {rule}; nothing was sent");
    reply::fail(
        message.clone(),
        json!({"error": "validation", "tool": tool, "field": field, "rule": rule,
               "message": message, "sent": false}),
    )
}

//! The run workflow tools: pre-flight, start with verification, stop, report summary and
//! the SLA run, on the workflow libraries the CLI's commands use.

use super::context::Ctx;
use super::reply;
use rmcp::model::CallToolResult;
use serde_json::{Map, Value};

fn pending(tool: &str) -> CallToolResult {
    reply::refused("unavailable", format!("{tool} is not available in this build yet"))
}

pub async fn preflight(_ctx: &Ctx, _scene_id: &str) -> CallToolResult {
    pending("preflight_start")
}

pub async fn report(_ctx: &Ctx, _scene_id: &str, _plan_id: &str) -> CallToolResult {
    pending("report_summary")
}

pub async fn start(_ctx: &Ctx, _scene_id: &str, _args: &Map<String, Value>) -> CallToolResult {
    pending("start_scene")
}

pub async fn stop(_ctx: &Ctx, _scene_id: &str, _args: &Map<String, Value>) -> CallToolResult {
    pending("stop_scene")
}

pub async fn sla_run(_ctx: &Ctx, _scene_id: &str, _args: &Map<String, Value>) -> CallToolResult {
    pending("sla_run")
}

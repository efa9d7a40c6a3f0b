//! The MCP server: tool listing and dispatch on rmcp's `ServerHandler`. Cheap to clone
//! (the streamable HTTP transport builds one per session); clones share the context and
//! so the pending confirmation tokens.

use super::context::Ctx;
use super::{reply, tools_ops, tools_workflow};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::Map;
use std::sync::Arc;

#[derive(Clone)]
pub struct PtsMcp {
    ctx: Arc<Ctx>,
    tools: Arc<Vec<Tool>>,
}

impl PtsMcp {
    pub fn new(ctx: Ctx) -> PtsMcp {
        let mut tools = tools_ops::tools();
        tools.extend(tools_workflow::tools());
        PtsMcp { ctx: Arc::new(ctx), tools: Arc::new(tools) }
    }

    pub fn tools(&self) -> &[Tool] {
        &self.tools
    }

    fn instructions(&self) -> String {
        format!(
            "PTS (Alibaba Cloud Performance Testing Service, API 2020-10-20) at {} (region {}). \
             One tool per API operation (named after it) plus workflow tools (scene_inventory, \
             scene_detail, preflight_start, start_scene, running_snapshot, stop_scene, \
             report_summary, sla_run). Mode: {}. Mutating tools answer a first call with a \
             plan and a confirm_token; call again with the same arguments and that token to \
             execute. Results name the evidence directory of every change and run.",
            self.ctx.endpoint(),
            self.ctx.region(),
            self.ctx.policy.describe()
        )
    }

    /// Runs one tool; unknown names are a tool error, not a protocol error, so the agent
    /// sees the message.
    pub async fn dispatch(
        &self,
        name: &str,
        args: Map<String, serde_json::Value>,
    ) -> rmcp::model::CallToolResult {
        if let Some(op) = pts_api::operation_meta(name) {
            return tools_ops::call(&self.ctx, op, args).await;
        }
        match tools_workflow::call(&self.ctx, name, args).await {
            Some(r) => r,
            None => reply::refused("usage", format!("unknown tool {name:?}")),
        }
    }
}

impl ServerHandler for PtsMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("pts", env!("CARGO_PKG_VERSION")))
            .with_instructions(self.instructions())
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.to_vec()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools.iter().find(|t| t.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let args = request.arguments.unwrap_or_default();
        tracing::debug!(tool = %request.name, "tools/call");
        Ok(self.dispatch(&request.name, args).await.into())
    }
}

//! An MCP client (rmcp's) driving `pts mcp serve` over stdio, spawned from the isolated
//! `pts` environment of a [`Live`] pts-local. Every message the client receives and the
//! server's stderr are kept, so a test can scan all of them for secrets.

#![allow(dead_code)]

use crate::common::live::Live;
use crate::common::{SECRET, TOKEN};
use rmcp::model::{CallToolRequestParams, CallToolResult, Tool};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Map, Value, json};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use tokio::io::AsyncReadExt;

pub struct Mcp<'a> {
    pub live: &'a Live,
    client: Option<RunningService<RoleClient, ()>>,
    transcript: Mutex<Vec<String>>,
    stderr: Arc<Mutex<String>>,
}

/// One tool result, as the client received it.
pub struct Res {
    pub raw: CallToolResult,
}

impl Res {
    pub fn is_error(&self) -> bool {
        self.raw.is_error == Some(true)
    }
    pub fn data(&self) -> &Value {
        self.raw.structured_content.as_ref().expect("structured content")
    }
    pub fn text(&self) -> String {
        self.raw
            .content
            .iter()
            .filter_map(|c| c.as_text().map(|t| t.text.clone()))
            .collect::<Vec<_>>()
            .join("\n")
    }
    #[track_caller]
    pub fn ok(&self) -> &Value {
        assert!(!self.is_error(), "tool error: {}", self.text());
        self.data()
    }
    #[track_caller]
    pub fn err(&self) -> &Value {
        assert!(self.is_error(), "expected a tool error: {}", self.text());
        self.data()
    }
}

impl<'a> Mcp<'a> {
    /// `pts mcp serve EXTRA...` against `live`.
    pub fn start(live: &'a Live, extra: &[&str]) -> Mcp<'a> {
        let mut args = vec!["mcp", "serve"];
        args.extend_from_slice(extra);
        let cmd = tokio::process::Command::from(live.pts.command(&args));
        let stderr = Arc::new(Mutex::new(String::new()));
        let client = live.runtime().block_on(async {
            let (transport, err) = TokioChildProcess::builder(cmd)
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn pts mcp serve");
            if let Some(mut err) = err {
                let sink = stderr.clone();
                tokio::spawn(async move {
                    let mut buf = String::new();
                    let _ = err.read_to_string(&mut buf).await;
                    sink.lock().unwrap().push_str(&buf);
                });
            }
            ().serve(transport).await.expect("MCP initialize")
        });
        Mcp { live, client: Some(client), transcript: Mutex::new(Vec::new()), stderr }
    }

    fn client(&self) -> &RunningService<RoleClient, ()> {
        self.client.as_ref().unwrap()
    }

    pub fn tools(&self) -> Vec<Tool> {
        let tools =
            self.live.runtime().block_on(self.client().list_all_tools()).expect("tools/list");
        self.transcript.lock().unwrap().push(serde_json::to_string(&tools).unwrap());
        tools
    }

    pub fn instructions(&self) -> String {
        let info = self.client().peer_info().expect("server info");
        let text = serde_json::to_string(&info).unwrap();
        self.transcript.lock().unwrap().push(text);
        info.instructions.clone().unwrap_or_default()
    }

    pub fn call(&self, tool: &str, args: Value) -> Res {
        let args: Map<String, Value> = args.as_object().cloned().unwrap_or_default();
        let params = CallToolRequestParams::new(tool.to_string()).with_arguments(args);
        let raw =
            self.live.runtime().block_on(self.client().call_tool(params)).expect("tools/call");
        self.transcript.lock().unwrap().push(serde_json::to_string(&raw).unwrap());
        Res { raw }
    }

    /// Plan first, then confirm with the plan's token; returns (plan, result).
    pub fn plan_and_confirm(&self, tool: &str, args: Value) -> (Value, Res) {
        let plan = self.call(tool, args.clone());
        let p = plan.ok().clone();
        assert_eq!(p["status"], "confirmation_required", "{p}");
        let mut confirmed = args;
        confirmed["confirm_token"] = p["confirm_token"].clone();
        (p, self.call(tool, confirmed))
    }

    /// Closes the session and asserts that no secret appeared in any message received,
    /// in the server's stderr, or in the evidence written.
    pub fn finish(mut self) -> Vec<String> {
        if let Some(c) = self.client.take() {
            let _ = self.live.runtime().block_on(c.cancel());
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
        let mut all = self.transcript.lock().unwrap().clone();
        all.push(self.stderr.lock().unwrap().clone());
        all.extend(evidence_files(&self.live.evidence_root()));
        for text in &all {
            for s in [SECRET, TOKEN] {
                assert!(!text.contains(s), "secret leaked in: {text}");
            }
        }
        all
    }
}

fn evidence_files(root: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(root) else { return out };
    for d in dirs.flatten() {
        for f in std::fs::read_dir(d.path()).into_iter().flatten().flatten() {
            out.push(std::fs::read_to_string(f.path()).unwrap_or_default());
        }
    }
    out
}

/// `{"Scene": scene}` for SavePtsScene.
pub fn save_args(scene: Value) -> Value {
    json!({ "Scene": scene })
}

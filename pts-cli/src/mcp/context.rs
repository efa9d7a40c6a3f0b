//! What every tool call shares: the client built from the CLI's settings (same profiles,
//! credentials, endpoint, region), the mutation policy, pending confirmation tokens and
//! the evidence options. Built once when the server starts.

use super::gate::{Mutations, Policy, Tokens};
use pts_api::__private::redact::redact_json;
use pts_ops::evidence::{Evidence, EvidenceOptions, Target};
use pts_ops::exit::CliResult;
use pts_ops::probe::probe;
use pts_ops::session::Session;
use serde_json::{Map, Value, json};

pub struct Ctx {
    pub client: pts_api::Client,
    pub policy: Policy,
    pub tokens: Tokens,
    pub target: Target,
    /// The AccessKey id, masked, or `None` when it comes from a remote source.
    pub access_key_id: Option<String>,
    /// Where the credentials come from (`env`, `pts_profile`, ...).
    pub credential_source: String,
    pub evidence: EvidenceOptions,
}

/// Results name evidence directories absolutely: the agent does not know the server's
/// working directory.
fn absolute(mut opts: EvidenceOptions) -> EvidenceOptions {
    if opts.root.is_relative()
        && let Ok(cwd) = std::env::current_dir()
    {
        opts.root = cwd.join(&opts.root);
    }
    opts
}

impl Ctx {
    pub fn new(session: &Session, allow: Option<Mutations>) -> Ctx {
        let s = &session.settings;
        let p = probe(s);
        let read_only = s.read_only.value.then(|| s.read_only.origin.clone());
        Ctx {
            client: session.client.clone(),
            policy: Policy { allow, endpoint: session.endpoint(), read_only },
            tokens: Tokens::default(),
            target: session.target(),
            access_key_id: p.access_key_id,
            credential_source: p.source,
            evidence: absolute(session.evidence_options()),
        }
    }

    pub fn endpoint(&self) -> &str {
        &self.target.endpoint
    }

    pub fn region(&self) -> &str {
        &self.target.region
    }

    /// Endpoint, region, profile and the masked account, as plans and results show them.
    pub fn where_(&self) -> Value {
        json!({
            "endpoint": self.target.endpoint,
            "region": self.target.region,
            "profile": self.target.profile,
            "access_key_id": self.access_key_id,
            "credential_source": self.credential_source,
        })
    }

    /// The "command line" evidence records for a tool call: the tool and its arguments
    /// (redacted, without the token).
    pub fn command(&self, tool: &str, args: &Map<String, Value>) -> Vec<String> {
        let mut shown = Value::Object(args.clone());
        if let Some(m) = shown.as_object_mut() {
            m.remove(super::schema::TOKEN_FIELD);
        }
        redact_json(&mut shown);
        vec!["pts".into(), "mcp".into(), "tools/call".into(), tool.into(), shown.to_string()]
    }

    /// Starts the evidence directory of a workflow tool's action on `id`.
    pub fn evidence(
        &self,
        action: &str,
        id: &str,
        tool: &str,
        args: &Map<String, Value>,
    ) -> CliResult<Evidence> {
        Evidence::begin(&self.evidence, action, id, self.target.clone(), &self.command(tool, args))
    }
}

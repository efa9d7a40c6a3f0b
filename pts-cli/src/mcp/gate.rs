//! The mutation gate of the MCP server.
//!
//! 1. Policy: the server is read-only unless started with `--allow-mutations`;
//!    `--allow-mutations=local` only lets mutations through to a loopback endpoint
//!    (pts-local); a read-only profile or `PTS_READ_ONLY` still wins.
//! 2. Two steps: a mutating call without a token gets a plan and a token; only a second
//!    call with that token executes. A token is random, single-use (any presentation
//!    spends it), expires after [`TOKEN_TTL`], and is bound to the tool name and the
//!    canonical JSON of the arguments without the token, so a changed argument is refused.

use pts_api::__private::net::is_loopback_authority;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// How long a plan's token stays valid.
pub const TOKEN_TTL: Duration = Duration::from_secs(300);

/// What `--allow-mutations` said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mutations {
    /// Mutations to any endpoint (each still planned and confirmed)
    All,
    /// Mutations only when the endpoint is a loopback address (pts-local)
    Local,
}

/// The policy in force for this server.
#[derive(Debug, Clone)]
pub struct Policy {
    pub allow: Option<Mutations>,
    pub endpoint: String,
    /// The CLI's read-only setting (profile, `PTS_READ_ONLY`, `--read-only`) and its origin.
    pub read_only: Option<String>,
}

impl Policy {
    /// `Ok` when mutations may be planned and executed, else why not (a tool error).
    pub fn check(&self, tool: &str) -> Result<(), String> {
        if let Some(origin) = &self.read_only {
            return Err(format!(
                "{tool} changes state and read-only mode is on (from {origin}); nothing was sent"
            ));
        }
        match self.allow {
            None => Err(format!(
                "{tool} changes state and this server is read-only; restart it with \
                 --allow-mutations (or --allow-mutations=local for pts-local only); nothing was sent"
            )),
            Some(Mutations::Local) if !is_loopback_authority(&self.endpoint) => Err(format!(
                "{tool} changes state and this server allows mutations only on a loopback \
                 endpoint (--allow-mutations=local), not on {}; nothing was sent",
                self.endpoint
            )),
            Some(_) => Ok(()),
        }
    }

    /// How the server describes its mode (in instructions and plans).
    pub fn describe(&self) -> String {
        match (&self.read_only, self.allow) {
            (Some(o), _) => format!("read-only (from {o})"),
            (None, None) => "read-only (start with --allow-mutations to allow changes)".into(),
            (None, Some(Mutations::Local)) => {
                "mutations on a loopback endpoint only, each planned and confirmed".into()
            }
            (None, Some(Mutations::All)) => "mutations allowed, each planned and confirmed".into(),
        }
    }
}

struct Pending {
    tool: String,
    fingerprint: [u8; 32],
    expires: Instant,
}

/// The tokens of plans not yet confirmed.
pub struct Tokens {
    pending: Mutex<HashMap<String, Pending>>,
    ttl: Duration,
}

impl Default for Tokens {
    fn default() -> Self {
        Tokens::with_ttl(TOKEN_TTL)
    }
}

/// A token handed out with a plan.
#[derive(Debug, Clone)]
pub struct Issued {
    pub token: String,
    pub expires_at: String,
}

impl Tokens {
    pub fn with_ttl(ttl: Duration) -> Tokens {
        Tokens { pending: Mutex::new(HashMap::new()), ttl }
    }

    /// A new token for `tool` called with `args` (the token field, if any, is ignored).
    pub fn issue(&self, tool: &str, args: &Map<String, Value>) -> Result<Issued, String> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for a token: {e}"))?;
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut map = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        map.retain(|_, p| p.expires > now);
        map.insert(
            token.clone(),
            Pending {
                tool: tool.to_string(),
                fingerprint: fingerprint(tool, args),
                expires: now + self.ttl,
            },
        );
        let expires_at = pts_ops::evidence::rfc3339(SystemTime::now() + self.ttl);
        Ok(Issued { token, expires_at })
    }

    /// Spends `token`: `Ok` only when it was issued for this tool and exactly these
    /// arguments and has not expired. The token is gone afterwards either way.
    pub fn redeem(&self, tool: &str, args: &Map<String, Value>, token: &str) -> Result<(), String> {
        let mut map = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let Some(p) = map.remove(token) else {
            return Err(format!(
                "{tool}: the confirmation token is unknown or already used; nothing was sent. \
                 Call {tool} again without confirm_token for a new plan"
            ));
        };
        if p.expires <= Instant::now() {
            return Err(format!(
                "{tool}: the confirmation token expired; nothing was sent. Ask for a new plan"
            ));
        }
        if p.tool != tool || p.fingerprint != fingerprint(tool, args) {
            return Err(format!(
                "{tool}: the confirmation token was issued for {} with other arguments; \
                 nothing was sent and the token is spent. Ask for a new plan with these arguments",
                p.tool
            ));
        }
        Ok(())
    }
}

/// SHA-256 of the tool name and the canonical JSON of the arguments without the token.
fn fingerprint(tool: &str, args: &Map<String, Value>) -> [u8; 32] {
    let mut args = args.clone();
    args.remove(super::schema::TOKEN_FIELD);
    let mut h = Sha256::new();
    h.update(tool.as_bytes());
    h.update([0]);
    h.update(canonical(&Value::Object(args)).as_bytes());
    h.finalize().into()
}

/// JSON with object keys sorted at every level, so key order never matters.
pub fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", Value::String((*k).clone()), canonical(&m[*k])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(items) => {
            format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(","))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn token_is_single_use_and_bound_to_arguments() {
        let t = Tokens::default();
        let a = args(json!({"SceneId": "A", "x": {"b": 1, "a": 2}}));
        let same_reordered =
            args(json!({"x": {"a": 2, "b": 1}, "SceneId": "A", "confirm_token": "z"}));
        let issued = t.issue("StartPtsScene", &a).unwrap();
        assert_eq!(issued.token.len(), 32);
        assert!(t.redeem("StartPtsScene", &same_reordered, &issued.token).is_ok());
        assert!(t.redeem("StartPtsScene", &a, &issued.token).unwrap_err().contains("already used"));
        let issued = t.issue("StartPtsScene", &a).unwrap();
        let other = args(json!({"SceneId": "B"}));
        assert!(
            t.redeem("StartPtsScene", &other, &issued.token)
                .unwrap_err()
                .contains("other arguments")
        );
        let issued = t.issue("StartPtsScene", &a).unwrap();
        assert!(t.redeem("StopPtsScene", &a, &issued.token).is_err());
    }

    #[test]
    fn expired_tokens_are_refused() {
        let t = Tokens::with_ttl(Duration::ZERO);
        let a = args(json!({"SceneId": "A"}));
        let issued = t.issue("StopPtsScene", &a).unwrap();
        let e = t.redeem("StopPtsScene", &a, &issued.token).unwrap_err();
        assert!(e.contains("expired"), "{e}");
    }

    #[test]
    fn policy() {
        let p =
            |allow, endpoint: &str| Policy { allow, endpoint: endpoint.into(), read_only: None };
        assert!(p(None, "127.0.0.1:1").check("X").is_err());
        assert!(p(Some(Mutations::Local), "127.0.0.1:1").check("X").is_ok());
        assert!(p(Some(Mutations::Local), "pts.aliyuncs.com").check("X").is_err());
        assert!(p(Some(Mutations::All), "pts.aliyuncs.com").check("X").is_ok());
        let ro = Policy { read_only: Some("env".into()), ..p(Some(Mutations::All), "h") };
        assert!(ro.check("X").is_err());
    }
}

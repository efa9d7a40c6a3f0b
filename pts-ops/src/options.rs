//! What the front-end (the command line's flags, the MCP server's start-up arguments)
//! decides for a session: the settings' top layer, the mutation gate's answers and where
//! evidence goes. Every field left unset falls back to the environment, the profile or a
//! default (see [`crate::settings`]).

use crate::exit::CliResult;
use pts_api::__private::wire::SignatureVersion;
use pts_api::client::Protocol;
use std::path::PathBuf;
use std::sync::Arc;

/// The front-end's way of asking a person before a mutation (a prompt on a terminal).
/// `context` is what to show first (the summary and the target); `Ok` means "go ahead".
pub trait Ask: std::fmt::Debug + Send + Sync {
    fn ask(&self, action: &str, context: &str) -> CliResult<()>;
}

#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// A profile of pts's config file, else of the aliyun CLI.
    pub profile: Option<String>,
    pub region: Option<String>,
    /// `host[:port]`, or a URL with its scheme.
    pub endpoint: Option<String>,
    pub protocol: Option<Protocol>,
    pub signature: Option<SignatureVersion>,
    /// Refuse every mutation (`Some(false)` overrides a profile's `read_only`).
    pub read_only: Option<bool>,
    /// Mutations need no confirmation.
    pub yes: bool,
    /// Nothing is sent; mutations need no confirmation and write no evidence.
    pub dry_run: bool,
    /// Root of the evidence directories (default [`crate::evidence::DEFAULT_EVIDENCE_DIR`]).
    pub evidence_dir: Option<PathBuf>,
    pub no_evidence: bool,
    /// Who confirms a mutation without `yes`; `None` refuses it.
    pub ask: Option<Arc<dyn Ask>>,
}

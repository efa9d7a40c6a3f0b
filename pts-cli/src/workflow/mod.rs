//! The operator workflows' building blocks, apart from clap and printing, so the CLI's
//! commands and the MCP server share them: a [`session::Session`] (settings, client,
//! runtime), the [`confirm`] gate for mutations, the [`evidence`] directory, shutdown
//! [`signals`] and the per-second [`samples`] a watch keeps.

pub mod confirm;
pub mod evidence;
pub mod ids;
pub mod lifecycle;
pub mod report;
pub mod samples;
pub mod scene_doc;
pub mod session;
pub mod signals;
pub mod sla;
pub mod watch;

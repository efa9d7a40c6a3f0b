//! The operator workflows' building blocks, with no command line and no terminal in them,
//! so the CLI's commands and the MCP server share them: the effective [`settings`] and a
//! [`session::Session`] (settings, client, runtime) built from [`SessionOptions`], the
//! [`confirm`] gate for mutations, the [`evidence`] directory, the scene [`lifecycle`]
//! with its waits, [`watch`], [`report`]s and charts, [`sla`] verdicts, [`scene_doc`]
//! files, credential [`probe`]s, operation [`describe`]s, [`paginate`]d calls, shutdown
//! [`signals`], the per-second [`samples`] a watch keeps, and the [`exit`] table with the
//! error every workflow returns ([`errors`] maps pts-api errors onto it).
//!
//! What needs a person or a terminal (the confirmation prompt, progress spinners) is asked
//! through a trait the front-end implements: [`options::Ask`], [`paginate::Progress`].

pub mod confirm;
pub mod describe;
pub mod errors;
pub mod evidence;
pub mod exit;
pub mod ids;
pub mod lifecycle;
pub mod options;
pub mod outcome;
pub mod paginate;
pub mod probe;
pub mod report;
pub mod samples;
pub mod scene_doc;
pub mod session;
pub mod settings;
pub mod signals;
pub mod sla;
pub mod watch;

pub use exit::{CliError, CliResult, ExitCode};
pub use options::SessionOptions;

//! One module per command, each with its arguments and its `run`; [`crate::cli`] above
//! dispatches to them. Commands import the shared layers below (`args`, `output`, `steps`,
//! ...), never `cli`; a command nests another only as a subcommand (`scene watch`,
//! `jmeter report`).

pub mod api;
pub mod baseline;
pub mod call;
pub mod call_args;
pub mod completions;
pub mod configure;
pub mod demo;
pub mod doctor;
pub mod jmeter;
pub mod meta;
pub mod report;
pub mod run;
pub mod scene;
pub mod watch;
pub mod whoami;

//! One module per command, each with its arguments and its `run`; [`crate::cli`] dispatches
//! to them. No command imports another's parent or the dispatcher.

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

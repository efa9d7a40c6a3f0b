//! Executing one API for one virtual user: request, redirects, timeout, exports, checkpoints,
//! and (when sampled) the full sample log.

mod deadline;
mod redirect;
mod request;
mod vu;

pub(crate) use deadline::Deadline;
pub(crate) use request::exec;
pub(crate) use vu::{Limits, SampleCtx, Vu};

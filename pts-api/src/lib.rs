//! Typed client for the Alibaba Cloud Performance Testing Service (PTS) OpenAPI 2020-10-20.
//!
//! Hand-written runtime modules sit beside `generated`, which `cargo xtask regen` writes
//! from the committed inventory and which is never edited by hand.

pub mod client;
pub mod config;
pub mod credentials;
pub mod error;
#[rustfmt::skip]
pub mod generated;
#[cfg(test)]
mod golden;
pub mod json_text;
pub mod lenient;
pub mod meta;
pub mod net;
pub mod operation;
pub mod paginate;
pub mod params;
pub mod patterns;
pub mod redact;
pub mod retry;
pub mod validate;
pub mod waiter;
pub mod wire;

pub use client::{CallOptions, Client, ClientBuilder, Output};
pub use error::Error;
pub use generated::operations as ops;
pub use generated::shapes;
pub use generated::{OPERATIONS, operation_meta};
pub use json_text::JsonText;
pub use operation::{Operation, Paginated, Request, Response, WireParams};
pub use paginate::Paginator;
pub use retry::RetryPolicy;
pub use validate::{Rule, ValidationError};
pub use waiter::{WaitConfig, WaitError, WaitOutcome};

//! Typed client for the Alibaba Cloud Performance Testing Service (PTS) OpenAPI 2020-10-20.
//!
//! Every operation has a marker type, a request with a builder and a response in
//! [`ops`]; [`Client`] has one async method per operation, a paginator for the paged ones
//! and waiters for the states a load test goes through. Requests are checked against every
//! rule of the API (ranges, lengths, patterns, value sets) before anything is sent.
//!
//! ```no_run
//! use pts_api::ops::list_pts_scene::ListPtsSceneRequest;
//! use pts_api::ops::start_pts_scene::StartPtsSceneRequest;
//! use pts_api::{Client, WaitConfig};
//! use std::time::Duration;
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! // Credentials come from the default chain (environment, CLI profile, ECS role, ...).
//! let client = Client::builder().region("cn-hangzhou").build()?;
//!
//! // One call; a request that breaks a rule fails here, naming the field and the rule.
//! let request = ListPtsSceneRequest::builder().page_number(1).page_size(10).build()?;
//! let first = client.list_pts_scene(request.clone()).await?;
//! println!("request id {:?}", first.request_id);
//!
//! // Every scene, page after page.
//! let scenes = client.list_pts_scene_paginator(request).collect_items().await?;
//! for scene in &scenes {
//!     println!("{:?} {:?}", scene.scene_id, scene.scene_name);
//! }
//!
//! // Start the first scene and wait until it runs.
//! if let Some(id) = scenes.first().and_then(|s| s.scene_id.clone()) {
//!     let start = StartPtsSceneRequest::builder().scene_id(id.clone()).build()?;
//!     let plan = client.start_pts_scene(start).await?.into_body().plan_id.unwrap_or_default();
//!     println!("plan {plan}");
//!     let config = WaitConfig::default().timeout(Duration::from_secs(300));
//!     client.wait_pts_run_started(&id, &plan, &config).await?;
//! }
//! # Ok(())
//! # }
//! ```
//!
//! [`ops`] and [`shapes`] are written by `cargo xtask regen` from the committed inventory
//! and never edited by hand. Their structs are `#[non_exhaustive]`, so a field the API adds
//! later is not a breaking change: build requests with their builders and other structs
//! with [`make!`] (or `Default` and field assignment).

pub mod checksum;
pub mod client;
pub mod config;
pub mod credentials;
pub mod error;
#[rustfmt::skip]
mod generated;
mod envelope;
#[cfg(test)]
mod golden;
mod json;
mod json_text;
mod keys;
mod make;
pub mod meta;
mod net;
mod operation;
mod paginate;
mod params;
mod patterns;
mod redact;
mod retry;
pub mod rules;
pub mod time;
mod validate;
pub mod waiter;
mod wire;

/// Internals the other crates of this workspace (the CLI, the local service) share with
/// the client: signing and request decoding, parameter decoding, validation of raw JSON,
/// redaction and the loopback rule. Not part of the API; they change without notice.
#[doc(hidden)]
pub mod __private {
    #![allow(missing_docs)]
    pub mod net {
        pub use crate::net::*;
    }
    pub mod params {
        pub use crate::params::*;
    }
    pub mod patterns {
        pub use crate::patterns::*;
    }
    pub mod redact {
        pub use crate::redact::*;
    }
    pub mod validate {
        pub use crate::validate::*;
    }
    pub mod wire {
        pub use crate::wire::*;
    }
}

pub use client::{CallOptions, Client, ClientBuilder, Output};
pub use error::Error;
pub use generated::operations as ops;
pub use generated::shapes;
pub use generated::{
    OPERATIONS, OperationVisitor, PaginatedVisitor, operation_meta, visit_operation,
    visit_paginated,
};
pub use json_text::JsonText;
pub use operation::{Operation, Paginated, Request, Response};
pub use paginate::Paginator;
pub use params::WireParams;
pub use retry::{Jitter, RetryPolicy};
pub use validate::{Rule, ValidationError};
pub use waiter::{WaitConfig, WaitError, WaitOutcome};

//! The PTS client: endpoint, signing, transport, retries, error classification.
//!
//! ```no_run
//! # async fn demo() -> Result<(), pts_api::Error> {
//! use pts_api::ops::get_pts_scene::{GetPtsScene, GetPtsSceneRequest};
//! let client = pts_api::Client::builder().build()?;
//! let req = GetPtsSceneRequest::builder().scene_id("ABC").build()?;
//! let out = client.send::<GetPtsScene>(req).await?;
//! println!("{:?} {:?}", out.request_id, out.body.scene);
//! # Ok(()) }
//! ```

mod builder;
mod endpoint;
mod handle;
mod hooks;
mod prepared;
mod send;
mod transport;
mod user_agent;

pub use crate::wire::SignatureVersion;
pub use builder::ClientBuilder;
pub use endpoint::{CENTRAL_ENDPOINT, Protocol, resolve_endpoint};
pub use handle::{
    API_VERSION, CallOptions, Client, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT,
    DEFAULT_REGION, Output,
};
#[doc(hidden)]
pub use hooks::TestHooks;
pub use prepared::{PreparedRequest, RedactedRequest};
pub use user_agent::{USER_AGENT_ENV, base_user_agent};

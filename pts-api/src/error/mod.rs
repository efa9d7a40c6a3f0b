//! The one error type of a PTS call.
//!
//! Every variant says where the call stopped: before the network ([`Error::Validation`],
//! [`Error::Credentials`], [`Error::Config`]), on the way ([`Error::Transport`],
//! [`Error::Timeout`]), or in the service's answer ([`Error::Service`] for HTTP 4xx/5xx,
//! [`Error::Api`] for an HTTP 2xx whose body says `"Success": false`, [`Error::Decode`] for a
//! body that does not parse). `Display` always shows the error code, the message and the
//! RequestId when the service sent them, and never a secret.

mod class;
mod classify;
mod parse;
mod types;

pub use class::{ErrorClass, PLAN_INVALID};

pub use classify::code_is_authorization;
pub use parse::{ErrorBody, parse_error_body};
pub use types::{ApiError, BoxError, DecodeError, Error, ServiceError, TimeoutPhase};

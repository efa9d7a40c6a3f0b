//! The PTS wire protocol: encodings, both signature schemes, request assembly for the
//! client and signature verification for a server, as the official SDK speaks them.
//!
//! - [`encode`]: RFC 3986 / form encodings and the form decoder
//! - [`v3`]: ACS3-HMAC-SHA256 (default), [`v1`]: RPC HMAC-SHA1 (opt-in)
//! - [`request`]: a complete signed request ([`build_signed_request`])
//! - [`incoming`], [`select`] and [`verify`](mod@verify): the server side (one parameter
//!   set from query and form body; the operation taken from signed input only)
//! - [`redact`]: keeps credentials out of `Debug` output

pub mod authorization;
pub mod encode;
pub mod incoming;
pub mod redact;
pub mod request;
pub mod select;
pub mod v1;
pub mod v3;
pub mod verify;

pub use incoming::{DecodedRequest, IncomingRequest, Param, Place};
pub use request::{
    RetryInfo, RpcRequestParts, SignatureVersion, SigningKey, WireRequest, build_signed_request,
    format_date, new_nonce,
};
pub use select::{Selection, select_operation};
pub use verify::{Verified, VerifyError, verify};

//! What a v3 `Authorization` header carries, and why a request's signature is refused: the
//! parts that both routing (`select`) and checking (`verify`) need.

use super::redact;
use super::request::SignatureVersion;
use super::v3;
use std::fmt;

/// Why a request was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the request is not signed: no Authorization header and no Signature param")]
    MissingAuth,
    /// A signed request that names no `Action` or `Version` in a signed place.
    #[error("{0} is missing from the signed input")]
    MissingSelector(&'static str),
    /// v1: `Action`/`Version` only in a header, which a v1 signature does not cover.
    #[error(
        "{name} must be a signed parameter: the {header} header is not covered by a v1 signature"
    )]
    UnsignedSelector { name: &'static str, header: &'static str },
    /// `Action`/`Version` given twice with different values (see [`super::select`]).
    #[error("{name} is {chosen:?} in the {chosen_from} but {other:?} in the {other_from}")]
    ConflictingSelector {
        name: &'static str,
        chosen: String,
        chosen_from: String,
        other: String,
        other_from: String,
    },
    #[error("malformed signature data: {0}")]
    MalformedAuth(&'static str),
    #[error("unsupported signature algorithm {0:?}")]
    UnsupportedAlgorithm(String),
    /// `host`, `content-type` and every `x-acs-*` header must be signed when present,
    /// otherwise nonce, date and token could be swapped without breaking the signature.
    #[error("header {0:?} is present but not listed in SignedHeaders")]
    UnsignedHeader(String),
    #[error("signed header {0:?} is missing from the request")]
    MissingSignedHeader(String),
    #[error("unknown AccessKeyId {0:?}")]
    UnknownKey(String),
    #[error("x-acs-content-sha256 {header} does not match the body's SHA-256 {computed}")]
    ContentHashMismatch { header: String, computed: String },
    #[error("the signature does not match the server's calculation")]
    SignatureMismatch {
        scheme: SignatureVersion,
        /// What the server signed; compare with the client's to find the difference.
        expected_string_to_sign: StringToSign,
    },
}

/// A string to sign kept for debugging. v1 strings to sign embed the STS token, so `Debug`
/// redacts it; [`StringToSign::as_str`] gives the exact text.
#[derive(Clone, PartialEq, Eq)]
pub struct StringToSign(pub String);

impl StringToSign {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for StringToSign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // In the doubly encoded v1 form `=` is `%3D` and `&` is `%26`.
        fmt::Debug::fmt(&redact::redact_after(&self.0, "SecurityToken%3D", "%26"), f)
    }
}

/// The three fields of a v3 `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization<'a> {
    pub credential: &'a str,
    /// Lower-cased, in the order given.
    pub signed_headers: Vec<String>,
    pub signature: &'a str,
}

/// Parses `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>`.
/// Whitespace around fields is tolerated; unknown, repeated or missing fields are not.
pub fn parse_authorization(value: &str) -> Result<Authorization<'_>, VerifyError> {
    use VerifyError::{MalformedAuth, UnsupportedAlgorithm};
    let (algorithm, fields) = value.trim().split_once(' ').ok_or(MalformedAuth(
        "Authorization must be '<algorithm> Credential=..,SignedHeaders=..,Signature=..'",
    ))?;
    if algorithm != v3::ALGORITHM {
        return Err(UnsupportedAlgorithm(algorithm.to_owned()));
    }
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for field in fields.split(',') {
        let (name, val) =
            field.trim().split_once('=').ok_or(MalformedAuth("Authorization field without '='"))?;
        let slot = match name {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed,
            "Signature" => &mut signature,
            _ => return Err(MalformedAuth("unknown Authorization field")),
        };
        if slot.replace(val).is_some() {
            return Err(MalformedAuth("repeated Authorization field"));
        }
    }
    let credential =
        credential.filter(|c| !c.is_empty()).ok_or(MalformedAuth("missing Credential"))?;
    let signature =
        signature.filter(|s| !s.is_empty()).ok_or(MalformedAuth("missing Signature"))?;
    let signed = signed.ok_or(MalformedAuth("missing SignedHeaders"))?;
    let mut signed_headers: Vec<String> = Vec::new();
    for name in signed.split(';').filter(|n| !n.is_empty()) {
        let name = name.trim().to_ascii_lowercase();
        if signed_headers.contains(&name) {
            return Err(MalformedAuth("repeated name in SignedHeaders"));
        }
        signed_headers.push(name);
    }
    Ok(Authorization { credential, signed_headers, signature })
}

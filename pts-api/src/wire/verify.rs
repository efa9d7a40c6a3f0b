//! Server-side signature check for both schemes (ACS3-HMAC-SHA256 and RPC HMAC-SHA1), used
//! by the local PTS emulator. It recomputes the signature from what was received, never from
//! what a client is assumed to send: v3 canonicalizes exactly the `SignedHeaders` list it is
//! given.

use super::incoming::IncomingRequest;
use super::request::SignatureVersion;
use super::select::{scheme, select_operation};
use super::{redact, v1, v3};
use std::fmt;
use subtle::ConstantTimeEq;

/// A request whose signature checked out.
#[derive(Clone, PartialEq, Eq)]
pub struct Verified {
    pub access_key_id: String,
    pub scheme: SignatureVersion,
    /// `x-acs-signature-nonce` (v3) or `SignatureNonce` (v1), for replay checks.
    pub nonce: Option<String>,
    /// `x-acs-date` (v3) or `Timestamp` (v1), as sent.
    pub timestamp: Option<String>,
    /// `x-acs-security-token` (v3) or `SecurityToken` (v1).
    pub security_token: Option<String>,
    /// The operation, from signed input only (see [`super::select`]).
    pub action: String,
    /// The API version, from signed input only.
    pub version: String,
}

impl fmt::Debug for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verified")
            .field("access_key_id", &self.access_key_id)
            .field("scheme", &self.scheme)
            .field("nonce", &self.nonce)
            .field("timestamp", &self.timestamp)
            .field("security_token", &redact::opt(self.security_token.as_deref()))
            .field("action", &self.action)
            .field("version", &self.version)
            .finish()
    }
}

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

/// Checks the request's signature and names the operation it signed. `lookup_secret` maps an
/// AccessKeyId to its secret. An `Authorization` header selects v3; otherwise a `Signature`
/// parameter (query or form body) selects v1. The operation comes only from signed input
/// ([`super::select`]); a request that names it any other way is refused.
pub fn verify<F, S>(req: &IncomingRequest<'_>, lookup_secret: F) -> Result<Verified, VerifyError>
where
    F: FnOnce(&str) -> Option<S>,
    S: AsRef<str>,
{
    let scheme = scheme(req).ok_or(VerifyError::MissingAuth)?;
    let selection = select_operation(req)?;
    let mut verified = match scheme {
        SignatureVersion::V3 => {
            verify_v3(req, req.header("authorization").unwrap_or_default(), lookup_secret)
        }
        SignatureVersion::V1 => verify_v1(req, lookup_secret),
    }?;
    verified.version = selection.version.ok_or(VerifyError::MissingSelector("Version"))?.to_owned();
    verified.action = selection.action.ok_or(VerifyError::MissingSelector("Action"))?.to_owned();
    Ok(verified)
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

fn must_be_signed(name: &str) -> bool {
    let name = name.as_bytes();
    name.eq_ignore_ascii_case(b"host")
        || name.eq_ignore_ascii_case(b"content-type")
        || (name.len() > 6 && name[..6].eq_ignore_ascii_case(b"x-acs-"))
}

fn verify_v3<F, S>(
    req: &IncomingRequest<'_>,
    auth: &str,
    lookup_secret: F,
) -> Result<Verified, VerifyError>
where
    F: FnOnce(&str) -> Option<S>,
    S: AsRef<str>,
{
    let auth = parse_authorization(auth)?;
    let secret = lookup_secret(auth.credential)
        .ok_or_else(|| VerifyError::UnknownKey(auth.credential.to_owned()))?;
    if let Some(id) = req.header("x-acs-accesskey-id")
        && id != auth.credential
    {
        return Err(VerifyError::MalformedAuth("x-acs-accesskey-id differs from Credential"));
    }
    let is_signed = |name: &str| auth.signed_headers.iter().any(|s| s.eq_ignore_ascii_case(name));
    if let Some((name, _)) = req.headers.iter().find(|(n, _)| must_be_signed(n) && !is_signed(n)) {
        return Err(VerifyError::UnsignedHeader(name.to_ascii_lowercase()));
    }
    let mut selected: Vec<(&str, &str)> = Vec::with_capacity(auth.signed_headers.len());
    for name in &auth.signed_headers {
        let before = selected.len();
        selected.extend(
            req.headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| (name.as_str(), v.as_str())),
        );
        if selected.len() == before {
            return Err(VerifyError::MissingSignedHeader(name.clone()));
        }
    }

    // The canonical request always ends in the hash of the body actually received, so the
    // body is authenticated even without the header; a header that lies is still rejected.
    let hashed_payload = v3::hashed_payload(req.body);
    if let Some(claimed) = req.header("x-acs-content-sha256")
        && !claimed.trim().eq_ignore_ascii_case(&hashed_payload)
    {
        return Err(VerifyError::ContentHashMismatch {
            header: claimed.to_owned(),
            computed: hashed_payload,
        });
    }
    let computed = v3::Computed::new(
        secret.as_ref(),
        req.method,
        req.path,
        req.query(),
        selected,
        &hashed_payload,
    );
    check(SignatureVersion::V3, computed.signature(), auth.signature, || {
        computed.string_to_sign()
    })?;
    let header = |name| req.header(name).map(str::to_owned);
    Ok(Verified {
        access_key_id: auth.credential.to_owned(),
        scheme: SignatureVersion::V3,
        nonce: header("x-acs-signature-nonce"),
        timestamp: header("x-acs-date"),
        security_token: header("x-acs-security-token"),
        // Filled in by `verify` from the selection rules.
        action: String::new(),
        version: String::new(),
    })
}

fn verify_v1<F, S>(req: &IncomingRequest<'_>, lookup_secret: F) -> Result<Verified, VerifyError>
where
    F: FnOnce(&str) -> Option<S>,
    S: AsRef<str>,
{
    use VerifyError::{MalformedAuth, UnsupportedAlgorithm};
    // Every v1 field may travel in the query or the form body (clients differ).
    let mut signatures = req.params_named("Signature");
    let (Some(signature), None) = (signatures.next(), signatures.next()) else {
        return Err(MalformedAuth("exactly one Signature param is required"));
    };
    let signature = signature.value.as_str();
    match req.param("SignatureMethod") {
        Some(v1::SIGNATURE_METHOD) => {}
        Some(other) => return Err(UnsupportedAlgorithm(other.to_owned())),
        None => return Err(MalformedAuth("missing SignatureMethod")),
    }
    match req.param("SignatureVersion") {
        Some(v1::SIGNATURE_VERSION) => {}
        Some(other) => {
            return Err(UnsupportedAlgorithm(format!("{} {other}", v1::SIGNATURE_METHOD)));
        }
        None => return Err(MalformedAuth("missing SignatureVersion")),
    }
    let access_key_id = req.param("AccessKeyId").ok_or(MalformedAuth("missing AccessKeyId"))?;
    let secret = lookup_secret(access_key_id)
        .ok_or_else(|| VerifyError::UnknownKey(access_key_id.to_owned()))?;

    let params = || {
        let signed = req.params.iter().filter(|p| p.name != "Signature");
        signed.map(|p| (p.name.as_str(), p.value.as_str()))
    };
    let expected = v1::signature_only(secret.as_ref(), req.method, params());
    let string_to_sign = || v1::sign(secret.as_ref(), req.method, params()).string_to_sign;
    check(SignatureVersion::V1, &expected, signature, string_to_sign)?;
    let param = |name| req.param(name).map(str::to_owned);
    Ok(Verified {
        access_key_id: access_key_id.to_owned(),
        scheme: SignatureVersion::V1,
        nonce: param("SignatureNonce"),
        timestamp: param("Timestamp"),
        security_token: param("SecurityToken"),
        // Filled in by `verify` from the selection rules.
        action: String::new(),
        version: String::new(),
    })
}

/// Constant-time comparison, so response timing does not reveal how much of a forged
/// signature was right.
fn check(
    scheme: SignatureVersion,
    expected: &str,
    got: &str,
    string_to_sign: impl FnOnce() -> String,
) -> Result<(), VerifyError> {
    if bool::from(expected.as_bytes().ct_eq(got.as_bytes())) {
        return Ok(());
    }
    Err(VerifyError::SignatureMismatch {
        scheme,
        expected_string_to_sign: StringToSign(string_to_sign()),
    })
}

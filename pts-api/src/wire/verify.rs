//! Server-side signature check for both schemes (ACS3-HMAC-SHA256 and RPC HMAC-SHA1), used
//! by the local PTS emulator. It recomputes the signature from what was received, never from
//! what a client is assumed to send: v3 canonicalizes exactly the `SignedHeaders` list it is
//! given.

pub use super::authorization::{Authorization, StringToSign, VerifyError, parse_authorization};
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

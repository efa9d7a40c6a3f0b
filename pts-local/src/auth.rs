//! Authentication as the Alibaba Cloud gateway does it: the v3 or v1 signature is checked
//! against the keys the server holds (`pts_api::__private::wire::verify`), then the timestamp window,
//! the STS token bound to the key, and finally the nonce (recorded only for requests whose
//! signature is valid, so nobody can burn another caller's nonces).
//!
//! | failure | HTTP | Code |
//! |---|---|---|
//! | no `Authorization` header and no `Signature` param | 400 | `MissingSignature` |
//! | malformed `Authorization`, unsigned `x-acs-*`/`host`/`content-type` header | 400 | `IncompleteSignature` |
//! | v1 `Action`/`Version` only in the `x-acs-action`/`x-acs-version` header (not signed by v1) | 400 | `IncompleteSignature` |
//! | `Action`/`Version` named twice with different values (signed parameter vs header, v3 signed header vs query/body parameter, query vs body) | 400 | `InvalidParameter` |
//! | other algorithm / SignatureMethod | 400 | `InvalidSignatureMethod` |
//! | unknown AccessKeyId | 404 | `InvalidAccessKeyId.NotFound` |
//! | signature or `x-acs-content-sha256` mismatch | 400 | `SignatureDoesNotMatch` |
//! | no `x-acs-date` / `Timestamp` | 400 | `MissingTimestamp` |
//! | unparsable date | 400 | `InvalidTimeStamp.Format` |
//! | date more than 15 minutes off | 400 | `InvalidTimeStamp.Expired` |
//! | STS key without its token | 400 | `MissingSecurityToken` |
//! | token on a plain AK, or a different token | 400 | `InvalidSecurityToken.MismatchWithAccessKey` |
//! | STS key past its expiry | 400 | `InvalidSecurityToken.Expired` |
//! | no nonce | 400 | `MissingSignatureNonce` |
//! | nonce seen in the window | 400 | `SignatureNonceUsed` |
//! | nonce memory full within one second (see [`crate::nonce`]) | 400 | `Throttling.User` |

use crate::envelope::Fail;
use crate::ids::parse_request_time;
use crate::nonce::{NonceCheck, NonceStore, WINDOW_SECS};
use pts_api::__private::wire::{IncomingRequest, SignatureVersion, Verified, VerifyError, verify};
use std::collections::HashMap;
use std::fmt;

/// A key pair the server accepts. With `security_token` it is an STS credential: requests
/// must carry exactly that token, and `expires_at` (epoch s), if set, ends its validity.
#[derive(Clone, PartialEq, Eq)]
pub struct Key {
    pub access_key_id: String,
    pub access_key_secret: String,
    pub security_token: Option<String>,
    pub expires_at: Option<i64>,
}

impl Key {
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Key {
            access_key_id: id.into(),
            access_key_secret: secret.into(),
            security_token: None,
            expires_at: None,
        }
    }

    /// An STS credential (temporary key + token).
    pub fn sts(id: impl Into<String>, secret: impl Into<String>, token: impl Into<String>) -> Self {
        Key { security_token: Some(token.into()), ..Key::new(id, secret) }
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .field("security_token", &self.security_token.as_ref().map(|_| "<redacted>"))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

pub struct Authenticator {
    keys: HashMap<String, Key>,
    nonces: NonceStore,
}

impl Authenticator {
    pub fn new(keys: &[Key], nonce_capacity: usize) -> Self {
        let keys = keys.iter().map(|k| (k.access_key_id.clone(), k.clone())).collect();
        Authenticator { keys, nonces: NonceStore::new(nonce_capacity) }
    }

    pub fn nonces(&self) -> &NonceStore {
        &self.nonces
    }

    /// Checks one request; `now` is epoch seconds.
    pub fn authenticate(&self, req: &IncomingRequest<'_>, now: i64) -> Result<Verified, Fail> {
        let v = verify(req, |id| self.keys.get(id).map(|k| k.access_key_secret.as_str()))
            .map_err(verify_fail)?;
        let (date_name, nonce_name) = match v.scheme {
            SignatureVersion::V3 => ("x-acs-date", "x-acs-signature-nonce"),
            SignatureVersion::V1 => ("Timestamp", "SignatureNonce"),
        };
        let Some(ts_text) = v.timestamp.as_deref() else {
            return Err(Fail::gateway(
                400,
                "MissingTimestamp",
                format!("{date_name} is mandatory for this action."),
            ));
        };
        let Some(ts) = parse_request_time(ts_text) else {
            return Err(Fail::gateway(
                400,
                "InvalidTimeStamp.Format",
                "Specified time stamp or date value is not well formatted.",
            ));
        };
        if (now - ts).abs() > WINDOW_SECS {
            return Err(expired());
        }
        let key = &self.keys[&v.access_key_id];
        check_token(key, v.security_token.as_deref(), now)?;
        let Some(nonce) = v.nonce.as_deref().filter(|n| !n.is_empty()) else {
            return Err(Fail::gateway(
                400,
                "MissingSignatureNonce",
                format!("{nonce_name} is mandatory for this action."),
            ));
        };
        match self.nonces.check_and_insert(&v.access_key_id, nonce, ts, now) {
            NonceCheck::Fresh => Ok(v),
            NonceCheck::Used => Err(Fail::gateway(
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            )),
            NonceCheck::BeyondHorizon => Err(expired()),
            NonceCheck::Full => Err(Fail::gateway(
                400,
                "Throttling.User",
                "Request was denied due to user flow control.",
            )),
        }
    }
}

fn expired() -> Fail {
    Fail::gateway(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
}

fn check_token(key: &Key, sent: Option<&str>, now: i64) -> Result<(), Fail> {
    let mismatch = || {
        Fail::gateway(
            400,
            "InvalidSecurityToken.MismatchWithAccessKey",
            "Specified SecurityToken mismatch with the AccessKey.",
        )
    };
    match (key.security_token.as_deref(), sent.filter(|t| !t.is_empty())) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(mismatch()),
        (Some(_), None) => Err(Fail::gateway(
            400,
            "MissingSecurityToken",
            "SecurityToken is mandatory for this action.",
        )),
        (Some(expected), Some(got)) => {
            if expected != got {
                return Err(mismatch());
            }
            if key.expires_at.is_some_and(|e| now >= e) {
                return Err(Fail::gateway(
                    400,
                    "InvalidSecurityToken.Expired",
                    "Specified SecurityToken is expired.",
                ));
            }
            Ok(())
        }
    }
}

/// The gateway's answer to a verifier refusal (the table in the module docs).
pub(crate) fn verify_fail(e: VerifyError) -> Fail {
    match e {
        VerifyError::MissingSelector(name) => Fail::gateway(
            400,
            if name == "Action" { "MissingAction" } else { "MissingVersion" },
            format!("{name} is mandatory for this action."),
        ),
        VerifyError::UnsignedSelector { name, header } => Fail::gateway(
            400,
            "IncompleteSignature",
            format!(
                "The request signature does not conform to Aliyun standards. ({name} must be a signed parameter: the {header} header is not covered by a v1 signature)"
            ),
        ),
        e @ VerifyError::ConflictingSelector { name, .. } => Fail::gateway(
            400,
            "InvalidParameter",
            format!("Specified parameter {name} is not valid. ({e})"),
        ),
        VerifyError::MissingAuth => {
            Fail::gateway(400, "MissingSignature", "Signature is mandatory for this action.")
        }
        VerifyError::MalformedAuth(why) => Fail::gateway(
            400,
            "IncompleteSignature",
            format!("The request signature does not conform to Aliyun standards. ({why})"),
        ),
        VerifyError::UnsignedHeader(name) => Fail::gateway(
            400,
            "IncompleteSignature",
            format!(
                "The request signature does not conform to Aliyun standards. (header {name} must be signed)"
            ),
        ),
        VerifyError::MissingSignedHeader(name) => Fail::gateway(
            400,
            "IncompleteSignature",
            format!(
                "The request signature does not conform to Aliyun standards. (signed header {name} is missing)"
            ),
        ),
        VerifyError::UnsupportedAlgorithm(a) => Fail::gateway(
            400,
            "InvalidSignatureMethod",
            format!("Specified signature method {a} is not supported."),
        ),
        VerifyError::UnknownKey(_) => {
            Fail::gateway(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        }
        VerifyError::ContentHashMismatch { .. } => Fail::gateway(
            400,
            "SignatureDoesNotMatch",
            "Specified signature is not matched with our calculation. (x-acs-content-sha256 does not match the body)",
        ),
        VerifyError::SignatureMismatch { expected_string_to_sign, .. } => {
            // Like the real gateway, the message carries the server's string to sign (no secret
            // is in it); a v1 one can hold the caller's own STS token, which is theirs to see.
            Fail::gateway(
                400,
                "SignatureDoesNotMatch",
                format!(
                    "Specified signature is not matched with our calculation. server string to sign is:{}",
                    expected_string_to_sign.as_str()
                ),
            )
        }
    }
}

//! Classification of an [`Error`] by kind and error code: retryable, possibly sent,
//! authorization, throttling, not found.

use super::types::{Error, TimeoutPhase};

/// Error codes that mean "who you are or what you may do", not "what you asked for".
/// Matched as prefixes, so `InvalidAccessKeyId.NotFound` and `Forbidden.RAM` are covered.
const AUTHORIZATION_CODE_PREFIXES: &[&str] = &[
    "InvalidAccessKeyId",
    "InvalidAccessKeySecret",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "InvalidSignature",
    "SignatureNonceUsed",
    "InvalidTimeStamp",
    "InvalidSecurityToken",
    "MissingSecurityToken",
    "InvalidAuthorization",
    "MissingAuthorization",
    "InvalidCredentials",
    "Forbidden",
    "NoPermission",
    "Unauthorized",
    "UnauthorizedOperation",
    "AccessDenied",
    "InvalidBearerToken",
];

/// Messages of the generic `*Fail` codes that mean "no such object": "The scene does not
/// exist", PTS's own "does not exit" [sic], "planId not exist", and DeletePtsScene's "please
/// check the scene ID is correct".
const NOT_FOUND_MESSAGES: &[&str] =
    &["does not exist", "does not exit", "not exist", "not found", "check the scene id is correct"];

/// Messages that mean "the object is busy" ("Scene is running"), whatever the code: PTS
/// answers JMeter state errors as `SceneNotExist` with this message.
const CONFLICT_MESSAGES: &[&str] = &["is running", "is debugging", "is being debugged"];

/// Messages about the object's run state: the object exists, whatever the code says.
const STATE_MESSAGES: &[&str] = &["is running", "is not running", "is debugging"];

/// Codes that say "try again later" whatever the HTTP status (`Throttling.User` comes as 400).
const RETRYABLE_CODE_PREFIXES: &[&str] = &["Throttling", "ServiceUnavailable", "InternalError"];

impl Error {
    /// Whether the error is transient by nature: throttling, `ServiceUnavailable`,
    /// `InternalError` (classified by code, whatever the HTTP status), HTTP 429, a transport
    /// failure or a timeout. Business errors are never retryable, even as HTTP 503
    /// (`EnvNotExist`). Whether a retry is *safe* also depends on the operation; see
    /// [`crate::retry::RetryPolicy`].
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::Timeout { .. } => true,
            Error::Service(e) => {
                e.status == 429 || e.retry_after.is_some() || code_is_retryable(e.code.as_deref())
            }
            Error::Api(e) => code_is_retryable(e.code.as_deref()),
            _ => false,
        }
    }

    /// Whether the request may have reached the server. False only for errors raised before
    /// sending and for connection failures.
    pub fn may_have_been_sent(&self) -> bool {
        match self {
            Error::Validation(_) | Error::Credentials(_) | Error::Config(_) => false,
            Error::Transport { sent, .. } => *sent,
            Error::Timeout { phase, .. } => *phase == TimeoutPhase::Response,
            Error::Service(_) | Error::Api(_) | Error::Decode(_) => true,
        }
    }

    /// Whether the service refused the caller's identity or permissions. Classified by error
    /// code (`InvalidAccessKeyId.*`, `SignatureDoesNotMatch`, `Forbidden*`, `NoPermission*`,
    /// `InvalidSecurityToken.*`, `InvalidTimeStamp.*`, `SignatureNonceUsed`, ...), never by
    /// HTTP status: PTS also answers 403 for missing objects (`SceneNotExist`).
    pub fn is_authorization(&self) -> bool {
        self.code().is_some_and(code_is_authorization)
    }

    /// Throttled by the service (`Throttling*`, HTTP 429, or an `x-acs-retry-after` header).
    pub fn is_throttling(&self) -> bool {
        match self {
            Error::Service(e) => {
                e.status == 429
                    || e.retry_after.is_some()
                    || e.code.as_deref().is_some_and(|c| c.starts_with("Throttling"))
            }
            Error::Api(e) => e.code.as_deref().is_some_and(|c| c.starts_with("Throttling")),
            _ => false,
        }
    }

    /// The object named in the request does not exist: codes ending in `NotExist`,
    /// unless the message speaks of the object's run state ("Scene is running"),
    /// `NotExists` or `NotFound` (e.g. `SceneNotExist`, `EnvNotExist`, `ReportNotExist`),
    /// and the generic `*Fail` codes whose message says so ("The scene does not exist",
    /// PTS's own "does not exit"). Authorization codes (`InvalidAccessKeyId.NotFound`) are not
    /// counted.
    pub fn is_not_found(&self) -> bool {
        let Some(code) = self.code() else {
            return false;
        };
        let msg = self.message().unwrap_or("").to_ascii_lowercase();
        if code_is_authorization(code) || STATE_MESSAGES.iter().any(|m| msg.contains(m)) {
            return false;
        }
        let tail = code.rsplit('.').next().unwrap_or(code);
        if ["NotExist", "NotExists", "NotFound"].iter().any(|s| tail.ends_with(s)) {
            return true;
        }
        code.ends_with("Fail") && NOT_FOUND_MESSAGES.iter().any(|m| msg.contains(m))
    }

    /// The service refused because the object is busy: a scene that is running or being
    /// debugged cannot be changed, deleted or started again ("Scene is running" under a
    /// `*Fail` code, or under `SceneNotExist` for JMeter scenes; PTS publishes no dedicated
    /// code).
    pub fn is_conflict(&self) -> bool {
        let Some(code) = self.code() else {
            return false;
        };
        let msg = self.message().unwrap_or("").to_ascii_lowercase();
        !code_is_authorization(code) && CONFLICT_MESSAGES.iter().any(|m| msg.contains(m))
    }

    /// Whether the call may or may not have reached the service (a transport failure after
    /// sending, a response timeout): a create must be looked up before it is retried. Unlike
    /// [`Error::may_have_been_sent`], an answer from the service is a known outcome.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Error::Transport { sent, .. } => *sent,
            Error::Timeout { phase, .. } => *phase == TimeoutPhase::Response,
            _ => false,
        }
    }
}

/// `true` for codes that name an authentication or authorization failure.
pub fn code_is_authorization(code: &str) -> bool {
    AUTHORIZATION_CODE_PREFIXES.iter().any(|p| code_has_prefix(code, p))
}

fn code_is_retryable(code: Option<&str>) -> bool {
    code.is_some_and(|c| RETRYABLE_CODE_PREFIXES.iter().any(|p| code_has_prefix(c, p)))
}

/// `Forbidden` matches `Forbidden`, `Forbidden.RAM` and `ForbiddenOperation`, and
/// `InvalidAccessKeyId` matches `InvalidAccessKeyId.NotFound`.
fn code_has_prefix(code: &str, prefix: &str) -> bool {
    code.starts_with(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_by_code() {
        for c in [
            "InvalidAccessKeyId.NotFound",
            "SignatureDoesNotMatch",
            "Forbidden.RAM",
            "NoPermission",
            "InvalidSecurityToken.Expired",
            "InvalidTimeStamp.Expired",
            "SignatureNonceUsed",
            "IncompleteSignature",
        ] {
            assert!(code_is_authorization(c), "{c}");
        }
        for c in ["SceneNotExist", "EnvNotExist", "Throttling.User", "StartPtsSceneFail"] {
            assert!(!code_is_authorization(c), "{c}");
        }
    }
}

//! One answer to "what kind of failure is this?", for every command and tool that decides
//! by it (exit codes, hints, "already gone", "look before retrying"). The individual
//! predicates live in `classify`; this module orders them so that each error has exactly
//! one class.

use super::types::Error;

/// The code of a start refused because the scene's plan cannot run as written (an element or
/// field the load engine does not support, an unresolvable value, a missing file). PTS
/// documents no code for this (it checks scenes when they are saved), so the local service (pts-local) answers
/// this one, HTTP 400, at StartPtsScene, StartDebugPtsScene, StartTestingJMeterScene and
/// StartDebuggingJMeterScene; the message names the element and field.
pub const PLAN_INVALID: &str = "Scene.PlanInvalid";

/// The kind of a failed call, most specific first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorClass {
    /// The request broke a rule of the operation or the client configuration; nothing was sent.
    Validation,
    /// No credentials, or the service refused who the caller is or what it may do.
    Authorization,
    /// The service asks the caller to slow down.
    Throttling,
    /// The object named in the request does not exist.
    NotFound,
    /// The object is busy (running or debugging).
    Conflict,
    /// The network failed or timed out.
    Transport,
    /// Any other answer of the service, including a body that does not parse.
    Service,
}

impl ErrorClass {
    /// The class's name as written in JSON output and evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::Validation => "validation",
            ErrorClass::Authorization => "authorization",
            ErrorClass::Throttling => "throttling",
            ErrorClass::NotFound => "not_found",
            ErrorClass::Conflict => "conflict",
            ErrorClass::Transport => "transport",
            ErrorClass::Service => "service",
        }
    }
}

impl Error {
    /// The one class of this error. Authorization is decided before "not found", so
    /// `InvalidAccessKeyId.NotFound` is never taken for a missing object.
    pub fn class(&self) -> ErrorClass {
        match self {
            Error::Validation(_) | Error::Config(_) => ErrorClass::Validation,
            Error::Credentials(_) => ErrorClass::Authorization,
            Error::Transport { .. } | Error::Timeout { .. } => ErrorClass::Transport,
            _ if self.is_authorization() => ErrorClass::Authorization,
            _ if self.is_throttling() => ErrorClass::Throttling,
            _ if self.is_not_found() => ErrorClass::NotFound,
            _ if self.is_conflict() => ErrorClass::Conflict,
            _ => ErrorClass::Service,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::types::ServiceError;

    fn service(status: u16, code: &str, message: &str) -> Error {
        Error::Service(Box::new(ServiceError {
            operation: "DeletePtsScene",
            status,
            code: Some(code.into()),
            message: Some(message.into()),
            request_id: None,
            recommend: None,
            host_id: None,
            access_denied_detail: None,
            retry_after: None,
            raw: Vec::new(),
            content_type: None,
        }))
    }

    #[test]
    fn each_error_has_one_class() {
        let cases = [
            (
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
                ErrorClass::Authorization,
            ),
            (400, "SignatureDoesNotMatch", "bad", ErrorClass::Authorization),
            (403, "Forbidden.RAM", "no", ErrorClass::Authorization),
            (400, "Throttling.User", "slow down", ErrorClass::Throttling),
            (403, "SceneNotExist", "The scene does not exist.", ErrorClass::NotFound),
            (400, "GetPtsSceneFail", "The scene does not exit", ErrorClass::NotFound),
            (400, "GetPtsDebugSampleLogsFail", "planId not exist", ErrorClass::NotFound),
            (
                400,
                "DeletePtsSceneFail",
                "Delete Scene failed, please check the scene ID is correct",
                ErrorClass::NotFound,
            ),
            (400, "DeletePtsScenesFail", "Scene is running", ErrorClass::Conflict),
            (400, "ModifyPtsSceneFail", "Scene is running", ErrorClass::Conflict),
            (400, "StopPtsSceneFail", "Scene is not running", ErrorClass::Service),
            (403, "SceneNotExist", "Scene is running", ErrorClass::Conflict),
            (403, "SceneNotExist", "Scene is not running", ErrorClass::Service),
            (500, "InternalError", "oops", ErrorClass::Service),
        ];
        for (status, code, message, class) in cases {
            assert_eq!(service(status, code, message).class(), class, "{code}: {message}");
        }
    }

    #[test]
    fn outcome_unknown_only_after_sending() {
        let t = |sent| Error::Transport { operation: "X", message: "m".into(), sent, source: None };
        assert!(t(true).outcome_unknown());
        assert!(!t(false).outcome_unknown());
        assert!(!service(400, "SceneNotExist", "x").outcome_unknown());
        assert_eq!(t(true).class(), ErrorClass::Transport);
    }
}

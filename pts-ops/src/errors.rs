//! pts-api errors -> the exit-code table, with a hint for the common cases.
//!
//! The exit code follows the error's one class (`Error::class` in pts-api), which decides
//! authorization by the error code, never by the HTTP status: PTS also answers 403 for
//! objects that do not exist (`SceneNotExist`), and `InvalidAccessKeyId.NotFound` is an
//! authorization failure, not a missing object.

use crate::exit::{CliError, ExitCode};
use pts_api::error::ErrorClass;
use pts_api::{Error, ValidationError};

/// The exit code of an error of this class.
pub fn exit_code(class: ErrorClass) -> ExitCode {
    match class {
        ErrorClass::Validation => ExitCode::Usage,
        ErrorClass::Authorization => ExitCode::Auth,
        ErrorClass::Transport => ExitCode::Network,
        _ => ExitCode::Service,
    }
}

/// A validation failure: exit 2, naming operation, field and rule.
pub fn validation(e: &ValidationError) -> CliError {
    CliError::usage(format!("invalid request: {e}")).with_hint(format!(
        "`pts api describe {}` lists the parameters and their rules",
        e.operation
    ))
}

/// Classifies a failed call.
pub fn from_api(e: &Error) -> CliError {
    match e {
        Error::Validation(v) => validation(v),
        Error::Credentials(c) => CliError::new(ExitCode::Auth, format!("credentials: {c}"))
            .with_hint(
                "set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, run \
                 `pts configure`, or pass --profile; `pts whoami` shows what is found",
            ),
        Error::Config(m) => CliError::usage(format!("client configuration: {m}")),
        Error::Transport { .. } | Error::Timeout { .. } => {
            CliError::new(ExitCode::Network, e.to_string())
                .with_hint("check the network and --endpoint/--protocol (`pts whoami` shows them)")
        }
        Error::Service(_) | Error::Api(_) => service(e),
        Error::Decode(_) => CliError::new(ExitCode::Service, e.to_string())
            .with_hint("the service answered with a body pts cannot read; --verbose shows more"),
        _ => CliError::new(ExitCode::Service, e.to_string()),
    }
}

fn service(e: &Error) -> CliError {
    let code = e.code().unwrap_or("(no code)");
    let mut message = format!("{code}: {}", e.message().unwrap_or("(no message)"));
    let mut tail = Vec::new();
    if let Some(id) = e.request_id() {
        tail.push(format!("RequestId {id}"));
    }
    if let Some(status) = e.status() {
        tail.push(format!("HTTP {status}"));
    }
    if let Error::Api(a) = e
        && let Some(s) = a.http_status_code
    {
        tail.push(format!("HttpStatusCode {s}"));
    }
    if !tail.is_empty() {
        message.push_str(&format!(" ({})", tail.join(", ")));
    }
    let err = CliError::new(exit_code(e.class()), message);
    let (operation, recommend) = match e {
        Error::Service(s) => (s.operation, s.recommend.clone()),
        Error::Api(a) => (a.operation, None),
        _ => ("", None),
    };
    let fallback = match recommend {
        Some(r) => format!("see {r}"),
        None => format!("check the request against `pts api describe {operation}`"),
    };
    err.with_hint(hint(e, code).unwrap_or(fallback))
}

fn hint(e: &Error, code: &str) -> Option<String> {
    let starts = |p: &str| code.starts_with(p);
    let h = if starts("SignatureDoesNotMatch")
        || starts("IncompleteSignature")
        || starts("InvalidSignature")
    {
        "the signature was refused: check the AccessKey secret (`pts whoami` shows which credentials are used)"
    } else if starts("InvalidAccessKeyId") {
        "the AccessKey id is unknown or disabled: check it with `pts whoami`"
    } else if starts("InvalidSecurityToken") || starts("MissingSecurityToken") {
        "the STS security token is invalid or expired: obtain a new one"
    } else if starts("InvalidTimeStamp") {
        "the request time was refused: check the system clock"
    } else if starts("SignatureNonceUsed") {
        "the request nonce was reused: run the command again"
    } else if starts("ServiceUnavailable") || starts("InternalError") {
        "temporary service failure: retry later"
    } else if code == pts_api::error::PLAN_INVALID {
        "the scene cannot run as written: change the element and field the message names (edit \
         the scene file and `pts scene apply -f FILE`, or fix the JMX and `pts jmeter apply -f \
         FILE`), then start it again"
    } else {
        match e.class() {
            ErrorClass::Authorization => {
                "the caller lacks permission for this action: check the RAM policy (e.g. AliyunPTSFullAccess)"
            }
            ErrorClass::Throttling => "throttled by the service: retry later",
            ErrorClass::NotFound => {
                "the object does not exist: check the id (e.g. `pts call ListPtsScene --PageNumber 1 --PageSize 10`)"
            }
            ErrorClass::Conflict => {
                "the scene is running or being debugged: stop it first (`pts scene stop ID --wait`)"
            }
            _ => return None,
        }
    };
    Some(h.to_string())
}

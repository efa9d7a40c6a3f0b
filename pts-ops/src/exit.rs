//! The exit-code table of every `pts` command, and the error every command returns.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | the service answered with an error (HTTP 4xx/5xx, or `Success: false`); `meta check`: drift |
//! | 2 | usage or validation error: nothing was sent |
//! | 3 | credentials missing, or authorization refused (decided by error code, not HTTP status) |
//! | 4 | network failure or timeout |
//! | 5 | a wait timed out |
//! | 6 | a load test ran and failed its SLA |
//! | 130 | interrupted (Ctrl-C), after cleanup |

use std::fmt;

/// Exit codes, one table for every command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    Success = 0,
    Service = 1,
    Usage = 2,
    Auth = 3,
    Network = 4,
    WaitTimeout = 5,
    SlaFailed = 6,
    Interrupted = 130,
}

impl ExitCode {
    /// Every code, in table order.
    pub const ALL: [ExitCode; 8] = [
        ExitCode::Success,
        ExitCode::Service,
        ExitCode::Usage,
        ExitCode::Auth,
        ExitCode::Network,
        ExitCode::WaitTimeout,
        ExitCode::SlaFailed,
        ExitCode::Interrupted,
    ];

    pub fn code(self) -> i32 {
        self as i32
    }
}

/// What a command reports when it fails: the exit code, a one-line message and an
/// optional hint. Never carries a secret: messages are built from names and the service's
/// code, message and RequestId.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub code: ExitCode,
    pub message: String,
    pub hint: Option<String>,
}

impl CliError {
    pub fn new(code: ExitCode, message: impl Into<String>) -> Self {
        CliError { code, message: message.into(), hint: None }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ExitCode::Usage, message)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// A local I/O failure (reading an input file, writing output): a usage error, since
    /// nothing reached the service because of it.
    pub fn io(what: &str, path: &std::path::Path, e: &std::io::Error) -> Self {
        Self::usage(format!("cannot {what} {}: {e}", path.display()))
    }

    pub fn interrupted() -> Self {
        Self::new(ExitCode::Interrupted, "interrupted")
    }

    /// Prints `error: ...` and `hint: ...` to stderr.
    pub fn report(&self) {
        eprintln!("error: {}", self.message);
        if let Some(h) = &self.hint {
            eprintln!("hint: {h}");
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

/// The result every command returns.
pub type CliResult<T = ()> = Result<T, CliError>;

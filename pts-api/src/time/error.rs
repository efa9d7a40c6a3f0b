//! The one error of time and duration parsing.

/// A time or duration text that does not read as one, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not {expected}: {why}")]
pub struct TimeError {
    pub text: String,
    pub expected: &'static str,
    pub why: String,
}

impl TimeError {
    pub(super) fn new(text: &str, expected: &'static str, why: impl Into<String>) -> TimeError {
        TimeError { text: text.to_string(), expected, why: why.into() }
    }
}

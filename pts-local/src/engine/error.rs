//! Errors of the load engine.

/// Everything that can stop a run from starting, or an adjustment from applying.
///
/// Request-level failures during a run (connect errors, timeouts, failed checkpoints...) are not
/// errors of this type: they are counted in the run's statistics by [`super::FailureReason`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// The scene (or JMeter plan) cannot be executed as written.
    #[error("invalid scene: {0}")]
    InvalidScene(String),
    /// A target host is neither loopback nor on the service's allow-list (or cannot be
    /// resolved). `host` is the host exactly as written in the URL or binding.
    #[error("target host `{host}` is not allowed: {reason}")]
    TargetNotAllowed { host: String, reason: String },
    /// The TLS client for `https://` targets cannot be set up (a CA file is unreadable or
    /// holds no certificate).
    #[error("TLS: {0}")]
    Tls(String),
    /// A file parameter or CSV data set could not be read or parsed.
    #[error("file `{name}`: {reason}")]
    File { name: String, reason: String },
    /// The JMX uses an element outside the supported subset; `name` is the element's tag (for
    /// example `JSR223Sampler`), `testname` its `testname` attribute when present, `path` the
    /// chain of enclosing element tags.
    #[error("unsupported JMeter element `{name}`{} at {path}", testname.as_deref().map(|t| format!(" (\"{t}\")")).unwrap_or_default())]
    UnsupportedElement { name: String, testname: Option<String>, path: String },
    /// The JMX is not well-formed or a supported element has an invalid value.
    #[error("invalid JMX: {0}")]
    InvalidJmx(String),
    /// A speed adjustment names an unknown API/relation or a value out of range.
    #[error("invalid speed adjustment: {0}")]
    InvalidAdjust(String),
    /// The engine could not start its worker threads or runtime.
    #[error("engine runtime error: {0}")]
    Runtime(String),
}

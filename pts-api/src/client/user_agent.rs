//! The `user-agent` header: the client's own agent, then the caller's suffix if any. It is
//! signed in v3, so it is computed once.

/// The environment variable whose value is appended when the caller sets no suffix.
pub const USER_AGENT_ENV: &str = "ALIBABA_CLOUD_USER_AGENT";

/// `AlibabaCloud (<os>; <arch>) Rust/<rustc> pts/<crate version> TeaDSL/2`.
///
/// The rustc version is recorded by pts-api's build script (`unknown` if it could not run).
pub fn base_user_agent() -> String {
    let rustc = option_env!("PTS_RUSTC_VERSION").unwrap_or("unknown");
    format!(
        "AlibabaCloud ({}; {}) Rust/{} pts/{} TeaDSL/2",
        std::env::consts::OS,
        std::env::consts::ARCH,
        rustc,
        env!("CARGO_PKG_VERSION")
    )
}

/// The base agent, then a space and the caller's suffix, or else the value of
/// `ALIBABA_CLOUD_USER_AGENT` when set and non-empty.
pub fn user_agent(suffix: Option<&str>) -> String {
    let env = std::env::var(USER_AGENT_ENV).ok();
    let extra = suffix.or(env.as_deref()).map(str::trim).filter(|s| !s.is_empty());
    match extra {
        Some(s) => format!("{} {s}", base_user_agent()),
        None => base_user_agent(),
    }
}

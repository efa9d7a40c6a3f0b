//! Argument groups several commands flatten: waiting (`--wait`, `--poll-interval`,
//! `--max-wait`), debug timing and paging, with their checks.

use pts_ops::exit::{CliError, CliResult};
use std::time::Duration;

/// `--wait`, `--poll-interval`, `--max-wait` of start and stop (the operator scripts'
/// flags and defaults).
#[derive(Debug, Clone, clap::Args)]
pub struct WaitArgs {
    /// Wait for the target status (start: RUNNING, stop: STOPPED)
    #[arg(long)]
    pub wait: bool,
    /// Seconds between status polls
    #[arg(long, default_value_t = 3.0, value_parser = seconds)]
    pub poll_interval: f64,
    /// Longest wait in seconds; a timeout exits 5
    #[arg(long, default_value_t = 120.0, value_parser = seconds)]
    pub max_wait: f64,
}

impl WaitArgs {
    pub fn poll(&self) -> Duration {
        poll_every(self.poll_interval)
    }
    pub fn max(&self) -> Duration {
        Duration::from_secs_f64(self.max_wait)
    }
}

/// `--poll-interval` and `--max-wait` of `debug` (PTS and JMeter scenes).
#[derive(Debug, Clone, clap::Args)]
pub struct DebugArgs {
    /// Seconds between sample-log polls
    #[arg(long, default_value_t = 1.0, value_parser = seconds)]
    pub poll_interval: f64,
    /// Longest time to collect logs, in seconds
    #[arg(long, default_value_t = 30.0, value_parser = seconds)]
    pub max_wait: f64,
}

impl DebugArgs {
    pub fn poll(&self) -> Duration {
        poll_every(self.poll_interval)
    }
    pub fn max(&self) -> Duration {
        Duration::from_secs_f64(self.max_wait)
    }
}

/// A poll interval, never below 50 ms.
fn poll_every(seconds: f64) -> Duration {
    Duration::from_secs_f64(seconds.max(0.05))
}

/// `--page-number` and `--page-size` of `scene list` and `jmeter list`.
#[derive(Debug, Clone, clap::Args)]
pub struct PageArgs {
    /// One page only: this page
    #[arg(long)]
    pub page_number: Option<i64>,
    /// Page size for --page-number (10-1000)
    #[arg(long, default_value_t = 10)]
    pub page_size: i64,
}

impl PageArgs {
    /// PTS's paging ranges, checked before anything is sent.
    pub fn check(&self) -> CliResult<()> {
        if !(10..=1000).contains(&self.page_size) {
            return Err(CliError::usage(format!(
                "--page-size must be 10-1000 (PTS's range) (got {})",
                self.page_size
            )));
        }
        if let Some(n) = self.page_number.filter(|n| *n < 1) {
            return Err(CliError::usage(format!("--page-number must be at least 1 (got {n})")));
        }
        Ok(())
    }
}

/// A non-negative number of seconds.
pub fn seconds(s: &str) -> Result<f64, String> {
    let v: f64 = s.trim().parse().map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if !(0.0..=86_400.0).contains(&v) {
        return Err(format!("must be 0-86400 seconds (got {s})"));
    }
    Ok(v)
}

/// `30s`, `1m 30s`, `500ms`, `2分钟` (every form `pts_api::time::parse_duration` reads);
/// zero is refused.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let d = pts_api::time::parse_duration(s).map_err(|e| e.to_string())?;
    if d.is_zero() { Err("the duration must be more than zero".into()) } else { Ok(d) }
}

//! What a wait ends with: [`WaitOutcome`] on success, [`WaitError`] otherwise, and the
//! [`Observation`]s both carry.

use crate::client::Output;
use crate::error::Error;
use std::fmt;
use std::time::Duration;

#[cfg(doc)]
use crate::client::Client;

/// One poll's result: when (since the wait began) and what status.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation<S> {
    pub elapsed: Duration,
    pub status: S,
}

/// A wait that reached its target.
#[derive(Debug, Clone)]
pub struct WaitOutcome<S, R> {
    pub final_status: S,
    /// Every poll's status, in order.
    pub observed: Vec<Observation<S>>,
    /// Polls made.
    pub attempts: u32,
    pub elapsed: Duration,
    /// The response of the last poll (the report details for [`Client::wait_pts_report_ready`]).
    pub response: Output<R>,
}

/// Why a wait ended without reaching its target.
#[derive(Debug)]
pub enum WaitError<S> {
    /// The deadline passed.
    Timeout { waited: Duration, observed: Vec<Observation<S>>, attempts: u32 },
    /// A failure state, or a poll answered `Success: false`.
    Failed {
        /// The status that ended the wait (the last one seen for `Success: false`).
        status: Option<S>,
        reason: String,
        observed: Vec<Observation<S>>,
        attempts: u32,
        /// The `Success: false` error, when that is what ended the wait.
        error: Option<Box<Error>>,
    },
    /// A poll failed (after the client's retries).
    Call { error: Error, observed: Vec<Observation<S>>, attempts: u32 },
}

impl<S> WaitError<S> {
    pub fn observed(&self) -> &[Observation<S>] {
        match self {
            WaitError::Timeout { observed, .. }
            | WaitError::Failed { observed, .. }
            | WaitError::Call { observed, .. } => observed,
        }
    }
    pub fn attempts(&self) -> u32 {
        match self {
            WaitError::Timeout { attempts, .. }
            | WaitError::Failed { attempts, .. }
            | WaitError::Call { attempts, .. } => *attempts,
        }
    }
}

fn fmt_observed<S: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    observed: &[Observation<S>],
) -> fmt::Result {
    if observed.is_empty() {
        return Ok(());
    }
    f.write_str("; seen: ")?;
    // Consecutive repeats are folded: `CREATED, SYNCING x3, RUNNING`.
    let mut i = 0;
    let mut first = true;
    while i < observed.len() {
        let text = observed[i].status.to_string();
        let mut j = i + 1;
        while j < observed.len() && observed[j].status.to_string() == text {
            j += 1;
        }
        if !first {
            f.write_str(", ")?;
        }
        first = false;
        f.write_str(if text.is_empty() { "<none>" } else { &text })?;
        if j - i > 1 {
            write!(f, " x{}", j - i)?;
        }
        i = j;
    }
    Ok(())
}

impl<S: fmt::Display> fmt::Display for WaitError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Timeout { waited, observed, attempts } => {
                write!(f, "timed out after {:.1} s and {attempts} polls", waited.as_secs_f64())?;
                fmt_observed(f, observed)
            }
            WaitError::Failed { status, reason, observed, .. } => {
                match status {
                    Some(s) => write!(f, "failed in state {s}: {reason}")?,
                    None => write!(f, "failed: {reason}")?,
                }
                fmt_observed(f, observed)
            }
            WaitError::Call { error, observed, .. } => {
                write!(f, "polling failed: {error}")?;
                fmt_observed(f, observed)
            }
        }
    }
}

impl<S: fmt::Debug + fmt::Display> std::error::Error for WaitError<S> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Call { error, .. } => Some(error),
            WaitError::Failed { error: Some(e), .. } => Some(e.as_ref()),
            _ => None,
        }
    }
}

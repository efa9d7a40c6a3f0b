//! The polling loop every waiter runs.

use super::config::WaitConfig;
use super::outcome::{Observation, WaitError, WaitOutcome};
use crate::client::Output;
use crate::error::Error;
use std::fmt;
use std::future::Future;
use tokio::time::Instant;
use tracing::Instrument;

/// What a poll's status means for the wait.
pub(super) enum Verdict {
    Done,
    Continue,
    Fail(String),
}

/// Polls until `judge` says done or fail, or the deadline passes, in a `pts_wait` span.
pub(super) async fn poll_until<S, R, P, Fut, J>(
    config: &WaitConfig,
    what: &'static str,
    poll: P,
    judge: J,
) -> Result<WaitOutcome<S, R>, WaitError<S>>
where
    S: Clone + fmt::Display,
    P: FnMut() -> Fut,
    Fut: Future<Output = Result<(S, Output<R>), Error>>,
    J: FnMut(&S, &Output<R>, &[Observation<S>]) -> Verdict,
{
    let span = tracing::info_span!("pts_wait", waiter = what);
    poll_loop(config, what, poll, judge).instrument(span).await
}

async fn poll_loop<S, R, P, Fut, J>(
    config: &WaitConfig,
    what: &'static str,
    mut poll: P,
    mut judge: J,
) -> Result<WaitOutcome<S, R>, WaitError<S>>
where
    S: Clone + fmt::Display,
    P: FnMut() -> Fut,
    Fut: Future<Output = Result<(S, Output<R>), Error>>,
    J: FnMut(&S, &Output<R>, &[Observation<S>]) -> Verdict,
{
    let start = Instant::now();
    let deadline = start + config.timeout;
    let mut interval = config.poll_interval;
    let mut observed: Vec<Observation<S>> = Vec::new();
    let mut attempts: u32 = 0;
    loop {
        attempts += 1;
        let polled = match tokio::time::timeout_at(deadline.max(Instant::now()), poll()).await {
            Ok(r) => r,
            Err(_) => {
                return Err(WaitError::Timeout { waited: start.elapsed(), observed, attempts });
            }
        };
        match polled {
            Ok((status, response)) => {
                tracing::debug!(waiter = what, attempt = attempts, status = %status, "polled");
                let verdict = judge(&status, &response, &observed);
                observed.push(Observation { elapsed: start.elapsed(), status: status.clone() });
                match verdict {
                    Verdict::Done => {
                        return Ok(WaitOutcome {
                            final_status: status,
                            observed,
                            attempts,
                            elapsed: start.elapsed(),
                            response,
                        });
                    }
                    Verdict::Fail(reason) => {
                        return Err(WaitError::Failed {
                            status: Some(status),
                            reason,
                            observed,
                            attempts,
                            error: None,
                        });
                    }
                    Verdict::Continue => {}
                }
            }
            Err(Error::Api(api)) => {
                let status = observed.last().map(|o| o.status.clone());
                let error = Error::Api(api);
                return Err(WaitError::Failed {
                    status,
                    reason: error.to_string(),
                    observed,
                    attempts,
                    error: Some(Box::new(error)),
                });
            }
            Err(error) => return Err(WaitError::Call { error, observed, attempts }),
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(WaitError::Timeout { waited: start.elapsed(), observed, attempts });
        }
        tokio::time::sleep_until((now + interval).min(deadline)).await;
        interval = config.next_interval(interval);
    }
}

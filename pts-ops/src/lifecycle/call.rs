//! One API call by operation name with JSON parameters: validated by the metadata before
//! anything is sent, `Success: false` counted as a failure, and (for [`recorded`]) written
//! to the evidence directory whatever the outcome.

use crate::evidence::Evidence;
use crate::exit::{CliError, CliResult};
use crate::session::api_err;
use serde_json::Value;

fn meta(op: &str) -> &'static pts_api::meta::OperationMeta {
    // Operation names here are literals of this module's callers; a typo is a bug.
    pts_api::operation_meta(op).unwrap_or_else(|| panic!("unknown operation {op}"))
}

/// Sends `op` and returns its body; nothing is recorded (read-only look-ups).
pub async fn read(client: &pts_api::Client, op: &str, params: Value) -> CliResult<Value> {
    raw(client, op, params).await.map_err(api_err)
}

/// Sends `op`, records the call in `ev`, and returns its body.
pub async fn recorded(
    client: &pts_api::Client,
    ev: &mut Evidence,
    op: &str,
    params: Value,
) -> CliResult<Value> {
    match raw(client, op, params.clone()).await {
        Ok(body) => {
            ev.call(op, &params, Ok(&body))?;
            Ok(body)
        }
        Err(e) => {
            let err = api_err(e);
            ev.call(op, &params, Err(&err))?;
            Err(err)
        }
    }
}

/// The pts-api result, for callers that must look at the error's class (unknown outcome,
/// not found) before turning it into a [`CliError`].
pub async fn raw(
    client: &pts_api::Client,
    op: &str,
    params: Value,
) -> Result<Value, pts_api::Error> {
    client.send_json(meta(op), params).await.map(|out| out.body)
}

/// A [`CliError`] for a service refusal that has no pts-api error behind it.
pub fn refused(message: impl Into<String>) -> CliError {
    CliError::new(crate::exit::ExitCode::Service, message)
}

/// Like [`recorded`], but returns the pts-api error, for callers that decide by its class
/// (`Error::class`: not found = already gone; `Error::outcome_unknown`: look before retrying).
pub async fn sent(
    client: &pts_api::Client,
    ev: &mut Evidence,
    op: &str,
    params: Value,
) -> Result<Value, pts_api::Error> {
    let r = raw(client, op, params.clone()).await;
    let written = match &r {
        Ok(v) => ev.call(op, &params, Ok(v)),
        Err(e) => ev.call(op, &params, Err(&crate::errors::from_api(e))),
    };
    if let Err(w) = written {
        tracing::warn!("evidence: {}", w.message);
    }
    r
}

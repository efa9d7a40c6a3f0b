//! One API call by operation name with JSON parameters: validated by the metadata before
//! anything is sent, `Success: false` counted as a failure, and (for [`recorded`]) written
//! to the evidence directory whatever the outcome.

use crate::exit::{CliError, CliResult};
use crate::workflow::evidence::Evidence;
use crate::workflow::session::api_err;
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

/// True when the service says the object does not exist. PTS has no single code for it
/// (`SceneNotExist` 403, `...Fail` 400 "The scene does not exit" (sic), DeletePtsScene's
/// "please check the scene ID is correct"), so code and message are both looked at.
pub fn is_not_found(e: &pts_api::Error) -> bool {
    let code = e.code().unwrap_or("").to_ascii_lowercase();
    let msg = e.message().unwrap_or("").to_ascii_lowercase();
    code.contains("notexist")
        || code.contains("notfound")
        || msg.contains("does not exist")
        || msg.contains("does not exit")
        || msg.contains("not exist")
        || msg.contains("check the scene id is correct")
}

/// True when a call may or may not have reached the service (network failure, timeout):
/// a create must then be looked up before it is retried.
pub fn outcome_unknown(e: &pts_api::Error) -> bool {
    match e {
        pts_api::Error::Transport { sent, .. } => *sent,
        pts_api::Error::Timeout { phase, .. } => {
            !matches!(phase, pts_api::error::TimeoutPhase::Connect)
        }
        _ => false,
    }
}

/// A [`CliError`] for a service refusal that has no pts-api error behind it.
pub fn refused(message: impl Into<String>) -> CliError {
    CliError::new(crate::exit::ExitCode::Service, message)
}

/// Like [`recorded`], but returns the pts-api error, for callers that decide by its class
/// (not found = already gone, unknown outcome = look before retrying).
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

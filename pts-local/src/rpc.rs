//! The RPC protocol, server side: `POST /` (GET is accepted too). Parameters (the
//! operation's own, `Action`/`Version` and the v1 signature fields) arrive in the URL query,
//! a form body or split between them; `pts_api::__private::wire::DecodedRequest` parses them once into
//! one set, which routing, authentication and the operation's parameters all read.
//!
//! Order of checks, as the gateway does it: path, version, action, authentication, then the
//! operation's parameters (decoded by type, validated with pts-api's rules) and the
//! operation. Routing errors are answered before authentication, but what runs is the
//! operation the verifier found in signed input (`pts_api::__private::wire::select`): the v1 `Action`
//! parameter, or the signed v3 `x-acs-action` header. A request that names the operation any
//! other way as well, with a different value, is refused.

use crate::auth::verify_fail;
use crate::ctx::Ctx;
use crate::dispatch;
use crate::envelope::{self, Fail};
use pts_api::__private::wire::{DecodedRequest, IncomingRequest, VerifyError, select_operation};
use pts_api::meta::OperationMeta;
use std::sync::Arc;

/// The API version every request must name.
pub const VERSION: &str = "2020-10-20";

/// A finished response: HTTP status, JSON body, RequestId.
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub request_id: String,
}

/// Handles one decoded HTTP request end to end.
pub async fn handle(ctx: Arc<Ctx>, req: DecodedRequest) -> Reply {
    let request_id = crate::ids::request_id();
    let view = req.view();
    let host = view.header("host").unwrap_or("").to_string();
    let outcome = match authorized(&ctx, &view) {
        Err(f) => Err(f),
        Ok(meta) => {
            let pairs = op_params(meta, &view);
            dispatch::dispatch(ctx.clone(), meta, pairs, &request_id).await
        }
    };
    match outcome {
        Ok(body) => Reply { status: 200, body, request_id },
        Err(fail) => {
            let (status, body) =
                envelope::error_body(&fail, &request_id, &host, ctx.errors_in_body);
            Reply { status, body, request_id }
        }
    }
}

/// Routes, authenticates, and returns the operation the signature covers.
fn authorized(ctx: &Ctx, view: &IncomingRequest<'_>) -> Result<&'static OperationMeta, Fail> {
    route(view)?;
    let verified = ctx.auth.authenticate(view, crate::ids::now_ms() / 1000)?;
    pts_api::operation_meta(&verified.action).ok_or_else(not_found)
}

/// Checks path, version and action, so that routing errors come before authentication.
fn route(req: &IncomingRequest<'_>) -> Result<(), Fail> {
    if req.path != "/" {
        return Err(not_found());
    }
    let selection = select_operation(req).map_err(verify_fail)?;
    let missing = |name| verify_fail(VerifyError::MissingSelector(name));
    match selection.version.filter(|v| !v.is_empty()) {
        None => return Err(missing("Version")),
        Some(VERSION) => {}
        Some(_) => {
            return Err(Fail::gateway(
                400,
                "InvalidVersion",
                "Specified parameter Version is not valid.",
            ));
        }
    }
    match selection.action.filter(|a| !a.is_empty()) {
        None => Err(missing("Action")),
        Some(name) => pts_api::operation_meta(name).map(|_| ()).ok_or_else(not_found),
    }
}

fn not_found() -> Fail {
    Fail::gateway(
        404,
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
    )
}

/// The operation's parameters from the request's one parameter set (query, then form body).
/// Names the operation does
/// not declare are left out, as the gateway ignores them: that covers the v1 common
/// parameters (`Action`, `Timestamp`, `Signature`, ...) while an operation's own `RegionId`
/// is kept. A repeated name keeps its first value.
pub fn op_params<'a>(
    meta: &'static OperationMeta,
    req: &IncomingRequest<'a>,
) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for p in req.params {
        if meta.param(&p.name).is_none() || out.iter().any(|(n, _)| *n == p.name) {
            continue;
        }
        out.push((p.name.as_str(), p.value.as_str()));
    }
    out
}

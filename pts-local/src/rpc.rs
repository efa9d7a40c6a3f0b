//! The RPC protocol, server side (protocol.md): `POST /` (GET is accepted too), action and
//! version from `x-acs-action`/`x-acs-version` (v3) or the `Action`/`Version` query params
//! (v1), parameters from the URL query and the form body.
//!
//! Order of checks, as the gateway does it: version, action, authentication, then the
//! operation's parameters (decoded by type, validated with pts-api's rules) and the operation.

use crate::dispatch;
use crate::envelope::{self, Fail};
use crate::server::Ctx;
use pts_api::meta::OperationMeta;
use pts_api::wire::DecodedRequest;
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
    let outcome = match route(&ctx, &req) {
        Err(f) => Err(f),
        Ok(meta) => match ctx.auth.authenticate(&view, crate::ids::now_ms() / 1000) {
            Err(f) => Err(f),
            Ok(_) => {
                let pairs = op_params(meta, &req);
                dispatch::dispatch(ctx.clone(), meta, pairs, &request_id).await
            }
        },
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

/// Finds the operation: checks path, version and action.
fn route(_ctx: &Ctx, req: &DecodedRequest) -> Result<&'static OperationMeta, Fail> {
    let view = req.view();
    if req.path != "/" {
        return Err(not_found());
    }
    let version = view.query_param("Version").or_else(|| view.header("x-acs-version"));
    match version {
        None | Some("") => {
            return Err(Fail::gateway(
                400,
                "MissingVersion",
                "Version is mandatory for this action.",
            ));
        }
        Some(VERSION) => {}
        Some(_) => {
            return Err(Fail::gateway(
                400,
                "InvalidVersion",
                "Specified parameter Version is not valid.",
            ));
        }
    }
    let action = view.query_param("Action").or_else(|| view.header("x-acs-action"));
    match action {
        None | Some("") => {
            Err(Fail::gateway(400, "MissingAction", "Action is mandatory for this action."))
        }
        Some(name) => pts_api::operation_meta(name).ok_or_else(not_found),
    }
}

fn not_found() -> Fail {
    Fail::gateway(
        404,
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
    )
}

/// The operation's parameters from query and form, in that order. Names the operation does
/// not declare are left out, as the gateway ignores them: that covers the v1 common
/// parameters (`Action`, `Timestamp`, `Signature`, ...) while an operation's own `RegionId`
/// is kept. A repeated name keeps its first value.
pub fn op_params<'a>(
    meta: &'static OperationMeta,
    req: &'a DecodedRequest,
) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for (k, v) in req.query.iter().chain(req.form.iter()) {
        if meta.param(k).is_none() || out.iter().any(|(n, _)| *n == k) {
            continue;
        }
        out.push((k.as_str(), v.as_str()));
    }
    out
}

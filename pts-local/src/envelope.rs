//! Response bodies (pts-domain §9.1).
//!
//! - **Success**: the operation's typed pts-api response, plus the envelope fields that the
//!   response type declares: `RequestId`, `Success: true`, `Code: "200"`, `HttpStatusCode: 200`,
//!   `Message: ""`.
//! - **Gateway errors** (before the operation runs: signature, key, timestamp, nonce, action,
//!   version, parameter checks): the real HTTP status and
//!   `{RequestId, HostId, Code, Message, Recommend}`.
//! - **Service errors** (the operation ran and a business rule failed): the operation's
//!   `errorCodes` entry from the metadata, body
//!   `{RequestId, Success: false, Code, Message, HttpStatusCode}` with the same HTTP status, or
//!   HTTP 200 when the server runs with `errors_in_body`.

use pts_api::meta::OperationMeta;
use serde::Serialize;
use serde_json::json;

pub use pts_api::error::PLAN_INVALID;

/// Why a call failed; turned into a body by [`error_body`].
#[derive(Debug, Clone, PartialEq)]
pub enum Fail {
    Gateway { status: u16, code: String, message: String },
    Service { status: u16, code: String, message: String },
    Internal(String),
}

impl Fail {
    pub fn gateway(status: u16, code: impl Into<String>, message: impl Into<String>) -> Fail {
        Fail::Gateway { status, code: code.into(), message: message.into() }
    }

    pub fn service(status: u16, code: impl Into<String>, message: impl Into<String>) -> Fail {
        Fail::Service { status, code: code.into(), message: message.into() }
    }

    /// The operation's own (first) metadata error code, with its HTTP status, and `message`.
    pub fn op(meta: &OperationMeta, message: impl Into<String>) -> Fail {
        let (status, code) = meta.error_codes.first().copied().unwrap_or((400, "InvalidParameter"));
        Fail::service(status, code, message)
    }

    /// 400 [`PLAN_INVALID`]: the engine refused to start a scene's plan as written.
    pub fn plan_invalid(message: impl Into<String>) -> Fail {
        Fail::service(400, PLAN_INVALID, message)
    }

    /// 400 `InvalidParameter`, the gateway's answer to a value out of range or of a bad type.
    pub fn invalid(message: impl Into<String>) -> Fail {
        Fail::gateway(400, "InvalidParameter", message)
    }

    pub fn internal(e: impl std::fmt::Display) -> Fail {
        Fail::Internal(e.to_string())
    }

    pub fn status(&self) -> u16 {
        match self {
            Fail::Gateway { status, .. } | Fail::Service { status, .. } => *status,
            Fail::Internal(_) => 500,
        }
    }

    pub fn code(&self) -> &str {
        match self {
            Fail::Gateway { code, .. } | Fail::Service { code, .. } => code,
            Fail::Internal(_) => "InternalError",
        }
    }
}

impl From<rusqlite::Error> for Fail {
    fn from(e: rusqlite::Error) -> Self {
        Fail::internal(format!("store: {e}"))
    }
}

impl From<serde_json::Error> for Fail {
    fn from(e: serde_json::Error) -> Self {
        Fail::internal(format!("stored JSON: {e}"))
    }
}

/// The success body: the typed response with the declared envelope fields filled in.
///
/// Handlers leave the envelope fields unset (serialized as absent), so the fields are spliced
/// in front of the typed body's own JSON without a second conversion.
pub fn success_body<T: Serialize>(meta: &OperationMeta, resp: &T, request_id: &str) -> Vec<u8> {
    let typed = serde_json::to_vec(resp).unwrap_or_else(|_| b"{}".to_vec());
    let mut out = Vec::with_capacity(typed.len() + 128);
    out.extend_from_slice(b"{\"RequestId\":");
    out.extend_from_slice(&serde_json::to_vec(request_id).unwrap_or_default());
    let has = |name: &str| meta.response.field(name).is_some() && !contains_key(&typed, name);
    for (name, value) in
        [("Success", "true"), ("Code", "\"200\""), ("HttpStatusCode", "200"), ("Message", "\"\"")]
    {
        if has(name) {
            out.extend_from_slice(format!(",\"{name}\":{value}").as_bytes());
        }
    }
    let rest = typed.strip_prefix(b"{").unwrap_or(&typed);
    if rest != b"}" {
        out.push(b',');
    }
    out.extend_from_slice(rest);
    out
}

/// Whether the top level of a serialized object may carry `name` (a cheap, conservative check
/// for a handler that did set an envelope field itself).
fn contains_key(json: &[u8], name: &str) -> bool {
    let needle = format!("\"{name}\":");
    json.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The HTTP status and body of an error. `host` is the request's `host` header (`HostId`).
pub fn error_body(
    fail: &Fail,
    request_id: &str,
    host: &str,
    errors_in_body: bool,
) -> (u16, Vec<u8>) {
    match fail {
        Fail::Service { status, code, message } => {
            let body = json!({
                "RequestId": request_id,
                "Success": false,
                "Code": code,
                "Message": message,
                "HttpStatusCode": status,
            });
            let http = if errors_in_body { 200 } else { *status };
            (http, serde_json::to_vec(&body).unwrap_or_default())
        }
        Fail::Gateway { status, code, message } => {
            (*status, gateway(request_id, host, code, message))
        }
        Fail::Internal(detail) => {
            let message = format!(
                "The request processing has failed due to some unknown error, exception or failure. ({detail})"
            );
            (500, gateway(request_id, host, "InternalError", &message))
        }
    }
}

fn gateway(request_id: &str, host: &str, code: &str, message: &str) -> Vec<u8> {
    let body = json!({
        "RequestId": request_id,
        "HostId": host,
        "Code": code,
        "Message": message,
        "Recommend": format!(
            "https://api.aliyun.com/troubleshoot?q={code}&product=PTS&requestId={request_id}"
        ),
    });
    serde_json::to_vec(&body).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn bodies_follow_section_9_1() {
        let meta = pts_api::operation_meta("GetPtsScene").unwrap();
        let f = Fail::op(meta, "The scene does not exit");
        assert_eq!((f.status(), f.code()), (400, "GetPtsSceneFail"));
        let (status, body) = error_body(&f, "R", "h", false);
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(status, 400);
        assert_eq!(v["Success"], false);
        assert_eq!(v["HttpStatusCode"], 400);
        assert_eq!(error_body(&f, "R", "h", true).0, 200);

        let g =
            Fail::gateway(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        let (status, body) = error_body(&g, "R", "127.0.0.1:1", false);
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(status, 404);
        assert_eq!(v["HostId"], "127.0.0.1:1");
        assert!(v["Recommend"].as_str().unwrap().contains("InvalidAccessKeyId.NotFound"));
        assert!(v.get("Success").is_none());

        let resp = pts_api::ops::get_pts_scene::GetPtsSceneResponse::default();
        let v: Value = serde_json::from_slice(&success_body(meta, &resp, "R")).unwrap();
        assert_eq!(
            v,
            json!({"RequestId":"R","Success":true,"Code":"200","HttpStatusCode":200,"Message":""})
        );
    }
}

//! Sample logs: full records of single requests (every request of a debug run; 1 in N of a
//! load run, see `LogRate`), with secret-looking headers redacted.

use super::stats::FailureReason;
use pts_api::ops::get_pts_debug_sample_logs::SamplingLog;
use serde_json::{Value, json};
use std::collections::VecDeque;

/// The mask that replaces the value of a sensitive header.
pub const REDACTED: &str = "******";

/// Headers whose values are never stored (`Authorization`, `Cookie`, anything named like a
/// token, secret, password or key): the one rule pts-api uses for evidence and logs too.
pub use pts_api::__private::redact::looks_secret as is_sensitive_header;

/// One header of a sample (value masked when `sensitive`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleHeader {
    pub name: String,
    pub value: String,
    pub sensitive: bool,
}

impl SampleHeader {
    pub(crate) fn new(name: &str, value: &str) -> Self {
        let sensitive = is_sensitive_header(name);
        SampleHeader {
            name: name.to_string(),
            value: if sensitive { REDACTED.to_string() } else { value.to_string() },
            sensitive,
        }
    }
}

/// Result of one checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOutcome {
    pub check_type: String,
    pub check_point: String,
    pub operator: String,
    pub expect: String,
    /// The value compared (None when the subject does not exist; truncated for bodies).
    pub real_value: Option<String>,
    pub hit: bool,
}

/// Result of one export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOutcome {
    pub name: String,
    pub export_type: String,
    pub expression: String,
    pub count: Option<String>,
    /// None when nothing was found (an export failure).
    pub value: Option<String>,
}

/// A full record of one request.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleLog {
    /// Start of the request, epoch ms.
    pub timestamp_ms: i64,
    pub relation_index: usize,
    pub relation_id: Option<String>,
    pub relation_name: String,
    pub api_index: usize,
    pub api_id: Option<String>,
    pub api_name: String,
    /// `"<relation> <worker>-<vu>"`, JMeter's threadName.
    pub thread: String,
    pub method: String,
    pub url: String,
    pub request_headers: Vec<SampleHeader>,
    pub request_body: String,
    pub request_body_truncated: bool,
    /// Final status (after redirects), None when no response arrived.
    pub status: Option<u16>,
    pub reason_phrase: Option<String>,
    pub response_headers: Vec<SampleHeader>,
    pub response_body: String,
    pub response_body_truncated: bool,
    pub failure: Option<FailureReason>,
    pub fail_message: Option<String>,
    pub success: bool,
    pub rt_ms: f64,
    /// DNS + connect time when a new connection was opened (us).
    pub connect_us: Option<u64>,
    /// TLS handshake time when a new TLS connection was opened (us).
    pub tls_us: Option<u64>,
    /// Send to response head of the last hop (us).
    pub first_byte_us: u64,
    pub redirects: u8,
    pub bytes_out: u64,
    pub bytes_in: u64,
    /// Variables used by this request, with the values they had.
    pub imports: Vec<(String, Option<String>)>,
    pub exports: Vec<ExportOutcome>,
    pub checks: Vec<CheckOutcome>,
}

/// Cuts `s` to at most `limit` bytes on a char boundary.
pub(crate) fn truncate(s: &str, limit: usize) -> (String, bool) {
    if s.len() <= limit {
        return (s.to_string(), false);
    }
    let mut end = limit;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    (s[..end].to_string(), true)
}

fn headers_json(h: &[SampleHeader]) -> String {
    Value::Array(
        h.iter()
            .map(|h| json!({"name": h.name, "value": h.value, "sensitive": h.sensitive}))
            .collect(),
    )
    .to_string()
}

impl SampleLog {
    /// `HttpTiming` JSON (convention):
    /// `{"connect": ns|null, "tls": ns|null, "firstByte": ns, "total": ns}`.
    pub fn timing_json(&self) -> String {
        json!({
            "connect": self.connect_us.map(|u| u * 1000),
            "tls": self.tls_us.map(|u| u * 1000),
            "firstByte": self.first_byte_us * 1000,
            "total": (self.rt_ms * 1_000_000.0) as u64,
        })
        .to_string()
    }

    /// `CheckResult` JSON: `[{checkPointType, checkPoint, checker{expect, operate, realValue}, hit}]`.
    pub fn check_json(&self) -> String {
        Value::Array(
            self.checks
                .iter()
                .map(|c| {
                    json!({
                        "checkPointType": c.check_type,
                        "checkPoint": c.check_point,
                        "checker": {"expect": c.expect, "operate": c.operator, "realValue": c.real_value},
                        "hit": c.hit,
                    })
                })
                .collect(),
        )
        .to_string()
    }

    /// The item of `GetPtsDebugSampleLogs.SamplingLogs` (JSON-in-string fields as documented).
    pub fn to_sampling_log(&self) -> SamplingLog {
        let export_config = Value::Array(
            self.exports
                .iter()
                .map(|e| {
                    json!({"exportName": e.name, "exportType": e.export_type,
                           "exportValue": e.expression, "count": e.count})
                })
                .collect(),
        );
        let export_content: serde_json::Map<String, Value> = self
            .exports
            .iter()
            .map(|e| (e.name.clone(), e.value.clone().map(Value::String).unwrap_or(Value::Null)))
            .collect();
        let import_content: serde_json::Map<String, Value> = self
            .imports
            .iter()
            .map(|(k, v)| (k.clone(), v.clone().map(Value::String).unwrap_or(Value::Null)))
            .collect();
        pts_api::make!(SamplingLog {
            chain_id: self.relation_id.clone(),
            chain_name: Some(self.relation_name.clone()),
            check_result: Some(self.check_json()),
            export_config: Some(export_config.to_string()),
            export_content: Some(Value::Object(export_content).to_string()),
            http_request_body: Some(self.request_body.clone()),
            http_request_headers: Some(headers_json(&self.request_headers)),
            http_request_method: Some(self.method.as_str().into()),
            http_request_url: Some(self.url.clone()),
            http_response_body: Some(self.response_body.clone()),
            http_response_fail_msg: self.fail_message.clone(),
            http_response_headers: Some(headers_json(&self.response_headers)),
            http_response_status: self.status.map(|s| s.to_string()),
            http_start_time: Some(self.timestamp_ms),
            http_timing: Some(self.timing_json()),
            import_content: Some(Value::Object(import_content).to_string()),
            node_id: Some(self.api_id.clone().unwrap_or_else(|| self.api_index.to_string())),
            rt: Some(format!("{:.0}", self.rt_ms.round())),
            timestamp: Some(self.timestamp_ms),
        })
    }

    /// One element of `GetJMeterSamplingLogs.SampleResults` (a JMeter sample as JSON text).
    pub fn to_jmeter_sample_json(&self) -> String {
        let assertions: Vec<Value> = self
            .checks
            .iter()
            .map(|c| {
                json!({"name": format!("{} {}", c.check_type, c.operator), "failure": !c.hit,
                "error": false,
                "failureMessage": if c.hit { String::new() } else {
                    format!("expected {} {} , got {}", c.operator, c.expect,
                            c.real_value.as_deref().unwrap_or("<none>"))
                }})
            })
            .collect();
        let hdr = |h: &[SampleHeader]| {
            h.iter().map(|h| format!("{}: {}\n", h.name, h.value)).collect::<String>()
        };
        let end = self.timestamp_ms + self.rt_ms.round() as i64;
        json!({
            "url": self.url,
            "httpMethod": self.method,
            "responseCode": self.status.map(|s| s.to_string()).unwrap_or_default(),
            "responseMessage": self.reason_phrase.clone().or(self.fail_message.clone()).unwrap_or_default(),
            "success": self.success,
            "elapsedTime": self.rt_ms.round() as i64,
            "latency": self.first_byte_us / 1000,
            "connectTime": (self.connect_us.unwrap_or(0) + self.tls_us.unwrap_or(0)) / 1000,
            "startTimeTS": self.timestamp_ms,
            "endTimeTS": end,
            "threadName": self.thread,
            "samplerId": self.api_index,
            "samplerLabel": self.api_name,
            "requestHeaders": hdr(&self.request_headers),
            "responseHeaders": hdr(&self.response_headers),
            "requestBody": self.request_body,
            "responseDataAsString": self.response_body,
            "bytes": self.bytes_in,
            "sentBytes": self.bytes_out,
            "assertionResults": assertions,
            "subResults": [],
        })
        .to_string()
    }
}

/// Sample logs of a run: the most recent `cap` (load runs) or the first `cap` (debug runs).
pub(crate) struct SampleStore {
    cap: usize,
    keep_first: bool,
    pub logs: VecDeque<SampleLog>,
    pub seen: u64,
}

impl SampleStore {
    pub(crate) fn new(cap: usize, keep_first: bool) -> Self {
        SampleStore { cap, keep_first, logs: VecDeque::new(), seen: 0 }
    }

    pub(crate) fn push(&mut self, s: SampleLog) {
        self.seen += 1;
        if self.cap == 0 {
            return;
        }
        if self.logs.len() >= self.cap {
            if self.keep_first {
                return;
            }
            self.logs.pop_front();
        }
        self.logs.push_back(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_rules() {
        for n in [
            "Authorization",
            "cookie",
            "Set-Cookie",
            "X-Acs-Security-Token",
            "X-Api-Key",
            "my_secret",
            "Password",
        ] {
            assert!(is_sensitive_header(n), "{n}");
        }
        for n in ["Content-Type", "Keep-Alive", "Host"] {
            assert!(!is_sensitive_header(n), "{n}");
        }
        assert_eq!(SampleHeader::new("Cookie", "a=b").value, REDACTED);
        assert_eq!(truncate("héllo", 2), ("h".to_string(), true));
    }
}

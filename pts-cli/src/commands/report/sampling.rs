//! `pts jmeter report --report R --sampling-logs N [--failed-only]`: sampled requests of a
//! JMeter run (GetJMeterSamplingLogs) for triage. Each sample is a JSON string on the wire;
//! only what triage needs is shown (no headers or bodies, which may carry credentials), and
//! secret-looking query values in URLs are redacted.

use pts_api::__private::redact::redact_text;
use pts_api::Client;
use pts_api::ops::get_jmeter_sampling_logs as logs_op;
use pts_ops::errors;
use pts_ops::exit::CliResult;
use pts_ops::session::api_err;
use serde_json::{Map, Value};

/// The fields of a JMeter sample result worth showing.
const SHOWN: [&str; 10] = [
    "startTimeTS",
    "threadName",
    "samplerId",
    "httpMethod",
    "url",
    "responseCode",
    "responseMessage",
    "success",
    "elapsedTime",
    "latency",
];

/// Up to `limit` (1-200) sampled requests of `report_id`, failed ones only if asked.
pub async fn sampling_logs(
    client: &Client,
    report_id: &str,
    limit: i32,
    failed_only: bool,
) -> CliResult<Vec<Value>> {
    let mut b = logs_op::GetJMeterSamplingLogsRequest::builder()
        .report_id(report_id)
        .page_number(1)
        .page_size(limit);
    if failed_only {
        b = b.success(false);
    }
    let req = b.build().map_err(|e| errors::validation(&e))?;
    let body = client.get_jmeter_sampling_logs(req).await.map_err(api_err)?.into_body();
    Ok(body
        .sample_results
        .unwrap_or_default()
        .iter()
        .filter_map(|s| serde_json::from_str::<Value>(s).ok())
        .map(|v| shown(&v))
        .collect())
}

/// The shown fields of one sample, plus failed assertion messages.
pub fn shown(sample: &Value) -> Value {
    let mut out = Map::new();
    for k in SHOWN {
        if let Some(v) = sample.get(k) {
            let v = match (k, v.as_str()) {
                ("url", Some(url)) => Value::String(redact_text(url).into_owned()),
                _ => v.clone(),
            };
            out.insert(k.to_string(), v);
        }
    }
    let failures: Vec<Value> = sample
        .get("assertionResults")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|a| {
            a.get("failure") == Some(&Value::Bool(true))
                || a.get("error") == Some(&Value::Bool(true))
        })
        .filter_map(|a| a.get("failureMessage").cloned())
        .collect();
    if !failures.is_empty() {
        out.insert("assertionFailures".into(), Value::Array(failures));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_triage_fields_and_no_secrets() {
        let s = json!({"url": "http://127.0.0.1:8/api/items?token=tok-1&page=2", "httpMethod": "GET",
            "responseCode": "401", "success": false, "elapsedTime": 3,
            "requestHeaders": "Authorization: Bearer abc", "responseDataAsString": "secret body",
            "assertionResults": [{"failure": true, "failureMessage": "expected 200"}, {"failure": false}]});
        let v = shown(&s);
        assert_eq!(v["url"], "http://127.0.0.1:8/api/items?token=<redacted>&page=2");
        assert_eq!(v["responseCode"], "401");
        assert_eq!(v["assertionFailures"], json!(["expected 200"]));
        let text = v.to_string();
        assert!(
            !text.contains("Bearer") && !text.contains("secret body") && !text.contains("tok-1")
        );
    }
}

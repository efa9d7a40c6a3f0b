//! Reading an error body (JSON, or XML under `Error`) into its fields.

use serde_json::Value;

/// Fields read from an error body.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ErrorBody {
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub recommend: Option<String>,
    pub host_id: Option<String>,
    pub access_denied_detail: Option<Value>,
}

/// Parses an error body: XML under `Error` when the content type says XML (or the body starts
/// with `<`), JSON otherwise. Keys are read in either capitalization (`Code`/`code`).
/// Unparseable bodies give an empty [`ErrorBody`]; the raw bytes stay in the error.
pub fn parse_error_body(content_type: Option<&str>, raw: &[u8]) -> ErrorBody {
    let is_xml = content_type.is_some_and(|ct| {
        let ct = ct.to_ascii_lowercase();
        ct.starts_with("text/xml") || ct.starts_with("application/xml")
    });
    let trimmed = trim_ascii_start(raw);
    if is_xml || trimmed.first() == Some(&b'<') {
        return parse_xml_error(&String::from_utf8_lossy(raw));
    }
    match serde_json::from_slice::<Value>(raw) {
        Ok(Value::Object(map)) => {
            let get = |names: &[&str]| -> Option<String> {
                names.iter().find_map(|n| map.get(*n)).and_then(value_text)
            };
            ErrorBody {
                code: get(&["Code", "code"]),
                message: get(&["Message", "message"]),
                request_id: get(&["RequestId", "requestId"]),
                recommend: get(&["Recommend", "recommend"]),
                host_id: get(&["HostId", "hostId"]),
                access_denied_detail: ["AccessDeniedDetail", "accessDeniedDetail"]
                    .iter()
                    .find_map(|n| map.get(*n))
                    .filter(|v| !v.is_null())
                    .cloned(),
            }
        }
        _ => ErrorBody::default(),
    }
}

fn trim_ascii_start(raw: &[u8]) -> &[u8] {
    let start = raw.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(raw.len());
    &raw[start..]
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn parse_xml_error(text: &str) -> ErrorBody {
    let get = |name: &str| xml_element(text, name);
    ErrorBody {
        code: get("Code").or_else(|| get("code")),
        message: get("Message").or_else(|| get("message")),
        request_id: get("RequestId").or_else(|| get("requestId")),
        recommend: get("Recommend").or_else(|| get("recommend")),
        host_id: get("HostId").or_else(|| get("hostId")),
        access_denied_detail: None,
    }
}

/// The text of the first `<name>...</name>` element (CDATA and the five XML entities
/// understood). Enough for the flat `<Error>` documents of the RPC gateway.
fn xml_element(text: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = text.find(&open)? + open.len();
    let end = start + text[start..].find(&close)?;
    let inner = text[start..end].trim();
    let inner = inner
        .strip_prefix("<![CDATA[")
        .and_then(|s| s.strip_suffix("]]>"))
        .map(str::to_string)
        .unwrap_or_else(|| xml_unescape(inner));
    Some(inner)
}

fn xml_unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_either_case() {
        let b = parse_error_body(
            Some("application/json"),
            br#"{"requestId":"r1","code":"Throttling.User","message":"slow down","Recommend":"https://x","HostId":"pts.aliyuncs.com"}"#,
        );
        assert_eq!(b.code.as_deref(), Some("Throttling.User"));
        assert_eq!(b.message.as_deref(), Some("slow down"));
        assert_eq!(b.request_id.as_deref(), Some("r1"));
        assert_eq!(b.recommend.as_deref(), Some("https://x"));
        assert_eq!(b.host_id.as_deref(), Some("pts.aliyuncs.com"));
    }

    #[test]
    fn xml_body() {
        let b = parse_error_body(
            Some("text/xml;charset=utf-8"),
            b"<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>R</RequestId><HostId>h</HostId><Code>SignatureDoesNotMatch</Code><Message>a &amp; b</Message></Error>",
        );
        assert_eq!(b.code.as_deref(), Some("SignatureDoesNotMatch"));
        assert_eq!(b.message.as_deref(), Some("a & b"));
        assert_eq!(b.request_id.as_deref(), Some("R"));
        assert_eq!(b.host_id.as_deref(), Some("h"));
    }
}

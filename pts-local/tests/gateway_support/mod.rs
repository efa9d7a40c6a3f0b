//! Raw gateway requests with an independent signer: both signature schemes written here from
//! their rules with the `hmac`, `sha1` and `sha2` crates, none of pts-api's signing code, so
//! a mistake shared by pts-api's client and verifier cannot hide. Requests go out as raw
//! HTTP/1.1 on loopback, so every placement of parameters can be expressed.
#![allow(dead_code)]

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    V1,
    V3,
}

/// Where the RPC parameters travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    Query,
    Body,
    /// Alternating between query and body, in sorted order.
    Split,
}

/// One request before it is signed.
pub struct Call<'a> {
    pub scheme: Scheme,
    pub method: &'a str,
    pub placement: Placement,
    /// Empty: no `Action` parameter (v1) or `x-acs-action` header (v3) is signed.
    pub action: &'a str,
    pub params: Vec<(String, String)>,
    pub access_key_id: &'a str,
    pub secret: &'a str,
}

/// A request ready for the wire.
#[derive(Clone, Debug)]
pub struct Raw {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
}

impl Raw {
    /// A `POST /` with no parameters and only a `host` header.
    pub fn unsigned(host: &str) -> Raw {
        let headers = vec![("host".to_owned(), host.to_owned())];
        Raw { method: "POST".into(), path: "/".into(), query: vec![], form: vec![], headers }
    }

    pub fn header(mut self, name: &str, value: &str) -> Raw {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn without_header(mut self, name: &str) -> Raw {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }
}

/// Strict RFC 3986 percent-encoding: only `A-Z a-z 0-9 - _ . ~` stay literal.
pub fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn encode_pairs(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", pct(k), pct(v))).collect::<Vec<_>>().join("&")
}

fn sorted(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let mut p = pairs.to_vec();
    p.sort();
    p
}

type Pairs = Vec<(String, String)>;

/// Splits `pairs` into (query, form body) as `placement` says.
fn split(pairs: Pairs, placement: Placement) -> (Pairs, Pairs) {
    let (mut query, mut form) = (Vec::new(), Vec::new());
    for (i, p) in sorted(&pairs).into_iter().enumerate() {
        let to_query = match placement {
            Placement::Query => true,
            Placement::Body => false,
            Placement::Split => i % 2 == 0,
        };
        if to_query { query.push(p) } else { form.push(p) }
    }
    (query, form)
}

pub fn utc_now() -> String {
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::now_utc().format(&f).unwrap()
}

pub fn nonce() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    format!("{:x}-{}", t.as_nanos(), N.fetch_add(1, Ordering::Relaxed))
}

/// v1 signature over `params` (every parameter except `Signature`).
pub fn v1_signature(secret: &str, method: &str, params: &[(String, String)]) -> String {
    let canonical = encode_pairs(&sorted(params));
    let to_sign = format!("{}&{}&{}", method.to_ascii_uppercase(), pct("/"), pct(&canonical));
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(format!("{secret}&").as_bytes()).unwrap();
    mac.update(to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// v3 `Authorization` over `headers` (all of them signed) and the query and body given.
pub fn v3_authorization(
    id: &str,
    secret: &str,
    method: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    body: &[u8],
) -> String {
    let canonical_query: Vec<String> =
        sorted(query).iter().map(|(k, v)| format!("{k}={}", pct(v))).collect();
    let mut hs: Vec<(String, String)> =
        headers.iter().map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned())).collect();
    hs.sort();
    let canonical_headers: String = hs.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let signed: Vec<&str> = hs.iter().map(|(n, _)| n.as_str()).collect();
    let signed = signed.join(";");
    let creq = format!(
        "{method}\n/\n{}\n{canonical_headers}\n{signed}\n{}",
        canonical_query.join("&"),
        hex(&Sha256::digest(body))
    );
    let to_sign = format!("ACS3-HMAC-SHA256\n{}", hex(&Sha256::digest(creq.as_bytes())));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(to_sign.as_bytes());
    let sig = hex(&mac.finalize().into_bytes());
    format!("ACS3-HMAC-SHA256 Credential={id},SignedHeaders={signed},Signature={sig}")
}

/// Signs `call` and places its parameters. `host` is the endpoint, sent (and signed) verbatim.
pub fn sign(call: &Call<'_>, host: &str) -> Raw {
    match call.scheme {
        Scheme::V1 => {
            let mut params = call.params.clone();
            params.extend(
                [
                    ("Action", call.action),
                    ("Version", "2020-10-20"),
                    ("Format", "json"),
                    ("Timestamp", &utc_now()),
                    ("SignatureNonce", &nonce()),
                    ("SignatureMethod", "HMAC-SHA1"),
                    ("SignatureVersion", "1.0"),
                    ("AccessKeyId", call.access_key_id),
                ]
                .map(|(k, v)| (k.to_owned(), v.to_owned())),
            );
            params.retain(|(k, v)| k != "Action" || !v.is_empty());
            let sig = v1_signature(call.secret, call.method, &params);
            params.push(("Signature".into(), sig));
            let (query, form) = split(params, call.placement);
            let mut headers = vec![("host".to_owned(), host.to_owned())];
            if !form.is_empty() {
                headers.push(("content-type".into(), FORM.into()));
            }
            Raw { method: call.method.into(), path: "/".into(), query, form, headers }
        }
        Scheme::V3 => {
            let (query, form) = split(call.params.clone(), call.placement);
            let body = encode_pairs(&form);
            let mut headers: Vec<(String, String)> = [
                ("host", host),
                ("x-acs-action", call.action),
                ("x-acs-version", "2020-10-20"),
                ("x-acs-date", &utc_now()),
                ("x-acs-signature-nonce", &nonce()),
                ("x-acs-content-sha256", &hex(&Sha256::digest(body.as_bytes()))),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .to_vec();
            headers.retain(|(n, v)| n != "x-acs-action" || !v.is_empty());
            if !form.is_empty() {
                headers.push(("content-type".into(), FORM.into()));
            }
            let auth = v3_authorization(
                call.access_key_id,
                call.secret,
                call.method,
                &query,
                &headers,
                body.as_bytes(),
            );
            headers.push(("authorization".into(), auth));
            Raw { method: call.method.into(), path: "/".into(), query, form, headers }
        }
    }
}

pub const FORM: &str = "application/x-www-form-urlencoded";

/// Sends `raw` over a fresh connection to `endpoint`; returns the status and the JSON body.
pub async fn send(endpoint: &str, raw: &Raw) -> (u16, Value) {
    let body = encode_pairs(&raw.form);
    let target = if raw.query.is_empty() {
        raw.path.clone()
    } else {
        format!("{}?{}", raw.path, encode_pairs(&raw.query))
    };
    let mut head = format!("{} {target} HTTP/1.1\r\n", raw.method);
    for (n, v) in &raw.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str(&format!("content-length: {}\r\nconnection: close\r\n\r\n", body.len()));
    let mut s = tokio::net::TcpStream::connect(endpoint).await.unwrap();
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf);
    let status: u16 = text.split(' ').nth(1).unwrap().parse().unwrap();
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// A minimal valid PTS scene (concurrency mode, one loopback API), as SavePtsScene's JSON.
pub fn scene_json(name: &str) -> String {
    serde_json::json!({
        "SceneName": name,
        "RelationList": [{"RelationName": "chain", "ApiList": [
            {"ApiName": "home", "Url": "http://127.0.0.1:9/", "Method": "GET", "RedirectCountLimit": 0}]}],
        "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": 1,
            "Configuration": {"AllConcurrencyBegin": 1, "AllConcurrencyLimit": 1}},
    })
    .to_string()
}

//! ACS3-HMAC-SHA256, the SDK's default signature (protocol.md §3.1).
//!
//! Every step is public so the test vectors can check each intermediate string, and so the
//! verifier can rebuild exactly what a client signed.

use super::encode::{enc_into, encoded_len, hex_lower};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// The algorithm name: first line of the string to sign and prefix of `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Lower-hex SHA-256 of the empty body, which most PTS requests have.
pub const EMPTY_BODY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Every intermediate value of one v3 signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct V3Signature {
    pub hashed_payload: String,
    pub canonical_query: String,
    pub canonical_headers: String,
    pub signed_headers: String,
    pub canonical_request: String,
    pub string_to_sign: String,
    /// Lower-hex HMAC-SHA256.
    pub signature: String,
}

impl V3Signature {
    /// The `Authorization` header value for this signature.
    pub fn authorization(&self, access_key_id: &str) -> String {
        authorization(access_key_id, &self.signed_headers, &self.signature)
    }
}

/// Signs one request. `headers` must be every header that is to be signed (the SDK signs
/// all it sets); `query` holds the decoded URL query params; `body` the exact body bytes.
pub fn sign<'a>(
    secret: &str,
    method: &str,
    path: &str,
    query: impl IntoIterator<Item = (&'a str, &'a str)>,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    body: &[u8],
) -> V3Signature {
    let hashed_payload = hashed_payload(body);
    let canonical_query = canonical_query(query);
    let (canonical_headers, signed_headers) = canonical_headers(headers);
    let canonical_request = canonical_request(
        method,
        path,
        &canonical_query,
        &canonical_headers,
        &signed_headers,
        &hashed_payload,
    );
    let string_to_sign = string_to_sign(&canonical_request);
    let signature = signature(secret, &string_to_sign);
    V3Signature {
        hashed_payload,
        canonical_query,
        canonical_headers,
        signed_headers,
        canonical_request,
        string_to_sign,
        signature,
    }
}

/// Lower-hex SHA-256 of the exact body bytes (also the `x-acs-content-sha256` value).
pub fn hashed_payload(body: &[u8]) -> String {
    if body.is_empty() {
        return EMPTY_BODY_SHA256.to_owned();
    }
    hex_lower(&Sha256::digest(body))
}

/// Params sorted by name (byte order), each `name=enc(value)`, joined by `&`. The name is
/// deliberately not encoded: the SDK doesn't, and PTS names are plain ASCII anyway.
pub fn canonical_query<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut sorted: Vec<(&str, &str)> = params.into_iter().collect();
    // Stable, so a name repeated on the wire keeps its order and still signs deterministically.
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let len: usize = sorted.iter().map(|(k, v)| k.len() + encoded_len(v) + 2).sum();
    let mut out = String::with_capacity(len);
    for (k, v) in sorted {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        enc_into(&mut out, v);
    }
    out
}

/// Returns `(CanonicalHeaders, SignedHeaders)`: names lower-cased, values trimmed, sorted by
/// name, one `name:value\n` line per name; a repeated name joins its sorted values with `,`.
pub fn canonical_headers<'a>(headers: impl IntoIterator<Item = (&'a str, &'a str)>) -> (String, String) {
    let mut sorted: Vec<(Cow<'a, str>, &'a str)> = headers
        .into_iter()
        .map(|(n, v)| (lower(n), v.trim()))
        .collect();
    // Sorting by (name, value) groups repeats and orders their values in one pass.
    sorted.sort_unstable();
    let len: usize = sorted.iter().map(|(n, v)| 2 * n.len() + v.len() + 3).sum();
    let mut canonical = String::with_capacity(len);
    let mut signed = String::with_capacity(len / 2);
    let mut prev: Option<&str> = None;
    for (name, value) in &sorted {
        if prev == Some(name) {
            // Same name again: continue the open line instead of starting a new one.
            canonical.pop();
            canonical.push(',');
        } else {
            if prev.is_some() {
                signed.push(';');
            }
            signed.push_str(name);
            canonical.push_str(name);
            canonical.push(':');
        }
        canonical.push_str(value);
        canonical.push('\n');
        prev = Some(name);
    }
    (canonical, signed)
}

fn lower(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// `METHOD\nPATH\nCanonicalQuery\nCanonicalHeaders\nSignedHeaders\nHashedPayload`; the
/// canonical headers already end in `\n`, hence the blank line. An empty path signs as `/`.
pub fn canonical_request(
    method: &str,
    path: &str,
    canonical_query: &str,
    canonical_headers: &str,
    signed_headers: &str,
    hashed_payload: &str,
) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let parts = [method, path, canonical_query, canonical_headers, signed_headers, hashed_payload];
    let mut out = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(part);
    }
    out
}

/// `ACS3-HMAC-SHA256\n` + lower-hex SHA-256 of the canonical request.
pub fn string_to_sign(canonical_request: &str) -> String {
    let digest = Sha256::digest(canonical_request.as_bytes());
    let mut out = String::with_capacity(ALGORITHM.len() + 1 + 64);
    out.push_str(ALGORITHM);
    out.push('\n');
    out.push_str(&hex_lower(&digest));
    out
}

/// Lower-hex HMAC-SHA256 keyed with the AccessKey secret as is (no `&`, unlike v1).
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(string_to_sign.as_bytes());
    hex_lower(&mac.finalize().into_bytes())
}

/// `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<names>,Signature=<hex>`, no spaces
/// after the commas.
pub fn authorization(access_key_id: &str, signed_headers: &str, signature: &str) -> String {
    let mut out = String::with_capacity(
        ALGORITHM.len() + 40 + access_key_id.len() + signed_headers.len() + signature.len(),
    );
    out.push_str(ALGORITHM);
    out.push_str(" Credential=");
    out.push_str(access_key_id);
    out.push_str(",SignedHeaders=");
    out.push_str(signed_headers);
    out.push_str(",Signature=");
    out.push_str(signature);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_headers_join_sorted_values() {
        let (canonical, signed) =
            canonical_headers([("X-B", " 2 "), ("x-a", "1"), ("x-b", "1"), ("Host", "h")]);
        assert_eq!(canonical, "host:h\nx-a:1\nx-b:1,2\n");
        assert_eq!(signed, "host;x-a;x-b");
    }

    #[test]
    fn empty_inputs() {
        assert_eq!(canonical_query([]), "");
        assert_eq!(canonical_headers([]), (String::new(), String::new()));
        assert_eq!(hashed_payload(b""), hex_lower(&Sha256::digest(b"")));
        assert_eq!(canonical_request("POST", "", "", "", "", "h"), "POST\n/\n\n\n\nh");
    }
}

//! ACS3-HMAC-SHA256, the SDK's default signature, carried in the `Authorization` header.
//!
//! Every step is public so the test vectors can check each intermediate string. The request
//! builder and the verifier share a crate-private `Computed`, which writes the canonical
//! request into one buffer and keeps digest and signature on the stack: signing sits on every
//! API call.

use super::encode::{TextBuf, encoded_len, hex_into, hex_lower};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::ops::Range;

/// The algorithm name: first line of the string to sign and prefix of `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Lower-hex SHA-256 of the empty body, which most PTS requests have.
pub const EMPTY_BODY_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

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
    let c = Computed::new(secret, method, path, query, headers, &hashed_payload);
    let part = |r: &Range<usize>| c.canonical_request[r.clone()].to_owned();
    V3Signature {
        canonical_query: part(&c.query),
        canonical_headers: part(&c.headers),
        signed_headers: part(&c.signed),
        string_to_sign: c.string_to_sign(),
        signature: c.signature().to_owned(),
        canonical_request: c.canonical_request,
        hashed_payload,
    }
}

/// A canonical request and its signature, without the other intermediate strings.
pub(crate) struct Computed {
    pub(crate) canonical_request: String,
    query: Range<usize>,
    headers: Range<usize>,
    signed: Range<usize>,
    digest_hex: [u8; 64],
    signature_hex: [u8; 64],
}

impl Computed {
    pub(crate) fn new<'a>(
        secret: &str,
        method: &str,
        path: &str,
        query: impl IntoIterator<Item = (&'a str, &'a str)>,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        hashed_payload: &str,
    ) -> Self {
        let mut query: Vec<(&str, &str)> = query.into_iter().collect();
        let headers = sorted_headers(headers);
        let query_len: usize = query.iter().map(|(k, v)| k.len() + encoded_len(v) + 2).sum();
        let headers_len: usize = headers.iter().map(|(n, v)| 2 * n.len() + v.len() + 3).sum();
        let len = method.len() + path.len() + query_len + headers_len + hashed_payload.len() + 8;
        let mut out = TextBuf::with_capacity(len);
        out.push_str(method);
        out.push_ascii(b'\n');
        out.push_str(if path.is_empty() { "/" } else { path });
        out.push_ascii(b'\n');
        let q = out.len();
        write_query(&mut out, &mut query);
        let query = q..out.len();
        out.push_ascii(b'\n');
        let h = out.len();
        write_header_lines(&mut out, &headers);
        let headers_range = h..out.len();
        out.push_ascii(b'\n');
        let s = out.len();
        write_signed_names(&mut out, &headers);
        let signed = s..out.len();
        out.push_ascii(b'\n');
        out.push_str(hashed_payload);
        let canonical_request = out.finish();

        let mut digest_hex = [0u8; 64];
        hex_into(&mut digest_hex, &Sha256::digest(canonical_request.as_bytes()));
        // HMAC over the string to sign, fed in pieces instead of being assembled first.
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
            .expect("HMAC takes keys of any length");
        mac.update(ALGORITHM.as_bytes());
        mac.update(b"\n");
        mac.update(&digest_hex);
        let mut signature_hex = [0u8; 64];
        hex_into(&mut signature_hex, &mac.finalize().into_bytes());
        Self { canonical_request, query, headers: headers_range, signed, digest_hex, signature_hex }
    }

    pub(crate) fn signed_headers(&self) -> &str {
        &self.canonical_request[self.signed.clone()]
    }

    pub(crate) fn signature(&self) -> &str {
        std::str::from_utf8(&self.signature_hex).expect("hex is ASCII")
    }

    pub(crate) fn string_to_sign(&self) -> String {
        let digest = std::str::from_utf8(&self.digest_hex).expect("hex is ASCII");
        format!("{ALGORITHM}\n{digest}")
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
    let mut params: Vec<(&str, &str)> = params.into_iter().collect();
    let mut out =
        TextBuf::with_capacity(params.iter().map(|(k, v)| k.len() + encoded_len(v) + 2).sum());
    write_query(&mut out, &mut params);
    out.finish()
}

fn write_query(out: &mut TextBuf, params: &mut [(&str, &str)]) {
    // Stable, so a name repeated on the wire keeps its order and still signs deterministically.
    params.sort_by(|a, b| a.0.cmp(b.0));
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            out.push_ascii(b'&');
        }
        out.push_str(k);
        out.push_ascii(b'=');
        out.push_enc(v);
    }
}

/// Returns `(CanonicalHeaders, SignedHeaders)`: names lower-cased, values trimmed, sorted by
/// name, one `name:value\n` line per name; a repeated name joins its sorted values with `,`.
pub fn canonical_headers<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (String, String) {
    let headers = sorted_headers(headers);
    let len: usize = headers.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut canonical = TextBuf::with_capacity(len);
    write_header_lines(&mut canonical, &headers);
    let mut signed = TextBuf::with_capacity(len / 2);
    write_signed_names(&mut signed, &headers);
    (canonical.finish(), signed.finish())
}

fn sorted_headers<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<(Cow<'a, str>, &'a str)> {
    let mut sorted: Vec<(Cow<'a, str>, &'a str)> =
        headers.into_iter().map(|(n, v)| (lower(n), v.trim())).collect();
    // Sorting by (name, value) groups repeats and orders their values in one pass.
    sorted.sort_unstable();
    sorted
}

fn write_header_lines(out: &mut TextBuf, sorted: &[(Cow<'_, str>, &str)]) {
    for (i, (name, value)) in sorted.iter().enumerate() {
        if i > 0 && sorted[i - 1].0 == *name {
            // Same name again: continue the previous line, replacing its `\n`.
            out.pop();
            out.push_ascii(b',');
        } else {
            out.push_str(name);
            out.push_ascii(b':');
        }
        out.push_str(value);
        out.push_ascii(b'\n');
    }
}

fn write_signed_names(out: &mut TextBuf, sorted: &[(Cow<'_, str>, &str)]) {
    for (i, (name, _)) in sorted.iter().enumerate() {
        if i > 0 && sorted[i - 1].0 == *name {
            continue;
        }
        if i > 0 {
            out.push_ascii(b';');
        }
        out.push_str(name);
    }
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
    [method, path, canonical_query, canonical_headers, signed_headers, hashed_payload].join("\n")
}

/// `ACS3-HMAC-SHA256\n` + lower-hex SHA-256 of the canonical request.
pub fn string_to_sign(canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}", hex_lower(&Sha256::digest(canonical_request.as_bytes())))
}

/// Lower-hex HMAC-SHA256 keyed with the AccessKey secret as is (no `&`, unlike v1).
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(string_to_sign.as_bytes());
    hex_lower(&mac.finalize().into_bytes())
}

/// `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<names>,Signature=<hex>`, no spaces
/// after the commas.
pub fn authorization(access_key_id: &str, signed_headers: &str, signature: &str) -> String {
    let parts = [
        ALGORITHM,
        " Credential=",
        access_key_id,
        ",SignedHeaders=",
        signed_headers,
        ",Signature=",
        signature,
    ];
    // `concat` sizes the result exactly once; `format!` would grow it step by step.
    parts.concat()
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

    #[test]
    fn one_pass_signer_matches_the_step_functions() {
        let query = [("b", "2 3"), ("a", "压")];
        let headers = [("Host", "h"), ("x-acs-date", "d"), ("x-acs-date", "c")];
        let full = sign("k", "POST", "/", query, headers, b"body");
        let (ch, sh) = canonical_headers(headers);
        let creq =
            canonical_request("POST", "/", &canonical_query(query), &ch, &sh, &full.hashed_payload);
        assert_eq!(full.canonical_request, creq);
        assert_eq!(full.string_to_sign, string_to_sign(&creq));
        assert_eq!(full.signature, signature("k", &full.string_to_sign));
        assert_eq!((full.canonical_headers, full.signed_headers), (ch, sh));
    }
}

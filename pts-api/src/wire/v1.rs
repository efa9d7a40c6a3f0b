//! RPC signature v1 (HMAC-SHA1, `SignatureVersion=1.0`), the SDK's opt-in legacy scheme (used when
//! its `signature_algorithm` is `"v2"`). The signature travels as the `Signature` query param.

use super::encode::{TextBuf, encoded_len};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

/// Value of the `SignatureMethod` param.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// Value of the `SignatureVersion` param.
pub const SIGNATURE_VERSION: &str = "1.0";

/// Every intermediate value of one v1 signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct V1Signature {
    pub canonicalized_query: String,
    pub string_to_sign: String,
    /// Base64 HMAC-SHA1.
    pub signature: String,
}

/// Signs `params`: every query param except `Signature`, plus every form-body param (the
/// body is signed even though it does not travel in the query).
pub fn sign<'a>(
    secret: &str,
    method: &str,
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> V1Signature {
    let canonicalized_query = canonicalized_query(params);
    let string_to_sign = string_to_sign(method, &canonicalized_query);
    let signature = signature(secret, &string_to_sign);
    V1Signature { canonicalized_query, string_to_sign, signature }
}

/// `sign(..).signature` in one pass: the string to sign is written directly, encoding each
/// name and value twice, instead of encoding a finished canonicalized query a second time.
pub fn signature_only<'a>(
    secret: &str,
    method: &str,
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let sorted = sorted(params);
    let mut out = TextBuf::with_capacity(512);
    write_prefix(&mut out, method);
    for (i, (k, v)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push_str("%26");
        }
        out.push_enc_twice(k);
        out.push_str("%3D");
        out.push_enc_twice(v);
    }
    signature(secret, &out.finish())
}

fn sorted<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<(&'a str, &'a str)> {
    let mut sorted: Vec<(&str, &str)> = params.into_iter().collect();
    // Stable, so repeated names (possible on a server's input) keep a deterministic order.
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    sorted
}

/// Params sorted by name, each `enc(name)=enc(value)`, joined by `&`.
pub fn canonicalized_query<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let sorted = sorted(params);
    let len: usize = sorted.iter().map(|(k, v)| encoded_len(k) + encoded_len(v) + 2).sum();
    let mut out = TextBuf::with_capacity(len);
    for (i, (k, v)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push_ascii(b'&');
        }
        out.push_enc(k);
        out.push_ascii(b'=');
        out.push_enc(v);
    }
    out.finish()
}

/// `METHOD&%2F&enc(canonicalized)`: the canonical string is encoded a second time.
pub fn string_to_sign(method: &str, canonicalized_query: &str) -> String {
    let mut out = TextBuf::with_capacity(method.len() + 5 + encoded_len(canonicalized_query));
    write_prefix(&mut out, method);
    out.push_enc(canonicalized_query);
    out.finish()
}

fn write_prefix(out: &mut TextBuf, method: &str) {
    if method.bytes().any(|b| b.is_ascii_lowercase()) {
        out.push_str(&method.to_ascii_uppercase());
    } else {
        out.push_str(method);
    }
    // enc("/"): RPC requests always go to the root path.
    out.push_str("&%2F&");
}

/// The HMAC key: the secret followed by `&` (an empty token-secret slot of the old OAuth-like
/// scheme, which is why v3 dropped it).
pub fn signing_key(secret: &str) -> String {
    let mut key = String::with_capacity(secret.len() + 1);
    key.push_str(secret);
    key.push('&');
    key
}

/// Base64 (standard alphabet, padded) of HMAC-SHA1 over the string to sign.
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(signing_key(secret).as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(string_to_sign.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pass_signature_matches_the_step_functions() {
        let params = [("b", "a b%/+*~"), ("a", "压测"), ("Name.1", ""), ("a", "=&")];
        for method in ["POST", "get"] {
            assert_eq!(signature_only("s", method, params), sign("s", method, params).signature);
        }
    }
}

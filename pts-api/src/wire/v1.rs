//! RPC signature v1 (HMAC-SHA1, `SignatureVersion=1.0`), the SDK's opt-in legacy scheme
//! (protocol.md §3.2). The signature travels as the `Signature` query param.

use super::encode::{enc_into, encoded_len};
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
pub fn sign<'a>(secret: &str, method: &str, params: impl IntoIterator<Item = (&'a str, &'a str)>) -> V1Signature {
    let canonicalized_query = canonicalized_query(params);
    let string_to_sign = string_to_sign(method, &canonicalized_query);
    let signature = signature(secret, &string_to_sign);
    V1Signature {
        canonicalized_query,
        string_to_sign,
        signature,
    }
}

/// Params sorted by name, each `enc(name)=enc(value)`, joined by `&`.
pub fn canonicalized_query<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut sorted: Vec<(&str, &str)> = params.into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let len: usize = sorted.iter().map(|(k, v)| encoded_len(k) + encoded_len(v) + 2).sum();
    let mut out = String::with_capacity(len);
    for (k, v) in sorted {
        if !out.is_empty() {
            out.push('&');
        }
        enc_into(&mut out, k);
        out.push('=');
        enc_into(&mut out, v);
    }
    out
}

/// `METHOD&%2F&enc(canonicalized)`: the canonical string is encoded a second time.
pub fn string_to_sign(method: &str, canonicalized_query: &str) -> String {
    let mut out = String::with_capacity(method.len() + 5 + encoded_len(canonicalized_query));
    out.extend(method.chars().map(|c| c.to_ascii_uppercase()));
    // enc("/"): RPC requests always go to the root path.
    out.push_str("&%2F&");
    enc_into(&mut out, canonicalized_query);
    out
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
    let mut mac =
        Hmac::<Sha1>::new_from_slice(signing_key(secret).as_bytes()).expect("HMAC takes keys of any length");
    mac.update(string_to_sign.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

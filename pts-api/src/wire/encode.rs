//! Percent-encodings of protocol.md §5, the form decoder a server needs, and lower-hex.
//!
//! Both signature schemes canonicalize with the strict RFC 3986 encoding [`enc`]; the SDK
//! writes the wire query and body with [`form_enc`] (space as `+`). A server decodes either
//! with [`decode_form`] and re-canonicalizes, so the wire spelling never affects a signature.

/// RFC 3986 unreserved bytes (`A-Z a-z 0-9 - _ . ~`): the only ones left literal.
const UNRESERVED: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    t
};

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";
const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";

/// Strict RFC 3986 encoding of the UTF-8 bytes: space → `%20`, `*` → `%2A`, `~` literal.
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(encoded_len(s));
    enc_into(&mut out, s);
    out
}

/// Appends [`enc`]`(s)` to `out`.
pub fn enc_into(out: &mut String, s: &str) {
    encode_into(out, s, false);
}

/// The SDK's wire spelling: [`enc`] except that space → `+`.
pub fn form_enc(s: &str) -> String {
    let mut out = String::with_capacity(encoded_len(s));
    form_enc_into(&mut out, s);
    out
}

/// Appends [`form_enc`]`(s)` to `out`.
pub fn form_enc_into(out: &mut String, s: &str) {
    encode_into(out, s, true);
}

/// Exact length of [`enc`]`(s)` (and of [`form_enc`]`(s)`), so callers can pre-size.
pub fn encoded_len(s: &str) -> usize {
    s.bytes().map(|b| if UNRESERVED[b as usize] { 1 } else { 3 }).sum()
}

fn encode_into(out: &mut String, s: &str, space_as_plus: bool) {
    out.reserve(encoded_len(s));
    let bytes = s.as_bytes();
    let mut run_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if UNRESERVED[b as usize] {
            continue;
        }
        // Runs of unreserved bytes are ASCII, so slicing here stays on char boundaries.
        out.push_str(&s[run_start..i]);
        run_start = i + 1;
        if space_as_plus && b == b' ' {
            out.push('+');
        } else {
            out.push('%');
            out.push(UPPER_HEX[(b >> 4) as usize] as char);
            out.push(UPPER_HEX[(b & 0x0f) as usize] as char);
        }
    }
    out.push_str(&s[run_start..]);
}

/// A form body as the SDK writes it: fields sorted by name, `name=value` in [`form_enc`],
/// joined with `&`. Sorting is stable, so repeated names keep their relative order.
pub fn form_body<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut sorted: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    form_pairs(sorted)
}

/// `name=value` pairs in [`form_enc`], in the given order, joined with `&`.
pub fn form_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)> + Clone) -> String {
    let len: usize = pairs.clone().into_iter().map(|(k, v)| encoded_len(k) + encoded_len(v) + 2).sum();
    let mut out = String::with_capacity(len);
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        form_enc_into(&mut out, k);
        out.push('=');
        form_enc_into(&mut out, v);
    }
    out
}

/// Parses `application/x-www-form-urlencoded` (a URL query or a form body) following the
/// WHATWG URL standard: split on `&`, skip empty pieces, split each at the first `=` (a piece
/// without one is a name with an empty value), `+` → space, then percent-decode. Invalid `%`
/// escapes stay literal and invalid UTF-8 becomes U+FFFD, as in Python's `parse_qsl`, so the
/// server sees what the official SDK's counterpart would. Empty values are kept: `Name=` is
/// signed as `Name=`.
pub fn decode_form(input: &[u8]) -> Vec<(String, String)> {
    input
        .split(|&b| b == b'&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = match piece.iter().position(|&b| b == b'=') {
                Some(i) => (&piece[..i], &piece[i + 1..]),
                None => (piece, &[][..]),
            };
            (decode_component(name), decode_component(value))
        })
        .collect()
}

/// Decodes one form component: `+` → space, `%XY` → byte, anything else verbatim.
pub fn decode_component(input: &[u8]) -> String {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' => match (input.get(i + 1).and_then(hex_val), input.get(i + 2).and_then(hex_val)) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn hex_val(b: &u8) -> Option<u8> {
    match *b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Lower-case hex of `bytes` (digests and v3 signatures are written this way).
pub fn hex_lower(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(LOWER_HEX[(b >> 4) as usize] as char);
        out.push(LOWER_HEX[(b & 0x0f) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_encoding_matches_protocol_examples() {
        assert_eq!(enc("a b"), "a%20b");
        assert_eq!(enc("*~/+=&"), "%2A~%2F%2B%3D%26");
        assert_eq!(enc("压"), "%E5%8E%8B");
        assert_eq!(enc("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(enc(""), "");
    }

    #[test]
    fn form_encoding_uses_plus_for_space() {
        assert_eq!(form_enc("a b+c"), "a+b%2Bc");
        assert_eq!(form_body(&[("b", "2 3"), ("a", "x&y")]), "a=x%26y&b=2+3");
        assert_eq!(form_body::<&str, &str>(&[]), "");
    }

    #[test]
    fn encoded_len_is_exact() {
        for s in ["", "abc", "a b", "压测 场景*~", "%%%"] {
            assert_eq!(encoded_len(s), enc(s).len(), "{s}");
        }
    }

    #[test]
    fn decoder_round_trips_and_is_lenient() {
        let s = "压测 场景*~ a+b=c&d/%";
        let wire = format!("K={}&E=&N&&Z={}", form_enc(s), enc(s));
        let got = decode_form(wire.as_bytes());
        let want = [("K", s), ("E", ""), ("N", ""), ("Z", s)];
        let got: Vec<(&str, &str)> = got.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(got, want);
        assert_eq!(decode_component(b"%zz%4"), "%zz%4");
        assert_eq!(decode_component(b"%E5%8E"), "\u{FFFD}");
        assert_eq!(decode_component(b"a=b"), "a=b");
    }

    #[test]
    fn hex_is_lower_case() {
        assert_eq!(hex_lower(&[0x00, 0xab, 0xff]), "00abff");
    }
}

//! The two percent-encodings the SDK uses, the form decoder a server needs, and lower-hex.
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

/// `%XY` (upper-case hex) for every byte, so an escape is one fixed-size copy.
const ESCAPE: [[u8; 3]; 256] = {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut t = [[0u8; 3]; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = [b'%', HEX[b >> 4], HEX[b & 0x0f]];
        b += 1;
    }
    t
};

const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";

/// Strict RFC 3986 encoding of the UTF-8 bytes: space → `%20`, `*` → `%2A`, `~` literal.
pub fn enc(s: &str) -> String {
    let mut out = TextBuf::with_capacity(encoded_len(s));
    out.push_enc(s);
    out.finish()
}

/// The SDK's wire spelling: [`enc`] except that space → `+`.
pub fn form_enc(s: &str) -> String {
    let mut out = TextBuf::with_capacity(encoded_len(s));
    out.push_form(s);
    out.finish()
}

/// Exact length of [`enc`]`(s)` (and of [`form_enc`]`(s)`), so callers can pre-size.
pub fn encoded_len(s: &str) -> usize {
    s.bytes().map(|b| if UNRESERVED[b as usize] { 1 } else { 3 }).sum()
}

/// How [`TextBuf`] spells a byte outside the unreserved set.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Escape {
    /// `%XY`: [`enc`].
    Strict,
    /// `%XY`, but space as `+`: [`form_enc`].
    Form,
    /// `%25XY`: [`enc`] applied twice, as the v1 string to sign needs; the hex digits of the
    /// first escape are unreserved, so only its `%` changes.
    Twice,
}

/// Output buffer for canonical and wire strings. It appends bytes, so unreserved runs and
/// escapes are plain slice copies (signing time is mostly this and hashing). Only ASCII and
/// whole `&str`s are ever appended, so [`TextBuf::finish`] cannot fail.
pub(crate) struct TextBuf(Vec<u8>);

impl TextBuf {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self(Vec::with_capacity(n))
    }

    pub(crate) fn push_str(&mut self, s: &str) {
        self.0.extend_from_slice(s.as_bytes());
    }

    pub(crate) fn push_ascii(&mut self, b: u8) {
        debug_assert!(b.is_ascii());
        self.0.push(b);
    }

    /// Appends [`enc`]`(s)`.
    pub(crate) fn push_enc(&mut self, s: &str) {
        self.encode(s, Escape::Strict);
    }

    /// Appends [`form_enc`]`(s)`.
    pub(crate) fn push_form(&mut self, s: &str) {
        self.encode(s, Escape::Form);
    }

    /// Appends `enc(enc(s))` without building the intermediate string.
    pub(crate) fn push_enc_twice(&mut self, s: &str) {
        self.encode(s, Escape::Twice);
    }

    fn encode(&mut self, s: &str, escape: Escape) {
        // Copy runs of unreserved bytes in bulk; most of a typical value is one run.
        let bytes = s.as_bytes();
        self.0.reserve(bytes.len());
        let mut run_start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if UNRESERVED[b as usize] {
                continue;
            }
            self.0.extend_from_slice(&bytes[run_start..i]);
            run_start = i + 1;
            match escape {
                Escape::Form if b == b' ' => self.0.push(b'+'),
                Escape::Twice => {
                    self.0.extend_from_slice(b"%25");
                    self.0.extend_from_slice(&ESCAPE[b as usize][1..]);
                }
                _ => self.0.extend_from_slice(&ESCAPE[b as usize]),
            }
        }
        self.0.extend_from_slice(&bytes[run_start..]);
    }

    /// Removes the last byte; only ever called right after an ASCII byte was pushed.
    pub(crate) fn pop(&mut self) {
        self.0.pop();
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn finish(self) -> String {
        String::from_utf8(self.0).expect("only ASCII and whole strs are appended")
    }
}

/// A form body as the SDK writes it: fields sorted by name, `name=value` in [`form_enc`],
/// joined with `&`. Sorting is stable, so repeated names keep their relative order.
pub fn form_body<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut sorted: Vec<(&str, &str)> =
        pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    form_pairs(sorted)
}

/// `name=value` pairs in [`form_enc`], in the given order, joined with `&`.
pub fn form_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)> + Clone) -> String {
    let len: usize =
        pairs.clone().into_iter().map(|(k, v)| encoded_len(k) + encoded_len(v) + 2).sum();
    let mut out = TextBuf::with_capacity(len);
    for (k, v) in pairs {
        if out.len() > 0 {
            out.push_ascii(b'&');
        }
        out.push_form(k);
        out.push_ascii(b'=');
        out.push_form(v);
    }
    out.finish()
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
            b'%' => {
                match (input.get(i + 1).and_then(hex_val), input.get(i + 2).and_then(hex_val)) {
                    (Some(hi), Some(lo)) => {
                        out.push(hi << 4 | lo);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
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
    let mut out = vec![0u8; bytes.len() * 2];
    hex_into(&mut out, bytes);
    String::from_utf8(out).expect("hex is ASCII")
}

/// Writes lower-case hex of `bytes` into `out`, which must be twice as long.
pub(crate) fn hex_into(out: &mut [u8], bytes: &[u8]) {
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&[LOWER_HEX[(b >> 4) as usize], LOWER_HEX[(b & 0x0f) as usize]]);
    }
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
    fn double_encoding_equals_encoding_twice() {
        for s in ["", "a b%/+*~", "压测 场景", "x=1&y=2"] {
            let mut out = TextBuf::with_capacity(0);
            out.push_enc_twice(s);
            assert_eq!(out.finish(), enc(&enc(s)), "{s}");
        }
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

//! Ids, RequestIds and timestamps shaped like PTS's.
//!
//! - Resource ids (SceneId, RelationId, ApiId, PlanId, ReportId, EnvId): 8 characters from
//!   `[A-Z0-9]` **(convention; observed lengths 6-8)**. Uniqueness across kinds is enforced by
//!   the `ids` table in the store, not here.
//! - RequestId: a version-4 UUID in upper-case hex, fresh per call.
//! - Scene and report times: `YYYY-MM-DD hh:mm:ss` in the server's configured UTC offset
//!   (default Asia/Shanghai, UTC+8, which has no daylight saving). JMeter, ListPtsReports and
//!   Env times are epoch milliseconds.

use pts_api::time::Timestamp;
use std::cell::Cell;
use std::time::{SystemTime, UNIX_EPOCH};
use time::OffsetDateTime;

const ID_ALPHABET: &[u8; 36] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/// Length of generated resource ids.
pub const ID_LEN: usize = 8;

thread_local! {
    static RNG: Cell<u64> = Cell::new(seed());
}

fn seed() -> u64 {
    let mut b = [0u8; 8];
    // The OS generator only seeds this fast, non-cryptographic stream: ids and RequestIds need
    // to be unique and unguessable-enough, not secret. Secrets use `secure_random` instead.
    getrandom::fill(&mut b).expect("the OS random generator is available");
    u64::from_le_bytes(b)
}

/// splitmix64: a fast, well-distributed 64-bit stream per thread.
pub fn next_u64() -> u64 {
    RNG.with(|s| {
        let mut z = s.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        s.set(z);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    })
}

/// A new 8-character `[A-Z0-9]` id (not yet checked for uniqueness).
pub fn new_id() -> String {
    let mut x = next_u64();
    let mut s = String::with_capacity(ID_LEN);
    for _ in 0..ID_LEN {
        s.push(ID_ALPHABET[(x % 36) as usize] as char);
        x /= 36;
    }
    s
}

/// An upper-case UUID v4, e.g. `3C5A1E9B-8D4C-4F8E-A5B4-C3D2E1F00A1B`.
pub fn request_id() -> String {
    let hi = next_u64();
    let lo = next_u64();
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&hi.to_be_bytes());
    b[8..].copy_from_slice(&lo.to_be_bytes());
    b[6] = (b[6] & 0x0F) | 0x40;
    b[8] = (b[8] & 0x3F) | 0x80;
    let h = hex_upper(&b);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

fn hex_upper(b: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        s.push(H[(x >> 4) as usize] as char);
        s.push(H[(x & 15) as usize] as char);
    }
    s
}

/// Cryptographically random text from `alphabet`, for generated access keys.
pub fn secure_random(len: usize, alphabet: &[u8]) -> String {
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        getrandom::fill(&mut buf).expect("the OS random generator is available");
        // Rejection sampling keeps the distribution uniform.
        let limit = 256 - (256 % alphabet.len());
        for &x in &buf {
            if (x as usize) < limit && out.len() < len {
                out.push(alphabet[x as usize % alphabet.len()] as char);
            }
        }
    }
    out
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Formats epoch-ms instants as PTS's `YYYY-MM-DD hh:mm:ss` in a fixed UTC offset, through
/// the client's time conversion so both sides agree on every instant.
#[derive(Debug, Clone, Copy)]
pub struct TimeFmt {
    offset_secs: i32,
}

impl TimeFmt {
    /// Asia/Shanghai (UTC+8), PTS's own zone.
    pub const SHANGHAI_SECS: i32 = pts_api::time::PTS_OFFSET_SECS;

    /// An offset beyond a day either side is no zone's; such a configuration means UTC.
    pub fn new(offset_secs: i32) -> Self {
        let offset_secs = if offset_secs.abs() < 86_400 { offset_secs } else { 0 };
        TimeFmt { offset_secs }
    }

    pub fn format(&self, ms: i64) -> String {
        Timestamp::from_epoch_ms(ms).wall_text(self.offset_secs)
    }
}

/// Parses a request timestamp (`x-acs-date` / `Timestamp`, `YYYY-MM-DDThh:mm:ssZ`) to epoch seconds.
pub fn parse_request_time(s: &str) -> Option<i64> {
    let t = OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339).ok()?;
    Some(t.unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_documented_shape() {
        let id = new_id();
        assert_eq!(id.len(), 8);
        assert!(id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
        assert_ne!(new_id(), new_id());
        let r = request_id();
        assert_eq!(r.len(), 36);
        assert_eq!(&r[14..15], "4");
        assert!(r.chars().all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_uppercase()));
    }

    #[test]
    fn shanghai_format_and_request_time() {
        let f = TimeFmt::new(TimeFmt::SHANGHAI_SECS);
        assert_eq!(f.format(0), "1970-01-01 08:00:00");
        let t = Timestamp::parse_pts(&f.format(1_717_243_200_123)).unwrap();
        assert_eq!(t.epoch_ms(), 1_717_243_200_000);
        assert_eq!(TimeFmt::new(0).format(0), "1970-01-01 00:00:00");
        assert_eq!(parse_request_time("2024-06-01T12:00:00Z"), Some(1_717_243_200));
        assert_eq!(parse_request_time("yesterday"), None);
    }

    #[test]
    fn secure_random_uses_the_alphabet() {
        let s = secure_random(30, b"abc");
        assert_eq!(s.len(), 30);
        assert!(s.bytes().all(|b| b"abc".contains(&b)));
    }
}

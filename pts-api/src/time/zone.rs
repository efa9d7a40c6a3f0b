//! The zone instants are shown in, and RFC 3339 in and out.

use std::sync::{OnceLock, RwLock};

/// Where an instant is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// The machine's zone (`TZ`, else `/etc/localtime`), with its offset at that instant
    /// (daylight saving included).
    Local,
    /// UTC, written with `Z`.
    Utc,
    /// A fixed offset east of UTC, in seconds.
    Offset(i32),
}

static DISPLAY: RwLock<Zone> = RwLock::new(Zone::Local);

/// Sets the zone [`display_zone`] returns for the rest of the process (the CLI's `--utc`).
pub fn set_display_zone(zone: Zone) {
    *DISPLAY.write().unwrap_or_else(|e| e.into_inner()) = zone;
}

/// The zone this process shows instants in: [`Zone::Local`] unless set.
pub fn display_zone() -> Zone {
    *DISPLAY.read().unwrap_or_else(|e| e.into_inner())
}

fn system_zone() -> &'static jiff::tz::TimeZone {
    static TZ: OnceLock<jiff::tz::TimeZone> = OnceLock::new();
    // An unreadable zone setting falls back to UTC, which the rendered offset then states.
    TZ.get_or_init(jiff::tz::TimeZone::system)
}

/// Offset east of UTC in seconds of `zone` at epoch `ms`.
fn offset_at(ms: i64, zone: Zone) -> i32 {
    match zone {
        Zone::Utc => 0,
        Zone::Offset(s) => s,
        Zone::Local => match jiff::Timestamp::from_millisecond(ms) {
            Ok(ts) => system_zone().to_offset(ts).seconds(),
            Err(_) => 0,
        },
    }
}

pub(super) fn render(ms: i64, zone: Zone) -> String {
    let offset = offset_at(ms, zone);
    let wall = super::civil::wall_text(ms, offset).replacen(' ', "T", 1);
    if zone == Zone::Utc {
        return format!("{wall}Z");
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let a = offset.unsigned_abs();
    format!("{wall}{sign}{:02}:{:02}", a / 3600, a % 3600 / 60)
}

/// Epoch milliseconds of an RFC 3339 text.
pub(super) fn parse_rfc3339_ms(text: &str) -> Option<i64> {
    let ts: jiff::Timestamp = text.parse().ok()?;
    Some(ts.as_millisecond())
}

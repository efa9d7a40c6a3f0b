//! Times and durations as PTS writes them, and as pts shows them: the one place that
//! converts between the two.
//!
//! PTS writes an instant three ways: wall-clock text `YYYY-MM-DD hh:mm:ss` in its own zone,
//! UTC+8 (scenes, PTS report overviews, JMeter report overviews); epoch milliseconds
//! (ListPtsReports, JMeter scenes and reports, environments, samples); and epoch seconds in
//! a few query parameters. Each converts to a [`Timestamp`]. Shown to a person or written as
//! data, an instant is RFC 3339 with the offset of the display [`Zone`] (the local zone, or
//! UTC when asked), so one instant reads the same in every output. Durations arrive as
//! seconds, minutes or localised text (`10分钟`); [`parse_duration`] reads every form and
//! [`human_duration`] writes `2m 05s`.

mod civil;
mod duration;
mod error;
mod zone;

pub use duration::{human_duration, parse_duration, pts_minutes_text};
pub use error::TimeError;
pub use zone::{Zone, display_zone, set_display_zone};

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// PTS's own zone: Asia/Shanghai, UTC+8, without daylight saving.
pub const PTS_OFFSET_SECS: i32 = 8 * 3600;

/// An instant, to the millisecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    ms: i64,
}

const INSTANT: &str = "a time (`YYYY-MM-DD hh:mm:ss` in UTC+8, RFC 3339, or epoch ms)";

impl Timestamp {
    pub fn from_epoch_ms(ms: i64) -> Timestamp {
        Timestamp { ms }
    }

    pub fn from_epoch_secs(secs: i64) -> Timestamp {
        Timestamp { ms: secs.saturating_mul(1000) }
    }

    pub fn from_system_time(t: SystemTime) -> Timestamp {
        let ms = match t.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
        };
        Timestamp { ms }
    }

    pub fn now() -> Timestamp {
        Timestamp::from_system_time(SystemTime::now())
    }

    pub fn epoch_ms(self) -> i64 {
        self.ms
    }

    pub fn to_system_time(self) -> SystemTime {
        let d = Duration::from_millis(self.ms.unsigned_abs());
        if self.ms >= 0 { UNIX_EPOCH + d } else { UNIX_EPOCH - d }
    }

    /// Time from `self` to `later` (zero when `later` is earlier).
    pub fn until(self, later: Timestamp) -> Duration {
        Duration::from_millis(later.ms.saturating_sub(self.ms).max(0) as u64)
    }

    pub fn plus(self, d: Duration) -> Timestamp {
        Timestamp { ms: self.ms.saturating_add(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)) }
    }

    /// PTS's wall-clock text, `YYYY-MM-DD hh:mm:ss` in UTC+8.
    pub fn pts_text(self) -> String {
        self.wall_text(PTS_OFFSET_SECS)
    }

    /// `YYYY-MM-DD hh:mm:ss` at a fixed UTC offset (what a PTS-compatible server configured
    /// for another zone writes).
    pub fn wall_text(self, offset_secs: i32) -> String {
        civil::wall_text(self.ms, offset_secs)
    }

    /// Reads PTS's wall-clock text in UTC+8: `YYYY-MM-DD hh:mm:ss`, also with `T` for the
    /// space or a fraction of a second.
    pub fn parse_pts(text: &str) -> Result<Timestamp, TimeError> {
        Timestamp::parse_wall(text, PTS_OFFSET_SECS)
    }

    /// Reads `YYYY-MM-DD hh:mm:ss[.fff]` as wall-clock time at a fixed UTC offset.
    pub fn parse_wall(text: &str, offset_secs: i32) -> Result<Timestamp, TimeError> {
        let expected = "PTS wall-clock time `YYYY-MM-DD hh:mm:ss`";
        let err = |why: &str| TimeError::new(text, expected, why);
        let t = text.trim();
        let b = t.as_bytes();
        let shaped = b.len() >= 19 && b[..19].is_ascii();
        if !shaped || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b' ' | b'T') {
            return Err(err("expected 19 characters shaped YYYY-MM-DD hh:mm:ss"));
        }
        if b[13] != b':' || b[16] != b':' {
            return Err(err("expected hh:mm:ss after the date"));
        }
        let num = |r: std::ops::Range<usize>, what: &str| -> Result<u32, TimeError> {
            let s = &t[r];
            if !s.bytes().all(|c| c.is_ascii_digit()) {
                return Err(err(&format!("the {what} `{s}` is not a number")));
            }
            s.parse().map_err(|_| err(&format!("the {what} `{s}` is not a number")))
        };
        let (y, mo, d) = (num(0..4, "year")?, num(5..7, "month")?, num(8..10, "day")?);
        let (h, mi, s) = (num(11..13, "hour")?, num(14..16, "minute")?, num(17..19, "second")?);
        let frac_ms = match &t[19..] {
            "" => 0,
            f if f.len() > 1
                && f.starts_with('.')
                && f[1..].bytes().all(|c| c.is_ascii_digit()) =>
            {
                let digits = format!("{:0<3}", &f[1..f.len().min(4)]);
                digits.parse::<i64>().unwrap_or(0)
            }
            rest => return Err(err(&format!("unexpected `{rest}` after the seconds"))),
        };
        if !(1..=12).contains(&mo) {
            return Err(err(&format!("month {mo} is not 1-12")));
        }
        let y = i64::from(y);
        if d == 0 || d > civil::days_in_month(y, mo) {
            return Err(err(&format!("day {d} does not exist in {y:04}-{mo:02}")));
        }
        if h > 23 || mi > 59 || s > 59 {
            return Err(err(&format!("{h:02}:{mi:02}:{s:02} is not a time of day")));
        }
        let days = civil::days_from_civil(y, mo, d);
        let secs = days * 86_400 + i64::from(h * 3600 + mi * 60 + s) - i64::from(offset_secs);
        Ok(Timestamp { ms: secs * 1000 + frac_ms })
    }

    /// Reads any instant PTS or a person writes: RFC 3339 (`2026-01-02T15:04:05+01:00`),
    /// PTS wall-clock text (UTC+8), or a number: epoch milliseconds, or epoch seconds when it
    /// has at most 11 digits (seconds reach 12 digits only after the year 5000).
    pub fn parse(text: &str) -> Result<Timestamp, TimeError> {
        let t = text.trim();
        if !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()) {
            let n: i64 =
                t.parse().map_err(|_| TimeError::new(text, INSTANT, "number too large"))?;
            return Ok(if t.len() <= 11 {
                Timestamp::from_epoch_secs(n)
            } else {
                Timestamp::from_epoch_ms(n)
            });
        }
        let zoned = t.ends_with(['Z', 'z']) || t.get(19..).is_some_and(|r| r.contains(['+', '-']));
        if zoned {
            return zone::parse_rfc3339_ms(t).map(Timestamp::from_epoch_ms).ok_or_else(|| {
                TimeError::new(text, INSTANT, "not RFC 3339 (YYYY-MM-DDThh:mm:ss+hh:mm)")
            });
        }
        Timestamp::parse_pts(t).map_err(|e| TimeError::new(text, INSTANT, e.why))
    }

    /// RFC 3339 with the offset of `zone`, to the second: `2026-01-02T15:04:05+08:00`, or
    /// `...Z` in UTC. The one rendering for tables, JSON, YAML, reports and evidence.
    pub fn rfc3339_in(self, zone: Zone) -> String {
        zone::render(self.ms, zone)
    }

    /// [`Timestamp::rfc3339_in`] the process's display zone ([`display_zone`]).
    pub fn display_text(self) -> String {
        self.rfc3339_in(display_zone())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_text())
    }
}

/// PTS's wall-clock text (UTC+8) rendered for display; text that does not read as a time is
/// returned unchanged, so nothing the service sent is lost.
pub fn display_pts_text(text: &str) -> String {
    Timestamp::parse(text).map(Timestamp::display_text).unwrap_or_else(|_| text.to_string())
}

/// Fields of PTS answers that hold instants: UTC+8 text or epoch milliseconds.
pub const TIME_FIELDS: [&str; 7] = [
    "CreateTime",
    "ModifiedTime",
    "StartTime",
    "EndTime",
    "ActualStartTime",
    "BeginTime",
    "StartTimeTS",
];

/// Rewrites every [`TIME_FIELDS`] value in `v` (at any depth) as RFC 3339 in the display
/// zone, for commands that show the service's objects (not `pts call`, which prints the
/// answer as it came). Values that do not read as a time stay as they are.
pub fn display_times(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Array(items) => items.iter_mut().for_each(display_times),
        Value::Object(map) => {
            for (k, field) in map.iter_mut() {
                let shown = match &*field {
                    Value::String(s) if TIME_FIELDS.contains(&k.as_str()) => {
                        Some(display_pts_text(s))
                    }
                    Value::Number(n) if TIME_FIELDS.contains(&k.as_str()) => {
                        n.as_i64().map(|ms| Timestamp::from_epoch_ms(ms).display_text())
                    }
                    _ => None,
                };
                match shown {
                    Some(text) => *field = Value::String(text),
                    None => display_times(field),
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;

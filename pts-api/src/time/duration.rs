//! Durations: every form the service writes in, and `2m 05s` out.

use super::error::TimeError;
use std::time::Duration;

const EXPECTED: &str =
    "a duration (`2分钟`, `1小时30分`, `30秒`, `2m 05s`, `10 minutes`, `00:02:05` or seconds)";

/// Seconds per unit word, Chinese and English, long and short.
fn unit_secs(unit: &str) -> Option<f64> {
    Some(match unit.to_ascii_lowercase().as_str() {
        "ms" | "毫秒" | "millisecond" | "milliseconds" | "msec" | "msecs" => 0.001,
        "s" | "秒" | "秒钟" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "m" | "分" | "分钟" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "时" | "小时" | "个小时" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
        "d" | "天" | "日" | "day" | "days" => 86_400.0,
        _ => return None,
    })
}

/// Reads a duration in any form the service or a person writes: localised text (`10分钟`,
/// `30秒`, `1小时`, `1小时30分钟`, `2分30秒`, `1天`), English (`10 minutes`, `1 hour 5 min`,
/// `2m 05s`, `1h30m`, `90s`, `1.5h`), a clock (`01:02:05`, `02:05`) or a bare number of
/// seconds. Words like "and" and commas between parts are ignored.
pub fn parse_duration(text: &str) -> Result<Duration, TimeError> {
    let err = |why: String| TimeError::new(text, EXPECTED, why);
    let t = text.trim();
    if t.is_empty() {
        return Err(err("it is empty".into()));
    }
    if t.contains(':') {
        return clock(t).ok_or_else(|| err("a clock reads hh:mm:ss or mm:ss".into()));
    }
    if let Ok(secs) = t.parse::<f64>() {
        return to_duration(secs).ok_or_else(|| err("seconds must be a finite number >= 0".into()));
    }
    let mut total = 0.0;
    let mut rest = t;
    let mut parts = 0;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == '，');
        if let Some(r) = rest.strip_prefix("and ") {
            rest = r;
            continue;
        }
        if rest.is_empty() {
            break;
        }
        let n_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if n_len == 0 {
            return Err(err(format!("expected a number at `{rest}`")));
        }
        let n: f64 = rest[..n_len]
            .parse()
            .map_err(|_| err(format!("`{}` is not a number", &rest[..n_len])))?;
        rest = rest[n_len..].trim_start();
        let u_len = rest
            .find(|c: char| c.is_ascii_digit() || c.is_whitespace() || c == ',' || c == '，')
            .unwrap_or(rest.len());
        let unit = &rest[..u_len];
        if unit.is_empty() {
            return Err(err(format!("the number {n} has no unit (s, m, h, 秒, 分钟, 小时 ...)")));
        }
        let per = unit_secs(unit).ok_or_else(|| err(format!("`{unit}` is not a unit of time")))?;
        total += n * per;
        parts += 1;
        rest = &rest[u_len..];
    }
    if parts == 0 {
        return Err(err("it has no number".into()));
    }
    to_duration(total).ok_or_else(|| err("too long".into()))
}

fn to_duration(secs: f64) -> Option<Duration> {
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_millis((secs * 1000.0).round() as u64))
}

fn clock(t: &str) -> Option<Duration> {
    let parts: Vec<u64> = t.split(':').map(|p| p.trim().parse().ok()).collect::<Option<_>>()?;
    let (h, m, s) = match parts[..] {
        [m, s] => (0, m, s),
        [h, m, s] => (h, m, s),
        _ => return None,
    };
    (m < 60 && s < 60).then(|| Duration::from_secs(h * 3600 + m * 60 + s))
}

/// `45s`, `2m 05s`, `1h 02m 05s`, `2d 03h 00m 00s`; under a second in milliseconds (`250ms`).
/// Whole seconds, rounded to the nearest.
pub fn human_duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        return format!("{}ms", d.as_millis());
    }
    let total = (d.as_millis() + 500) / 1000;
    let (days, h, m, s) = (total / 86_400, total % 86_400 / 3600, total % 3600 / 60, total % 60);
    match (days, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s:02}s"),
        (0, _, _) => format!("{h}h {m:02}m {s:02}s"),
        _ => format!("{days}d {h:02}h {m:02}m {s:02}s"),
    }
}

/// Minutes rounded up, the way PTS lists planned durations (`10分钟`).
pub fn pts_minutes_text(d: Duration) -> String {
    format!("{}分钟", d.as_millis().div_ceil(60_000))
}

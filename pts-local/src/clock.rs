//! Scene time versus real time.
//!
//! PTS scene durations are minutes (`MaxRunningTime`, `KeepTime`) and JMeter durations are
//! seconds (`Duration`, at least 60). The `time_scale` setting says how many **scene seconds
//! pass per real second**: `1` (default) is real time, `60` makes one scene minute last one
//! real second, so a `MaxRunningTime: 2` run ends after 2 s. Schedules (auto-stop, debug
//! windows) run on real time divided by the scale; responses always report scene units
//! (durations are converted back with the same scale). Instants such as `StartTime` are
//! real wall-clock times.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    scale: f64,
}

impl Default for Clock {
    fn default() -> Self {
        Clock { scale: 1.0 }
    }
}

impl Clock {
    /// `scale` scene seconds per real second; values that are not finite and positive give 1.
    pub fn new(scale: f64) -> Self {
        let scale = if scale.is_finite() && scale > 0.0 { scale } else { 1.0 };
        Clock { scale }
    }

    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Real milliseconds that `scene_secs` scene seconds take (at least 1 ms).
    pub fn real_ms(&self, scene_secs: f64) -> i64 {
        ((scene_secs * 1000.0 / self.scale).ceil() as i64).max(1)
    }

    /// Scene seconds that `real_ms` real milliseconds represent.
    pub fn scene_secs(&self, real_ms: i64) -> f64 {
        real_ms.max(0) as f64 / 1000.0 * self.scale
    }

    pub fn real_duration(&self, scene_secs: f64) -> Duration {
        Duration::from_millis(self.real_ms(scene_secs) as u64)
    }
}

/// Parses `--time-scale`: a number (`60`), or `1m=1s` style `<scene>=<real>` with units
/// `s`, `m`, `h` (e.g. `1m=1s` is 60, `1h=1m` is 60, `1s=1s` is 1).
pub fn parse_time_scale(s: &str) -> Result<f64, String> {
    let s = s.trim();
    let value = match s.split_once('=') {
        None => s.parse::<f64>().map_err(|_| format!("invalid time scale {s:?}"))?,
        Some((scene, real)) => unit_secs(scene)? / unit_secs(real)?,
    };
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(format!("time scale must be positive, got {s:?}"))
    }
}

fn unit_secs(s: &str) -> Result<f64, String> {
    let s = s.trim();
    let (num, mul) = match s.chars().last() {
        Some('s') => (&s[..s.len() - 1], 1.0),
        Some('m') => (&s[..s.len() - 1], 60.0),
        Some('h') => (&s[..s.len() - 1], 3600.0),
        _ => (s, 1.0),
    };
    let n: f64 =
        if num.is_empty() { 1.0 } else { num.parse().map_err(|_| format!("invalid {s:?}"))? };
    Ok(n * mul)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_converts_both_ways() {
        let c = Clock::new(60.0);
        assert_eq!(c.real_ms(120.0), 2000);
        assert_eq!(c.scene_secs(2000), 120.0);
        assert_eq!(Clock::new(0.0).scale(), 1.0);
        assert_eq!(parse_time_scale("60").unwrap(), 60.0);
        assert_eq!(parse_time_scale("1m=1s").unwrap(), 60.0);
        assert_eq!(parse_time_scale("1h=1m").unwrap(), 60.0);
        assert!(parse_time_scale("0").is_err());
        assert!(parse_time_scale("x").is_err());
    }
}

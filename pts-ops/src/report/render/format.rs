//! Numbers, lengths and per-second failures as the renderers show them.

use crate::samples::Sample;

/// A number for people: two decimals.
pub fn num(v: f64) -> String {
    format!("{v:.2}")
}

/// An optional number for people, `-` when absent.
pub fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), num)
}

/// A length for people (`2m 05s`), `-` when unknown.
pub fn length(secs: Option<f64>) -> String {
    match secs {
        Some(s) if s.is_finite() => {
            pts_api::time::human_duration(std::time::Duration::from_secs_f64(s.max(0.0)))
        }
        _ => "-".into(),
    }
}

/// Failures in each second, from the cumulative counts a watch records (a counter that
/// goes backwards, as after a restart, counts from zero again).
pub(crate) fn failures_per_sample(samples: &[Sample]) -> Vec<f64> {
    let mut prev = 0;
    samples
        .iter()
        .map(|s| {
            let d = if s.failed_requests >= prev {
                s.failed_requests - prev
            } else {
                s.failed_requests
            };
            prev = s.failed_requests;
            d as f64
        })
        .collect()
}

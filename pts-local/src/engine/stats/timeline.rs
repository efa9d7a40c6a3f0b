//! Per-second points of the scene and API timelines.

use super::counters::Counters;

/// One second of the scene timeline.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TimelinePoint {
    /// Seconds since the run began (point covers `[second, second + span_ms)`).
    pub second: u32,
    /// Milliseconds covered: 1000, except for the run's last, partial second.
    pub span_ms: u32,
    pub requests: u32,
    pub failed_requests: u32,
    pub failed_business: u32,
    pub avg_rt_ms: f32,
    pub p90_rt_ms: f32,
    pub max_rt_ms: f32,
    /// Virtual users (concurrency mode) or busy virtual users (RPS mode) at the second's end.
    pub concurrency: u32,
    /// Virtual users integrated over this second, in scene seconds (VUM = sum / 60).
    pub vu_seconds: f32,
    pub bytes_in: u64,
    pub bytes_out: u64,
}

impl TimelinePoint {
    /// Requests per second over this point.
    pub fn tps(&self) -> f64 {
        if self.span_ms == 0 { 0.0 } else { self.requests as f64 * 1000.0 / self.span_ms as f64 }
    }
}

/// One second of one API's timeline.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ApiPoint {
    pub second: u32,
    pub span_ms: u32,
    pub count: u32,
    /// Request-level successes (business failures included).
    pub ok: u32,
    pub failed_requests: u32,
    pub failed_business: u32,
    pub ok_rt_sum_us: u64,
    pub ok_rt_min_us: u32,
    pub ok_rt_max_us: u32,
    pub fail_rt_sum_us: u64,
    pub fail_rt_min_us: u32,
    pub fail_rt_max_us: u32,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub concurrency: f32,
}

impl ApiPoint {
    pub(super) fn from_counters(second: u32, span_ms: u32, c: &Counters, concurrency: f32) -> Self {
        let clamp = |v: u64| if v == u64::MAX { 0 } else { v.min(u32::MAX as u64) as u32 };
        ApiPoint {
            second,
            span_ms,
            count: c.count as u32,
            ok: c.ok as u32,
            failed_requests: c.failed_requests as u32,
            failed_business: c.failed_business as u32,
            ok_rt_sum_us: c.ok_rt_sum_us,
            ok_rt_min_us: clamp(c.ok_rt_min_us),
            ok_rt_max_us: clamp(c.ok_rt_max_us),
            fail_rt_sum_us: c.fail_rt_sum_us,
            fail_rt_min_us: clamp(c.fail_rt_min_us),
            fail_rt_max_us: clamp(c.fail_rt_max_us),
            bytes_in: c.bytes_in,
            bytes_out: c.bytes_out,
            concurrency,
        }
    }

    /// Requests per second over this point.
    pub fn tps(&self) -> f64 {
        if self.span_ms == 0 { 0.0 } else { self.count as f64 * 1000.0 / self.span_ms as f64 }
    }
}

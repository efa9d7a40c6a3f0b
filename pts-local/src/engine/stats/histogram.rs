//! Latency percentiles from the HDR histograms.

use super::counters::Counters;
use hdrhistogram::Histogram;

/// Latency percentiles in ms (from the HDR histogram; <= 1% relative error).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Latency {
    pub avg_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    pub p50_ms: f64,
    pub p75_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
}

pub(crate) fn quantile_ms(h: &Histogram<u64>, q: f64) -> f64 {
    if h.is_empty() {
        return 0.0;
    }
    h.median_equivalent(h.value_at_quantile(q)) as f64 / 1000.0
}

pub(crate) fn latency(h: &Histogram<u64>, c: &Counters) -> Latency {
    Latency {
        avg_ms: c.avg_rt_ms(),
        min_ms: c.min_rt_ms(),
        max_ms: c.max_rt_ms(),
        p50_ms: quantile_ms(h, 0.50),
        p75_ms: quantile_ms(h, 0.75),
        p90_ms: quantile_ms(h, 0.90),
        p99_ms: quantile_ms(h, 0.99),
    }
}

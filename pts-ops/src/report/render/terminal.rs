//! A compact text chart of a run: one sparkline each for TPS, mean RT and failures per
//! second, with the range each covers.

use super::format::{failures_per_sample, num};
use crate::samples::Sample;

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// `values` averaged into at most `width` buckets, drawn against their maximum.
fn sparkline(values: &[f64], width: usize) -> String {
    let width = width.max(1);
    let buckets: Vec<f64> = if values.len() <= width {
        values.to_vec()
    } else {
        (0..width)
            .map(|i| {
                let (a, b) = (
                    i * values.len() / width,
                    ((i + 1) * values.len() / width).max(i * values.len() / width + 1),
                );
                values[a..b].iter().sum::<f64>() / (b - a) as f64
            })
            .collect()
    };
    let max = buckets.iter().cloned().fold(0.0f64, f64::max);
    buckets
        .iter()
        .map(|v| {
            if max <= 0.0 {
                BARS[0]
            } else {
                BARS[((v / max) * 7.0).round().clamp(0.0, 7.0) as usize]
            }
        })
        .collect()
}

/// Three labelled sparklines, `width` characters wide at most; a note when there are no
/// samples.
pub fn terminal_chart(samples: &[Sample], width: usize) -> String {
    if samples.is_empty() {
        return "no per-second samples recorded\n".into();
    }
    let width = width.saturating_sub(28).max(10);
    let tps: Vec<f64> = samples.iter().map(|s| s.tps).collect();
    let rt: Vec<f64> = samples.iter().map(|s| s.avg_rt_ms).collect();
    let fails = failures_per_sample(samples);
    let max = |v: &[f64]| v.iter().cloned().fold(0.0f64, f64::max);
    let span = samples.last().map_or(0.0, |s| s.elapsed_s) - samples[0].elapsed_s;
    format!(
        "TPS     {} max {} req/s\nRT      {} max {} ms\nFailed  {} total {}\n({} samples over {:.0} s)\n",
        sparkline(&tps, width),
        num(max(&tps)),
        sparkline(&rt, width),
        num(max(&rt)),
        sparkline(&fails, width),
        fails.iter().sum::<f64>() as i64,
        samples.len(),
        span
    )
}

//! Histogram bounds and the caps on timelines and status codes: one home for the sizes the
//! other stats modules share.

use hdrhistogram::Histogram;

/// Latencies are recorded in microseconds, 1 us .. 1 h, 2 significant digits (<= 1% error);
/// one histogram is ~24 KiB. Values above the range are clamped to the maximum.
pub(crate) const HIST_MAX_US: u64 = 3_600_000_000;
const HIST_SIGFIG: u8 = 2;

/// Cap of the scene timeline: 24 h at 1 s resolution (86,400 points of ~64 bytes, ~5.5 MiB at
/// most). Older points are dropped first (counted in `timeline_dropped`).
pub const TIMELINE_CAP: usize = 86_400;
/// Budget of per-API timeline points shared by all APIs of a run (each API keeps
/// `clamp(budget / apis, 1, timeline cap)` points: 24 h for up to 2 APIs, 1 h for 48; ~80 bytes
/// each, ~14 MiB at most).
pub const API_TIMELINE_BUDGET: usize = 172_800;
/// Distinct status codes counted per API; further codes are counted under code 0 ("other").
pub const STATUS_CODES_CAP: usize = 32;

pub(crate) fn new_hist() -> Histogram<u64> {
    Histogram::new_with_bounds(1, HIST_MAX_US, HIST_SIGFIG).expect("static histogram bounds")
}

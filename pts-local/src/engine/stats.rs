//! Measurement: counters, HDR latency histograms, the per-second timeline.
//!
//! Hot path: every worker thread records into its own [`WorkerStats`] (no locks, no atomics);
//! once per wall second it flushes that interval into the run-wide [`Aggregate`] behind a mutex,
//! which keeps cumulative histograms (for reports) and turns finished seconds into
//! [`TimelinePoint`]s. A second is finalised one second after it ends (so late flushes of other
//! workers still land in it), or when the run ends.

use hdrhistogram::Histogram;
use std::collections::VecDeque;

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

/// Why a request failed. The first six are request failures (`FailedRequestCount`,
/// `FailCountReq`); the last two are business failures (`FailedBusinessCount`, `FailCountBiz`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureReason {
    /// TCP connect failed, or the name did not resolve.
    ConnectError,
    /// The connect-time safety check refused the resolved address (not loopback, not allowed).
    TargetRefused,
    /// No complete response within the API's timeout (connect included).
    Timeout,
    /// The final status is not a success (2xx, SuccessCode list, or 3xx when not following).
    HttpStatus,
    /// The connection broke or the response was malformed.
    Transport,
    /// More than 10 redirects.
    TooManyRedirects,
    /// The request could not be built (bad URL or header after `${}` substitution).
    InvalidRequest,
    /// A checkpoint did not hold (business failure).
    CheckpointFailed,
    /// An export found nothing (business failure).
    ExportFailed,
}

impl FailureReason {
    pub const COUNT: usize = 9;
    pub const ALL: [FailureReason; 9] = [
        FailureReason::ConnectError,
        FailureReason::TargetRefused,
        FailureReason::Timeout,
        FailureReason::HttpStatus,
        FailureReason::Transport,
        FailureReason::TooManyRedirects,
        FailureReason::InvalidRequest,
        FailureReason::CheckpointFailed,
        FailureReason::ExportFailed,
    ];

    pub fn is_business(self) -> bool {
        matches!(self, FailureReason::CheckpointFailed | FailureReason::ExportFailed)
    }

    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureReason::ConnectError => "connect_error",
            FailureReason::TargetRefused => "target_refused",
            FailureReason::Timeout => "timeout",
            FailureReason::HttpStatus => "http_status",
            FailureReason::Transport => "transport",
            FailureReason::TooManyRedirects => "too_many_redirects",
            FailureReason::InvalidRequest => "invalid_request",
            FailureReason::CheckpointFailed => "checkpoint_failed",
            FailureReason::ExportFailed => "export_failed",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The measured result of one API execution (redirect hops included).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Outcome {
    /// Final HTTP status, 0 when there was no response.
    pub status: u16,
    pub reason: Option<FailureReason>,
    /// Response time in microseconds (from the intended send time in RPS mode).
    pub rt_us: u64,
    pub bytes_in: u64,
    pub bytes_out: u64,
}

/// Additive counters of one API (or the scene).
#[derive(Debug, Clone, PartialEq)]
pub struct Counters {
    /// All completed requests.
    pub count: u64,
    /// Request-level successes (`Count2XX`): no request failure (business failures included).
    pub ok: u64,
    pub failed_requests: u64,
    pub failed_business: u64,
    /// Response times of fully successful requests (no failure of any kind), microseconds.
    pub ok_rt_sum_us: u64,
    pub ok_rt_min_us: u64,
    pub ok_rt_max_us: u64,
    /// Response times of requests with any failure, microseconds.
    pub fail_rt_sum_us: u64,
    pub fail_rt_min_us: u64,
    pub fail_rt_max_us: u64,
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// Indexed like [`FailureReason::ALL`].
    pub reasons: [u64; FailureReason::COUNT],
    /// `(status, count)`; status 0 = no response, or "other" once the cap is reached.
    pub status_codes: Vec<(u16, u64)>,
}

impl Default for Counters {
    fn default() -> Self {
        Counters {
            count: 0,
            ok: 0,
            failed_requests: 0,
            failed_business: 0,
            ok_rt_sum_us: 0,
            ok_rt_min_us: u64::MAX,
            ok_rt_max_us: 0,
            fail_rt_sum_us: 0,
            fail_rt_min_us: u64::MAX,
            fail_rt_max_us: 0,
            bytes_in: 0,
            bytes_out: 0,
            reasons: [0; FailureReason::COUNT],
            status_codes: Vec::new(),
        }
    }
}

impl Counters {
    #[inline]
    pub(crate) fn add(&mut self, o: &Outcome) {
        self.count += 1;
        self.bytes_in += o.bytes_in;
        self.bytes_out += o.bytes_out;
        match o.reason {
            None => {
                self.ok += 1;
                self.ok_rt_sum_us += o.rt_us;
                self.ok_rt_min_us = self.ok_rt_min_us.min(o.rt_us);
                self.ok_rt_max_us = self.ok_rt_max_us.max(o.rt_us);
            }
            Some(r) => {
                if r.is_business() {
                    self.ok += 1;
                    self.failed_business += 1;
                } else {
                    self.failed_requests += 1;
                }
                self.reasons[r.index()] += 1;
                self.fail_rt_sum_us += o.rt_us;
                self.fail_rt_min_us = self.fail_rt_min_us.min(o.rt_us);
                self.fail_rt_max_us = self.fail_rt_max_us.max(o.rt_us);
            }
        }
        self.count_status(o.status, 1);
    }

    #[inline]
    fn count_status(&mut self, status: u16, n: u64) {
        if let Some(e) = self.status_codes.iter_mut().find(|e| e.0 == status) {
            e.1 += n;
        } else if self.status_codes.len() < STATUS_CODES_CAP {
            self.status_codes.push((status, n));
        } else if let Some(e) = self.status_codes.iter_mut().find(|e| e.0 == 0) {
            e.1 += n;
        } else {
            // Make room for "other" by folding the rarest code into it.
            let (i, _) =
                self.status_codes.iter().enumerate().min_by_key(|(_, e)| e.1).expect("non-empty");
            let folded = self.status_codes[i].1;
            self.status_codes[i] = (0, folded + n);
        }
    }

    pub(crate) fn merge(&mut self, o: &Counters) {
        self.count += o.count;
        self.ok += o.ok;
        self.failed_requests += o.failed_requests;
        self.failed_business += o.failed_business;
        self.ok_rt_sum_us += o.ok_rt_sum_us;
        self.ok_rt_min_us = self.ok_rt_min_us.min(o.ok_rt_min_us);
        self.ok_rt_max_us = self.ok_rt_max_us.max(o.ok_rt_max_us);
        self.fail_rt_sum_us += o.fail_rt_sum_us;
        self.fail_rt_min_us = self.fail_rt_min_us.min(o.fail_rt_min_us);
        self.fail_rt_max_us = self.fail_rt_max_us.max(o.fail_rt_max_us);
        self.bytes_in += o.bytes_in;
        self.bytes_out += o.bytes_out;
        for (a, b) in self.reasons.iter_mut().zip(o.reasons.iter()) {
            *a += b;
        }
        for &(s, n) in &o.status_codes {
            self.count_status(s, n);
        }
    }

    pub(crate) fn reset(&mut self) {
        let mut codes = std::mem::take(&mut self.status_codes);
        codes.clear();
        *self = Counters { status_codes: codes, ..Counters::default() };
    }

    /// Requests with no failure of any kind.
    pub fn fully_ok(&self) -> u64 {
        self.count - self.failed_requests - self.failed_business
    }

    /// Count of one failure reason.
    pub fn reason(&self, r: FailureReason) -> u64 {
        self.reasons[r.index()]
    }

    /// Sum of all response times, microseconds.
    pub fn rt_sum_us(&self) -> u64 {
        self.ok_rt_sum_us + self.fail_rt_sum_us
    }

    /// Mean response time, ms (0 when empty).
    pub fn avg_rt_ms(&self) -> f64 {
        if self.count == 0 { 0.0 } else { self.rt_sum_us() as f64 / self.count as f64 / 1000.0 }
    }

    /// Minimum response time, ms (0 when empty).
    pub fn min_rt_ms(&self) -> f64 {
        let m = self.ok_rt_min_us.min(self.fail_rt_min_us);
        if m == u64::MAX { 0.0 } else { m as f64 / 1000.0 }
    }

    /// Maximum response time, ms.
    pub fn max_rt_ms(&self) -> f64 {
        self.ok_rt_max_us.max(self.fail_rt_max_us) as f64 / 1000.0
    }

    /// `(reason name, count)` of the non-zero failure reasons.
    pub fn failure_reasons(&self) -> Vec<(&'static str, u64)> {
        FailureReason::ALL
            .iter()
            .filter(|r| self.reasons[r.index()] > 0)
            .map(|r| (r.as_str(), self.reasons[r.index()]))
            .collect()
    }
}

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
    fn from_counters(second: u32, span_ms: u32, c: &Counters, concurrency: f32) -> Self {
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

/// Per-API interval data of one worker.
pub(crate) struct ApiInterval {
    pub counters: Counters,
    pub hist: Histogram<u64>,
    /// Requests started on this worker (drives LogRate sampling).
    pub started: u64,
}

/// One worker's data since its last flush.
pub(crate) struct WorkerStats {
    pub apis: Vec<ApiInterval>,
    pub scene_hist: Histogram<u64>,
}

impl WorkerStats {
    pub(crate) fn new(n_apis: usize) -> Self {
        WorkerStats {
            apis: (0..n_apis)
                .map(|_| ApiInterval {
                    counters: Counters::default(),
                    hist: new_hist(),
                    started: 0,
                })
                .collect(),
            scene_hist: new_hist(),
        }
    }

    #[inline]
    pub(crate) fn record(&mut self, api: usize, o: &Outcome) {
        let a = &mut self.apis[api];
        a.counters.add(o);
        let v = o.rt_us.clamp(1, HIST_MAX_US);
        a.hist.saturating_record(v);
        self.scene_hist.saturating_record(v);
    }
}

struct PendingSec {
    sec: u64,
    span_ms: u32,
    hist: Histogram<u64>,
    apis: Vec<Counters>,
    /// Concurrency per API (relation VUs in concurrency mode, busy VUs in RPS mode).
    api_conc: Vec<f32>,
    concurrency: u32,
    /// Number of worker flushes that landed here (concurrency values are summed per worker).
    flushes: u32,
}

/// Run-wide statistics (behind the run's mutex).
pub(crate) struct Aggregate {
    pub apis: Vec<Counters>,
    pub api_hists: Vec<Histogram<u64>>,
    pub scene: Counters,
    pub scene_hist: Histogram<u64>,
    pending: VecDeque<PendingSec>,
    pub timeline: VecDeque<TimelinePoint>,
    pub timeline_dropped: u64,
    pub api_timelines: Vec<VecDeque<ApiPoint>>,
    api_cap: usize,
    timeline_cap: usize,
    /// Sum over finalised seconds of the concurrency (for VUM).
    pub vu_seconds: f64,
    pub max_concurrency: u32,
    /// Last finalised second, for "current rate" fields.
    pub last_point: Option<TimelinePoint>,
    pub last_api_points: Vec<Option<ApiPoint>>,
    spare_hists: Vec<Histogram<u64>>,
}

impl Aggregate {
    /// `timeline_cap`: scene points kept; `api_budget`: API points shared by all APIs (each
    /// keeps `clamp(api_budget / apis, 1, timeline_cap)`).
    pub(crate) fn new(n_apis: usize, timeline_cap: usize, api_budget: usize) -> Self {
        let timeline_cap = timeline_cap.max(1);
        let api_cap = (api_budget / n_apis.max(1)).clamp(1, timeline_cap);
        Aggregate {
            apis: vec![Counters::default(); n_apis],
            api_hists: (0..n_apis).map(|_| new_hist()).collect(),
            scene: Counters::default(),
            scene_hist: new_hist(),
            pending: VecDeque::new(),
            timeline: VecDeque::new(),
            timeline_dropped: 0,
            api_timelines: (0..n_apis).map(|_| VecDeque::new()).collect(),
            api_cap,
            timeline_cap,
            vu_seconds: 0.0,
            max_concurrency: 0,
            last_point: None,
            last_api_points: vec![None; n_apis],
            spare_hists: Vec::new(),
        }
    }

    /// Per-API timeline cap of this run.
    pub(crate) fn api_timeline_cap(&self) -> usize {
        self.api_cap
    }

    /// Takes a worker's interval (which is reset) into second `sec`.
    pub(crate) fn flush(
        &mut self,
        w: &mut WorkerStats,
        sec: u64,
        span_ms: u32,
        api_conc: &[f32],
        concurrency: u32,
    ) {
        let n = self.apis.len();
        let idx = match self.pending.iter().position(|p| p.sec == sec) {
            Some(i) => i,
            None => {
                let hist = self.spare_hists.pop().unwrap_or_else(new_hist);
                let p = PendingSec {
                    sec,
                    span_ms,
                    hist,
                    apis: vec![Counters::default(); n],
                    api_conc: vec![0.0; n],
                    concurrency: 0,
                    flushes: 0,
                };
                let pos =
                    self.pending.iter().position(|q| q.sec > sec).unwrap_or(self.pending.len());
                self.pending.insert(pos, p);
                pos
            }
        };
        let p = &mut self.pending[idx];
        p.span_ms = p.span_ms.max(span_ms);
        p.flushes += 1;
        p.concurrency += concurrency;
        for (i, a) in w.apis.iter_mut().enumerate() {
            p.api_conc[i] += api_conc.get(i).copied().unwrap_or(0.0);
            if a.counters.count == 0 {
                continue;
            }
            p.apis[i].merge(&a.counters);
            self.apis[i].merge(&a.counters);
            self.scene.merge(&a.counters);
            let _ = self.api_hists[i].add(&a.hist);
            a.counters.reset();
            a.hist.reset();
        }
        if !w.scene_hist.is_empty() {
            let _ = p.hist.add(&w.scene_hist);
            let _ = self.scene_hist.add(&w.scene_hist);
            w.scene_hist.reset();
        }
    }

    /// Finalises pending seconds `< upto` (all of them when `upto` is None).
    pub(crate) fn finalize(&mut self, upto: Option<u64>) {
        while let Some(p) = self.pending.front() {
            if upto.is_some_and(|u| p.sec >= u) {
                break;
            }
            let mut p = self.pending.pop_front().expect("front exists");
            let mut total = Counters::default();
            for c in &p.apis {
                total.merge(c);
            }
            let point = TimelinePoint {
                second: p.sec as u32,
                span_ms: p.span_ms,
                requests: total.count as u32,
                failed_requests: total.failed_requests as u32,
                failed_business: total.failed_business as u32,
                avg_rt_ms: total.avg_rt_ms() as f32,
                p90_rt_ms: quantile_ms(&p.hist, 0.90) as f32,
                max_rt_ms: total.max_rt_ms() as f32,
                concurrency: p.concurrency,
                bytes_in: total.bytes_in,
                bytes_out: total.bytes_out,
            };
            self.vu_seconds += p.concurrency as f64 * p.span_ms as f64 / 1000.0;
            self.max_concurrency = self.max_concurrency.max(p.concurrency);
            if self.timeline.len() >= self.timeline_cap {
                self.timeline.pop_front();
                self.timeline_dropped += 1;
            }
            self.timeline.push_back(point);
            self.last_point = Some(point);
            for (i, c) in p.apis.iter().enumerate() {
                let ap = ApiPoint::from_counters(point.second, p.span_ms, c, p.api_conc[i]);
                let tl = &mut self.api_timelines[i];
                if tl.len() >= self.api_cap {
                    tl.pop_front();
                }
                tl.push_back(ap);
                self.last_api_points[i] = Some(ap);
            }
            p.hist.reset();
            let _ = p.flushes;
            self.spare_hists.push(p.hist);
        }
    }

    /// VUM so far: virtual-user seconds / 60, rounded up.
    pub(crate) fn vum(&self) -> i64 {
        (self.vu_seconds / 60.0).ceil() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_and_timeline() {
        let mut w = WorkerStats::new(2);
        let ok = Outcome { status: 200, reason: None, rt_us: 1000, bytes_in: 10, bytes_out: 5 };
        let bad = Outcome { status: 500, reason: Some(FailureReason::HttpStatus), ..ok };
        let biz = Outcome { reason: Some(FailureReason::CheckpointFailed), ..ok };
        w.record(0, &ok);
        w.record(0, &bad);
        w.record(1, &biz);
        let mut agg = Aggregate::new(2, TIMELINE_CAP, API_TIMELINE_BUDGET);
        agg.flush(&mut w, 0, 1000, &[1.0, 1.0], 2);
        assert_eq!(w.apis[0].counters.count, 0);
        agg.finalize(None);
        assert_eq!(agg.scene.count, 3);
        assert_eq!(agg.scene.ok, 2);
        assert_eq!(agg.scene.failed_requests, 1);
        assert_eq!(agg.scene.failed_business, 1);
        assert_eq!(agg.timeline.len(), 1);
        assert_eq!(agg.timeline[0].requests, 3);
        assert_eq!(agg.apis[0].status_codes, vec![(200, 1), (500, 1)]);
        let mut c = Counters::default();
        for s in 0..40u16 {
            c.add(&Outcome { status: 200 + s, ..ok });
        }
        assert_eq!(c.status_codes.len(), STATUS_CODES_CAP);
        assert_eq!(c.status_codes.iter().map(|e| e.1).sum::<u64>(), 40);
    }
}

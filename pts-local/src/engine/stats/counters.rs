//! Request outcomes, failure reasons and cumulative counters.

use super::limits::STATUS_CODES_CAP;

/// Why a request failed. All but the last two are request failures (`FailedRequestCount`,
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
    /// The run stopped while the request was in flight and its response did not arrive within
    /// the stop's grace period: it was sent, so the target counts it, but it never completed.
    Cancelled,
    /// A checkpoint did not hold (business failure).
    CheckpointFailed,
    /// An export found nothing (business failure).
    ExportFailed,
}

impl FailureReason {
    pub const COUNT: usize = 10;
    pub const ALL: [FailureReason; 10] = [
        FailureReason::ConnectError,
        FailureReason::TargetRefused,
        FailureReason::Timeout,
        FailureReason::HttpStatus,
        FailureReason::Transport,
        FailureReason::TooManyRedirects,
        FailureReason::InvalidRequest,
        FailureReason::Cancelled,
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
            FailureReason::Cancelled => "cancelled",
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
    /// When the exchange completed (None when it never started); decides its second.
    pub done: Option<std::time::Instant>,
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
    /// RPS mode: sends that left more than [`LATE_SEND`] after their scheduled time (the
    /// target or the virtual-user cap could not keep up; their latency carries the wait).
    pub late_sends: u64,
    /// RPS mode: scheduled sends that were due but never sent (the backlog when the run
    /// stopped or the rate was changed).
    pub dropped_sends: u64,
}

/// RPS mode: a send leaving this long after its scheduled time counts as late. Well above the
/// runtime's 1 ms timer tick and a busy machine's scheduling delays, far below a visibly
/// slowed schedule.
pub const LATE_SEND: std::time::Duration = std::time::Duration::from_millis(10);

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
            late_sends: 0,
            dropped_sends: 0,
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
        self.late_sends += o.late_sends;
        self.dropped_sends += o.dropped_sends;
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

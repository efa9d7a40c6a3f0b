//! Per-worker interval statistics and the run-wide aggregate (flush, finalisation into
//! timeline points).

use super::*;

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

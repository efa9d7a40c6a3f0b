//! Per-worker interval statistics and the run-wide aggregate (flush, finalisation into
//! timeline points).

use super::counters::{Counters, Outcome};
use super::histogram::quantile_ms;
use super::limits::{HIST_MAX_US, new_hist};
use super::timeline::{ApiPoint, TimelinePoint};
use hdrhistogram::Histogram;
use std::collections::VecDeque;

/// Per-API interval data of one worker.
pub(crate) struct ApiInterval {
    pub counters: Counters,
    pub hist: Histogram<u64>,
    /// Requests started on this worker (drives LogRate sampling).
    pub started: u64,
}

/// One worker's data since its last flush. Latencies are recorded per API only (one
/// histogram update per request); the scene's histograms are merged from them at flush time.
pub(crate) struct WorkerStats {
    pub apis: Vec<ApiInterval>,
    /// Virtual users integrated over wall time since the last flush (VU x seconds).
    pub vu_wall_s: f64,
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
            vu_wall_s: 0.0,
        }
    }

    #[inline]
    pub(crate) fn record(&mut self, api: usize, o: &Outcome) {
        let a = &mut self.apis[api];
        a.counters.add(o);
        a.hist.saturating_record(o.rt_us.clamp(1, HIST_MAX_US));
    }
}

/// The end of a worker's second: the concurrency it saw (per API and in total).
pub(crate) struct SecondEnd<'a> {
    pub api_conc: &'a [f32],
    pub concurrency: u32,
}

struct PendingSec {
    sec: u64,
    /// Milliseconds of the second covered so far (1000 once a worker ended it).
    span_ms: u32,
    hist: Histogram<u64>,
    apis: Vec<Counters>,
    /// Concurrency per API (relation VUs in concurrency mode, busy VUs in RPS mode).
    api_conc: Vec<f32>,
    concurrency: u32,
    /// Scene-time virtual-user seconds measured in this second.
    vu_s: f64,
    /// Workers that ended this second (it is complete when all did).
    ends: usize,
}

impl PendingSec {
    fn points(&self) -> (TimelinePoint, Vec<ApiPoint>) {
        let mut total = Counters::default();
        for c in &self.apis {
            total.merge(c);
        }
        let point = TimelinePoint {
            second: self.sec as u32,
            span_ms: self.span_ms,
            requests: total.count as u32,
            failed_requests: total.failed_requests as u32,
            failed_business: total.failed_business as u32,
            avg_rt_ms: total.avg_rt_ms() as f32,
            p90_rt_ms: quantile_ms(&self.hist, 0.90) as f32,
            max_rt_ms: total.max_rt_ms() as f32,
            concurrency: self.concurrency,
            vu_seconds: self.vu_s as f32,
            bytes_in: total.bytes_in,
            bytes_out: total.bytes_out,
        };
        let apis = self
            .apis
            .iter()
            .enumerate()
            .map(|(i, c)| ApiPoint::from_counters(point.second, self.span_ms, c, self.api_conc[i]))
            .collect();
        (point, apis)
    }
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
    workers: usize,
    /// Scene seconds per wall second (60 / time scale): VUM counts scene time.
    scene_per_wall: f64,
    /// Scene-time virtual-user seconds of the finalised seconds (for VUM).
    pub vu_seconds: f64,
    pub max_concurrency: u32,
    /// Last finalised second, for "current rate" fields.
    pub last_point: Option<TimelinePoint>,
    pub last_api_points: Vec<Option<ApiPoint>>,
    /// `(second, api, counters)` of finalised seconds with failures, for the run log to
    /// summarise (drained by the caller of [`Aggregate::finalize`]).
    pub failed: Vec<(u32, usize, Counters)>,
    spare_hists: Vec<Histogram<u64>>,
}

impl Aggregate {
    /// `timeline_cap`: scene points kept; `api_budget`: API points shared by all APIs (each
    /// keeps `clamp(api_budget / apis, 1, timeline_cap)`); `workers` flush into it;
    /// `time_scale`: wall seconds per scene minute.
    pub(crate) fn new(
        n_apis: usize,
        timeline_cap: usize,
        api_budget: usize,
        workers: usize,
        time_scale: f64,
    ) -> Self {
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
            workers: workers.max(1),
            scene_per_wall: 60.0 / time_scale,
            vu_seconds: 0.0,
            max_concurrency: 0,
            last_point: None,
            last_api_points: vec![None; n_apis],
            failed: Vec::new(),
            spare_hists: Vec::new(),
        }
    }

    /// Per-API timeline cap of this run.
    pub(crate) fn api_timeline_cap(&self) -> usize {
        self.api_cap
    }

    /// Takes a worker's interval (which is reset) into second `sec`, covered up to `span_ms`.
    /// `end` is given when the worker is done with that second (otherwise this is a partial
    /// flush that only makes counts visible early).
    pub(crate) fn flush(
        &mut self,
        w: &mut WorkerStats,
        sec: u64,
        span_ms: u32,
        end: Option<SecondEnd<'_>>,
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
                    vu_s: 0.0,
                    ends: 0,
                };
                let pos =
                    self.pending.iter().position(|q| q.sec > sec).unwrap_or(self.pending.len());
                self.pending.insert(pos, p);
                pos
            }
        };
        let p = &mut self.pending[idx];
        p.span_ms = p.span_ms.max(span_ms);
        p.vu_s += w.vu_wall_s * self.scene_per_wall;
        w.vu_wall_s = 0.0;
        if let Some(e) = end {
            p.ends += 1;
            p.concurrency += e.concurrency;
            for (i, c) in p.api_conc.iter_mut().enumerate() {
                *c += e.api_conc.get(i).copied().unwrap_or(0.0);
            }
        }
        for (i, a) in w.apis.iter_mut().enumerate() {
            if a.counters.count == 0 {
                continue;
            }
            p.apis[i].merge(&a.counters);
            self.apis[i].merge(&a.counters);
            self.scene.merge(&a.counters);
            let _ = self.api_hists[i].add(&a.hist);
            let _ = p.hist.add(&a.hist);
            let _ = self.scene_hist.add(&a.hist);
            a.counters.reset();
            a.hist.reset();
        }
    }

    /// Finalises pending seconds `< upto` (all of them when `upto` is None), and earlier any
    /// second every worker has ended (so live rates are at most one tick old).
    pub(crate) fn finalize(&mut self, upto: Option<u64>) {
        while let Some(p) = self.pending.front() {
            let complete = p.ends >= self.workers;
            if !complete && upto.is_some_and(|u| p.sec >= u) {
                break;
            }
            let mut p = self.pending.pop_front().expect("front exists");
            let (point, api_points) = p.points();
            self.vu_seconds += p.vu_s;
            self.max_concurrency = self.max_concurrency.max(p.concurrency);
            if self.timeline.len() >= self.timeline_cap {
                self.timeline.pop_front();
                self.timeline_dropped += 1;
            }
            self.timeline.push_back(point);
            self.last_point = Some(point);
            for (i, c) in p.apis.iter().enumerate() {
                if c.failed_requests + c.failed_business > 0 {
                    self.failed.push((point.second, i, c.clone()));
                }
            }
            for (i, ap) in api_points.into_iter().enumerate() {
                let tl = &mut self.api_timelines[i];
                if tl.len() >= self.api_cap {
                    tl.pop_front();
                }
                tl.push_back(ap);
                self.last_api_points[i] = Some(ap);
            }
            p.hist.reset();
            self.spare_hists.push(p.hist);
        }
    }

    /// The window live rates come from: the last complete second, or before there is one,
    /// the part of the first second flushed so far.
    pub(crate) fn current(&self) -> (Option<TimelinePoint>, Vec<Option<ApiPoint>>) {
        if self.last_point.is_some() {
            return (self.last_point, self.last_api_points.clone());
        }
        match self.pending.front().filter(|p| p.span_ms > 0) {
            Some(p) => {
                let (point, apis) = p.points();
                (Some(point), apis.into_iter().map(Some).collect())
            }
            None => (None, self.last_api_points.clone()),
        }
    }

    /// VUM (one virtual user for one minute) so far: scene-time virtual-user seconds / 60,
    /// rounded up.
    pub(crate) fn vum(&self) -> i64 {
        let pending: f64 = self.pending.iter().map(|p| p.vu_s).sum();
        vum_of(self.vu_seconds + pending)
    }
}

/// Virtual-user minutes of `vu_seconds`, rounded up; float noise below a millionth of a
/// minute does not add one.
pub(crate) fn vum_of(vu_seconds: f64) -> i64 {
    (vu_seconds / 60.0 - 1e-6).ceil().max(0.0) as i64
}

//! Worker threads: per-worker state and virtual-user bookkeeping (the thread itself is
//! [`super::worker_thread`]).

use super::shared::{DRAIN_POLL, PARTIAL_FLUSH, STOP_GRACE, STOP_SETTLE, Shared, lock};
use crate::engine::exec::{Deadline, SampleCtx, Vu, exec};
use crate::engine::http::Pool;
use crate::engine::plan::LoadMode;
use crate::engine::stats::{LATE_SEND, SecondEnd, WorkerStats};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    Free,
    Live,
    Done,
}

/// Worker-local state of one load unit.
pub(super) struct LocalUnit {
    /// Concurrency: this worker's share of virtual users. RPS: unused.
    pub(super) target: Cell<u32>,
    pub(super) slots: RefCell<Vec<Slot>>,
    pub(super) live: Cell<u32>,
    pub(super) done: Cell<u32>,
    pub(super) dirty: Cell<bool>,
    /// RPS: this worker's share of requests/s, schedule anchor, slots issued / gate passes.
    pub(super) rate: Cell<f64>,
    pub(super) anchor: Cell<Instant>,
    pub(super) issued: Cell<u64>,
    /// RPS, first API of a chain: scheduled sends sent since the anchor.
    pub(super) sent: Cell<u64>,
    pub(super) pool: Cell<u32>,
    pub(super) idle: Cell<u32>,
    pub(super) busy: Cell<u32>,
    /// RPS: woken when the rate changes, the relation's data runs out or the run stops.
    pub(super) changed: tokio::sync::Notify,
}

pub(super) struct Worker {
    pub(super) sh: Arc<Shared>,
    pub(super) idx: usize,
    pub(super) n: usize,
    pub(super) stats: RefCell<WorkerStats>,
    pub(super) units: Vec<LocalUnit>,
    pub(super) vu_seq: Cell<u64>,
    /// The second the current interval belongs to.
    pub(super) cur_sec: Cell<u64>,
    /// When the current second ends.
    pub(super) sec_end: Cell<Instant>,
    /// Last partial flush (elapsed) and VUM integration time.
    pub(super) partial_at: Cell<Duration>,
    pub(super) vu_mark: Cell<Instant>,
    /// Request deadlines of this worker's virtual users.
    pub(super) deadlines: RefCell<Vec<std::rc::Weak<Deadline>>>,
    /// The run is stopping: virtual users start no new request and leave.
    pub(super) stopping: Cell<bool>,
}

impl Worker {
    /// Ends second `sec` for this worker (covered up to `span_ms`).
    pub(super) fn flush(&self, sec: u64, span_ms: u32) {
        let sh = &self.sh;
        let mine: Vec<u32> = self.units.iter().map(|u| self.unit_conc(u)).collect();
        let api_conc = sh.api_conc(&mine);
        let total: u32 = mine.iter().sum();
        let mut stats = self.stats.borrow_mut();
        let mut agg = lock(&sh.agg);
        let end = SecondEnd { api_conc: &api_conc, concurrency: total };
        agg.flush(&mut stats, sec, span_ms, Some(end));
        sh.finalize(&mut agg, Some(sec));
    }

    /// Ends the current second (a request completed after it, or the controller saw it
    /// pass); `sec` is the second now running.
    pub(super) fn end_second(&self, sec: u64) {
        self.flush(self.cur_sec.get(), 1000);
        self.cur_sec.set(sec);
        self.sec_end.set(self.sh.start + Duration::from_secs(sec + 1));
        self.partial_at.set(Duration::from_secs(sec));
    }

    /// Hands the current second's data over early so live counts and rates need not wait
    /// for the second to end.
    pub(super) fn flush_partial(&self, sec: u64, span_ms: u32) {
        let mut stats = self.stats.borrow_mut();
        lock(&self.sh.agg).flush(&mut stats, sec, span_ms, None);
    }

    /// Adds this worker's virtual users x wall time since the last call (up to the run's
    /// deadline, so a late stop adds nothing) to the VUM integral.
    pub(super) fn integrate(&self, now: Instant) {
        let t = now.min(self.sh.deadline);
        let last = self.vu_mark.get();
        if t > last {
            let vus: u32 = self.units.iter().map(|u| self.unit_conc(u)).sum();
            self.stats.borrow_mut().vu_wall_s += vus as f64 * (t - last).as_secs_f64();
            self.vu_mark.set(t);
        }
    }

    pub(super) fn unit_conc(&self, u: &LocalUnit) -> u32 {
        match self.sh.plan.mode {
            LoadMode::Concurrency => u.live.get(),
            LoadMode::Rps => u.busy.get(),
        }
    }

    pub(super) fn publish(&self) {
        let n = self.units.len();
        for (i, u) in self.units.iter().enumerate() {
            self.sh.conc[self.idx * n + i].store(self.unit_conc(u), Ordering::Relaxed);
        }
    }

    pub(super) fn next_vu(&self, relation: usize) -> Vu {
        let seq = self.vu_seq.get();
        self.vu_seq.set(seq + 1);
        let plan = &self.sh.plan;
        let seed = (self.idx as u64) << 40 ^ seq.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xA5A5;
        Vu::new(
            plan.var_count,
            seed,
            format!("{} {}-{}", plan.relations[relation].name, self.idx + 1, seq + 1),
            Pool::new(self.sh.tls.clone(), self.sh.life.clone()),
            {
                let d = Rc::new(Deadline::default());
                self.deadlines.borrow_mut().push(Rc::downgrade(&d));
                d
            },
        )
    }

    /// Fires the request deadlines that passed; forgets those of finished virtual users.
    /// Returns the earliest deadline still armed.
    pub(super) fn check_deadlines(&self, now: Instant) -> Option<Instant> {
        let mut next: Option<Instant> = None;
        self.deadlines.borrow_mut().retain(|w| match w.upgrade() {
            Some(d) => {
                d.check(now);
                if let Some(at) = d.pending() {
                    next = Some(next.map_or(at, |n| n.min(at)));
                }
                true
            }
            None => false,
        });
        next
    }

    /// Cancels the request in flight of every virtual user (see [`Deadline::cancel`]).
    pub(super) fn cancel_in_flight(&self) {
        for d in self.deadlines.borrow().iter().filter_map(|w| w.upgrade()) {
            d.cancel();
        }
    }

    /// True while a virtual user of this worker is alive.
    pub(super) fn has_live_vus(&self) -> bool {
        self.units.iter().any(|u| u.live.get() > 0 || u.pool.get() > 0)
    }

    /// Stopping: no new request starts; requests in flight get [`STOP_GRACE`] to complete
    /// (and are counted as usual), then the rest are cancelled and counted as
    /// [`FailureReason::Cancelled`](crate::engine::FailureReason::Cancelled), so the report accounts for every request sent.
    pub(super) async fn drain(&self) {
        self.stopping.set(true);
        let now = Instant::now();
        for ui in 0..self.units.len() {
            self.count_dropped(ui, now);
            self.units[ui].changed.notify_waiters();
        }
        let grace_end = now + STOP_GRACE;
        let mut cancelled = false;
        while self.has_live_vus() {
            let now = Instant::now();
            if now >= grace_end + STOP_SETTLE {
                return;
            }
            if !cancelled && now >= grace_end {
                self.cancel_in_flight();
                cancelled = true;
            }
            self.check_deadlines(now);
            tokio::time::sleep(DRAIN_POLL).await;
        }
    }

    /// Loads the next CSV rows into the VU's variables; false when a CycleOnce file ran out.
    pub(super) fn next_row(&self, vu: &mut Vu, rel: usize) -> bool {
        let r = &self.sh.plan.relations[rel];
        if r.tables.is_empty() {
            return true;
        }
        let idx = self.sh.cursors[rel].fetch_add(1, Ordering::Relaxed) as usize;
        for t in &r.tables {
            if t.stop_at_eof && idx >= t.rows.len() {
                self.sh.exhausted[rel].store(true, Ordering::Relaxed);
                return false;
            }
            let row = &t.rows[idx % t.rows.len()];
            for (c, var) in t.cols.iter().enumerate() {
                vu.vars[*var as usize] = Some(row.get(c).cloned().unwrap_or_default());
            }
        }
        true
    }

    /// RPS mode: the sends of unit `ui` (the first API of a chain; later APIs skip by design)
    /// that were due more than [`LATE_SEND`] before `now` but not sent are counted as
    /// dropped. Called when the schedule restarts (new rate) or the run stops.
    pub(super) fn count_dropped(&self, ui: usize, now: Instant) {
        let plan = &self.sh.plan;
        let (u, up) = (&self.units[ui], &plan.units[ui]);
        let rate = u.rate.get();
        let Some(ai) = up.api.filter(|&a| plan.relations[up.relation].apis.start == a) else {
            return;
        };
        if plan.mode != LoadMode::Rps || rate <= 0.0 {
            return;
        }
        let Some(cut) = now.checked_sub(LATE_SEND) else { return };
        let Some(since) = cut.checked_duration_since(u.anchor.get()) else { return };
        let due = (since.as_secs_f64() * rate).floor() as u64 + 1;
        let missed = due.saturating_sub(u.sent.get());
        self.stats.borrow_mut().apis[ai].counters.dropped_sends += missed;
    }

    /// RPS gate of a non-first API: at most its rate.
    pub(super) fn gate(&self, unit: usize) -> bool {
        let u = &self.units[unit];
        let rate = u.rate.get();
        if rate <= 0.0 {
            return false;
        }
        let allowed =
            Instant::now().saturating_duration_since(u.anchor.get()).as_secs_f64() * rate + 1.0;
        if (u.issued.get() as f64) < allowed {
            u.issued.set(u.issued.get() + 1);
            true
        } else {
            false
        }
    }

    /// Runs API `ai` once; true when the request succeeded (no failure of any kind).
    pub(super) async fn run_api(&self, vu: &mut Vu, ai: usize, intended: Option<Instant>) -> bool {
        let sh = &self.sh;
        let plan = &sh.plan;
        let api = &plan.apis[ai];
        if !api.think.is_zero() {
            tokio::time::sleep(api.think).await;
        }
        if self.stopping.get() {
            // Stopping: no new request starts (the run's count stays exact).
            return false;
        }
        let sampled = {
            let mut st = self.stats.borrow_mut();
            let a = &mut st.apis[ai];
            a.started += 1;
            plan.sample_every > 0 && (a.started - 1).is_multiple_of(plan.sample_every)
        };
        let ctx =
            sampled.then_some(SampleCtx { relation_index: api.relation, api_index: ai, plan });
        let (out, sample) = exec(vu, plan, &sh.safety, api, intended, sh.limits, ctx).await;
        // A request completing after its worker's second ended belongs to the next one: end
        // that second first (the controller's tick may not have run yet).
        if let Some(done) = out.done.filter(|d| *d >= self.sec_end.get()) {
            self.end_second(done.saturating_duration_since(sh.start).as_secs());
        }
        self.stats.borrow_mut().record(ai, &out);
        // Live counts: hand the second's data over when due, so a controller sleeping
        // between seconds (RPS mode) need not wake for it.
        if let Some(done) = out.done {
            let el = done.saturating_duration_since(sh.start);
            if el.saturating_sub(self.partial_at.get()) >= PARTIAL_FLUSH {
                let sec = self.cur_sec.get();
                let ms = el.saturating_sub(Duration::from_secs(sec)).as_millis().min(1000);
                self.flush_partial(sec, ms as u32);
                self.partial_at.set(el);
            }
        }
        if let Some(s) = sample {
            lock(&sh.samples).push(s);
        }
        out.reason.is_none()
    }
}

impl crate::engine::jmx::Sampler for Worker {
    async fn sample(&self, vu: &mut Vu, api: usize) -> bool {
        self.run_api(vu, api, None).await
    }
}

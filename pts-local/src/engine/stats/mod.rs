//! Measurement: counters, HDR latency histograms, the per-second timeline.
//!
//! Hot path: every worker thread records into its own [`WorkerStats`] (no locks, no atomics;
//! one histogram update per request, per API). Every 200 ms it hands that interval to the
//! run-wide [`Aggregate`] behind a mutex (live counts), and once its second ends it ends that
//! second there. The aggregate keeps cumulative histograms (for reports, the scene's merged
//! from the APIs') and turns seconds into [`TimelinePoint`]s as soon as every worker ended
//! them, or one second later (a worker that finished early), or when the run ends.

mod aggregate;
mod counters;
mod histogram;
mod limits;
mod timeline;

pub(crate) use aggregate::{Aggregate, SecondEnd, WorkerStats, vum_of};
pub(crate) use counters::Outcome;
pub use counters::{Counters, FailureReason, LATE_SEND};
pub use histogram::Latency;
pub(crate) use histogram::{latency, quantile_ms};
pub use limits::{API_TIMELINE_BUDGET, STATUS_CODES_CAP, TIMELINE_CAP};
pub use timeline::{ApiPoint, TimelinePoint};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_and_timeline() {
        let mut w = WorkerStats::new(2);
        let ok =
            Outcome { status: 200, rt_us: 1000, bytes_in: 10, bytes_out: 5, ..Outcome::default() };
        let bad = Outcome { status: 500, reason: Some(FailureReason::HttpStatus), ..ok };
        let biz = Outcome { reason: Some(FailureReason::CheckpointFailed), ..ok };
        w.record(0, &ok);
        w.record(0, &bad);
        w.record(1, &biz);
        let mut agg = Aggregate::new(2, TIMELINE_CAP, API_TIMELINE_BUDGET, 1, 60.0);
        agg.flush(&mut w, 0, 1000, Some(SecondEnd { api_conc: &[1.0, 1.0], concurrency: 2 }));
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

    /// VUM integrates virtual users over scene time: 2 VUs for one scene minute are 2 VUM,
    /// whatever the time scale.
    #[test]
    fn vum_counts_scene_minutes() {
        // Time scale 1: one scene minute is one wall second.
        let mut agg = Aggregate::new(1, TIMELINE_CAP, API_TIMELINE_BUDGET, 1, 1.0);
        let mut w = WorkerStats::new(1);
        w.vu_wall_s = 2.0 * 0.5;
        agg.flush(&mut w, 0, 500, None);
        assert_eq!(agg.vum(), 1, "pending seconds count live");
        w.vu_wall_s = 2.0 * 0.5;
        agg.flush(&mut w, 0, 1000, Some(SecondEnd { api_conc: &[2.0], concurrency: 2 }));
        agg.finalize(None);
        assert_eq!(agg.vum(), 2);
        assert_eq!(agg.timeline[0].vu_seconds, 120.0);
        // Real time (60 wall seconds per scene minute): 3 VUs for 90 s are 4.5 -> 5 VUM.
        let mut agg = Aggregate::new(1, TIMELINE_CAP, API_TIMELINE_BUDGET, 1, 60.0);
        w.vu_wall_s = 3.0 * 90.0;
        agg.flush(&mut w, 89, 1000, Some(SecondEnd { api_conc: &[3.0], concurrency: 3 }));
        agg.finalize(None);
        assert_eq!(agg.vum(), 5);
        assert_eq!(vum_of(0.0), 0);
        assert_eq!(vum_of(120.000_000_1), 2);
        assert_eq!(vum_of(120.1), 3);
    }

    /// Live rates exist before the first second ends (from the flushed part of it), and a
    /// second every worker ended is final at once.
    #[test]
    fn current_window_before_and_after_the_first_second() {
        let ok =
            Outcome { status: 200, rt_us: 1000, bytes_in: 10, bytes_out: 5, ..Outcome::default() };
        let mut agg = Aggregate::new(1, TIMELINE_CAP, API_TIMELINE_BUDGET, 1, 60.0);
        let mut w = WorkerStats::new(1);
        assert!(agg.current().0.is_none());
        for _ in 0..40 {
            w.record(0, &ok);
        }
        agg.flush(&mut w, 0, 200, None);
        let (p, apis) = agg.current();
        assert_eq!(p.unwrap().tps(), 200.0);
        assert_eq!(apis[0].unwrap().tps(), 200.0);
        for _ in 0..60 {
            w.record(0, &ok);
        }
        agg.flush(&mut w, 0, 1000, Some(SecondEnd { api_conc: &[1.0], concurrency: 1 }));
        agg.finalize(Some(0));
        assert_eq!(agg.timeline.len(), 1, "complete second final without waiting");
        assert_eq!(agg.current().0.unwrap().tps(), 100.0);
    }
}

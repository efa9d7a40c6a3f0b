//! The live half of the judgement: a sustained breach seen in the running data.

use super::criteria::{Criterion, Metric};
use crate::samples::Sample;
use pts_api::shapes::pts_runtime_status::PtsRuntimeStatus;
use serde::Serialize;
use std::fmt;
use std::time::Duration;

/// A criterion breached for long enough while the scene ran.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breach {
    /// Index of the criterion in the parsed list.
    pub index: usize,
    pub criterion: String,
    pub metric: Metric,
    /// The value in the last breaching sample.
    pub actual: f64,
    /// Consecutive breaching samples.
    pub samples: u32,
    pub elapsed_s: f64,
}

impl fmt::Display for Breach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} breached in {} consecutive samples (last {}, at {:.0} s)",
            self.criterion,
            self.samples,
            self.metric.show(self.actual),
            self.elapsed_s
        )
    }
}

/// Watches live samples for a sustained breach of the criteria the running data can show.
#[derive(Debug, Clone)]
pub struct LiveGuard {
    criteria: Vec<(usize, Criterion)>,
    needed: u32,
    streaks: Vec<u32>,
    qualifying: u32,
}

impl LiveGuard {
    /// `breach_for` of consecutive breaching samples taken every `interval` is a breach.
    pub fn new(criteria: &[Criterion], breach_for: Duration, interval: Duration) -> LiveGuard {
        let per = interval.as_secs_f64().max(0.001);
        let needed = (breach_for.as_secs_f64() / per).ceil().max(1.0) as u32;
        let live: Vec<(usize, Criterion)> = criteria
            .iter()
            .enumerate()
            .filter(|(_, c)| c.metric.is_live())
            .map(|(i, c)| (i, c.clone()))
            .collect();
        LiveGuard { streaks: vec![0; live.len()], criteria: live, needed, qualifying: 0 }
    }

    /// Consecutive samples that make a breach.
    pub fn needed(&self) -> u32 {
        self.needed
    }

    /// Feeds one sample; returns the first criterion breached for `needed` samples in a row.
    pub fn observe(&mut self, s: &Sample) -> Option<Breach> {
        if s.status != PtsRuntimeStatus::Running || s.total_requests <= 0 {
            return None;
        }
        self.qualifying += 1;
        let mut found = None;
        for ((index, c), streak) in self.criteria.iter().zip(self.streaks.iter_mut()) {
            if c.metric == Metric::Tps && c.op.is_lower_bound() && self.qualifying < 2 {
                continue;
            }
            let Some(actual) = c.metric.from_sample(s) else { continue };
            if c.holds(actual) {
                *streak = 0;
                continue;
            }
            *streak += 1;
            if *streak >= self.needed && found.is_none() {
                found = Some(Breach {
                    index: *index,
                    criterion: c.text.clone(),
                    metric: c.metric,
                    actual,
                    samples: *streak,
                    elapsed_s: s.elapsed_s,
                });
            }
        }
        found
    }
}

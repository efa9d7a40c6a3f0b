//! The run's engine log entries: start, failure summaries, stop and end (see
//! [`super::super::runlog`]).

use super::report::{RunReport, StopReason};
use super::shared::{Shared, lock};
use crate::engine::plan::{LoadMode, RunKind, Schedule};
use crate::engine::runlog::LogLevel;
use crate::engine::stats::{Aggregate, LATE_SEND};
use crate::ids::now_ms;

impl StopReason {
    /// Why the run stops, for the log.
    pub(super) fn why(self) -> &'static str {
        match self {
            StopReason::Stopped => "stop requested",
            StopReason::MaxRunningTime => "planned duration reached",
            StopReason::ServiceCap => "service cap on run duration reached",
            StopReason::Completed => "every virtual user finished",
            StopReason::Failed => "a worker could not start",
        }
    }
}

impl Shared {
    pub(super) fn note(&self, level: LogLevel, text: String) {
        lock(&self.log).push(now_ms(), level, "engine", text);
    }

    /// Finalises seconds (see [`Aggregate::finalize`]) and logs their failure summaries.
    pub(super) fn finalize(&self, agg: &mut Aggregate, upto: Option<u64>) {
        agg.finalize(upto);
        if agg.failed.is_empty() {
            return;
        }
        let word = match self.plan.kind {
            RunKind::JMeter => "assertion",
            RunKind::Pts => "checkpoint",
        };
        let mut log = lock(&self.log);
        for (sec, api, c) in agg.failed.drain(..) {
            let ts = self.begin_epoch_ms + (sec as i64 + 1) * 1000;
            log.failures(ts, sec, &self.plan.apis[api].name, &c, word);
        }
    }

    /// The log line of the run's start: what runs, with how many threads, for how long.
    pub(super) fn start_line(&self) -> String {
        let plan = &self.plan;
        let units: Vec<String> = plan
            .units
            .iter()
            .map(|u| {
                let name = match u.api {
                    Some(a) if plan.mode == LoadMode::Rps => &plan.apis[a].name,
                    _ => &plan.relations[u.relation].name,
                };
                let load = match u.schedule {
                    Schedule::Manual { begin, limit } => format!("{begin} (max {limit})"),
                    Schedule::Steps { begin, limit, step, keep } => {
                        format!("{begin} +{step} every {:.1}s up to {limit}", keep.as_secs_f64())
                    }
                    Schedule::Linear { target, ramp } => {
                        format!("{target} (ramp-up {:.1}s)", ramp.as_secs_f64())
                    }
                };
                format!("`{name}`: {load}")
            })
            .collect();
        let (what, unit) = match (plan.kind, plan.mode) {
            (RunKind::JMeter, _) => ("thread groups", "threads"),
            (RunKind::Pts, LoadMode::Concurrency) => ("relations", "virtual users"),
            (RunKind::Pts, LoadMode::Rps) => ("APIs", "requests/s"),
        };
        format!(
            "Starting {} `{}`: {} {what}, {unit}: {}; {} worker(s), planned duration {:.1}s",
            if plan.debug { "debug run" } else { "test" },
            plan.scene_name,
            plan.units.len(),
            units.join("; "),
            self.workers,
            plan.run_for.as_secs_f64()
        )
    }

    /// The log line of the run's end, with its counts (and, in RPS mode, a warning when the
    /// schedule was not kept).
    pub(super) fn note_end(&self, report: &RunReport) {
        let (late, dropped) = (report.scene.late_sends, report.scene.dropped_sends);
        if late + dropped > 0 {
            let limit = self.max_pool;
            self.note(
                LogLevel::Warn,
                format!(
                    "The target did not keep up with the configured rate: {late} sends left more than {} ms after their scheduled time (their response times include the wait) and {dropped} scheduled sends were not sent; virtual users per worker were capped at {limit}",
                    LATE_SEND.as_millis()
                ),
            );
        }
        let level =
            if report.stop_reason == StopReason::Failed { LogLevel::Error } else { LogLevel::Info };
        self.note(
            level,
            format!(
                "Test ended ({}) after {:.2}s: {} samples, {} failed",
                report.stop_reason.why(),
                report.duration.as_secs_f64(),
                report.scene.count,
                report.scene.failed_requests + report.scene.failed_business
            ),
        );
    }
}

//! The engine log of a run (served as GetJMeterLogs): the start with its thread counts, load
//! changes, failure summaries and the stop with its reason.
//!
//! Bounded: failures are summarised once per second per API (never one line per request),
//! the first [`LOG_HEAD`] lines are kept, then the most recent up to [`LOG_CAP`] in all; a
//! gap is marked by one line saying how many were dropped.

use super::stats::{Counters, FailureReason};
use std::collections::VecDeque;

/// Lines kept from the start of a run (the start line and early events survive long runs).
pub const LOG_HEAD: usize = 100;
/// Lines kept per run in all.
pub const LOG_CAP: usize = 2000;

/// Severity, as JMeter's log levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLevel {
    Info,
    Warn,
    Error,
}

impl LogLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Info => "INFO",
            LogLevel::Warn => "WARN",
            LogLevel::Error => "ERROR",
        }
    }
}

/// One log line.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub ts_ms: i64,
    pub level: LogLevel,
    /// Who wrote it: `engine` (control) or the worker thread (`pts-engine-N`).
    pub thread: String,
    pub text: String,
}

#[derive(Debug, Default)]
pub(crate) struct RunLog {
    head: Vec<LogLine>,
    tail: VecDeque<LogLine>,
    dropped: u64,
}

impl RunLog {
    pub(crate) fn push(&mut self, ts_ms: i64, level: LogLevel, thread: &str, text: String) {
        let line = LogLine { ts_ms, level, thread: thread.to_string(), text };
        if self.head.len() < LOG_HEAD {
            self.head.push(line);
            return;
        }
        if self.tail.len() >= LOG_CAP - LOG_HEAD {
            self.tail.pop_front();
            self.dropped += 1;
        }
        self.tail.push_back(line);
    }

    /// Every kept line in order, with a marker where lines were dropped.
    pub(crate) fn lines(&self) -> Vec<LogLine> {
        let mut out = self.head.clone();
        if self.dropped > 0 {
            let ts = self.tail.front().map_or(0, |l| l.ts_ms);
            let text = format!("{} log lines dropped (log cap {LOG_CAP})", self.dropped);
            out.push(LogLine { ts_ms: ts, level: LogLevel::Warn, thread: "engine".into(), text });
        }
        out.extend(self.tail.iter().cloned());
        out
    }

    /// One line summarising the failures of `api` in second `sec` (none if there were none).
    /// `assertion` names checkpoint failures as the run's kind calls them.
    pub(crate) fn failures(
        &mut self,
        ts_ms: i64,
        sec: u32,
        api: &str,
        c: &Counters,
        assertion: &str,
    ) {
        let failed = c.failed_requests + c.failed_business;
        if failed == 0 {
            return;
        }
        let parts: Vec<String> = FailureReason::ALL
            .iter()
            .zip(c.reasons)
            .filter(|(_, n)| *n > 0)
            .map(|(r, n)| match r {
                FailureReason::CheckpointFailed => format!("{n} {assertion} failures"),
                FailureReason::HttpStatus => {
                    let codes: Vec<String> = c
                        .status_codes
                        .iter()
                        .filter(|(s, _)| !(200..300).contains(s))
                        .map(|(s, k)| format!("{s} x{k}"))
                        .collect();
                    format!("{n} error statuses ({})", codes.join(", "))
                }
                r => format!("{n} {}", r.as_str()),
            })
            .collect();
        let level = if c.failed_requests > 0 { LogLevel::Error } else { LogLevel::Warn };
        let text = format!(
            "second {sec}: `{api}` {failed} of {} samples failed: {}",
            c.count,
            parts.join(", ")
        );
        self.push(ts_ms, level, "engine", text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_with_head_and_gap_marker() {
        let mut log = RunLog::default();
        for i in 0..(LOG_CAP as i64 + 500) {
            log.push(i, LogLevel::Info, "engine", format!("line {i}"));
        }
        let lines = log.lines();
        assert_eq!(lines.len(), LOG_CAP + 1);
        assert_eq!(lines[0].text, "line 0");
        assert_eq!(lines[LOG_HEAD].text, "500 log lines dropped (log cap 2000)");
        assert_eq!(lines.last().unwrap().text, format!("line {}", LOG_CAP + 499));
    }
}

//! SLA criteria of `pts run --sla "p99<200ms,error_rate<1%,tps>=500"`: parsing, the live
//! breach detector, the final judgement and the machine-readable verdict.
//!
//! Metrics (aliases in brackets) and how a threshold is written:
//!
//! | metric | meaning | threshold | judged live |
//! |---|---|---|---|
//! | `avg_rt` (`rt`, `avg`) | mean response time | `200ms`, `0.2s`, `200` (ms) | yes (`AverageRt`) |
//! | `p90` (`p90_rt`) | 90th percentile RT | as above | yes (`Seg90Rt`) |
//! | `p99` (`p99_rt`) | 99th percentile RT | as above | no: the running data has no p99 |
//! | `error_rate` | failed requests ÷ all | `1%` or `0.01` | yes |
//! | `success_rate` | 1 − error_rate | `99%` or `0.99` | yes |
//! | `tps` [`qps`, `rps`] | requests per second | `500`, `500/s` | yes (current second) |
//!
//! Operators: `<`, `<=`, `>`, `>=`. The final judgement uses the report of the run (its
//! `SceneMetrics`); a criterion with no data to judge fails (never a pass without evidence).
//!
//! Live values are what the running data shows: `AverageRt` and `Seg90Rt` cover the run so
//! far (not the last second), the error rate is cumulative, and `TotalRealQps` is the last
//! second's rate.
//!
//! A *sustained* breach is the same criterion breached in consecutive samples for the
//! `breach_for` duration (default 3 s, at least one sample). Only samples taken while the
//! runtime status is `RUNNING` and some request was sent count; a `tps` lower bound skips
//! the first such sample, whose one-second window may not be full yet.

mod criteria;
mod live;
pub mod run_end;
mod verdict;
pub use criteria::{Criterion, DEFAULT_BREACH_FOR, Metric, Op, parse};
pub use live::{Breach, LiveGuard};
pub use verdict::{CriterionResult, FinalMetrics, Source, Verdict, judge};

#[cfg(test)]
mod tests;

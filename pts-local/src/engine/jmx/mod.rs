//! The JMeter (JMX) subset pts-local runs, and its compilation onto the PTS engine.
//!
//! Accepted elements inside the test plan's `hashTree` (anything else is refused with
//! [`EngineError::UnsupportedElement`] naming the first one in document order):
//!
//! | element | what is used |
//! | --- | --- |
//! | `TestPlan` | `testname`; `TestPlan.user_defined_variables` become `${}` constants; other properties are ignored |
//! | `Arguments` (User Defined Variables) | name/value pairs become `${}` constants |
//! | `ThreadGroup` | `num_threads`, `ramp_time` (s), `scheduler` + `duration` (s), `main_controller` `LoopController.loops` (-1 = forever) / `continue_forever`; `delay`, `on_sample_error` and the rest are ignored |
//! | `HTTPSamplerProxy` | `domain`, `port`, `protocol` (http only), `path` (may be a full `http://` URL), `method`, `Arguments` (query string for GET/HEAD/DELETE/OPTIONS, form body otherwise, or the raw body with `postBodyRaw`), `contentEncoding` ignored, `follow_redirects`/`auto_redirects` (follow up to 10), `connect_timeout` + `response_timeout` (ms; default 60 s) |
//! | `ConfigTestElement` with `guiclass="HttpDefaultsGui"` (HTTP Request Defaults) | default `domain`, `port`, `protocol`, `path` for samplers in scope |
//! | `HeaderManager` | headers for samplers in scope |
//! | `ResponseAssertion` | fields `response_code`, `response_data`, `response_headers`, `response_message`; rules contains (regex find), matches (whole-value regex), equals, substring; the NOT and OR flags |
//! | `CSVDataSet` | `filename` (last path component, resolved by the `FileResolver`), `variableNames` (empty: the first line names them), `delimiter` (`\t` = tab), `ignoreFirstLine`, `recycle` (false: the thread group stops when the file is used up; `stopThread` is implied) |
//! | `ConstantTimer` | `ConstantTimer.delay` (ms), paused before each sampler in scope |
//! | `ResultCollector` (listeners) | ignored (harmless: results go to pts-local's own statistics) |
//!
//! Scoping follows JMeter: an element applies to the samplers of its own `hashTree` level and
//! below. `${__P(name,default)}` in thread-group numbers evaluates to `default`. All CSV data
//! sets of a thread group advance together, one row per iteration, shared by its threads.

use super::EngineConfig;
use super::check::{Check, CheckGroup, Op, Subject, compile_regex};
use super::compile::{check_caps, precheck_plan, split};
use super::error::EngineError;
use super::files::{FileResolver, base_name, parse_csv};
use super::plan::{
    ApiPlan, LoadMode, Plan, RelPlan, RunKind, Schedule, Table, UnitPlan, Vars, compile_err,
    parse_method, prepare,
};
use super::safety::Safety;
use roxmltree::Node;
use std::collections::HashMap;
use std::time::Duration;

mod elements;
mod parse;
mod plan;

pub use parse::parse_jmx;
pub(crate) use plan::compile_jmx;

/// Timeout of JMeter samplers that set none (JMeter itself waits forever).
pub const JMETER_DEFAULT_TIMEOUT_SECS: u64 = 60;

/// A parsed JMX plan (the supported subset).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JmxPlan {
    pub name: String,
    /// `${}` constants from TestPlan / Arguments.
    pub variables: Vec<(String, String)>,
    pub thread_groups: Vec<JmxThreadGroup>,
}

/// One `ThreadGroup`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JmxThreadGroup {
    pub name: String,
    pub num_threads: u32,
    pub ramp_time_secs: u64,
    /// Iterations per thread; None = forever.
    pub loops: Option<u64>,
    /// `scheduler` + `duration`, seconds.
    pub duration_secs: Option<u64>,
    pub samplers: Vec<JmxSampler>,
    pub csv: Vec<JmxCsv>,
}

/// One `HTTPSamplerProxy` with everything in its scope resolved.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JmxSampler {
    pub name: String,
    pub method: String,
    /// Full URL (`protocol://domain:port/path?query`).
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub content_type: Option<String>,
    pub follow_redirects: bool,
    pub timeout_ms: Option<u64>,
    pub think_ms: u64,
    pub assertions: Vec<JmxAssertion>,
}

/// What a `ResponseAssertion` tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssertField {
    ResponseCode,
    ResponseData,
    ResponseHeaders,
    ResponseMessage,
}

/// How a `ResponseAssertion` pattern is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssertRule {
    Contains,
    Matches,
    Equals,
    Substring,
}

#[derive(Debug, Clone, PartialEq)]
pub struct JmxAssertion {
    pub name: String,
    pub field: AssertField,
    pub rule: AssertRule,
    pub not: bool,
    pub or: bool,
    pub patterns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct JmxCsv {
    pub filename: String,
    pub variable_names: Vec<String>,
    pub delimiter: String,
    pub ignore_first_line: bool,
    pub recycle: bool,
}

/// Load overrides a JMeter scene may set (`SaveOpenJMeterScene` Concurrency/Duration/RampUp).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JmeterOptions {
    /// Total threads, split evenly over thread groups (overrides `num_threads`).
    pub concurrency: Option<u32>,
    /// Seconds (overrides each thread group's duration; scaled by `time_scale / 60`).
    pub duration_secs: Option<u64>,
    /// Seconds (overrides `ramp_time`).
    pub ramp_up_secs: Option<u64>,
}

//! The parsed form of a JMX plan (the supported subset, constants substituted).

/// A parsed JMX plan.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JmxPlan {
    pub name: String,
    /// `${}` constants from TestPlan / Arguments, in document order.
    pub variables: Vec<(String, String)>,
    pub thread_groups: Vec<JmxThreadGroup>,
    /// `TestPlan.serialize_threadgroups`: groups of a stage run one after another.
    pub serialize: bool,
}

/// When a thread group runs relative to the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupKind {
    /// `SetupThreadGroup`: before every main group.
    SetUp,
    #[default]
    Main,
    /// `PostThreadGroup`: after the main groups finished.
    TearDown,
}

/// One thread group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JmxThreadGroup {
    pub name: String,
    pub kind: GroupKind,
    pub num_threads: u32,
    pub ramp_time_secs: u64,
    /// Iterations per thread; None = forever.
    pub loops: Option<u64>,
    /// `scheduler` + `duration`, seconds.
    pub duration_secs: Option<u64>,
    /// Every sampler of the group in document order; [`JmxStep::Sampler`] indexes this.
    pub samplers: Vec<JmxSampler>,
    pub csv: Vec<JmxCsv>,
    /// One iteration of a thread.
    pub steps: Vec<JmxStep>,
    /// Counters and random variables set at the start of each iteration.
    pub on_iteration: Vec<JmxVarAction>,
    /// A Cookie Manager is in scope.
    pub cookies: Option<JmxCookies>,
    pub on_sample_error: JmxOnError,
}

/// `ThreadGroup.on_sample_error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JmxOnError {
    #[default]
    Continue,
    StartNextLoop,
    StopThread,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JmxCookies {
    pub clear_each_iteration: bool,
}

/// One step of an iteration.
#[derive(Debug, Clone, PartialEq)]
pub enum JmxStep {
    /// Index into [`JmxThreadGroup::samplers`].
    Sampler(usize),
    Block(JmxBlock),
}

/// A logic controller and its children.
#[derive(Debug, Clone, PartialEq)]
pub struct JmxBlock {
    /// `Tag "testname" at path`, for messages.
    pub at: String,
    pub control: JmxControl,
    pub steps: Vec<JmxStep>,
    /// Counters and random variables set each time the controller starts a pass.
    pub on_enter: Vec<JmxVarAction>,
    /// `${}` references left after constant substitution: (name, property).
    pub refs: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JmxControl {
    Simple,
    Transaction,
    /// Count as written after constant substitution (may hold a runtime `${}`); -1 = forever.
    Loop {
        count: String,
    },
    OnceOnly,
    If {
        condition: String,
        expression: bool,
        evaluate_all: bool,
    },
    Interleave {
        across_threads: bool,
    },
    Throughput {
        per_user: bool,
        rule: JmxThroughput,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum JmxThroughput {
    Percent(f64),
    Total(u64),
}

/// A config element that sets a variable at each pass of its controller.
#[derive(Debug, Clone, PartialEq)]
pub enum JmxVarAction {
    Counter {
        var: String,
        start: i64,
        incr: i64,
        end: Option<i64>,
        format: String,
        per_user: bool,
        reset_each_iteration: bool,
    },
    Random {
        var: String,
        min: i64,
        max: i64,
        format: String,
    },
}

/// One `HTTPSamplerProxy` with everything in its scope resolved.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JmxSampler {
    pub name: String,
    /// `HTTPSamplerProxy "testname" at path`, for messages.
    pub at: String,
    pub method: String,
    /// Full URL (`protocol://domain:port/path?query`), or a variable holding one.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub content_type: Option<String>,
    pub follow_redirects: bool,
    pub timeout_ms: Option<u64>,
    /// Constant timers in scope (ms).
    pub think_ms: u64,
    /// Random timers in scope.
    pub timers: Vec<JmxTimer>,
    pub checks: Vec<JmxCheck>,
    pub extractors: Vec<JmxExtractor>,
    /// `${}` references left after constant substitution: (name, property).
    pub refs: Vec<(String, String)>,
}

/// The random part of a timer (the constant part is in `think_ms`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum JmxTimer {
    Uniform { range_ms: f64 },
    Gaussian { deviation_ms: f64 },
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

/// Comparison of a size assertion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JmxCmp {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
}

/// What a size assertion measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JmxSizeOf {
    Whole,
    Body,
    Headers,
}

/// One assertion.
#[derive(Debug, Clone, PartialEq)]
pub enum JmxCheck {
    Response(JmxAssertion),
    /// Fails when the response takes longer than `max_ms`.
    Duration {
        name: String,
        max_ms: u64,
    },
    Size {
        name: String,
        of: JmxSizeOf,
        cmp: JmxCmp,
        size: u64,
    },
    /// The path must exist; with `expect`, its value must equal it (or match it as a regex).
    Json {
        name: String,
        path: String,
        expect: Option<String>,
        regex: bool,
        invert: bool,
    },
}

/// Where an extractor looks.
#[derive(Debug, Clone, PartialEq)]
pub enum JmxExtract {
    Regex { pattern: String, headers: bool },
    Json { path: String },
    Boundary { left: String, right: String, headers: bool },
}

/// One post-processor setting variable `refname`.
#[derive(Debug, Clone, PartialEq)]
pub struct JmxExtractor {
    pub name: String,
    pub refname: String,
    pub kind: JmxExtract,
    /// 1-based match; 0 = random.
    pub match_no: u32,
    /// Value on a miss; None leaves the variable as it was.
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct JmxCsv {
    pub filename: String,
    pub variable_names: Vec<String>,
    pub delimiter: String,
    pub ignore_first_line: bool,
    pub recycle: bool,
}

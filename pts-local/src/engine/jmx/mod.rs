//! The JMeter (JMX) subset pts-local runs, and its compilation onto the PTS engine.
//!
//! Elements (anything else is refused with [`EngineError::UnsupportedElement`](crate::engine::EngineError::UnsupportedElement), naming it and
//! its path; a supported element with a value pts-local cannot honour is refused with
//! [`EngineError::InvalidJmx`](crate::engine::EngineError::InvalidJmx) naming the element, its path and the property). Elements with
//! `enabled="false"` are skipped with their subtree, and the `WorkBench` never runs, as in
//! JMeter.
//!
//! | element | what is used |
//! | --- | --- |
//! | `TestPlan`, `Arguments` (User Defined Variables, any scope) | name/value pairs become `${}` constants, in document order (later ones see earlier ones); JMeter also processes them all at start wherever they sit |
//! | `TestPlan` | `TestPlan.serialize_threadgroups`: the groups of each stage run one after another |
//! | `ThreadGroup`, `SetupThreadGroup`, `PostThreadGroup` | `num_threads`, `ramp_time` (s), `scheduler` + `duration` (s), `main_controller` loops (-1 = forever); setUp groups finish before the others start, tearDown groups start when the others finished their loops (so not after duration-bound groups); `on_sample_error` continue / startnextloop / stopthread; `same_user_on_next_iteration=false` clears cookies each iteration |
//! | `HTTPSamplerProxy` | `domain`, `port`, `protocol`, `path` (may be, or hold in a variable, a full URL), `method` (may come from a constant), `Arguments` (query string or form body, raw body with `postBodyRaw`), `follow_redirects`/`auto_redirects`, `connect_timeout` + `response_timeout` (ms; default 60 s); embedded resources, multipart bodies and file uploads are refused |
//! | `ConfigTestElement` (`HttpDefaultsGui`, HTTP Request Defaults) | default `domain`, `port`, `protocol`, `path`, timeouts for samplers in scope |
//! | `HeaderManager` | headers for samplers in scope; an inner manager's header replaces an outer one of the same name |
//! | `CookieManager` | each thread keeps its cookies (`Set-Cookie` of every response and redirect hop -> `Cookie` by domain and path); `clearEachIteration`; a manager anywhere in a thread group (or the plan) serves the whole group |
//! | `CSVDataSet` | `filename` (last path component), `variableNames` (empty: the first line), `delimiter`, `ignoreFirstLine`, `recycle` (false: the group stops at end of file); one row per iteration, shared by the group's threads |
//! | `GenericController` (Simple), `RecordingController`, `TransactionController` | run their children (a transaction adds no sample of its own) |
//! | `LoopController` | children `loops` times (-1 / `continue_forever`: forever); the count may be a variable |
//! | `OnceOnlyController` | children on the first pass of the enclosing loop (the thread's first iteration at group level) |
//! | `IfController` | `condition` after `${}` substitution: with `useExpression` it must be `true`; without, a comparison (`==`, `!=`, `<`, `>`, `<=`, `>=`, `&&`, `||`, `!`, parentheses, quoted strings, numbers, `true`/`false`); script functions are refused; `evaluateAll` re-checks before each child |
//! | `InterleaveControl` | one child per pass, in turn (per thread, or across threads with `accrossThreads`) |
//! | `ThroughputController` | `percentThroughput` of its passes, spread evenly, or `maxThroughput` total executions; per user or shared |
//! | `CounterConfig`, `RandomVariableConfig` | set their variable at each iteration of the enclosing controller (`format`: zero padding) |
//! | `ConstantTimer`, `UniformRandomTimer`, `GaussianRandomTimer` | pause before each sampler in scope (timers add up) |
//! | `RegexExtractor`, `JSONPostProcessor`, `BoundaryExtractor` | set variables after each sampler in scope (template `$1$`, match number, default; simple JSON paths `$.a.b[0]`); a miss never fails the sample |
//! | `ResponseAssertion`, `DurationAssertion`, `SizeAssertion`, `JSONPathAssertion` | checks of the samplers in scope |
//! | `ResultCollector` (listeners) | ignored: results go to pts-local's own statistics |
//! | `WorkBench`, `ProxyControl` (the recorder) | never run in a test: skipped with their subtree |
//!
//! `${name}` takes User Defined Variables at load (and `${__P(name,default)}` its default);
//! names that extractors, counters, random variables or CSV columns set are filled during the
//! run (a User Defined Variable of the same name is their value until then). Sampler fields
//! may call `__threadNum`, `__Random`, `__RandomString`, `__UUID` and `__time` (evaluated
//! before each sample). A reference nothing sets, or any other function, is refused.

mod cond;
pub(crate) mod cookies;
mod elements;
pub(crate) mod flow;
mod flow_run;
mod functions;
mod options;
mod parse;
mod plan;
mod sampler;
mod types;
mod xml;

pub(crate) use flow_run::Sampler;
pub use options::{JMETER_DEFAULT_TIMEOUT_SECS, JmeterOptions};
pub use parse::parse_jmx;
pub(crate) use plan::{build_jmx, compile_jmx};
pub use types::*;

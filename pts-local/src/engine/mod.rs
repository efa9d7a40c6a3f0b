//! The pts-local load engine: runs PTS scenes (and a JMeter subset) against local targets and
//! measures them.
//!
//! # Using it (what the service calls)
//!
//! * [`start_run`] / [`start_debug`] take the typed [`Scene`] of `pts_api`, a [`FileResolver`]
//!   over the service's file store and an [`EngineConfig`]; they compile and check the scene
//!   (targets included) and return a [`RunHandle`] at once. [`validate_scene`] does the checks
//!   without running.
//! * [`parse_jmx`] validates a `.jmx` against the supported subset (see [`jmx`]);
//!   [`check_jmx`] compiles it as a save does (files, variables, requests; no targets or
//!   caps); [`start_jmeter_run`] / [`start_jmeter_debug`] run the parsed [`JmxPlan`].
//! * [`RunHandle::snapshot`] (cheap, call it every second), [`RunHandle::adjust`],
//!   [`RunHandle::stop`] (returns at once; requests in flight get 400 ms to complete, then are
//!   cancelled and counted as [`FailureReason::Cancelled`]),
//!   [`RunHandle::wait`] / [`RunHandle::finished`] (async) / [`RunHandle::finish`] (stop + wait)
//!   returning the [`RunReport`]. Conversions into the `pts_api` response shapes are in
//!   [`convert`].
//!
//! # Conventions (pts-local choices where PTS publishes nothing)
//!
//! * **Time**: scene minutes (MaxRunningTime, KeepTime) and JMeter seconds become wall time
//!   through [`EngineConfig::time_scale`] (wall seconds per scene minute; 60 = real time). API
//!   timeouts are network time and are never scaled. Every run also stops at
//!   [`EngineConfig::max_run_duration`].
//! * **Timeouts**: an API's `TimeoutInSecond`, else the scene's `ConnectionTimeoutInSecond`, else
//!   5 s; it covers connect, all redirect hops and the whole body. Deadlines are checked by each
//!   worker every 20 ms, or at the earliest one when its controller sleeps longer (no timer
//!   per request), so a timeout fires within ~20 ms of its time.
//!   After a timeout the virtual user's connections are closed and reopened on the next request.
//! * **Redirects**: `RedirectCountLimit` 0 = do not follow (a 3xx is then the final answer and
//!   counts as a success), 10 (any non-zero value) = follow up to 10 hops (303, and 301/302 after
//!   POST, continue as GET). More hops fail with `TooManyRedirects`. The metadata's wording
//!   reads inverted; this follows the console ("follow up to 10").
//! * **Success**: status 2xx, or listed in `AdvanceSetting.SuccessCode`, or 3xx when not
//!   following redirects. Other statuses are request failures (`HttpStatus`).
//! * **Checkpoints** (`CheckType` STATUS_CODE, HEADER (CheckPoint = header name), BODY_TEXT,
//!   EXPORTED_PARAM (CheckPoint = export name)); operators, case-insensitive:
//!   `eq` (`=`, `==`, `equal`), `neq` (`ne`, `!=`), `gt` (`>`), `gte` (`ge`, `>=`), `lt` (`<`),
//!   `lte` (`le`, `<=`) — numeric when both sides are numbers, else string order —; `ctn`
//!   (`contain(s)`), `nctn` (`not_contain(s)`), `exist(s)`, `nexist` (`not_exist(s)`),
//!   `regex` (`match(es)`, found anywhere), `nregex` (`not_match`). A missing subject fails every
//!   operator except `neq`, `nctn`, `nregex`, `nexist`. All checkpoints of a request are
//!   AND-ed; a failure is a business failure (`CheckpointFailed`), evaluated only when the
//!   request itself succeeded. Bodies are inspected up to [`EngineConfig::inspect_body_limit`].
//! * **Exports**: BODY_JSON (`data.items[0].id`, `$.data.items[0].id`, `$['k'][0]`), BODY_TEXT
//!   (regex; capture group 1 if any, else the whole match; `Count` = 0-based match index or
//!   `Random`; absent = 0), HEADER (header name), STATUS_CODE. An export that finds nothing
//!   unsets the variable (later `${name}` stay literal) and is a business failure
//!   (`ExportFailed`) unless a checkpoint already failed. Values persist across iterations of
//!   the same virtual user.
//! * **Parameters**: `${name}` in URL, header values and body; globals are constants; file
//!   columns (`FileParamName`, comma-separated, the CSV has no header row) are read one row
//!   per chain iteration from a cursor shared by the relation's virtual users: the `BaseFile`
//!   (else the first file) row index drives, the other files follow modulo their length;
//!   `CycleOnce` on the base file stops the relation after its last row. Unknown names stay
//!   literal.
//! * **DomainBindingList**: connect to the bound IPs (in order), keep the URL's Host header.
//! * **Safety**: every target must be loopback (127.0.0.0/8, ::1) unless its host is in
//!   [`EngineConfig::allow_targets`]; checked before the run (error names the host; templated
//!   hosts are checked at connect) and at every new connection.
//! * **https**: TLS with rustls (ring); certificates are verified against the system's roots
//!   plus [`EngineConfig::ca_files`]; SNI and certificate name are the URL's host, also when a
//!   domain binding decides the address. One TLS client per run: connections are kept alive per
//!   virtual user and reconnects resume the TLS session. Sample logs time the handshake
//!   ([`SampleLog::tls_us`]). A CA file that cannot be read refuses the run
//!   ([`EngineError::Tls`]); a certificate that does not verify fails the request
//!   (`ConnectError`, the message names the host).
//! * **Workers**: [`EngineConfig::workers`] threads, each a tokio current_thread runtime with
//!   its own virtual users and connections (load and CSV rows are shared out between them);
//!   one worker drives ~100k requests/s on one core against nginx (see `benches/engine/`).
//! * **Load**: concurrency mode = virtual users per relation (AllConcurrency split evenly over
//!   relations, or RelationLoadConfigList matched by RelationId, else by position); RPS mode =
//!   requests/s per API (AllRps split evenly over APIs, or ApiLoadConfigList by ApiId). The
//!   first API of a relation is paced by an open-loop schedule (latency measured from the
//!   intended send time, so coordinated omission is corrected). Sends leave in batches on a
//!   grid from the run's start (about 10 sends per period, 5..50 ms, each period dividing a
//!   second): a send leaves at most one period early and its latency then runs from when it
//!   left, so each second holds the rate while a worker wakes once per period, not per send.
//!   Later APIs of the chain run for
//!   as long as their own rate allows (token pacing) and the rest of that iteration is skipped
//!   otherwise. A send leaving more than [`LATE_SEND`] after its time counts as late, and sends
//!   due (by that margin) but never sent when the run stops or the rate changes count as
//!   dropped (`Counters::late_sends`, `Counters::dropped_sends`; the run's log warns): the
//!   pool of virtual users grows up to its cap, then the schedule is not kept. AutoStep: level = min(limit, begin + k * ceil(limit * Increment / 100)) during
//!   step k (each KeepTime minutes, default 1); without AutoStep the level stays at begin until
//!   adjusted. An adjusted unit keeps its new level (no more steps).
//! * **Sampling**: `AdvanceSetting.LogRate` is per-mille: a sample log is kept for 1 request in
//!   `1000 / LogRate` per API and worker (1 -> 1/1000, 10 -> 1/100, 50 -> 1/20; absent = 1),
//!   the first request of each API included; the most recent [`EngineConfig::sample_log_cap`]
//!   are kept. Debug runs sample every request (first [`EngineConfig::debug_sample_cap`]).
//!   Bodies in samples are cut to [`EngineConfig::sample_body_limit`] bytes; sensitive headers
//!   are masked (see [`sample::is_sensitive_header`]).
//! * **Memory**: no per-request storage except sample logs. Per API: cumulative counters and an
//!   HDR histogram (1 us..1 h, 2 significant digits, ~24 KiB); per worker the same for the
//!   current second. Timeline: [`TIMELINE_CAP`] scene points and [`API_TIMELINE_BUDGET`] API
//!   points per run by default ([`EngineConfig::timeline_cap`], [`EngineConfig::api_timeline_budget`]),
//!   oldest dropped first.
//! * **Units**: response times in ms (f64 in reports), rates per second, bytes estimated from
//!   request/status lines, headers and bodies. `Vum` = virtual users integrated over scene
//!   time (sampled at each controller tick: 20 ms, or each second in RPS mode at fixed
//!   levels; up to the planned end, wall time x `60 / time_scale`) in
//!   minutes, rounded up: 2 VUs for one scene minute are 2 VUM at any time scale.
//! * **Live rates**: workers hand over their current second every 200 ms while requests
//!   complete and end it within a tick of the second's end; rates come from the last complete second or, during the first
//!   one, from the part flushed so far.

mod admit;
mod check;
mod compile;
mod config;
pub mod convert;
mod error;
mod exec;
mod files;
mod http;
mod http1;
pub mod jmx;
mod lifecycle;
mod plan;
mod run;
pub mod runlog;
pub mod safety;
pub mod sample;
mod stats;
mod template;
mod tls;

pub use compile::{DEFAULT_TIMEOUT_SECS, log_rate_every};
pub use config::EngineConfig;
pub use error::EngineError;
pub use files::{DirResolver, FileResolver, NoFiles};
pub use jmx::{JmeterOptions, JmxPlan, parse_jmx};
pub use plan::{LoadMode, RunKind};
pub use run::{
    AdjustTarget, ApiInfo, ApiLive, ApiReport, RunHandle, RunPhase, RunReport, RunSnapshot, Speed,
    StopReason, pin_current_thread,
};
pub use runlog::{LogLevel, LogLine};
pub use sample::{CheckOutcome, ExportOutcome, SampleHeader, SampleLog};
pub use stats::{
    API_TIMELINE_BUDGET, ApiPoint, Counters, FailureReason, LATE_SEND, Latency, STATUS_CODES_CAP,
    TIMELINE_CAP, TimelinePoint,
};

use pts_api::shapes::scene::Scene;

fn check_config(cfg: &EngineConfig) -> Result<(), EngineError> {
    if !(cfg.time_scale.is_finite() && cfg.time_scale > 0.0) {
        return Err(EngineError::Runtime(format!(
            "time_scale must be > 0, not {}",
            cfg.time_scale
        )));
    }
    Ok(())
}

/// Compiles and checks a scene (targets included) without running it.
pub fn validate_scene(
    scene: &Scene,
    files: &dyn FileResolver,
    cfg: &EngineConfig,
) -> Result<(), EngineError> {
    check_config(cfg)?;
    compile::compile_scene(scene, files, cfg, false).map(|_| ())
}

/// Starts a load test of `scene`. Files are read (and hosts resolved) before this returns.
pub fn start_run(
    scene: &Scene,
    files: &dyn FileResolver,
    cfg: &EngineConfig,
) -> Result<RunHandle, EngineError> {
    check_config(cfg)?;
    let (plan, safety) = compile::compile_scene(scene, files, cfg, false)?;
    run::launch(plan, safety, cfg)
}

/// Starts a debug run: each relation's chain once with one virtual user, every request kept as
/// a [`SampleLog`] ([`RunHandle::samples`], [`RunReport::samples`]).
pub fn start_debug(
    scene: &Scene,
    files: &dyn FileResolver,
    cfg: &EngineConfig,
) -> Result<RunHandle, EngineError> {
    check_config(cfg)?;
    let (plan, safety) = compile::compile_scene(scene, files, cfg, true)?;
    run::launch(plan, safety, cfg)
}

/// Checks that a parsed JMX plan can run (files, targets, caps) without running it.
pub fn validate_jmx(
    jmx: &JmxPlan,
    opts: &JmeterOptions,
    files: &dyn FileResolver,
    cfg: &EngineConfig,
) -> Result<(), EngineError> {
    check_config(cfg)?;
    jmx::compile_jmx(jmx, opts, files, cfg, false).map(|_| ())
}

/// What a JMeter scene's save can check without running it: the plan's files are readable,
/// every `${}` variable is set somewhere and every request can be built. Targets and caps
/// belong to the serving configuration and are checked at start.
pub fn check_jmx(
    jmx: &JmxPlan,
    opts: &JmeterOptions,
    files: &dyn FileResolver,
) -> Result<(), EngineError> {
    jmx::build_jmx(jmx, opts, files, &EngineConfig::default(), false).map(|_| ())
}

/// Starts a JMeter load test (threads = virtual users; durations scaled by `time_scale / 60`).
pub fn start_jmeter_run(
    jmx: &JmxPlan,
    opts: &JmeterOptions,
    files: &dyn FileResolver,
    cfg: &EngineConfig,
) -> Result<RunHandle, EngineError> {
    check_config(cfg)?;
    let (plan, safety) = jmx::compile_jmx(jmx, opts, files, cfg, false)?;
    run::launch(plan, safety, cfg)
}

/// `RunHandle` is shared between the service's request handlers.
#[allow(dead_code)]
fn assert_handle_send_sync() {
    fn is<T: Send + Sync>() {}
    is::<RunHandle>();
    is::<RunReport>();
    is::<RunSnapshot>();
}

/// Starts a JMeter debug run: 1 thread per thread group, 1 iteration, every sample kept.
pub fn start_jmeter_debug(
    jmx: &JmxPlan,
    files: &dyn FileResolver,
    cfg: &EngineConfig,
) -> Result<RunHandle, EngineError> {
    check_config(cfg)?;
    let (plan, safety) = jmx::compile_jmx(jmx, &JmeterOptions::default(), files, cfg, true)?;
    run::launch(plan, safety, cfg)
}

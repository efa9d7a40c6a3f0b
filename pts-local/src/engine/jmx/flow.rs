//! JMeter control flow at run time: one iteration of a thread through its controllers.

use super::cond::Expr;
use super::{CookieJar, JmxThroughput, JmxTimer};
use crate::engine::check::next_rand;
use crate::engine::exec::Vu;
use crate::engine::template::{Template, VarId};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Runs one sampler (the engine's worker implements it).
pub(crate) trait Sampler {
    async fn sample(&self, vu: &mut Vu, api: usize);
}

/// How often a waiting setUp/main/tearDown stage looks whether its turn has come.
const TURN_POLL: Duration = Duration::from_millis(5);

/// When a thread group runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    SetUp,
    Main,
    TearDown,
}

/// State shared by every thread of a run.
#[derive(Debug)]
pub(crate) struct Shared {
    /// Iterations the setUp / main groups still have to finish (i64::MAX: unbounded).
    pub(crate) setup_left: AtomicI64,
    pub(crate) main_left: AtomicI64,
    /// Controller state shared across threads (global counters, throughput, interleave).
    pub(crate) global: Mutex<Vec<i64>>,
}

#[derive(Debug)]
pub(crate) enum Cond {
    /// `useExpression`: the rendered text must be `true`.
    Text(Template),
    Expr(Expr<Template>),
}

#[derive(Debug)]
pub(crate) enum Kind {
    Plain,
    Loop(Template),
    OnceOnly,
    If { cond: Cond, all: bool },
    Interleave { slot: usize, global: bool },
    Throughput { slot: usize, global: bool, rule: JmxThroughput },
}

#[derive(Debug)]
pub(crate) enum Node {
    Sample { api: usize, timers: Vec<JmxTimer> },
    Block { kind: Kind, on_enter: Vec<Action>, body: Vec<Node>, samples: bool },
}

#[derive(Debug)]
pub(crate) enum Action {
    Counter { var: VarId, start: i64, incr: i64, end: Option<i64>, format: String, slot: usize, global: bool },
    Random { var: VarId, min: i64, max: i64, format: String },
}

/// The compiled flow of one thread group.
#[derive(Debug)]
pub(crate) struct Flow {
    pub(crate) steps: Vec<Node>,
    pub(crate) on_iteration: Vec<Action>,
    /// A Cookie Manager is in scope; true: cleared at each iteration.
    pub(crate) cookies: Option<bool>,
    pub(crate) stage: Stage,
    pub(crate) shared: Arc<Shared>,
    /// Initial per-thread slots; slots reset at each iteration (per-user counters so marked).
    pub(crate) init: Vec<i64>,
    pub(crate) reset: Vec<usize>,
}

/// One thread's flow state.
pub(crate) struct FlowState {
    slots: Vec<i64>,
    iteration: u64,
}

/// Counter slots start unset.
pub(crate) const UNSET: i64 = i64::MIN;

/// `n` formatted like JMeter's counter/random formats: literal text around a run of `0`
/// (minimum digits) and `#`.
pub(crate) fn format_num(pattern: &str, n: i64) -> String {
    let Some(start) = pattern.find(['0', '#']) else {
        return format!("{pattern}{n}");
    };
    let len = pattern[start..].find(|c| c != '0' && c != '#').unwrap_or(pattern.len() - start);
    let digits = pattern[start..start + len].matches('0').count();
    let num = if n < 0 {
        format!("-{:0digits$}", n.unsigned_abs())
    } else {
        format!("{n:0digits$}")
    };
    format!("{}{}{}", &pattern[..start], num, &pattern[start + len..])
}

fn uniform(rng: &mut u64) -> f64 {
    (next_rand(rng) >> 11) as f64 / (1u64 << 53) as f64
}

impl Flow {
    pub(crate) fn state(&self) -> FlowState {
        FlowState { slots: self.init.clone(), iteration: 0 }
    }

    fn turn_came(&self) -> bool {
        let sh = &self.shared;
        match self.stage {
            Stage::SetUp => true,
            Stage::Main => sh.setup_left.load(Ordering::Relaxed) <= 0,
            Stage::TearDown => {
                sh.setup_left.load(Ordering::Relaxed) <= 0
                    && sh.main_left.load(Ordering::Relaxed) <= 0
            }
        }
    }

    /// Runs one iteration of the thread group for `vu`.
    pub(crate) async fn iteration<S: Sampler>(&self, s: &S, vu: &mut Vu, st: &mut FlowState) {
        while !self.turn_came() {
            tokio::time::sleep(TURN_POLL).await;
        }
        match (self.cookies, vu.cookies.as_mut()) {
            (Some(_), None) => vu.cookies = Some(CookieJar::default()),
            (Some(true), Some(jar)) => jar.clear(),
            _ => {}
        }
        for &r in &self.reset {
            st.slots[r] = self.init[r];
        }
        self.actions(&self.on_iteration, vu, st);
        let first = st.iteration == 0;
        self.run(s, vu, st, &self.steps, first).await;
        st.iteration += 1;
        match self.stage {
            Stage::SetUp => self.shared.setup_left.fetch_sub(1, Ordering::Relaxed),
            Stage::Main => self.shared.main_left.fetch_sub(1, Ordering::Relaxed),
            Stage::TearDown => 0,
        };
    }

    /// Runs `nodes` in order; `first`: the enclosing loop is in its first pass.
    async fn run<S: Sampler>(&self, s: &S, vu: &mut Vu, st: &mut FlowState, nodes: &[Node], first: bool) {
        for n in nodes {
            match n {
                Node::Sample { api, timers } => {
                    let mut ms = 0.0;
                    for t in timers {
                        ms += match *t {
                            JmxTimer::Uniform { range_ms } => uniform(&mut vu.rng) * range_ms,
                            JmxTimer::Gaussian { deviation_ms } => {
                                // Box-Muller: a standard normal deviate.
                                let (u1, u2) = (uniform(&mut vu.rng).max(1e-12), uniform(&mut vu.rng));
                                (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos() * deviation_ms
                            }
                        };
                    }
                    if ms >= 1.0 {
                        tokio::time::sleep(Duration::from_secs_f64(ms / 1000.0)).await;
                    }
                    s.sample(vu, *api).await;
                }
                Node::Block { .. } => self.block(s, vu, st, n, first).await,
            }
        }
    }

    fn block<'a, S: Sampler>(
        &'a self,
        s: &'a S,
        vu: &'a mut Vu,
        st: &'a mut FlowState,
        n: &'a Node,
        first: bool,
    ) -> Pin<Box<dyn Future<Output = ()> + 'a>> {
        Box::pin(async move {
            let Node::Block { kind, on_enter, body, samples } = n else { return };
            match kind {
                Kind::Plain => {
                    self.actions(on_enter, vu, st);
                    self.run(s, vu, st, body, first).await;
                }
                Kind::OnceOnly => {
                    if first {
                        self.actions(on_enter, vu, st);
                        self.run(s, vu, st, body, first).await;
                    }
                }
                Kind::Loop(count) => {
                    let n = count.render(&vu.vars).trim().parse::<i64>().unwrap_or(0);
                    if !samples {
                        return;
                    }
                    let mut i = 0;
                    while n < 0 || i < n {
                        self.actions(on_enter, vu, st);
                        self.run(s, vu, st, body, i == 0).await;
                        i += 1;
                        tokio::task::coop::consume_budget().await;
                    }
                }
                Kind::If { cond, all } => {
                    if !all {
                        if self.holds(cond, vu) {
                            self.actions(on_enter, vu, st);
                            self.run(s, vu, st, body, first).await;
                        }
                        return;
                    }
                    for (k, child) in body.iter().enumerate() {
                        if !self.holds(cond, vu) {
                            break;
                        }
                        if k == 0 {
                            self.actions(on_enter, vu, st);
                        }
                        self.run(s, vu, st, std::slice::from_ref(child), first).await;
                    }
                }
                Kind::Interleave { slot, global } => {
                    if body.is_empty() {
                        return;
                    }
                    let k = self.bump(st, *slot, *global, |v| *v += 1) as usize - 1;
                    self.actions(on_enter, vu, st);
                    self.run(s, vu, st, std::slice::from_ref(&body[k % body.len()]), first).await;
                }
                Kind::Throughput { slot, global, rule } => {
                    let rule = *rule;
                    // Slots: executions at `slot`, passes at `slot + 1`.
                    let go = self.with_slots(st, *slot, *global, |v| {
                        let (execs, passes) = (v[0], v[1]);
                        let go = match rule {
                            JmxThroughput::Total(max) => (execs as u64) < max,
                            JmxThroughput::Percent(p) => {
                                (100.0 * execs as f64 + 50.0) / (passes as f64 + 1.0) < p
                            }
                        };
                        v[1] += 1;
                        if go {
                            v[0] += 1;
                        }
                        go
                    });
                    if go {
                        self.actions(on_enter, vu, st);
                        self.run(s, vu, st, body, first).await;
                    }
                }
            }
        })
    }

    fn holds(&self, cond: &Cond, vu: &Vu) -> bool {
        match cond {
            Cond::Text(t) => t.render(&vu.vars).trim().eq_ignore_ascii_case("true"),
            Cond::Expr(e) => e.eval(&|t: &Template| t.render(&vu.vars)),
        }
    }

    /// Applies `f` to slot `slot` (per thread, or shared) and returns its new value.
    fn bump(&self, st: &mut FlowState, slot: usize, global: bool, f: impl FnOnce(&mut i64)) -> i64 {
        self.with_slots(st, slot, global, |v| {
            f(&mut v[0]);
            v[0]
        })
    }

    fn with_slots<R>(
        &self,
        st: &mut FlowState,
        slot: usize,
        global: bool,
        f: impl FnOnce(&mut [i64]) -> R,
    ) -> R {
        if global {
            let mut g = self.shared.global.lock().unwrap_or_else(|e| e.into_inner());
            f(&mut g[slot..])
        } else {
            f(&mut st.slots[slot..])
        }
    }

    fn actions(&self, list: &[Action], vu: &mut Vu, st: &mut FlowState) {
        for a in list {
            match a {
                Action::Counter { var, start, incr, end, format, slot, global } => {
                    let (start, incr, end) = (*start, *incr, *end);
                    let mut cur = 0;
                    self.bump(st, *slot, *global, |v| {
                        cur = if *v == UNSET { start } else { *v };
                        let next = cur.saturating_add(incr);
                        *v = if end.is_some_and(|e| next > e) { start } else { next };
                    });
                    vu.vars[*var as usize] = Some(format_num(format, cur));
                }
                Action::Random { var, min, max, format } => {
                    let span = (*max - *min) as u64 + 1;
                    let v = *min + (next_rand(&mut vu.rng) % span) as i64;
                    vu.vars[*var as usize] = Some(format_num(format, v));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(format_num("000", 7), "007");
        assert_eq!(format_num("user_00#", 42), "user_042");
        assert_eq!(format_num("", 5), "5");
        assert_eq!(format_num("0", -3), "-3");
    }
}

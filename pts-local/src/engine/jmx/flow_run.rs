//! JMeter control flow at run time: one iteration of a thread through its controllers.

use super::cookies::CookieJar;
use super::flow::{Action, Cond, Flow, Kind, Node, OnError, UNSET};
use super::functions::{format_num, timer_ms};
use super::types::JmxThroughput;
use crate::engine::check::next_rand;
use crate::engine::exec::Vu;
use crate::engine::template::Template;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Runs one sampler (the engine's worker implements it).
pub(crate) trait Sampler {
    /// True when the sample succeeded.
    async fn sample(&self, vu: &mut Vu, api: usize) -> bool;
}

/// How often a thread group waiting for others (setUp first, tearDown last, serialized
/// groups) looks whether its turn has come.
const TURN_POLL: Duration = Duration::from_millis(5);

/// How a sequence of steps ended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctl {
    Go,
    NextLoop,
    Stop,
}

/// One thread's flow state.
pub(crate) struct FlowState {
    slots: Vec<i64>,
    iteration: u64,
    /// 1-based thread number within the group.
    thread: u64,
}

impl Flow {
    pub(crate) fn state(&self) -> FlowState {
        FlowState { slots: self.init.clone(), iteration: 0, thread: 0 }
    }

    fn turn_came(&self) -> bool {
        self.after.iter().all(|&g| self.shared.left[g].load(Ordering::Relaxed) <= 0)
    }

    /// Runs one iteration of the thread group for `vu`; false when the thread must stop.
    pub(crate) async fn iteration<S: Sampler>(
        &self,
        s: &S,
        vu: &mut Vu,
        st: &mut FlowState,
    ) -> bool {
        if st.iteration == 0 {
            while !self.turn_came() {
                tokio::time::sleep(TURN_POLL).await;
            }
            st.thread = self.shared.threads[self.index].fetch_add(1, Ordering::Relaxed) + 1;
            for (var, v) in &self.seeds {
                vu.vars[*var as usize].get_or_insert_with(|| v.clone());
            }
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
        let ctl = self.run(s, vu, st, &self.steps, first).await;
        st.iteration += 1;
        self.shared.left[self.index].fetch_sub(1, Ordering::Relaxed);
        ctl != Ctl::Stop
    }

    /// A thread ends (its loops done, stopped, or out of CSV rows): the iterations it will
    /// not run no longer hold back the groups waiting for this one.
    pub(crate) fn leave(&self, st: &FlowState) {
        if let Some(l) = self.loops {
            let rest = l.saturating_sub(st.iteration).min(i64::MAX as u64) as i64;
            self.shared.left[self.index].fetch_sub(rest, Ordering::Relaxed);
        }
    }

    /// Runs `nodes` in order; `first`: the enclosing loop is in its first pass.
    async fn run<S: Sampler>(
        &self,
        s: &S,
        vu: &mut Vu,
        st: &mut FlowState,
        nodes: &[Node],
        first: bool,
    ) -> Ctl {
        for n in nodes {
            let ctl = match n {
                Node::Sample { api, timers, fns } => {
                    for (var, f) in fns {
                        vu.vars[*var as usize] = Some(f.eval(st.thread, &mut vu.rng));
                    }
                    let ms = timer_ms(timers, &mut vu.rng);
                    if ms >= 1.0 {
                        tokio::time::sleep(Duration::from_secs_f64(ms / 1000.0)).await;
                    }
                    match (s.sample(vu, *api).await, self.on_error) {
                        (true, _) | (false, OnError::Continue) => Ctl::Go,
                        (false, OnError::NextLoop) => Ctl::NextLoop,
                        (false, OnError::StopThread) => Ctl::Stop,
                    }
                }
                Node::Block { .. } => self.block(s, vu, st, n, first).await,
            };
            if ctl != Ctl::Go {
                return ctl;
            }
        }
        Ctl::Go
    }

    fn block<'a, S: Sampler>(
        &'a self,
        s: &'a S,
        vu: &'a mut Vu,
        st: &'a mut FlowState,
        n: &'a Node,
        first: bool,
    ) -> Pin<Box<dyn Future<Output = Ctl> + 'a>> {
        Box::pin(async move {
            let Node::Block { kind, on_enter, body, samples } = n else { return Ctl::Go };
            match kind {
                Kind::Plain => {
                    self.actions(on_enter, vu, st);
                    self.run(s, vu, st, body, first).await
                }
                Kind::OnceOnly if first => {
                    self.actions(on_enter, vu, st);
                    self.run(s, vu, st, body, first).await
                }
                Kind::OnceOnly => Ctl::Go,
                Kind::Loop(count) => {
                    let n = count.render(&vu.vars).trim().parse::<i64>().unwrap_or(0);
                    let mut i = 0;
                    while *samples && (n < 0 || i < n) {
                        self.actions(on_enter, vu, st);
                        let ctl = self.run(s, vu, st, body, i == 0).await;
                        if ctl != Ctl::Go {
                            return ctl;
                        }
                        i += 1;
                        tokio::task::coop::consume_budget().await;
                    }
                    Ctl::Go
                }
                Kind::If { cond, all: false } => {
                    if !self.holds(cond, vu) {
                        return Ctl::Go;
                    }
                    self.actions(on_enter, vu, st);
                    self.run(s, vu, st, body, first).await
                }
                Kind::If { cond, all: true } => {
                    for (k, child) in body.iter().enumerate() {
                        if !self.holds(cond, vu) {
                            break;
                        }
                        if k == 0 {
                            self.actions(on_enter, vu, st);
                        }
                        let ctl = self.run(s, vu, st, std::slice::from_ref(child), first).await;
                        if ctl != Ctl::Go {
                            return ctl;
                        }
                    }
                    Ctl::Go
                }
                Kind::Interleave { slot, global } => {
                    if body.is_empty() {
                        return Ctl::Go;
                    }
                    let k = self.bump(st, *slot, *global, |v| *v += 1) as usize - 1;
                    self.actions(on_enter, vu, st);
                    self.run(s, vu, st, std::slice::from_ref(&body[k % body.len()]), first).await
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
                    if !go {
                        return Ctl::Go;
                    }
                    self.actions(on_enter, vu, st);
                    self.run(s, vu, st, body, first).await
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

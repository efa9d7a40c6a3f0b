//! Load control inside a worker: the controller tick and the virtual-user loops (concurrency
//! and RPS pacing).

use super::shared::{LATE, NONE, PARTIAL_FLUSH, SEND_BATCH, SEND_GRIDS, TICK, TIMER_SLACK};
use super::workers::{LocalUnit, Slot, Worker};
use crate::engine::plan::{LoadMode, split};
use crate::engine::stats::LATE_SEND;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

pub(super) async fn controller(w: Rc<Worker>) {
    let sh = w.sh.clone();
    let plan = &sh.plan;
    // A request armed after the controller went to sleep times out no earlier than this.
    let min_timeout = plan.apis.iter().map(|a| a.timeout).min().unwrap_or(TICK).max(TICK);
    loop {
        // Registered before the levels are read: an adjustment made after that wakes us.
        let adjusted = sh.adjusted.notified();
        let mut adjusted = std::pin::pin!(adjusted);
        adjusted.as_mut().enable();
        let now = Instant::now();
        let el = now.saturating_duration_since(sh.start);
        let sec = el.as_secs();
        w.integrate(now);
        if sec > w.cur_sec.get() {
            w.end_second(sec);
        } else if el - w.partial_at.get() >= PARTIAL_FLUSH {
            w.flush_partial(sec, (el.as_millis() as u64 - sec * 1000) as u32);
            w.partial_at.set(el);
        }
        let mut all_done = true;
        // RPS mode with every level fixed: nothing to do between seconds but flushes and
        // timeouts, so the controller need not wake every tick (CPU at low rates).
        let mut quiet = plan.mode == LoadMode::Rps;
        for (ui, up) in plan.units.iter().enumerate() {
            let ov = sh.overrides[ui].load(Ordering::Relaxed);
            quiet &= ov != NONE || up.schedule.settled(el);
            let level = if ov != NONE { ov } else { up.schedule.level_at(el) };
            if w.idx == 0 && ov == NONE {
                sh.levels[ui].store(level, Ordering::Relaxed);
            }
            let lu = &w.units[ui];
            let rel = up.relation;
            let exhausted = sh.exhausted[rel].load(Ordering::Relaxed);
            match plan.mode {
                LoadMode::Concurrency => {
                    let share = split(level, w.n, w.idx);
                    if share != lu.target.get() {
                        lu.target.set(share);
                        lu.dirty.set(true);
                    }
                    if lu.dirty.get() && !exhausted {
                        lu.dirty.set(false);
                        let mut slots = lu.slots.borrow_mut();
                        if slots.len() < share as usize {
                            slots.resize(share as usize, Slot::Free);
                        }
                        for s in 0..share as usize {
                            if slots[s] == Slot::Free {
                                slots[s] = Slot::Live;
                                lu.live.set(lu.live.get() + 1);
                                tokio::task::spawn_local(conc_vu(w.clone(), ui, s));
                            }
                        }
                    }
                    let settled = ov != NONE || up.schedule.settled(el);
                    let finished = lu.live.get() == 0
                        && (exhausted
                            || (plan.relations[rel].max_iterations.is_some()
                                && settled
                                && lu.done.get() >= share));
                    all_done &= finished;
                }
                LoadMode::Rps => {
                    let rate = level as f64 / w.n as f64;
                    if rate != lu.rate.get() {
                        w.count_dropped(ui, now);
                        lu.rate.set(rate);
                        lu.anchor.set(now);
                        lu.issued.set(0);
                        lu.sent.set(0);
                        lu.changed.notify_waiters();
                    }
                    if exhausted {
                        // Idle users sleeping towards a slot leave now.
                        lu.changed.notify_waiters();
                    }
                    let first = plan.relations[rel].apis.start == up.api.unwrap_or(usize::MAX);
                    if first {
                        if lu.pool.get() == 0 && rate > 0.0 && !exhausted {
                            let initial = ((rate / 100.0).ceil() as u32 + 1).min(sh.max_pool);
                            for _ in 0..initial {
                                lu.pool.set(lu.pool.get() + 1);
                                tokio::task::spawn_local(rps_vu(w.clone(), ui));
                            }
                        }
                        all_done &= exhausted && lu.pool.get() == 0;
                        quiet &= !exhausted;
                    }
                }
            }
        }
        w.publish();
        let next_timeout = w.check_deadlines(now);
        if all_done {
            return;
        }
        // Wake at the next second's start too: a second's requests are those completed before
        // the worker ends it, so ending it late would move requests into the wrong second.
        let next_sec = sh.start + Duration::from_secs(sec + 1);
        let mut until = (now + TICK).min(next_sec);
        if quiet {
            // Partial flushes ride on completing requests (`Worker::run_api`).
            until = next_sec.min(now + min_timeout);
            if let Some(t) = next_timeout {
                until = until.min(t.max(now + TIMER_SLACK));
            }
        }
        tokio::select! {
            _ = tokio::time::sleep_until(until.into()) => {}
            _ = adjusted => {}
        }
    }
}

pub(super) async fn conc_vu(w: Rc<Worker>, unit: usize, slot: usize) {
    let sh = w.sh.clone();
    let plan = &sh.plan;
    let rel_idx = plan.units[unit].relation;
    let rel = &plan.relations[rel_idx];
    let mut vu = w.next_vu(rel_idx);
    let mut iters = 0u64;
    let mut flow = rel.flow.as_ref().map(|f| f.state());
    let lu = &w.units[unit];
    let end = loop {
        if slot as u32 >= lu.target.get() || w.stopping.get() {
            break Slot::Free;
        }
        if sh.exhausted[rel_idx].load(Ordering::Relaxed) {
            break Slot::Done;
        }
        if rel.max_iterations.is_some_and(|m| iters >= m) {
            break Slot::Done;
        }
        if !w.next_row(&mut vu, rel_idx) {
            break Slot::Done;
        }
        match (&rel.flow, flow.as_mut()) {
            (Some(f), Some(st)) => {
                if !f.iteration(&*w, &mut vu, st).await {
                    break Slot::Done;
                }
            }
            _ => {
                for ai in rel.apis.clone() {
                    if w.stopping.get() {
                        break;
                    }
                    w.run_api(&mut vu, ai, None).await;
                }
            }
        }
        iters += 1;
        tokio::task::coop::consume_budget().await;
    };
    if let (Some(f), Some(st)) = (&rel.flow, flow.as_ref()) {
        f.leave(st);
    }
    lu.slots.borrow_mut()[slot] = end;
    lu.live.set(lu.live.get() - 1);
    if end == Slot::Done {
        lu.done.set(lu.done.get() + 1);
    }
    lu.dirty.set(true);
}

/// RPS mode: the send grid's period at `rate` requests/s (see [`SEND_BATCH`]).
fn send_grid(rate: f64) -> Duration {
    let want = SEND_BATCH / rate;
    SEND_GRIDS.iter().rev().find(|g| g.as_secs_f64() <= want).copied().unwrap_or(SEND_GRIDS[0])
}

/// The first point of the grid of period `g` (from `start`) at or after `t`.
fn grid_ceil(start: Instant, t: Instant, g: Duration) -> Instant {
    let g = g.as_nanos();
    let off = t.saturating_duration_since(start).as_nanos().div_ceil(g) * g;
    start + Duration::from_nanos(off as u64)
}

/// When the batch holding slot `t` leaves: the grid point before `t`, less the runtime's timer
/// slack so that sleepers woken late still send no slot late (a batch starting a second
/// leaves on time instead: leaving early would move its sends into the second before).
fn batch_leaves(start: Instant, t: Instant, g: Duration) -> Instant {
    let point = grid_ceil(start, t.checked_sub(g).unwrap_or(start), g);
    if point.saturating_duration_since(start).subsec_nanos() == 0 {
        point
    } else {
        point - TIMER_SLACK
    }
}

/// Sleeps until `at`, or until the unit's schedule changes or the run stops (the caller then
/// looks again). Counted idle meanwhile (an idle user means no pool growth is needed).
async fn idle_until(lu: &LocalUnit, at: Instant) {
    lu.idle.set(lu.idle.get() + 1);
    tokio::select! {
        biased;
        _ = lu.changed.notified() => {}
        _ = tokio::time::sleep_until(at.into()) => {}
    }
    lu.idle.set(lu.idle.get() - 1);
}

pub(super) async fn rps_vu(w: Rc<Worker>, unit: usize) {
    let sh = w.sh.clone();
    let plan = &sh.plan;
    let rel_idx = plan.units[unit].relation;
    let rel = &plan.relations[rel_idx];
    let mut vu = w.next_vu(rel_idx);
    let lu = &w.units[unit];
    let gates: Vec<Option<usize>> = rel.apis.clone().map(|ai| plan.unit_of_api(ai)).collect();
    loop {
        if sh.exhausted[rel_idx].load(Ordering::Relaxed) || w.stopping.get() {
            break;
        }
        let rate = lu.rate.get();
        let now = Instant::now();
        if rate <= 0.0 {
            idle_until(lu, now + TICK).await;
            continue;
        }
        let n = lu.issued.get();
        let t = lu.anchor.get() + Duration::from_secs_f64(n as f64 / rate);
        if t >= sh.deadline {
            // Past the end of the run: the stop wakes this user.
            idle_until(lu, t).await;
            continue;
        }
        let grid = send_grid(rate);
        let leaves = batch_leaves(sh.start, t, grid);
        if leaves > now {
            // Every idle user of the worker wakes for the same batch and takes only its slots
            // (a user done early waits for the next batch rather than sending ahead of it):
            // the worker sends a batch and reads its responses, then sleeps once.
            idle_until(lu, leaves).await;
            continue;
        }
        lu.issued.set(n + 1);
        let behind = now.saturating_duration_since(t);
        if behind > LATE_SEND {
            w.stats.borrow_mut().apis[rel.apis.start].counters.late_sends += 1;
        }
        if behind > LATE && lu.idle.get() == 0 && lu.pool.get() < sh.max_pool {
            lu.pool.set(lu.pool.get() + 1);
            tokio::task::spawn_local(rps_vu(w.clone(), unit));
        }
        lu.busy.set(lu.busy.get() + 1);
        if w.next_row(&mut vu, rel_idx) {
            lu.sent.set(lu.sent.get() + 1);
            for (k, ai) in rel.apis.clone().enumerate() {
                if w.stopping.get() || k > 0 && !gates[k].is_some_and(|g| w.gate(g)) {
                    break;
                }
                w.run_api(&mut vu, ai, if k == 0 { Some(t) } else { None }).await;
            }
        }
        lu.busy.set(lu.busy.get() - 1);
        tokio::task::coop::consume_budget().await;
    }
    lu.pool.set(lu.pool.get() - 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// About `SEND_BATCH` sends per grid period, within the allowed periods, each dividing a
    /// second.
    #[test]
    fn send_grid_scales_with_the_rate() {
        let ms = |r: f64| send_grid(r).as_millis();
        assert_eq!(ms(1_000.0), 10);
        assert_eq!(ms(500.0), 20);
        assert_eq!(ms(400.0), 25);
        assert_eq!(ms(10.0), 50, "low rates: at most the longest period");
        assert_eq!(ms(50_000.0), 5, "high rates: at least the shortest period");
        for g in SEND_GRIDS {
            assert_eq!(1000 % g.as_millis(), 0, "{g:?} divides a second");
        }
    }

    #[test]
    fn a_batch_leaves_at_the_grid_point_before_its_slots() {
        let s = Instant::now();
        let (g, ms) = (Duration::from_millis(10), Duration::from_millis);
        // Slots in (20 ms, 30 ms] leave together, one timer slack before 20 ms.
        for t in [21, 25, 30] {
            assert_eq!(batch_leaves(s, s + ms(t), g), s + ms(20) - TIMER_SLACK, "slot {t} ms");
        }
        assert_eq!(batch_leaves(s, s + ms(31), g), s + ms(30) - TIMER_SLACK);
        // The batch that starts a second leaves on it, not in the second before.
        assert_eq!(batch_leaves(s, s + ms(1_005), g), s + ms(1_000));
        assert_eq!(batch_leaves(s, s + ms(3), g), s, "the first batch leaves at the start");
    }

    #[test]
    fn grid_points_round_up_from_the_start() {
        let s = Instant::now();
        let g = Duration::from_millis(10);
        assert_eq!(grid_ceil(s, s, g), s);
        assert_eq!(grid_ceil(s, s + Duration::from_micros(1), g), s + g);
        assert_eq!(grid_ceil(s, s + g, g), s + g);
        assert_eq!(grid_ceil(s, s + Duration::from_millis(25), g), s + 3 * g);
    }
}

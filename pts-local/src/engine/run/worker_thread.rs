//! A worker thread's life: its runtime, its [`Worker`], the controller until the run stops,
//! then the drain and the last figures.

use super::report::StopReason;
use super::schedule::controller;
use super::shared::Shared;
use super::workers::{LocalUnit, Worker};
use crate::engine::stats::WorkerStats;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(super) fn worker_main(sh: Arc<Shared>, idx: usize, cpu: Option<usize>) {
    if let Some(cpu) = cpu {
        pin_current_thread(cpu);
    }
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(_) => {
            sh.stop(StopReason::Failed);
            sh.worker_finished(StopReason::Failed);
            return;
        }
    };
    let now = Instant::now();
    let w = Rc::new(Worker {
        idx,
        n: sh.workers,
        stats: RefCell::new(WorkerStats::new(sh.plan.apis.len())),
        units: sh
            .plan
            .units
            .iter()
            .map(|_| LocalUnit {
                target: Cell::new(0),
                slots: RefCell::new(Vec::new()),
                live: Cell::new(0),
                done: Cell::new(0),
                dirty: Cell::new(true),
                rate: Cell::new(-1.0),
                anchor: Cell::new(now),
                issued: Cell::new(0),
                sent: Cell::new(0),
                pool: Cell::new(0),
                idle: Cell::new(0),
                busy: Cell::new(0),
                changed: tokio::sync::Notify::new(),
            })
            .collect(),
        vu_seq: Cell::new(0),
        cur_sec: Cell::new(0),
        sec_end: Cell::new(sh.start + Duration::from_secs(1)),
        partial_at: Cell::new(Duration::ZERO),
        vu_mark: Cell::new(sh.start),
        deadlines: RefCell::new(Vec::new()),
        stopping: Cell::new(false),
        sh: sh.clone(),
    });
    let local = tokio::task::LocalSet::new();
    let mut stop_rx = sh.stop_tx.subscribe();
    let reason = local.block_on(&rt, async {
        let reason = tokio::select! {
            biased;
            _ = stop_rx.wait_for(|s| *s) => StopReason::Stopped,
            _ = tokio::time::sleep_until(sh.deadline.into()) => {
                if sh.run_capped { StopReason::ServiceCap } else { StopReason::MaxRunningTime }
            }
            _ = controller(w.clone()) => StopReason::Completed,
        };
        if reason != StopReason::Completed {
            sh.stop(reason);
            w.drain().await;
        }
        reason
    });
    // Dropping the LocalSet ends whatever the drain left (nothing in flight is left uncounted:
    // the drain cancelled it first).
    drop(local);
    let stopped_at = Instant::now();
    w.integrate(stopped_at);
    let elapsed = stopped_at.saturating_duration_since(sh.start);
    let sec = elapsed.as_secs();
    let span = (elapsed.as_millis() as u64).saturating_sub(sec * 1000).max(1) as u32;
    for u in &w.units {
        u.live.set(0);
        u.busy.set(0);
    }
    w.publish();
    if sec > w.cur_sec.get() {
        w.flush(w.cur_sec.get(), 1000);
    }
    w.flush(sec, span);
    if reason != StopReason::Completed {
        sh.stop(reason);
    }
    sh.worker_finished(reason);
    drop(w);
    drop(rt);
}

/// Pins the current thread to `cpu` (Linux; best effort elsewhere).
pub fn pin_current_thread(cpu: usize) -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: cpu_set_t is plain data; CPU_ZERO/CPU_SET write inside it and
        // sched_setaffinity(0, ..) only affects the calling thread.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_ZERO(&mut set);
            libc::CPU_SET(cpu, &mut set);
            libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = cpu;
        false
    }
}

//! The closed-model (plain and TLS) and open-model suites: each tool run in turn, several
//! rounds, medians, ratios against the references of the same run.

use crate::Bench;
use crate::runs::{self, worst_second};
use crate::tools::{
    Row, h2load, hyper_load, hyper_load_bin, load1, oha, with_child_cpu, wrk, wrk_paced,
};
use std::path::PathBuf;

/// Median of each field over the rounds (None when the tool never ran).
fn median(rows: &[Row]) -> Option<Row> {
    if rows.is_empty() {
        return None;
    }
    let m = |f: fn(&Row) -> f64| {
        let mut v: Vec<f64> = rows.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
    };
    Some(Row { rps: m(|r| r.rps), p50: m(|r| r.p50), p99: m(|r| r.p99), cpu_us: m(|r| r.cpu_us) })
}

fn show(name: &str, r: Option<Row>) {
    match r {
        Some(r) => println!(
            "  {name:<12} {:>10.0} req/s   p50 {:>7.3} ms   p99 {:>7.3} ms   CPU {:>6.2} us/req",
            r.rps, r.p50, r.p99, r.cpu_us
        ),
        None => println!("  {name:<12} (not run)"),
    }
}

fn ratio(name: &str, e: Row, other: Option<Row>, goal: &str) {
    if let Some(o) = other {
        println!(
            "  engine / {name:<10} rps {:.3}   p99 {:.2}x   CPU/req {:.2}x   ({goal})",
            e.rps / o.rps,
            e.p99 / o.p99,
            e.cpu_us / o.cpu_us.max(1e-9)
        );
    }
}

/// Closed model against `url` (http, or https with the bench CA `ca`).
pub fn closed(b: &Bench, url: &str, ca: Option<&PathBuf>) {
    let tls = ca.is_some();
    println!("\n== closed model{}: {url}", if tls { " over TLS" } else { "" });
    // hyper-load speaks plain HTTP only.
    let hbin = if b.want("hyper") && !tls { hyper_load_bin(&b.work) } else { None };
    let (mut w, mut h, mut o, mut e) = (vec![], vec![], vec![], vec![]);
    let mut last = None;
    for round in 1..=b.rounds {
        let (s, c) = (b.secs, b.conns);
        let rw = b.want("wrk").then(|| with_child_cpu(s, || wrk(url, c, s))).flatten();
        b.pause();
        let rh = hbin.as_ref().and_then(|x| with_child_cpu(s, || hyper_load(x, url, c, s)));
        b.pause();
        let ro = b.want("oha").then(|| with_child_cpu(s, || oha(&b.work, url, c, s))).flatten();
        b.pause();
        let re = b.want("engine").then(|| runs::closed(url, c, s, ca)).flatten();
        b.pause();
        let rps = |r: Option<Row>| r.map_or(0.0, |r| r.rps);
        println!(
            "  round {round}: wrk {:.0}  hyper-load {:.0}  oha {:.0}  engine {:.0} req/s  (load {:.2})",
            rps(rw),
            rps(rh),
            rps(ro),
            rps(re.as_ref().map(|x| x.0)),
            load1()
        );
        w.extend(rw);
        h.extend(rh);
        o.extend(ro);
        if let Some((row, extra)) = re {
            e.push(row);
            last = Some(extra);
        }
    }
    let (w, h, o, e) = (median(&w), median(&h), median(&o), median(&e));
    println!("  medians over {} round(s) (load {:.2}):", b.rounds, load1());
    show("wrk", w);
    if !tls {
        show("hyper-load", h);
    }
    show("oha", o);
    show("engine", e);
    let (Some(e), Some(x)) = (e, last) else { return };
    println!(
        "  engine peak RSS {:.1} MiB (VmHWM of the bench process; {:.1} MiB before the run)",
        x.peak_kib as f64 / 1024.0,
        x.before_kib as f64 / 1024.0
    );
    if tls {
        ratio("wrk", e, w, "goal: rps >= 0.9");
        ratio("oha", e, o, "goal: rps >= 1.0");
    } else {
        ratio("wrk", e, w, "goals: rps >= 0.8 (0.9 stretch), p99 <= 1.2x");
        ratio("hyper-load", e, h, "goal: rps >= 1.0");
        ratio("oha", e, o, "goal: rps >= 1.0");
    }
}

/// Requests/s one connection carries in the open suite.
const PER_CONN: usize = 500;

/// Open model: per rate, the engine's RPS mode beside h2load; then wrk near `wrk_rate` and the
/// engine at the rate wrk achieved.
pub fn open(b: &Bench, url: &str, rates: &[u32], wrk_rate: u32) {
    let (s, c) = (b.secs, b.conns);
    println!("\n== open model (fixed rate), {c} connections at most: {url}");
    println!(
        "  worst second = largest deviation of one complete second from the rate (first and last left out)"
    );
    for &rate in rates {
        // h2load's connections fire in phase: with n of them it sends a burst of n every n/rate
        // seconds (at 10/s over 10 connections, all 10 at once each second), which is not a
        // fixed arrival rate and wakes it once per burst. Both tools get the fewest
        // connections the rate needs (one per PER_CONN req/s: 2 ms per request on loopback),
        // so h2load's bursts stay small and the two pace alike.
        let c = c.min((rate as usize).div_ceil(PER_CONN)).max(1);
        let (mut hr, mut er) = (vec![], vec![]);
        let (mut h_worst, mut e_worst, mut late, mut dropped) = (0f64, 0f64, 0u64, 0u64);
        for round in 1..=b.rounds {
            let (nh, ne) = (hr.len(), er.len());
            if b.want("h2load") {
                let mut worst = 0.0;
                let row = with_child_cpu(s, || {
                    h2load(&b.work, url, rate as f64, c, s).map(|(r, w)| {
                        worst = w;
                        r
                    })
                });
                if let Some(r) = row {
                    hr.push(r);
                    h_worst = h_worst.max(worst);
                }
                b.pause();
            }
            if b.want("engine")
                && let Some((row, x)) = runs::open(url, rate, c, s)
            {
                er.push(row);
                e_worst = e_worst.max(worst_second(&x.report, rate as f64).0);
                late += x.report.scene.late_sends;
                dropped += x.report.scene.dropped_sends;
                b.pause();
            }
            let cpu = |v: &[Row], n: usize| v.get(n).map_or(f64::NAN, |r| r.cpu_us * 0.1);
            println!(
                "    round {round}: CPU s/100k req  h2load {:.3}  engine {:.3}  (load {:.2})",
                cpu(&hr, nh),
                cpu(&er, ne),
                load1()
            );
        }
        let (h, e) = (median(&hr), median(&er));
        println!(
            "  rate {rate} req/s, {c} connections at most (medians over {} round(s), load {:.2}):",
            b.rounds,
            load1()
        );
        for (name, r, worst) in [("h2load", h, h_worst), ("engine", e, e_worst)] {
            if let Some(r) = r {
                println!(
                    "    {name:<8} achieved {:>9.1} req/s ({:+.2}%)  worst second {:.2}%  CPU {:.3} s/100k req  p50 {:.3} ms  p99 {:.3} ms",
                    r.rps,
                    (r.rps / rate as f64 - 1.0) * 100.0,
                    worst * 100.0,
                    r.cpu_us * 0.1,
                    r.p50,
                    r.p99
                );
            }
        }
        if let Some(e) = e {
            println!("    engine late sends {late}, dropped sends {dropped} (all rounds)");
            if let Some(h) = h {
                println!(
                    "    engine / h2load: CPU/req {:.2}x (goal <= 1.0), rate {:.4}",
                    e.cpu_us / h.cpu_us.max(1e-9),
                    e.rps / h.rps
                );
            }
        }
    }
    if !b.want("wrk") || wrk_rate == 0 {
        return;
    }
    // wrk has no rate setting: a per-request delay of conns/rate holds it near the rate; the
    // engine then runs at the rate wrk achieved, so CPU per request compares at one rate.
    let delay_ms = ((c as f64 * 1000.0 / wrk_rate as f64).round() as u32).max(1);
    let (mut wr, mut er) = (vec![], vec![]);
    for _ in 0..b.rounds {
        if let Some(r) = with_child_cpu(s, || wrk_paced(&b.work, url, c, s, delay_ms)) {
            b.pause();
            if b.want("engine")
                && let Some((row, _)) = runs::open(url, r.rps.round() as u32, c, s)
            {
                er.push(row);
            }
            wr.push(r);
            b.pause();
        }
    }
    let (w, e) = (median(&wr), median(&er));
    println!(
        "  wrk with a {delay_ms} ms delay per request, engine at the rate wrk achieved (load {:.2}):",
        load1()
    );
    show("wrk", w);
    show("engine", e);
    if let (Some(e), Some(w)) = (e, w) {
        println!(
            "    engine / wrk: CPU/req {:.2}x (goal <= 1.2), rate {:.3}",
            e.cpu_us / w.cpu_us.max(1e-9),
            e.rps / w.rps
        );
    }
}

//! `pts demo`: a real load test with no account and no flags. It starts an embedded
//! pts-local (real engine, ephemeral loopback port, its own key in a temporary directory)
//! and a small shop service, creates a two-API scene (checkpoint, exported token), runs it
//! for about 15 s with the live view, stops it, prints the report with a chart, writes the
//! evidence (report.html, report.json, samples.jsonl, the scene) and says what to try next.

mod embedded;
mod scene;

use crate::args::GlobalArgs;
use crate::live_view::LiveView;
use crate::progress::during;
use embedded::{Embedded, TempDir};
use pts_ops::evidence::{Evidence, EvidenceOptions, Target};
use pts_ops::exit::{CliError, CliResult, ExitCode};
use pts_ops::lifecycle::{self, POLL, Until};
use pts_ops::report::{self, ExportFormat};
use pts_ops::watch::{Interrupt, WatchEnd, WatchOptions, watch_pts_with};
use std::sync::atomic::Ordering;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// How long the load runs, in seconds
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u64).range(2..=600))]
    pub seconds: u64,
    /// Virtual users
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(i64).range(1..=50))]
    pub vus: i64,
}

pub fn run(g: &GlobalArgs, args: DemoArgs) -> CliResult<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::new(ExitCode::Network, format!("cannot start the runtime: {e}")))?;
    let data = TempDir::new()?;
    rt.block_on(demo(g, &args, &data))
}

async fn demo(g: &GlobalArgs, args: &DemoArgs, data: &TempDir) -> CliResult<()> {
    let interrupt = Interrupt::listen();
    // One scene minute lasts `seconds` real seconds; the scene is given two minutes, and
    // the demo stops it after the first.
    let time_scale = 60.0 / args.seconds as f64;
    let env = Embedded::start(data.path(), time_scale).await?;
    println!(
        "pts demo: embedded pts-local on {} (time scale {time_scale:.2}), shop target on {}",
        env.server.endpoint(),
        env.target.addr()
    );
    let target = Target { region: "local".into(), endpoint: env.server.endpoint(), profile: None };
    let command: Vec<String> = std::env::args().collect();
    let mut ev = Evidence::begin(
        &EvidenceOptions::from_options(&g.into()),
        "demo",
        "shop",
        target,
        &command,
    )?;
    let result = steps(&env, args, &mut ev, &interrupt).await;
    let served = env.target.counters().total();
    let logins = env.target.counters().login.load(Ordering::Relaxed);
    env.shutdown().await;
    match result {
        Ok(notes) => {
            let mut notes = notes;
            notes.push(format!("the shop target served {served} requests ({logins} logins)"));
            let dir = ev.finish("demo run completed", &notes)?;
            let dir = dir.map(|d| d.display().to_string());
            println!("\nThe shop target served {served} requests ({logins} logins).");
            if let Some(d) = &dir {
                println!("Evidence: {d}");
            }
            println!("\n{}", scene::next_steps(dir.as_deref()));
            Ok(())
        }
        Err(e) => {
            let _ = ev.finish(&format!("failed: {}", e.message), &[]);
            Err(e)
        }
    }
}

async fn steps(
    env: &Embedded,
    args: &DemoArgs,
    ev: &mut Evidence,
    interrupt: &Interrupt,
) -> CliResult<Vec<String>> {
    let client = &env.client;
    let scene = env.target.shop_scene("pts-demo-shop", args.vus, 2);
    ev.write_json("scene.json", &scene)?;
    let applied = lifecycle::apply_pts(client, &scene, lifecycle::Match::IdOrName, ev).await?;
    let scene_id = applied.scene_id;
    println!(
        "created scene {scene_id}: POST /api/login (checkpoint 200, exports token) -> GET /api/items"
    );
    let started = lifecycle::start_pts(client, &scene_id, ev).await?;
    let plan_id = started.plan_id;
    println!("started plan {plan_id} with {} virtual users for {} s\n", args.vus, args.seconds);
    let begun = lifecycle::wait_begun(client, &scene_id, &plan_id, POLL, WAIT);
    during(format!("scene {scene_id}: waiting for the run to start"), begun).await?;
    let opts = WatchOptions {
        interval: Duration::from_secs(1),
        max: Some(Duration::from_secs(args.seconds)),
        stop_scene_on_interrupt: true,
        live: None,
    };
    let mut view = LiveView::text_stdout();
    let watched =
        watch_pts_with(client, &scene_id, &plan_id, &opts, ev, interrupt, &mut |s| view.show(s))
            .await;
    view.finish();
    let watched = watched?;
    if watched.end == WatchEnd::Interrupted {
        return Err(CliError::interrupted());
    }
    if watched.end != WatchEnd::Stopped {
        lifecycle::stop_pts(client, &scene_id, ev).await?;
        println!("\nstopped scene {scene_id}");
    }
    let stopped = lifecycle::wait_pts(client, &scene_id, Until::Stopped, POLL, WAIT);
    let stopped = during(format!("scene {scene_id}: waiting for STOPPED"), stopped).await?;
    if stopped.timed_out {
        return Err(CliError::new(ExitCode::WaitTimeout, "the demo scene did not stop"));
    }
    let cfg = pts_api::WaitConfig::default()
        .timeout(WAIT)
        .poll_interval(POLL)
        .max_interval(Duration::from_secs(1));
    let ready = client.wait_pts_report_ready(&scene_id, &plan_id, &cfg);
    during(format!("plan {plan_id}: waiting for the report"), ready).await.map_err(|e| {
        CliError::new(ExitCode::WaitTimeout, format!("the demo report is not ready: {e}"))
    })?;
    let (summary, raw) = report::fetch_pts(client, &scene_id, &plan_id).await?;
    let samples = &watched.samples;
    ev.write_json("report-raw.json", &raw)?;
    ev.write_text("report.json", &report::render(&summary, samples, ExportFormat::Json))?;
    ev.write_text("report.html", &report::render(&summary, samples, ExportFormat::Html))?;
    println!("\n{}", report::render(&summary, samples, ExportFormat::Md));
    let m = &summary.scene;
    Ok(vec![
        format!(
            "scene {scene_id} plan {plan_id}: {} requests, {:.1} TPS, avg RT {:.1} ms",
            m.total_requests, m.avg_tps, m.avg_rt_ms
        ),
        format!("{} live samples in samples.jsonl; report.html has the charts", samples.len()),
    ])
}

/// The longest wait for the demo scene to start, stop, or have its report.
const WAIT: Duration = Duration::from_secs(30);

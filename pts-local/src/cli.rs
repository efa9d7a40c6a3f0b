//! `serve`, `upload` and `target`, shared by the `pts-local` binary and `pts local ...` in
//! pts-cli.

use crate::{Config, Key, Server};
use clap::Subcommand;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum LocalCommand {
    /// Serve the PTS API (prints the endpoint; stops on Ctrl-C or SIGTERM).
    Serve(ServeArgs),
    /// Add files to the file store that scenes reference by file name.
    Upload {
        #[arg(long, default_value = ".pts-local")]
        data: PathBuf,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Serve the sample shop API on 127.0.0.1 to load-test (POST /api/login,
    /// GET /api/items?token=..., GET /health); stops on Ctrl-C or SIGTERM.
    Target {
        /// Port on 127.0.0.1 (0 = any free port).
        #[arg(long, default_value_t = 8081)]
        port: u16,
        /// Milliseconds every answer waits first (a known latency floor).
        #[arg(long, default_value_t = 20)]
        delay_ms: u64,
    },
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0 = any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Listen address other than 127.0.0.1 (explicit opt-in).
    #[arg(long)]
    pub bind: Option<IpAddr>,
    /// Data directory (database, file store, generated keys).
    #[arg(long, default_value = ".pts-local")]
    pub data: PathBuf,
    #[arg(long, requires = "access_key_secret")]
    pub access_key_id: Option<String>,
    #[arg(long, requires = "access_key_id")]
    pub access_key_secret: Option<String>,
    /// Scene seconds per real second, e.g. `60` or `1m=1s` (one scene minute per second).
    #[arg(long, default_value = "1", value_parser = crate::clock::parse_time_scale)]
    pub time_scale: f64,
    /// Answer service errors with HTTP 200 and `Success: false` in the body.
    #[arg(long)]
    pub errors_in_body: bool,
    /// Do not write the `local` profile into pts's configuration.
    #[arg(long)]
    pub no_profile: bool,
    /// Write the endpoint (`127.0.0.1:PORT`) to this file once listening.
    #[arg(long)]
    pub endpoint_file: Option<PathBuf>,
    /// Hosts a run may target besides loopback.
    #[arg(long = "allow-target")]
    pub allowed_targets: Vec<String>,
    /// PEM file of a certificate authority trusted for `https://` targets besides the
    /// system's roots (repeatable).
    #[arg(long = "ca-file")]
    pub ca_files: Vec<PathBuf>,
    /// Hard cap on remembered signature nonces (memory bound; see the nonce module docs).
    #[arg(long, default_value_t = crate::nonce::DEFAULT_NONCE_CAPACITY)]
    pub nonce_capacity: usize,
    /// Control plane only: runs change state as usual but send no traffic and measure nothing
    /// (measured fields stay absent from responses).
    #[arg(long)]
    pub null_engine: bool,
}

/// Runs one command; returns the process exit code (0, or 1 after printing the error).
pub fn run(command: LocalCommand) -> i32 {
    let result = match command {
        LocalCommand::Upload { data, files } => upload(&data, &files),
        LocalCommand::Serve(args) => serve_blocking(args),
        LocalCommand::Target { port, delay_ms } => target_blocking(port, delay_ms),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("pts-local: {e}");
            1
        }
    }
}

/// Adds files to the file store and lists what was stored.
pub fn upload(data: &std::path::Path, files: &[PathBuf]) -> Result<(), String> {
    let stored = crate::upload(data, files).map_err(|e| format!("upload: {e}"))?;
    for f in stored {
        println!("{}  {} bytes  md5 {}", f.name, f.size, f.md5);
    }
    Ok(())
}

/// Serves the sample target until Ctrl-C or SIGTERM, then prints what it served.
pub fn target_blocking(port: u16, delay_ms: u64) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    rt.block_on(async {
        let delay = std::time::Duration::from_millis(delay_ms);
        let target = crate::sample_target::SampleTarget::start_on(port, delay)
            .await
            .map_err(|e| format!("bind 127.0.0.1:{port}: {e}"))?;
        println!("sample shop API on {} ({delay_ms} ms per answer)", target.url(""));
        wait_for_signal().await;
        println!("served {} requests", target.counters().total());
        Ok(())
    })
}

/// Serves until Ctrl-C or SIGTERM, on a runtime of its own.
pub fn serve_blocking(args: ServeArgs) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    rt.block_on(serve(args))
}

/// The service configuration `serve` runs with.
pub fn config_of(args: &ServeArgs) -> Config {
    let ip = args.bind.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let mut config = Config::new(&args.data)
        .with_bind(SocketAddr::new(ip, args.port))
        .with_time_scale(args.time_scale);
    if let (Some(id), Some(secret)) = (&args.access_key_id, &args.access_key_secret) {
        config = config.with_keys(vec![Key::new(id.clone(), secret.clone())]);
    }
    config.errors_in_body = args.errors_in_body;
    config.allowed_targets = args.allowed_targets.clone();
    config.ca_files = args.ca_files.clone();
    config.nonce_capacity = args.nonce_capacity;
    if args.null_engine {
        config = config.with_null_engine();
    }
    config
}

pub async fn serve(args: ServeArgs) -> Result<(), String> {
    let config = config_of(&args);
    let explicit = args.access_key_id.is_some();
    let server = Server::start(config).await?;
    let endpoint = server.endpoint();
    println!("pts-local listening on {endpoint} (data {})", args.data.display());
    if args.null_engine {
        println!("null engine: runs send no traffic and measure nothing");
    }
    if let Some(path) = &args.endpoint_file {
        std::fs::write(path, &endpoint).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if !explicit {
        let key_file = args.data.join(crate::config::CREDENTIALS_FILE);
        if server.key_created() {
            println!("created an access key pair in {} (mode 0600)", key_file.display());
        }
        println!("AccessKeyId {}; the secret is in {}", server.access_key_id(), key_file.display());
        if !args.no_profile {
            match server.write_profile(None) {
                Ok(p) => println!(
                    "wrote profile `local` to {}; try: pts --profile local call ListPtsScene --PageNumber 1 --PageSize 10",
                    p.display()
                ),
                Err(e) => eprintln!("pts-local: could not write the pts profile: {e}"),
            }
        }
    }
    wait_for_signal().await;
    println!("pts-local: shutting down");
    server.shutdown().await;
    Ok(())
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        command: LocalCommand,
    }

    fn serve_args(extra: &[&str]) -> ServeArgs {
        let argv = ["pts-local", "serve"].iter().chain(extra).copied();
        match Cli::try_parse_from(argv).expect("parses").command {
            LocalCommand::Serve(a) => a,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ca_files_reach_the_config() {
        let args = serve_args(&["--ca-file", "a.pem", "--ca-file", "dir/b.pem"]);
        let want = vec![PathBuf::from("a.pem"), PathBuf::from("dir/b.pem")];
        assert_eq!(config_of(&args).ca_files, want);
        assert!(config_of(&serve_args(&[])).ca_files.is_empty());
    }

    #[test]
    fn null_engine_flag_selects_the_null_engine() {
        let plain = serve_args(&[]);
        assert!(!plain.null_engine);
        assert!(config_of(&plain).engine.is_none(), "default: the load engine");
        let null = serve_args(&["--null-engine", "--time-scale", "60"]);
        assert!(null.null_engine);
        let config = config_of(&null);
        assert_eq!(config.time_scale, 60.0);
        let engine = config.engine.expect("an explicit engine");
        // The null engine accepts any run and measures nothing.
        let run = crate::seam::RunStart {
            run_id: "P1".into(),
            scene_id: "S1".into(),
            kind: crate::seam::RunKind::PtsTest,
            snapshot: serde_json::json!({}),
            real_duration: std::time::Duration::from_secs(1),
            clock: crate::clock::Clock::new(60.0),
            files_dir: PathBuf::from("files"),
            allowed_targets: Vec::new(),
        };
        assert!(engine.start(&run).is_ok());
        assert!(engine.pts_live("P1").is_none() && engine.pts_samples("P1").is_none());
        assert!(Cli::try_parse_from(["pts-local", "serve", "--null-engine=yes"]).is_err());
    }
}

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
    /// Accept this AccessKey id (instead of the data dir's generated pair); its secret comes
    /// from --access-key-secret-stdin, $PTS_LOCAL_ACCESS_KEY_SECRET or --access-key-secret.
    #[arg(long)]
    pub access_key_id: Option<String>,
    /// Read the secret of --access-key-id from the first line of stdin.
    #[arg(long, requires = "access_key_id")]
    pub access_key_secret_stdin: bool,
    /// The secret of --access-key-id as an argument: other users can read it in the process
    /// table (prefer --access-key-secret-stdin or $PTS_LOCAL_ACCESS_KEY_SECRET).
    #[arg(long, requires = "access_key_id", conflicts_with = "access_key_secret_stdin")]
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
    /// Write the endpoint (`127.0.0.1:PORT`) to this file once listening and the `local`
    /// profile is written.
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
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
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
    crate::limits::return_large_allocations();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    rt.block_on(serve(args))
}

/// The environment variable `serve` reads the secret of `--access-key-id` from.
pub const SECRET_ENV: &str = "PTS_LOCAL_ACCESS_KEY_SECRET";

/// Warning printed when the secret came as an argument.
pub const SECRET_ARG_WARNING: &str = "pts-local: warning: --access-key-secret is visible to \
     other users in the process table; use --access-key-secret-stdin or PTS_LOCAL_ACCESS_KEY_SECRET";

/// The key given with `--access-key-id`, its secret from stdin (`--access-key-secret-stdin`),
/// the argument, or `env` (the value of [`SECRET_ENV`]), in that order. `None`: no id, the
/// data dir's generated pair is used.
pub fn explicit_key(
    args: &ServeArgs,
    env: Option<String>,
    stdin: impl std::io::BufRead,
) -> Result<Option<Key>, String> {
    let Some(id) = &args.access_key_id else {
        return Ok(None);
    };
    let secret = if args.access_key_secret_stdin {
        pts_api::credentials::read_secret_line(stdin)
            .map_err(|e| format!("cannot read the secret from stdin: {e}"))?
    } else if let Some(s) = &args.access_key_secret {
        s.clone()
    } else {
        env.ok_or_else(|| {
            format!(
                "--access-key-id needs its secret: pipe it in with --access-key-secret-stdin \
                 or set {SECRET_ENV}"
            )
        })?
    };
    if secret.is_empty() {
        return Err("the secret of --access-key-id is empty".into());
    }
    Ok(Some(Key::new(id.clone(), secret)))
}

/// The service configuration `serve` runs with; `key` from [`explicit_key`].
pub fn config_of(args: &ServeArgs, key: Option<Key>) -> Config {
    let ip = args.bind.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let mut config = Config::new(&args.data)
        .with_bind(SocketAddr::new(ip, args.port))
        .with_time_scale(args.time_scale);
    if let Some(key) = key {
        config = config.with_keys(vec![key]);
    }
    config.errors_in_body = args.errors_in_body;
    config.allowed_targets = args.allowed_targets.clone();
    config.ca_files = args.ca_files.clone();
    config.nonce_capacity = args.nonce_capacity;
    config.limits = args.limits.apply(config.limits);
    if args.null_engine {
        config = config.with_null_engine();
    }
    config
}

pub async fn serve(args: ServeArgs) -> Result<(), String> {
    let key = explicit_key(&args, std::env::var(SECRET_ENV).ok(), std::io::stdin().lock())?;
    if args.access_key_secret.is_some() {
        eprintln!("{SECRET_ARG_WARNING}");
    }
    let explicit = key.is_some();
    let config = config_of(&args, key);
    let server = Server::start(config).await?;
    let endpoint = server.endpoint();
    println!("pts-local listening on {endpoint} (data {})", args.data.display());
    if args.null_engine {
        println!("null engine: runs send no traffic and measure nothing");
    }
    if !explicit {
        let key_file = args.data.join(crate::layout::CREDENTIALS_FILE);
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
    // Last: a script that waits for this file may use the `local` profile at once.
    if let Some(path) = &args.endpoint_file {
        std::fs::write(path, &endpoint).map_err(|e| format!("{}: {e}", path.display()))?;
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
        assert_eq!(config_of(&args, None).ca_files, want);
        assert!(config_of(&serve_args(&[]), None).ca_files.is_empty());
    }

    #[test]
    fn null_engine_flag_selects_the_null_engine() {
        let plain = serve_args(&[]);
        assert!(!plain.null_engine);
        assert!(config_of(&plain, None).engine.is_none(), "default: the load engine");
        let null = serve_args(&["--null-engine", "--time-scale", "60"]);
        assert!(null.null_engine);
        let config = config_of(&null, None);
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

    #[test]
    fn the_secret_comes_from_stdin_the_argument_or_the_environment() {
        let none: &[u8] = b"";
        let secret_of = |argv: &[&str], env: Option<&str>, stdin: &[u8]| {
            explicit_key(&serve_args(argv), env.map(str::to_string), stdin)
                .map(|k| k.map(|k| k.access_key_secret))
        };
        let id = ["--access-key-id", "AK"];
        let stdin = ["--access-key-id", "AK", "--access-key-secret-stdin"];
        assert_eq!(secret_of(&stdin, Some("env"), b"piped\r\nnext"), Ok(Some("piped".into())));
        let arg = ["--access-key-id", "AK", "--access-key-secret", "arg"];
        assert_eq!(secret_of(&arg, Some("env"), none), Ok(Some("arg".into())));
        assert_eq!(secret_of(&id, Some("env"), none), Ok(Some("env".into())));
        assert_eq!(secret_of(&[], Some("env"), none), Ok(None), "no id: the generated pair");
        let missing = secret_of(&id, None, none).unwrap_err();
        assert!(missing.contains("--access-key-secret-stdin") && missing.contains(SECRET_ENV));
        assert!(secret_of(&stdin, None, b"\n").unwrap_err().contains("empty"));
        let both = ["serve", "--access-key-id", "A", "--access-key-secret", "s"];
        let both = both.iter().chain(&["--access-key-secret-stdin"]);
        assert!(Cli::try_parse_from(["pts-local"].iter().chain(both)).is_err());
        assert!(Cli::try_parse_from(["pts-local", "serve", "--access-key-secret-stdin"]).is_err());
    }
}

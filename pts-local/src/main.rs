//! `pts-local serve|upload`: the service as a standalone binary (tests, Python SDK conformance,
//! demos). `pts local serve|upload` in pts-cli runs the same commands ([`pts_local::cli`]).

use clap::Parser;

#[derive(Parser)]
#[command(name = "pts-local", about = "A PTS-compatible service on loopback", version)]
struct Cli {
    #[command(subcommand)]
    command: pts_local::cli::LocalCommand,
}

fn main() {
    std::process::exit(pts_local::cli::run(Cli::parse().command));
}

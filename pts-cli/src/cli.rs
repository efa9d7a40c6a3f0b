//! The top of the command line: the tree clap parses ([`Cli`]) and [`dispatch`] to the
//! command chosen. Each command owns its arguments and its `run`; the options every command
//! accepts are [`crate::args`]. `pts call` takes its operation parameters raw and parses
//! them itself (see [`crate::commands::call_args`]).

use crate::args::GlobalArgs;
use crate::commands::{
    api, baseline, call, completions, configure, demo, doctor, jmeter, meta, report, run, scene,
    whoami,
};
use crate::mcp;
use clap::{Parser, Subcommand};
use pts_ops::exit::{CliError, CliResult, ExitCode};

#[derive(Debug, Parser)]
#[command(
    name = "pts",
    version,
    about = "Alibaba Cloud Performance Testing Service (PTS) OpenAPI 2020-10-20 from the command line",
    after_help = "Exit codes: 0 ok, 1 service error, 2 usage/validation (nothing sent), \
                  3 credentials/authorization, 4 network/timeout, 5 wait timed out, \
                  6 SLA failed, 130 interrupted."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Discover the 44 operations and their parameters
    #[command(subcommand)]
    Api(api::ApiCommand),
    /// Call one operation: pts call OP --Param value ... [--input FILE|-] [--paginate]
    Call(call::CallArgs),
    /// Edit pts's own config file (profiles)
    Configure(configure::ConfigureArgs),
    /// Show which credentials and endpoint would be used, without calling anything
    Whoami,
    /// Compare the live API metadata with the inventory compiled into pts
    #[command(subcommand)]
    Meta(meta::MetaCommand),
    /// PTS scenes: list, get, export, validate, apply, delete, start, stop, debug, adjust, watch
    #[command(subcommand)]
    Scene(scene::SceneCommand),
    /// JMeter scenes (their own id space): list, get, apply, delete, start, stop, debug, ...
    #[command(subcommand)]
    Jmeter(jmeter::JmeterCommand),
    /// Reports: list, show, export (json, csv, md, html with charts), diff
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Scene baselines: set from a report, show
    #[command(subcommand)]
    Baseline(baseline::BaselineCommand),
    /// Apply a scene, run it under an SLA and exit 6 when it fails (a CI gate)
    Run(run::RunArgs),
    /// Check configuration, credentials, endpoint and inventory; writes validate.txt
    Doctor(doctor::DoctorArgs),
    /// Run a real load test offline: embedded pts-local, a local target, live view, report
    Demo(demo::DemoArgs),
    /// Model Context Protocol server for agents
    #[command(subcommand)]
    Mcp(mcp::McpCommand),
    /// Run the PTS-compatible local service (serve) or add files to its store (upload)
    #[command(subcommand)]
    Local(pts_local::cli::LocalCommand),
    /// Print a shell completion script (`source <(pts completions bash)`); it asks pts for
    /// subcommands, options, operation and parameter names at each TAB
    Completions {
        #[arg(value_enum)]
        shell: completions::Shell,
    },
}

pub fn dispatch(cli: Cli) -> CliResult<()> {
    let g = cli.global;
    crate::progress::set_quiet(g.quiet);
    if !matches!(cli.command, Command::Call(_) | Command::Mcp(_)) {
        // `pts call` may get --verbose after its parameters; it initializes logging itself.
        // `pts mcp` keeps the MCP SDK's request dumps out of its logs (see `mcp::run`).
        crate::log_writer::init_logging(g.verbose);
    }
    match cli.command {
        Command::Api(cmd) => api::run(&g, cmd),
        Command::Call(args) => call::run(g, args),
        Command::Configure(args) => configure::run(&g, args),
        Command::Whoami => whoami::run(&g),
        Command::Meta(cmd) => meta::run(&g, cmd),
        Command::Local(cmd) => local(cmd),
        Command::Scene(cmd) => scene::run(&g, cmd),
        Command::Jmeter(cmd) => jmeter::run(&g, cmd),
        Command::Report(cmd) => report::run(&g, cmd),
        Command::Baseline(cmd) => baseline::run(&g, cmd),
        Command::Run(args) => run::run(&g, args),
        Command::Doctor(args) => doctor::run(&g, args),
        Command::Demo(args) => demo::run(&g, args),
        Command::Mcp(cmd) => mcp::run(&g, cmd),
        Command::Completions { shell } => completions::run(shell),
    }
}

/// `pts local serve|upload|target`: pts-local's service and sample target, in this binary.
/// A service or target that cannot start (port taken, data dir unwritable) exits 4; an
/// upload of a missing file exits 2.
fn local(cmd: pts_local::cli::LocalCommand) -> CliResult<()> {
    use pts_local::cli::LocalCommand;
    match cmd {
        LocalCommand::Serve(args) => pts_local::cli::serve_blocking(args)
            .map_err(|e| CliError::new(ExitCode::Network, format!("pts local serve: {e}"))),
        LocalCommand::Upload { data, files } => pts_local::cli::upload(&data, &files)
            .map_err(|e| CliError::usage(format!("pts local upload: {e}"))),
        LocalCommand::Target { port, delay_ms } => pts_local::cli::target_blocking(port, delay_ms)
            .map_err(|e| CliError::new(ExitCode::Network, format!("pts local target: {e}"))),
    }
}

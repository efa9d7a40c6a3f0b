//! One module per command; [`dispatch`] runs the one clap chose.

pub mod api;
pub mod baseline;
pub mod call;
pub mod call_args;
pub mod completions;
pub mod configure;
pub mod demo;
pub mod doctor;
pub mod jmeter;
pub mod meta;
pub mod report;
pub mod run;
pub mod scene;
pub mod watch;
pub mod whoami;

use crate::cli::{Cli, Command};
use crate::exit::{CliError, CliResult};
use pts_api::OPERATIONS;
use pts_api::meta::OperationMeta;

pub fn dispatch(cli: Cli) -> CliResult<()> {
    let g = cli.global;
    crate::progress::set_quiet(g.quiet);
    if !matches!(cli.command, Command::Call(_) | Command::Mcp(_)) {
        // `pts call` may get --verbose after its parameters; it initializes logging itself.
        // `pts mcp` keeps the MCP SDK's request dumps out of its logs (see `mcp::run`).
        crate::init_logging(g.verbose);
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
        Command::Mcp(cmd) => crate::mcp::run(&g, cmd),
        Command::Completions { shell } => completions::run(shell),
    }
}

/// `pts local serve|upload|target`: pts-local's service and sample target, in this binary.
/// A service or target that cannot start (port taken, data dir unwritable) exits 4; an
/// upload of a missing file exits 2.
fn local(cmd: pts_local::cli::LocalCommand) -> CliResult<()> {
    use crate::exit::ExitCode;
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

/// An operation by name: exact, then ignoring case, else a usage error with "did you mean".
pub fn find_operation(name: &str) -> CliResult<&'static OperationMeta> {
    if let Some(m) = pts_api::operation_meta(name) {
        return Ok(m);
    }
    if let Some(m) = OPERATIONS.iter().find(|m| m.name.eq_ignore_ascii_case(name)) {
        return Ok(m);
    }
    let names: Vec<&str> = OPERATIONS.iter().map(|m| m.name).collect();
    let message = match pts_api::__private::validate::suggest(name, &names) {
        Some(s) => format!("unknown operation {name:?} (did you mean {s}?)"),
        None => format!("unknown operation {name:?}"),
    };
    Err(CliError::usage(message).with_hint("`pts api list` lists every operation"))
}

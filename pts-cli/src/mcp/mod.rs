//! `pts mcp serve`: a Model Context Protocol server for agents, on rmcp. It uses the CLI's
//! settings (profiles, credentials, endpoint, region, the `local` profile of pts-local),
//! validates every call with the inventory's rules before sending, is read-only unless
//! started with `--allow-mutations`, plans every mutation and executes it only with the
//! plan's single-use token, and writes the CLI's evidence directories.
//!
//! Modules: [`schema`] (JSON Schema from the metadata), [`describe`] (our one-line
//! descriptions, annotations), [`tools_ops`] (44 operation tools), [`tools_workflow`]
//! with [`wf_reads`], [`wf_runs`] and [`wf_sla`] (workflow tools), [`gate`] (policy and tokens),
//! [`plan`] (plans), [`reply`] (results), [`server`] (the handler).

pub mod context;
pub mod describe;
pub mod gate;
pub mod plan;
pub mod reply;
pub mod schema;
pub mod server;
pub mod tools_ops;
pub mod tools_workflow;
pub mod wf_reads;
pub mod wf_runs;
pub mod wf_sla;

use crate::args::GlobalArgs;
use gate::Mutations;
use pts_ops::exit::{CliError, CliResult, ExitCode};
use pts_ops::session::Session;
use rmcp::ServiceExt;
use std::net::SocketAddr;

#[derive(Debug, clap::Subcommand)]
pub enum McpCommand {
    /// Serve MCP on stdio (default) or streamable HTTP on loopback (--http)
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Streamable HTTP at http://ADDR/mcp instead of stdio; loopback addresses only
    #[arg(long, value_name = "127.0.0.1:PORT")]
    pub http: Option<SocketAddr>,
    /// Allow mutating tools (each still needs its plan's confirmation token); `local`
    /// allows them only when the endpoint is a loopback address (pts-local)
    #[arg(
        long,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "all",
        value_enum,
        value_name = "all|local"
    )]
    pub allow_mutations: Option<Mutations>,
}

pub fn run(g: &GlobalArgs, cmd: McpCommand) -> CliResult<()> {
    let McpCommand::Serve(args) = cmd;
    init_logging(g.verbose);
    if let Some(addr) = args.http
        && !pts_api::__private::net::is_loopback_ip(addr.ip())
    {
        return Err(CliError::usage(format!(
            "--http {addr}: the MCP server listens on loopback only (127.0.0.1 or [::1])"
        )));
    }
    let session = Session::new(g)?;
    let server = server::PtsMcp::new(context::Ctx::new(&session, args.allow_mutations));
    session.block_on_raw(async move {
        match args.http {
            None => serve_stdio(server).await,
            Some(addr) => serve_http(server, addr).await,
        }
    })
}

/// `--verbose`: pts's and pts-api's debug logs on stderr (never secrets). rmcp's own
/// debug logs print whole requests and results, which may hold what an agent sent (a
/// scene's Authorization header), so only its errors are shown.
fn init_logging(verbose: bool) {
    use tracing::Level;
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::prelude::*;
    if !verbose {
        return;
    }
    let filter = Targets::new()
        .with_target("pts_cli", Level::DEBUG)
        .with_target("pts_ops", Level::DEBUG)
        .with_target("pts_api", Level::DEBUG)
        .with_target("rmcp", Level::ERROR)
        .with_default(Level::WARN);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(crate::log_writer::RedactedStderr)
        .with_target(false)
        .without_time();
    let _ = tracing_subscriber::registry().with(layer).with(filter).try_init();
}

fn failed(what: &str, e: impl std::fmt::Display) -> CliError {
    CliError::new(ExitCode::Network, format!("pts mcp serve: {what}: {e}"))
}

/// Until the client closes stdin, or Ctrl-C/SIGTERM.
async fn serve_stdio(server: server::PtsMcp) -> CliResult<()> {
    let running =
        server.serve(rmcp::transport::stdio()).await.map_err(|e| failed("initialize", e))?;
    tokio::select! {
        r = running.waiting() => r.map(|_| ()).map_err(|e| failed("stdio", e)),
        _ = pts_ops::signals::shutdown() => Ok(()),
    }
}

/// Streamable HTTP at `/mcp`, sessions in memory, Host checked against loopback names.
async fn serve_http(server: server::PtsMcp, addr: SocketAddr) -> CliResult<()> {
    use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
    use rmcp::transport::streamable_http_server::{
        StreamableHttpServerConfig, StreamableHttpService,
    };
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| failed("bind", e))?;
    let local = listener.local_addr().map_err(|e| failed("bind", e))?;
    let port = local.port();
    let hosts = [
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ];
    let config = StreamableHttpServerConfig::default().with_allowed_hosts(hosts);
    let service = StreamableHttpService::new(
        move || Ok(server.clone()),
        LocalSessionManager::default().into(),
        config,
    );
    let app = axum::Router::new().nest_service("/mcp", service);
    eprintln!("pts mcp: listening on http://{local}/mcp");
    axum::serve(listener, app)
        .with_graceful_shutdown(pts_ops::signals::shutdown())
        .await
        .map_err(|e| failed("http", e))
}

//! The command line, as clap sees it. `pts call` takes its operation parameters raw and
//! parses them itself (see [`crate::commands::call_args`]).

use clap::builder::TypedValueParser as _;
use clap::{Args, Parser, Subcommand, ValueEnum};
use pts_api::__private::wire::SignatureVersion;
use pts_api::client::Protocol;
use pts_ops::report::ExportFormat;
use std::path::PathBuf;
use std::sync::Arc;

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

/// Options every command accepts, before or after the command name. Their own heading in
/// `--help` keeps each command's options first.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Profile of pts's config file, else of the aliyun CLI's ~/.aliyun/config.json [env: PTS_PROFILE]
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Region id (PTS has one central endpoint; the region fills RegionId parameters)
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// Endpoint host[:port] [env: PTS_ENDPOINT; default: pts.aliyuncs.com]
    // The doc comment is the help text; `[:port]` is not a doc link.
    #[allow(rustdoc::broken_intra_doc_links)]
    #[arg(long, global = true, value_name = "HOST[:PORT]")]
    pub endpoint: Option<String>,
    /// http or https [env: PTS_PROTOCOL; default: https]
    #[arg(long, global = true, value_enum)]
    pub protocol: Option<ProtocolArg>,
    /// Signature: v3 (ACS3-HMAC-SHA256) or v1 (RPC HMAC-SHA1) [env: PTS_SIGNATURE; default: v3]
    #[arg(long, global = true, value_enum)]
    pub signature: Option<SignatureArg>,
    /// Refuse every mutating operation (`--read-only=false` overrides a profile) [env: PTS_READ_ONLY]
    #[arg(
        long,
        global = true,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        value_name = "BOOL"
    )]
    pub read_only: Option<bool>,
    /// Output format [default: json, pretty on a terminal; list commands: a table on a terminal]
    #[arg(long, short = 'o', global = true, value_enum)]
    pub output: Option<OutputFormat>,
    /// JMESPath expression applied to the result before formatting
    #[arg(long, global = true, value_name = "JMESPATH")]
    pub query: Option<String>,
    /// Write the result to this file (parent directories are created)
    #[arg(long, global = true, value_name = "PATH")]
    pub output_file: Option<PathBuf>,
    /// Debug logs on stderr (never secrets)
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
    /// Do not ask before mutating operations
    #[arg(long, short = 'y', global = true)]
    pub yes: bool,
    /// Print the signed request (credentials redacted) and send nothing
    #[arg(long, global = true)]
    pub dry_run: bool,
    /// Root of the evidence directories mutating commands and runs write
    /// [default: output/aliyun-pts-manage]
    #[arg(long, global = true, value_name = "DIR")]
    pub evidence_dir: Option<PathBuf>,
    /// Write no evidence directory
    #[arg(long, global = true)]
    pub no_evidence: bool,
    /// Show times in UTC instead of the local zone (tables, JSON, YAML, reports, evidence)
    #[arg(long, global = true)]
    pub utc: bool,
    /// No progress indicators on stderr (they only ever show on a terminal)
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProtocolArg {
    Http,
    Https,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignatureArg {
    V3,
    V1,
}

/// The session the workflows run with: the global flags, and the terminal prompt to
/// confirm mutations.
impl From<&GlobalArgs> for pts_ops::SessionOptions {
    fn from(g: &GlobalArgs) -> Self {
        pts_ops::SessionOptions {
            profile: g.profile.clone(),
            region: g.region.clone(),
            endpoint: g.endpoint.clone(),
            protocol: g.protocol.map(|p| match p {
                ProtocolArg::Http => Protocol::Http,
                ProtocolArg::Https => Protocol::Https,
            }),
            signature: g.signature.map(|s| match s {
                SignatureArg::V3 => SignatureVersion::V3,
                SignatureArg::V1 => SignatureVersion::V1,
            }),
            read_only: g.read_only,
            yes: g.yes,
            dry_run: g.dry_run,
            evidence_dir: g.evidence_dir.clone(),
            no_evidence: g.no_evidence,
            ask: Some(Arc::new(crate::terminal::Prompt)),
        }
    }
}

/// `--format` of report exports: the names pts-ops gives its formats.
pub fn export_format() -> impl clap::builder::TypedValueParser<Value = ExportFormat> {
    clap::builder::PossibleValuesParser::new(ExportFormat::ALL.map(ExportFormat::extension))
        .map(|name| ExportFormat::from_extension(&name).expect("a possible value"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Json,
    Table,
    Yaml,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Discover the 44 operations and their parameters
    #[command(subcommand)]
    Api(ApiCommand),
    /// Call one operation: pts call OP --Param value ... [--input FILE|-] [--paginate]
    Call(CallArgs),
    /// Edit pts's own config file (profiles)
    Configure(ConfigureArgs),
    /// Show which credentials and endpoint would be used, without calling anything
    Whoami,
    /// Compare the live API metadata with the inventory compiled into pts
    #[command(subcommand)]
    Meta(MetaCommand),
    /// PTS scenes: list, get, export, validate, apply, delete, start, stop, debug, adjust, watch
    #[command(subcommand)]
    Scene(crate::commands::scene::SceneCommand),
    /// JMeter scenes (their own id space): list, get, apply, delete, start, stop, debug, ...
    #[command(subcommand)]
    Jmeter(crate::commands::jmeter::JmeterCommand),
    /// Reports: list, show, export (json, csv, md, html with charts), diff
    #[command(subcommand)]
    Report(crate::commands::report::ReportCommand),
    /// Scene baselines: set from a report, show
    #[command(subcommand)]
    Baseline(crate::commands::baseline::BaselineCommand),
    /// Apply a scene, run it under an SLA and exit 6 when it fails (a CI gate)
    Run(crate::commands::run::RunArgs),
    /// Check configuration, credentials, endpoint and inventory; writes validate.txt
    Doctor(crate::commands::doctor::DoctorArgs),
    /// Run a real load test offline: embedded pts-local, a local target, live view, report
    Demo(crate::commands::demo::DemoArgs),
    /// Model Context Protocol server for agents
    #[command(subcommand)]
    Mcp(crate::mcp::McpCommand),
    /// Run the PTS-compatible local service (serve) or add files to its store (upload)
    #[command(subcommand)]
    Local(pts_local::cli::LocalCommand),
    /// Print a shell completion script (`source <(pts completions bash)`); it asks pts for
    /// subcommands, options, operation and parameter names at each TAB
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum ApiCommand {
    /// Every operation with its access level and paging
    List {
        /// Only read-only or only mutating (write, readAndWrite) operations
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// Also write PTS_2020-10-20_api_list.md (and, with --live, the raw
        /// PTS_2020-10-20_api_docs.json) into this directory
        #[arg(long, value_name = "DIR")]
        output_dir: Option<PathBuf>,
        /// Fetch the live metadata for those files (bounded timeouts) instead of using the
        /// inventory compiled into pts (the default; needs no network)
        #[arg(long, requires = "output_dir")]
        live: bool,
    },
    /// Parameters (type, location, required, constraints), response shape and an example
    Describe {
        /// Operation name (case-insensitive)
        operation: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    Read,
    Mutating,
}

#[derive(Debug, Args)]
#[command(after_help = "Operation parameters: --Name value or --Name=value, names matched \
                        case-insensitively; JSON-style parameters take JSON text or @file. \
                        `pts api describe OP` lists them.")]
pub struct CallArgs {
    /// Operation name (case-insensitive), e.g. ListPtsScene
    pub operation: String,
    /// Parameters and options: --PageNumber 1 --PageSize 10 --input FILE|- --paginate
    /// --max-items N (and any global option)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, value_name = "ARGS")]
    pub args: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum MetaCommand {
    /// Diff the live metadata (or --from FILE) against the compiled-in inventory; exit 1 on drift
    Check {
        /// Read a saved api-docs.json instead of fetching it
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ConfigureArgs {
    #[command(subcommand)]
    pub action: Option<ConfigureAction>,
    /// AccessKey id of the profile (--profile NAME, default `default`)
    #[arg(long, value_name = "ID")]
    pub access_key_id: Option<String>,
    /// Read the AccessKey secret from the first line of stdin
    #[arg(long)]
    pub access_key_secret_stdin: bool,
    /// Make this profile the current one
    #[arg(long)]
    pub set_current: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConfigureAction {
    /// List profiles (pts's and the aliyun CLI's), secrets masked
    List,
    /// Delete a profile from pts's config file
    Delete { name: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

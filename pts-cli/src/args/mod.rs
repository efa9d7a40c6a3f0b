//! Options every command accepts ([`GlobalArgs`]) and their value types. Argument groups
//! several commands flatten are in [`groups`], the scene file arguments in [`scene_file`];
//! none of these imports a command.

pub mod groups;
pub mod scene_file;

use clap::builder::TypedValueParser as _;
use clap::{Args, ValueEnum};
use pts_api::__private::wire::SignatureVersion;
use pts_api::client::Protocol;
use pts_ops::report::ExportFormat;
use std::path::PathBuf;
use std::sync::Arc;

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

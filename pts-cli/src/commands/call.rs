//! `pts call OP --Param value ... [--input FILE|-] [--paginate [--max-items N]]`.
//!
//! Order, so that nothing is sent unless everything checks out: operation name ->
//! arguments -> `--query` -> settings -> parameters decoded and validated -> read-only and
//! confirmation rules -> credentials and the call (or `--dry-run`), raced against Ctrl-C.

use super::call_args;
use crate::args::{GlobalArgs, OutputFormat};
use crate::call_evidence::begin_call_evidence;
use crate::lookup::find_operation;
use crate::ordered::{Node, Pairs};
use crate::output::Output;
use pts_api::__private::params::{NameMatch, decode, scalar_from_text};
use pts_api::__private::validate::{Rule, ValidationError, suggest, validate_params};
use pts_api::meta::{Constraint, Num, OperationMeta, ValueType};
use pts_ops::errors;
use pts_ops::evidence::{Evidence, EvidenceOptions, Target};
use pts_ops::exit::{CliError, CliResult, ExitCode};
use pts_ops::settings::Settings;
use pts_ops::{describe, paginate};
use serde::Serialize;
use serde_json::{Map, Value};
use std::io::Read;

#[derive(Debug, clap::Args)]
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

/// Page size used with `--paginate` when none is given (clamped to the operation's range).
const DEFAULT_PAGE_SIZE: i64 = 50;

pub fn run(g: GlobalArgs, raw: CallArgs) -> CliResult<()> {
    let op = find_operation(&raw.operation)?;
    let args = call_args::parse(op, &raw.args, g)?;
    crate::log_writer::init_logging(args.global.verbose);
    crate::progress::set_quiet(args.global.quiet);
    if args.help {
        let node = to_node(&describe::operation(op))?;
        let text = crate::output::render(&node, OutputFormat::Yaml, true)?;
        print!("{text}");
        return Ok(());
    }
    let out = Output::new(&args.global)?;
    let settings = Settings::load(&(&args.global).into())?;
    let paginate = args.paginate || args.max_items.is_some();
    if paginate && op.paging.is_none() {
        return Err(CliError::usage(format!(
            "{} is not a paged operation: drop --paginate",
            op.name
        )));
    }
    let params = build_params(op, &args, &settings, paginate)?;
    validate_params(op, &params).map_err(|e| errors::validation(&e))?;
    check_safety(op, &settings, &args.global)?;
    let client = settings.client()?;
    // Mutating calls keep evidence (command line, target, parameters, response).
    let mut evidence = match op.is_mutating() && !args.global.dry_run {
        true => Some(start_evidence(op, &params, &settings, &args.global)?),
        false => None,
    };

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::new(ExitCode::Network, format!("cannot start the runtime: {e}")))?;
    let dry_run = args.global.dry_run;
    let max_items = args.max_items;
    let evidence_ref = &mut evidence;
    let work = async move {
        if dry_run {
            let prepared =
                client.prepare_json(op, &params).await.map_err(|e| errors::from_api(&e))?;
            // pts-api does not re-export its `RedactedRequest`, so the fields come one by one.
            let r = prepared.redacted();
            to_node(&DryRun {
                dry_run: true,
                method: &r.method,
                url: &r.url,
                headers: Pairs(&r.headers),
                body: &r.body,
            })
        } else if paginate {
            let spinner = crate::terminal::Spinner::new(op.name);
            to_node(&paginate::run(&client, op, params, max_items, &spinner).await?)
        } else {
            let sent = client.send_json(op, params.clone()).await.map_err(|e| errors::from_api(&e));
            if let Some(ev) = evidence_ref.as_mut() {
                ev.call(op.name, &params, sent.as_ref().map(|o| &o.body))?;
            }
            let output = sent?;
            tracing::debug!(request_id = ?output.request_id, attempts = output.attempts, "response");
            to_node(&output.body)
        }
    };
    let value = rt.block_on(async {
        tokio::select! {
            r = work => r,
            _ = pts_ops::signals::shutdown() => Err(CliError::interrupted()),
        }
    });
    if let Some(ev) = evidence.take() {
        let outcome = if value.is_ok() { "sent" } else { "failed" };
        if let Some(dir) = ev.finish(outcome, &[])? {
            eprintln!("evidence: {}", dir.display());
        }
    }
    out.emit_verbatim(&value?)
}

/// `--input` first, then the command-line parameters over it; `RegionId` from the settings
/// when the operation takes one; page defaults for `--paginate`.
fn build_params(
    op: &'static OperationMeta,
    args: &call_args::CallArgs,
    settings: &Settings,
    paginate: bool,
) -> CliResult<Value> {
    let mut obj = match &args.input {
        Some(src) => read_input(op, src)?,
        None => Map::new(),
    };
    let pairs = args.params.iter().map(|(n, v)| (*n, v.as_str()));
    let given = decode(op, pairs, NameMatch::IgnoreCase).map_err(|e| errors::validation(&e))?;
    if let Value::Object(m) = given {
        obj.extend(m);
    }
    if op.param("RegionId").is_some() && !obj.contains_key("RegionId") {
        obj.insert("RegionId".into(), Value::String(settings.region.value.clone()));
    }
    if paginate && let Some(paging) = &op.paging {
        obj.entry(paging.page_number.to_string()).or_insert(Value::from(1));
        if !obj.contains_key(paging.page_size)
            && let Some(p) = op.param(paging.page_size)
        {
            obj.insert(paging.page_size.into(), Value::from(page_size_for(p.shape.constraints)));
        }
    }
    Ok(Value::Object(obj))
}

fn page_size_for(constraints: &[Constraint]) -> i64 {
    let mut size = DEFAULT_PAGE_SIZE;
    for c in constraints {
        match c {
            Constraint::Maximum(Num::Int(m)) => size = size.min(*m),
            Constraint::Minimum(Num::Int(m)) => size = size.max(*m),
            _ => {}
        }
    }
    size
}

/// A JSON object of parameters from a file or stdin. Keys are matched ignoring case; text
/// given for a number, boolean or JSON-style parameter is converted as on the command line.
fn read_input(op: &'static OperationMeta, src: &str) -> CliResult<Map<String, Value>> {
    let text = if src == "-" {
        let mut t = String::new();
        std::io::stdin()
            .read_to_string(&mut t)
            .map_err(|e| CliError::usage(format!("cannot read --input from stdin: {e}")))?;
        t
    } else {
        let path = std::path::Path::new(src);
        std::fs::read_to_string(path).map_err(|e| CliError::io("read", path, &e))?
    };
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| CliError::usage(format!("--input {src} is not valid JSON: {e}")))?;
    let Value::Object(map) = value else {
        return Err(CliError::usage(format!(
            "--input {src} must hold a JSON object of parameters"
        )));
    };
    let mut out = Map::new();
    for (key, v) in map {
        let Some(p) = op.param_ignore_case(&key) else {
            let names: Vec<&str> = op.params.iter().map(|p| p.name).collect();
            let e = ValidationError {
                operation: op.name,
                field: key.clone(),
                rule: Rule::Unknown { suggestion: suggest(&key, &names) },
                value: None,
            };
            return Err(errors::validation(&e));
        };
        let v = match v {
            Value::String(text) if p.shape.ty != ValueType::String => {
                let converted = if call_args::is_json_style(p) {
                    decode(op, [(p.name, text.as_str())], NameMatch::Exact)
                        .map(|mut o| o[p.name].take())
                } else {
                    scalar_from_text(op.name, p.name, p.shape, &text)
                };
                converted.map_err(|e| errors::validation(&e))?
            }
            other => other,
        };
        out.insert(p.name.to_string(), v);
    }
    Ok(out)
}

/// The evidence directory of one mutating call, named after the operation and the scene,
/// plan or report id it acts on.
fn start_evidence(
    op: &OperationMeta,
    params: &Value,
    settings: &Settings,
    g: &GlobalArgs,
) -> CliResult<Evidence> {
    let command: Vec<String> = std::env::args().collect();
    begin_call_evidence(
        op,
        params,
        &EvidenceOptions::from_options(&g.into()),
        Target::of(settings),
        &command,
    )
}

/// Mutating operations pass the shared confirmation gate; reads need nothing.
fn check_safety(op: &OperationMeta, settings: &Settings, g: &GlobalArgs) -> CliResult<()> {
    if !op.is_mutating() {
        return Ok(());
    }
    let action = format!("{} ({})", op.name, op.access.as_str());
    pts_ops::confirm::gate(settings, &g.into(), &action, "")
}

/// The redacted request as printed by `--dry-run`, headers in the order they are sent.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DryRun<'a> {
    dry_run: bool,
    method: &'a str,
    url: &'a str,
    headers: Pairs<'a>,
    body: &'a str,
}

fn to_node<T: Serialize + ?Sized>(v: &T) -> CliResult<Node> {
    Node::from_serialize(v).map_err(|e| CliError::usage(format!("cannot format the result: {e}")))
}

//! The raw arguments of `pts call OP ...`: `--Name value` / `--Name=value` operation
//! parameters (names matched case-insensitively against the metadata), `@file` for
//! JSON-style parameters, and the CLI's own lowercase options, which may come after the
//! parameters (`--output`, `--query`, `--dry-run`, `--yes`, `--paginate`, `--max-items`,
//! `--input`, `--profile`, ...).

use crate::args::{GlobalArgs, OutputFormat, ProtocolArg, SignatureArg};
use clap::ValueEnum;
use pts_api::__private::validate::{Rule, ValidationError, suggest};
use pts_api::meta::{OperationMeta, ParamMeta, Style, ValueType};
use pts_ops::errors;
use pts_ops::exit::{CliError, CliResult};
use std::io::Read;
use std::path::PathBuf;

/// What `pts call` was asked to do.
#[derive(Debug, Default)]
pub struct CallArgs {
    pub global: GlobalArgs,
    /// (wire name, text value), in the order given.
    pub params: Vec<(&'static str, String)>,
    /// `--input FILE` or `-` (stdin): a JSON object of parameters.
    pub input: Option<String>,
    pub paginate: bool,
    pub max_items: Option<u64>,
    pub help: bool,
}

/// Options that take a value.
const VALUE_OPTIONS: &[&str] = &[
    "output",
    "query",
    "output-file",
    "profile",
    "region",
    "endpoint",
    "protocol",
    "signature",
    "input",
    "max-items",
    "evidence-dir",
];
/// Options without a value (`read-only` takes an optional `=BOOL`).
const FLAGS: &[&str] =
    &["dry-run", "yes", "verbose", "paginate", "help", "read-only", "no-evidence", "quiet"];

/// Whether `name` (without dashes) is one of the CLI's own options.
pub fn is_cli_option(name: &str) -> bool {
    VALUE_OPTIONS.contains(&name) || FLAGS.contains(&name)
}

pub fn parse(
    op: &'static OperationMeta,
    args: &[String],
    global: GlobalArgs,
) -> CliResult<CallArgs> {
    let mut out = CallArgs { global, ..CallArgs::default() };
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        i += 1;
        let (name, inline) = match arg {
            "-o" => ("output", None),
            "-y" => ("yes", None),
            "-v" => ("verbose", None),
            "-q" => ("quiet", None),
            "-h" => ("help", None),
            _ => match arg.strip_prefix("--") {
                Some(rest) if !rest.is_empty() => match rest.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (rest, None),
                },
                _ => {
                    return Err(CliError::usage(format!(
                        "unexpected argument {arg:?}: parameters are written --Name value"
                    ))
                    .with_hint(format!("`pts api describe {}` lists the parameters", op.name)));
                }
            },
        };
        if FLAGS.contains(&name) {
            out.set_flag(name, inline)?;
            continue;
        }
        // Operation parameters first: no PTS parameter shares a name with a CLI option
        // (a unit test checks), and `--regionid` must not be taken for `--region`.
        let param = op.param_ignore_case(name);
        if param.is_none() && !VALUE_OPTIONS.contains(&name) {
            let names: Vec<&str> = op.params.iter().map(|p| p.name).collect();
            let e = ValidationError {
                operation: op.name,
                field: name.to_string(),
                rule: Rule::Unknown { suggestion: suggest(name, &names) },
                value: None,
            };
            return Err(errors::validation(&e));
        }
        let value = match inline {
            Some(v) => v,
            None => {
                let next = args.get(i).filter(|n| !looks_like_option(op, n));
                let v = next.ok_or_else(|| {
                    CliError::usage(format!("--{name} needs a value"))
                        .with_hint(format!("write --{name}=VALUE for a value that starts with --"))
                })?;
                i += 1;
                v.clone()
            }
        };
        match param {
            Some(p) => {
                if out.params.iter().any(|(n, _)| *n == p.name) {
                    return Err(CliError::usage(format!("parameter {} is given twice", p.name)));
                }
                let value = if is_json_style(p) { read_at_file(p, value)? } else { value };
                out.params.push((p.name, value));
            }
            None => out.set_value(name, value)?,
        }
    }
    Ok(out)
}

/// `--X` where X names a parameter of the operation or a CLI option.
fn looks_like_option(op: &OperationMeta, text: &str) -> bool {
    let Some(rest) = text.strip_prefix("--") else {
        return matches!(text, "-o" | "-y" | "-v" | "-h");
    };
    let name = rest.split_once('=').map_or(rest, |(n, _)| n);
    is_cli_option(name) || op.param_ignore_case(name).is_some()
}

/// Parameters whose value is JSON (style json, a string carrying JSON, or a structured type).
pub fn is_json_style(p: &ParamMeta) -> bool {
    p.style != Style::Plain
        || matches!(p.shape.ty, ValueType::Object | ValueType::Array | ValueType::Map)
}

/// `@path` reads the file (`@-` reads stdin); other values are JSON text as given.
fn read_at_file(p: &ParamMeta, value: String) -> CliResult<String> {
    let Some(path) = value.strip_prefix('@') else {
        return Ok(value);
    };
    if path == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::usage(format!("cannot read {} from stdin: {e}", p.name)))?;
        return Ok(text);
    }
    let path = PathBuf::from(path);
    std::fs::read_to_string(&path).map_err(|e| CliError::io("read", &path, &e))
}

fn bad_value(name: &str, value: &str, expected: &str) -> CliError {
    CliError::usage(format!("invalid value {value:?} for --{name}: expected {expected}"))
}

impl CallArgs {
    fn set_flag(&mut self, name: &str, inline: Option<String>) -> CliResult<()> {
        if name == "read-only" {
            let v = match inline.as_deref().map(str::to_ascii_lowercase).as_deref() {
                None | Some("true") => true,
                Some("false") => false,
                Some(other) => return Err(bad_value(name, other, "true or false")),
            };
            self.global.read_only = Some(v);
            return Ok(());
        }
        if inline.is_some() {
            return Err(CliError::usage(format!("--{name} takes no value")));
        }
        match name {
            "dry-run" => self.global.dry_run = true,
            "yes" => self.global.yes = true,
            "verbose" => self.global.verbose = true,
            "paginate" => self.paginate = true,
            "no-evidence" => self.global.no_evidence = true,
            "quiet" => self.global.quiet = true,
            _ => self.help = true,
        }
        Ok(())
    }

    fn set_value(&mut self, name: &str, value: String) -> CliResult<()> {
        let g = &mut self.global;
        match name {
            "output" => {
                g.output = Some(
                    OutputFormat::from_str(&value, true)
                        .map_err(|_| bad_value(name, &value, "json, table or yaml"))?,
                )
            }
            "protocol" => {
                g.protocol = Some(
                    ProtocolArg::from_str(&value, true)
                        .map_err(|_| bad_value(name, &value, "http or https"))?,
                )
            }
            "signature" => {
                g.signature = Some(
                    SignatureArg::from_str(&value, true)
                        .map_err(|_| bad_value(name, &value, "v3 or v1"))?,
                )
            }
            "max-items" => {
                self.max_items =
                    Some(value.parse().map_err(|_| bad_value(name, &value, "a whole number"))?)
            }
            "query" => g.query = Some(value),
            "output-file" => g.output_file = Some(PathBuf::from(value)),
            "profile" => g.profile = Some(value),
            "region" => g.region = Some(value),
            "endpoint" => g.endpoint = Some(value),
            "evidence-dir" => g.evidence_dir = Some(PathBuf::from(value)),
            _ => self.input = Some(value),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn no_parameter_is_named_like_a_cli_option() {
        for op in pts_api::OPERATIONS {
            for p in op.params {
                let lower = p.name.to_ascii_lowercase();
                assert!(!is_cli_option(&lower), "{}.{}", op.name, p.name);
            }
        }
    }

    #[test]
    fn params_and_options_mix() {
        let op = pts_api::operation_meta("ListPtsScene").unwrap();
        let a = parse(
            op,
            &args(&["--pagenumber", "1", "--PageSize=10", "-o", "table", "--dry-run", "--yes"]),
            GlobalArgs::default(),
        )
        .unwrap();
        assert_eq!(a.params, vec![("PageNumber", "1".into()), ("PageSize", "10".into())]);
        assert_eq!(a.global.output, Some(OutputFormat::Table));
        assert!(a.global.dry_run && a.global.yes);
    }

    #[test]
    fn unknown_parameter_suggests() {
        let op = pts_api::operation_meta("ListPtsScene").unwrap();
        let e = parse(op, &args(&["--PageNumbr", "1"]), GlobalArgs::default()).unwrap_err();
        assert!(e.message.contains("did you mean PageNumber"), "{}", e.message);
    }

    #[test]
    fn missing_value() {
        let op = pts_api::operation_meta("ListPtsScene").unwrap();
        let e = parse(op, &args(&["--PageNumber", "--PageSize", "10"]), GlobalArgs::default());
        assert!(e.unwrap_err().message.contains("--PageNumber needs a value"));
        let ok = parse(op, &args(&["--KeyWord=--x"]), GlobalArgs::default()).unwrap();
        assert_eq!(ok.params, vec![("KeyWord", "--x".into())]);
    }
}

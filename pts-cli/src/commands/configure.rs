//! `pts configure [--profile NAME] [--access-key-id ID --access-key-secret-stdin]
//! [--region R] [--endpoint H] [--protocol P] [--signature S] [--read-only=BOOL]
//! [--set-current]`, `pts configure list`, `pts configure delete NAME`.
//!
//! The secret is read from stdin (`--access-key-secret-stdin`) or, on a terminal, prompted
//! for without echo; it is never taken from an argument (arguments show up in `ps`).

use crate::args::{GlobalArgs, ProtocolArg, SignatureArg};
use crate::output::Output;
use pts_api::config::{Config, Profile, config_path};
use pts_api::credentials::{ProcessEnv, list_cli_profiles, mask_access_key_id};
use pts_ops::exit::{CliError, CliResult};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::Path;

#[derive(Debug, clap::Args)]
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

#[derive(Debug, clap::Subcommand)]
pub enum ConfigureAction {
    /// List profiles (pts's and the aliyun CLI's), secrets masked
    List,
    /// Delete a profile from pts's config file
    Delete { name: String },
}

pub fn run(g: &GlobalArgs, args: ConfigureArgs) -> CliResult<()> {
    let path = config_path().ok_or_else(|| {
        CliError::usage("no place for the config file: set PTS_CONFIG, XDG_CONFIG_HOME or HOME")
    })?;
    match args.action {
        Some(ConfigureAction::List) => list(g, &path),
        Some(ConfigureAction::Delete { name }) => delete(&path, &name),
        None => set(g, &args, &path),
    }
}

fn load(path: &Path) -> CliResult<Config> {
    Config::load(path).map_err(|e| CliError::usage(e.to_string()))
}

fn save(config: &Config, path: &Path) -> CliResult<()> {
    config.save(path).map_err(|e| CliError::usage(e.to_string()))
}

fn set(g: &GlobalArgs, args: &ConfigureArgs, path: &Path) -> CliResult<()> {
    let name = g.profile.clone().unwrap_or_else(|| "default".to_string());
    let mut config = load(path)?;
    let mut p = config.profiles.get(&name).cloned().unwrap_or_default();
    let interactive = std::io::stdin().is_terminal();

    let mut secret = if args.access_key_secret_stdin { Some(read_stdin_line()?) } else { None };
    let mut id = args.access_key_id.clone();
    if id.is_none() && secret.is_none() && !p.has_credentials() && interactive {
        let typed = prompt("AccessKey id (empty: none): ")?;
        id = Some(typed).filter(|t| !t.is_empty());
    }
    if let Some(new_id) = id {
        let same = new_id == p.access_key_id && !p.access_key_secret.is_empty();
        if secret.is_none() && !same {
            if !interactive {
                return Err(CliError::usage("--access-key-id needs the secret")
                    .with_hint("pipe it in with --access-key-secret-stdin"));
            }
            secret = Some(
                rpassword::prompt_password("AccessKey secret: ")
                    .map_err(|e| CliError::usage(format!("cannot read the secret: {e}")))?,
            );
        }
        if new_id != p.access_key_id {
            p.security_token = None;
        }
        p.access_key_id = new_id;
    }
    if let Some(s) = secret {
        let s = s.trim().to_string();
        if s.is_empty() {
            return Err(CliError::usage("the AccessKey secret is empty"));
        }
        if p.access_key_id.is_empty() {
            return Err(CliError::usage("a secret without --access-key-id"));
        }
        p.access_key_secret = s;
    }
    if let Some(r) = &g.region {
        p.region = Some(r.clone());
    }
    if let Some(e) = &g.endpoint {
        p.endpoint = Some(e.clone());
    }
    if let Some(pr) = g.protocol {
        p.protocol = Some(if pr == ProtocolArg::Http { "http" } else { "https" }.into());
    }
    if let Some(s) = g.signature {
        p.signature = Some(if s == SignatureArg::V1 { "v1" } else { "v3" }.into());
    }
    if let Some(r) = g.read_only {
        p.read_only = Some(r);
    }
    config.profiles.insert(name.clone(), p);
    if args.set_current || config.current.is_none() {
        config.current = Some(name.clone());
    }
    save(&config, path)?;
    eprintln!("profile {name} saved in {}", path.display());
    Ok(())
}

fn read_stdin_line() -> CliResult<String> {
    pts_api::credentials::read_secret_line(std::io::stdin().lock())
        .map_err(|e| CliError::usage(format!("cannot read the secret from stdin: {e}")))
}

fn prompt(text: &str) -> CliResult<String> {
    eprint!("{text}");
    let _ = std::io::stderr().flush();
    read_stdin_line().map(|s| s.trim().to_string())
}

/// One line of `pts configure list`: the key id masked, secrets only as `****`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Row {
    name: String,
    source: &'static str,
    current: bool,
    mode: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<&'static str>,
    security_token: Option<&'static str>,
    region: Option<String>,
    endpoint: Option<String>,
    protocol: Option<String>,
    signature: Option<String>,
    read_only: Option<bool>,
}

fn stars(present: bool) -> Option<&'static str> {
    present.then_some("****")
}

fn row(name: &str, current: bool, p: &Profile) -> Row {
    Row {
        name: name.to_string(),
        source: "pts",
        current,
        mode: None,
        access_key_id: (!p.access_key_id.is_empty()).then(|| mask_access_key_id(&p.access_key_id)),
        access_key_secret: stars(!p.access_key_secret.is_empty()),
        security_token: stars(p.security_token.as_deref().is_some_and(|t| !t.is_empty())),
        region: p.region.clone(),
        endpoint: p.endpoint.clone(),
        protocol: p.protocol.clone(),
        signature: p.signature.clone(),
        read_only: p.read_only,
    }
}

fn list(g: &GlobalArgs, path: &Path) -> CliResult<()> {
    let out = Output::listing(g)?;
    let config = load(path)?;
    let mut rows: Vec<Row> = config
        .profiles
        .iter()
        .map(|(n, p)| row(n, config.current.as_deref() == Some(n), p))
        .collect();
    // The aliyun CLI's profiles work as they are; list their names and modes (never keys).
    if let Ok((_, profiles)) = list_cli_profiles(&ProcessEnv) {
        for c in profiles {
            let mut r = row(&c.name, c.selected, &Profile::default());
            r.source = "aliyun-cli";
            r.region = c.region_id;
            r.mode = Some(c.mode);
            rows.push(r);
        }
    }
    out.emit(&rows)
}

fn delete(path: &Path, name: &str) -> CliResult<()> {
    let mut config = load(path)?;
    if config.profiles.remove(name).is_none() {
        return Err(CliError::usage(format!("no profile {name:?} in {}", path.display())));
    }
    if config.current.as_deref() == Some(name) {
        config.current = None;
    }
    save(&config, path)?;
    eprintln!("profile {name} deleted from {}", path.display());
    Ok(())
}

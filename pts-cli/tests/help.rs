//! `--help` of every command: its own options first, the global options after them under
//! their own heading, never mixed.

use clap::CommandFactory;
use pts_cli::cli::Cli;

/// Every command of the tree, with its path (`pts scene start`).
fn all(cmd: &clap::Command, path: String, out: &mut Vec<(String, clap::Command)>) {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let p = format!("{path} {}", sub.get_name());
        all(sub, p.clone(), out);
        out.push((p, sub.clone()));
    }
}

/// Whether a help text has an option line for `--name` (`  -o, --output <OUTPUT>  ...`).
fn lists(text: &str, option: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        let l = l.split_once(", ").filter(|(s, _)| s.len() == 2).map_or(l, |(_, rest)| rest);
        l.strip_prefix(option)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '=', '[', '<']))
    })
}

#[test]
fn every_help_lists_its_own_options_before_the_global_ones() {
    let mut root = Cli::command();
    root.build();
    let globals: Vec<String> = root
        .get_arguments()
        .filter(|a| a.is_global_set())
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .collect();
    assert!(globals.len() >= 10, "{globals:?}");
    let mut commands = Vec::new();
    all(&root, "pts".into(), &mut commands);
    assert!(commands.len() > 40, "{}", commands.len());
    for (path, mut cmd) in commands {
        let help = cmd.render_long_help().to_string();
        let heading = help
            .find("\nGlobal options:\n")
            .unwrap_or_else(|| panic!("{path}: no \"Global options:\" heading\n{help}"));
        let (own, global) = help.split_at(heading);
        for g in &globals {
            assert!(!lists(own, g), "{path}: {g} among the command's own options\n{help}");
            assert!(lists(global, g), "{path}: {g} missing under Global options\n{help}");
        }
        let own_options = cmd
            .get_arguments()
            .filter(|a| !a.is_global_set() && !a.is_hide_set())
            .filter_map(|a| a.get_long())
            .filter(|l| *l != "help");
        for o in own_options {
            assert!(
                own.contains(&format!("--{o}")),
                "{path}: --{o} not before the globals\n{help}"
            );
        }
    }
}

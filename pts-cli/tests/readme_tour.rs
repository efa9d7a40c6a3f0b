//! The README is a test: every command line of its "Five-minute tour" and "Operator tasks"
//! sections runs here, in README order, against `pts local serve` with its time scale, and
//! what the README says each prints is asserted. The README is parsed, so a new or changed
//! command fails here until this test knows what it should print.
//!
//! As the README says, `ID` is the SceneId `scene apply` printed, `PLAN` the PlanId of the
//! latest run (`OTHER` the one before it), `FILE` the tour's scene file, `K` a keyword of its
//! name and `D` a directory. The sample target's port 8081 is replaced by a free port (in the
//! commands and the copy of examples/scene.yaml) so the test never collides with a port in
//! use. Confirmations a user types are `--yes` here, except the first `scene apply`, which
//! answers `y` on a terminal.

mod common;
mod readme;

use common::{Pts, Run, evidence_dirs};
use readme::parse::{self, Line};
use readme::procs::Background;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

/// README lines that cannot run here, and why. Keep this short.
const NOT_RUN: &[(&str, &str)] = &[
    (
        "cargo build --release -p pts-cli && export PATH=$PWD/target/release:$PATH",
        "builds the binary this test already runs (cargo built it for the test)",
    ),
    ("bash examples/quickstart.sh", "builds a release binary first (minutes)"),
];

/// Optional `[...]` parts of a README command left out here, and why.
const OPTIONAL_NOT_RUN: &[(&str, &str)] =
    &[("--live", "reads the live metadata from api.aliyun.com (network)")];

struct Tour {
    pts: Pts,
    env: Vec<(String, String)>,
    vars: HashMap<&'static str, String>,
    port: u16,
    background: Vec<Background>,
    has_script: bool,
}

impl Tour {
    fn new() -> Tour {
        let pts = Pts::new();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let scene = std::fs::read_to_string(repo.join("examples/scene.yaml")).unwrap();
        assert!(scene.contains("127.0.0.1:8081"), "examples/scene.yaml targets 8081");
        let examples = pts.home_path().join("examples");
        std::fs::create_dir_all(&examples).unwrap();
        std::fs::write(examples.join("scene.yaml"), scene.replace(":8081", &format!(":{port}")))
            .unwrap();
        let mut vars = HashMap::new();
        vars.insert("FILE", "examples/scene.yaml".to_string());
        vars.insert("K", "shop".to_string());
        vars.insert("D", "api-docs".to_string());
        vars.insert("LTAI...", "LTAI5tTourKeyId0001".to_string());
        let has_script = common::terminal_available();
        Tour { pts, env: Vec::new(), vars, port, background: Vec::new(), has_script }
    }

    fn home(&self) -> &Path {
        self.pts.home_path()
    }

    /// The words of a README command with placeholders, brackets and the port filled in.
    fn args(&self, text: &str) -> Vec<String> {
        let mut text = text.to_string();
        while let (Some(open), Some(close)) = (text.find('['), text.find(']')) {
            let inner = text[open + 1..close].to_string();
            let skipped = OPTIONAL_NOT_RUN.iter().find(|(o, _)| *o == inner);
            if let Some((o, why)) = skipped {
                eprintln!("not run: `{o}` of `{text}`: {why}");
            }
            let keep = if skipped.is_some() { "" } else { &inner };
            text = format!("{}{keep}{}", &text[..open], &text[close + 1..]);
        }
        parse::words(&text)
            .into_iter()
            .skip(1)
            .map(|w| match self.vars.get(w.as_str()) {
                Some(v) => v.clone(),
                None if w.contains("{") => w,
                None => w.replace("8081", &self.port.to_string()),
            })
            .collect()
    }

    fn var(&self, name: &str) -> &str {
        self.vars.get(name).unwrap_or_else(|| panic!("{name} is not known yet"))
    }

    fn command(&self, args: &[String]) -> std::process::Command {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut cmd = self.pts.command(&refs);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    fn run(&self, args: &[String], stdin: Option<&str>) -> Run {
        self.pts.finish(self.command(args), stdin)
    }

    /// `pts ARGS` on a pseudo-terminal (`script`), with `stdin` typed into it.
    fn run_on_terminal(&self, args: &[String], stdin: Option<&str>) -> Run {
        let line: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_pts").to_string())
            .chain(args.iter().map(|a| format!("'{a}'")))
            .collect();
        let env = self.command(&[]);
        let mut cmd = std::process::Command::new("/usr/bin/script");
        cmd.args(["-qec", &line.join(" "), "/dev/null"]).env_clear().current_dir(self.home());
        for (k, v) in env.get_envs() {
            if let Some(v) = v {
                cmd.env(k, v);
            }
        }
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        self.pts.finish(cmd, Some(stdin.unwrap_or("")))
    }

    /// A new PlanId: the previous one becomes `OTHER`.
    fn new_plan(&mut self, plan: &str) {
        if let Some(prev) = self.vars.insert("PLAN", plan.to_string()) {
            self.vars.insert("OTHER", prev);
        }
    }

    fn evidence(&self, action: &str) -> PathBuf {
        let dirs = evidence_dirs(&self.home().join("output/aliyun-pts-manage"), action);
        dirs.last().unwrap_or_else(|| panic!("no {action} evidence")).clone()
    }

    fn line(&mut self, line: &Line) {
        let text = line.text.as_str();
        if let Some((_, why)) = NOT_RUN.iter().find(|(t, _)| *t == text) {
            eprintln!("not run: `{text}`: {why}");
            return;
        }
        if let Some((k, v)) = text.strip_prefix("export ").and_then(|a| a.split_once('=')) {
            self.env.push((k.to_string(), v.to_string()));
            return;
        }
        eprintln!("README: {text}");
        let started = std::time::Instant::now();
        match text.strip_suffix(" &") {
            Some(bg) => self.spawn(text, bg),
            None => readme::steps::check(self, text, &line.comment),
        }
        eprintln!("  ok in {:.1} s", started.elapsed().as_secs_f64());
    }

    fn spawn(&mut self, text: &str, bg: &str) {
        let args = self.args(bg);
        let mut child = Background::spawn(text, self.command(&args));
        let ready = match args.get(1).map(String::as_str) {
            Some("serve") => "wrote profile `local`",
            Some("target") => "sample shop API on",
            _ => panic!("README runs `{text}` in the background: this test does not know it"),
        };
        child.wait_for(ready, Duration::from_secs(30));
        self.background.push(child);
    }
}

#[test]
fn readme_tour_and_operator_tasks_run_against_pts_local() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("README.md");
    let mut lines = parse::commands(parse::section(&readme, "Five-minute tour"));
    lines.extend(parse::commands(parse::section(&readme, "Operator tasks")));
    assert!(lines.len() > 20, "README commands found: {lines:?}");
    let mut tour = Tour::new();
    let started = std::time::Instant::now();
    for line in &lines {
        tour.line(line);
    }
    // The README ran one scene file through apply (twice) and two `pts run`s: one scene.
    let list = tour.run(&["scene".into(), "list".into(), "--keyword".into(), "shop".into()], None);
    let names: Vec<Value> = list.json()["SceneViewList"].as_array().unwrap().clone();
    assert_eq!(names.len(), 1, "one scene after the tour: {names:?}");
    let serve = tour.background.iter().map(Background::output).collect::<Vec<_>>().join("");
    assert!(serve.contains("listening on 127.0.0.1:"), "{serve}");
    eprintln!("README tour: {} lines in {:.0} s", lines.len(), started.elapsed().as_secs_f64());
}

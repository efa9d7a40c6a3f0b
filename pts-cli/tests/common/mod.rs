//! Test harness: a loopback fake PTS server that verifies signatures and records what it
//! received, and a runner for the real `pts` binary with an isolated environment (cleared,
//! then HOME/PTS_CONFIG in a temp dir, PATH, and what the test adds). Every run asserts that
//! the secret and the STS token appear in neither stdout nor stderr.
#![allow(dead_code)]

pub mod live;

use pts_api::__private::wire::{DecodedRequest, Place, verify};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const AK: &str = "LTAI5tTestKeyId01";
pub const SECRET: &str = "s3cr3t-Never-Print-Me-42";
pub const TOKEN: &str = "sts-token-Never-Print-Me-77";

/// What the fake server received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub action: String,
    pub method: String,
    pub query: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Signature check against (AK, SECRET): Ok, or why it failed.
    pub verified: Result<(), String>,
}

impl Recorded {
    /// A query or form parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().chain(&self.form).find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

pub struct Reply {
    pub status: u16,
    pub body: String,
    pub delay: Duration,
}

pub fn ok(body: serde_json::Value) -> Reply {
    Reply { status: 200, body: body.to_string(), delay: Duration::ZERO }
}

pub fn status(status: u16, body: serde_json::Value) -> Reply {
    Reply { status, body: body.to_string(), delay: Duration::ZERO }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// A fake PTS on 127.0.0.1, one thread per connection, keep-alive. Its threads end with the
/// test process; each connection times out after 10 s of silence.
pub struct Server {
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    pub fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let l2 = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, handler) = (l2.clone(), handler.clone());
                std::thread::spawn(move || serve(stream, &log, handler.as_ref()));
            }
        });
        Server { addr, log }
    }

    /// Answers every request with this JSON.
    pub fn fixed(body: serde_json::Value) -> Server {
        Server::start(move |_| ok(body.clone()))
    }

    pub fn endpoint(&self) -> String {
        self.addr.to_string()
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Recorded>>, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let target = parts.next().unwrap_or("/").to_string();
        let mut headers = Vec::new();
        let mut len = 0usize;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((n, v)) = h.split_once(':') {
                let (n, v) = (n.trim().to_ascii_lowercase(), v.trim().to_string());
                if n == "content-length" {
                    len = v.parse().unwrap_or(0);
                }
                headers.push((n, v));
            }
        }
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let (path, raw_query) = target.split_once('?').unwrap_or((&target, ""));
        let decoded =
            DecodedRequest::from_raw(&method, path, raw_query, headers.clone(), body.clone());
        let verified = verify(&decoded.view(), |id| (id == AK).then_some(SECRET))
            .map(|_| ())
            .map_err(|e| e.to_string());
        let view = decoded.view();
        let action = view
            .header("x-acs-action")
            .or_else(|| view.query_param("Action"))
            .unwrap_or("")
            .to_string();
        let rec = Recorded {
            action,
            method,
            query: decoded.pairs(Place::Query),
            form: decoded.pairs(Place::Form),
            headers,
            body,
            verified,
        };
        let reply = handler(&rec);
        log.lock().unwrap().push(rec);
        std::thread::sleep(reply.delay);
        let head = format!(
            "HTTP/1.1 {} X\r\ncontent-type: application/json;charset=utf-8\r\ncontent-length: {}\r\n\r\n",
            reply.status,
            reply.body.len()
        );
        if writer
            .write_all(head.as_bytes())
            .and_then(|()| writer.write_all(reply.body.as_bytes()))
            .is_err()
        {
            return;
        }
    }
}

/// One finished `pts` run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("stdout is not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr)
        })
    }
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "exit code\nstdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }
}

/// The `pts` binary in an isolated environment.
pub struct Pts {
    pub home: tempfile::TempDir,
    envs: Vec<(String, String)>,
}

impl Default for Pts {
    fn default() -> Self {
        Self::new()
    }
}

impl Pts {
    pub fn new() -> Pts {
        let home = tempfile::tempdir().unwrap();
        let h = home.path().display().to_string();
        let envs = vec![
            ("HOME".to_string(), h.clone()),
            ("PTS_CONFIG".to_string(), format!("{h}/pts/config.json")),
            ("PATH".to_string(), std::env::var("PATH").unwrap_or_default()),
            // Never reach for the real ECS metadata address from a test.
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED".to_string(), "true".to_string()),
        ];
        Pts { home, envs }
    }

    /// AccessKey in the official environment variables.
    pub fn with_env_creds(self) -> Pts {
        self.env("ALIBABA_CLOUD_ACCESS_KEY_ID", AK).env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
    }

    pub fn env(mut self, k: &str, v: &str) -> Pts {
        self.envs.retain(|(n, _)| n != k);
        self.envs.push((k.to_string(), v.to_string()));
        self
    }

    pub fn home_path(&self) -> &Path {
        self.home.path()
    }

    pub fn config_path(&self) -> PathBuf {
        self.home.path().join("pts").join("config.json")
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_stdin(args, None)
    }

    pub fn run_stdin(&self, args: &[&str], stdin: Option<&str>) -> Run {
        self.finish(self.command(args), stdin)
    }

    /// Another program (e.g. `script`) in the same isolated environment.
    pub fn run_program(&self, program: &str, args: &[&str], stdin: Option<&str>) -> Run {
        let mut cmd = Command::new(program);
        cmd.args(args).env_clear().stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd.current_dir(self.home.path());
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        self.finish(cmd, stdin)
    }

    /// Runs `cmd` (built by [`Pts::command`] or alike) with `stdin`, checking its output for secrets.
    pub fn finish(&self, mut cmd: Command, stdin: Option<&str>) -> Run {
        cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        let mut child = cmd.spawn().expect("spawn pts");
        if let Some(input) = stdin {
            child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        }
        let out = child.wait_with_output().unwrap();
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert_no_secret(&run);
        run
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pts"));
        cmd.args(args).env_clear().stdout(Stdio::piped()).stderr(Stdio::piped());
        // Relative outputs (the evidence directory) land in the temp home, not the repo.
        cmd.current_dir(self.home.path());
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        cmd
    }
}

#[track_caller]
pub fn assert_no_secret(run: &Run) {
    for s in [SECRET, TOKEN] {
        assert!(!run.stdout.contains(s), "secret in stdout: {}", run.stdout);
        assert!(!run.stderr.contains(s), "secret in stderr: {}", run.stderr);
    }
}

/// Every evidence directory under `root` whose name carries `-ACTION-`, sorted (oldest
/// first); none when `root` does not exist.
pub fn evidence_dirs(root: &Path, action: &str) -> Vec<PathBuf> {
    let needle = format!("-{action}-");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|rd| rd.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    dirs.retain(|d| d.file_name().unwrap().to_string_lossy().contains(&needle));
    dirs.sort();
    dirs
}

/// The only evidence directory of `action` under `root`.
#[track_caller]
pub fn only_evidence_dir(root: &Path, action: &str) -> PathBuf {
    let dirs = evidence_dirs(root, action);
    assert_eq!(dirs.len(), 1, "one {action} evidence dir: {dirs:?}");
    dirs[0].clone()
}

/// The names of the files in `dir`, sorted.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A JSON number as f64 (panics, naming it, on anything else).
pub fn num(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Calls `done` every 200 ms until it is true; panics naming `what` after `timeout`.
#[track_caller]
pub fn wait_until(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + timeout;
    while !done() {
        assert!(std::time::Instant::now() < deadline, "{what}: not within {timeout:?}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A ListPtsScene-shaped page.
pub fn scenes(ids: &[&str]) -> serde_json::Value {
    let list: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({"SceneId": id, "SceneName": format!("name-{id}"), "Status": "Draft"}))
        .collect();
    serde_json::json!({"RequestId": "REQ-1", "Success": true, "Code": "200", "SceneViewList": list})
}

/// The metadata snapshot in ../shared: PTS_API_DOCS, else next to the workspace. `None`
/// (with a message) when missing, except under CI=true, where that is a failure.
pub fn snapshot() -> Option<PathBuf> {
    let path = std::env::var_os("PTS_API_DOCS").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/api-meta/pts-2020-10-20.api-docs.json")
    });
    if path.exists() {
        return Some(path);
    }
    let msg = format!("metadata snapshot missing: {}", path.display());
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}; CI=true requires it");
    }
    eprintln!("skipping: {msg}");
    None
}

/// Whether `/usr/bin/script` can give pts a terminal. Missing: a failure under CI=true,
/// elsewhere `false` with a message (the caller skips its terminal checks).
pub fn terminal_available() -> bool {
    if Path::new("/usr/bin/script").exists() {
        return true;
    }
    assert!(std::env::var("CI").is_err(), "CI=true needs /usr/bin/script for terminal tests");
    eprintln!("skipping terminal checks: no /usr/bin/script to provide a terminal");
    false
}

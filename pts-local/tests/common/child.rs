//! The `pts-local` binary as a child process on an ephemeral loopback port, killed (and
//! reaped) when its guard drops, so a failing assertion never leaves a server behind.

use super::{AK, SK};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Server {
    /// SIGKILL, and reap.
    pub fn kill_9(&mut self) {
        self.0.kill().expect("SIGKILL");
        let _ = self.0.wait();
    }

    /// SIGTERM; true when it then exits successfully.
    pub fn terminate(&mut self) -> bool {
        let _ = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        self.0.wait().is_ok_and(|s| s.success())
    }
}

/// Starts `pts-local serve` on `data` with the test key (its secret from the environment)
/// and `extra` arguments; returns the guard and the endpoint.
#[allow(clippy::zombie_processes)]
pub fn spawn(data: &Path, extra: &[&str]) -> (Server, String) {
    let ep_file = data.join("endpoint.txt");
    let _ = std::fs::remove_file(&ep_file);
    let mut child = Command::new(env!("CARGO_BIN_EXE_pts-local"))
        .args(["serve", "--port", "0", "--access-key-id", AK, "--no-profile"])
        .args(extra)
        .env("PTS_LOCAL_ACCESS_KEY_SECRET", SK)
        .arg("--data")
        .arg(data)
        .arg("--endpoint-file")
        .arg(&ep_file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn pts-local");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(ep) = std::fs::read_to_string(&ep_file)
            && !ep.is_empty()
        {
            return (Server(child), ep);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("pts-local did not start");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

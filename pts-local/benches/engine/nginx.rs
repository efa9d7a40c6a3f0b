//! The nginx target of the engine benchmark (pinned to CPU 1, serving the 79-byte body) and a
//! dependency-free GET to check it.

use super::tools::which;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The body the shared nginx config serves (79 bytes).
pub const BODY_79: &str =
    r#"{"RequestId":"x","Success":true,"Code":"200","SceneViewList":[],"TotalCount":0}"#;

pub struct Nginx {
    child: Child,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SAFETY: plain kill(2) on the PID of the child this process started.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_port(port: u16) -> bool {
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

pub fn start_nginx(work: &Path, port: u16) -> Option<Nginx> {
    let nginx =
        which("nginx").or_else(|| Some(PathBuf::from("/usr/sbin/nginx")).filter(|p| p.is_file()));
    let Some(nginx) = nginx else {
        eprintln!("nginx not found (apt-get install -y nginx); cannot run the benchmark");
        return None;
    };
    let prefix = work.join("nginx");
    std::fs::create_dir_all(prefix.join("tmp")).ok()?;
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/nginx.conf.in");
    let conf = std::fs::read_to_string(&shared).unwrap_or_else(|_| FALLBACK_CONF.to_string());
    let conf = conf
        .replace("@PREFIX@", prefix.to_str()?)
        .replace("127.0.0.1:18081", &format!("127.0.0.1:{port}"))
        .replace("127.0.0.1:18082", &format!("127.0.0.1:{}", free_port()));
    std::fs::write(prefix.join("nginx.conf"), conf).ok()?;
    let child = Command::new("taskset")
        .args(["-c", "1"])
        .arg(nginx)
        .arg("-p")
        .arg(&prefix)
        .args(["-c", "nginx.conf"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let n = Nginx { child };
    if !wait_port(port) {
        eprintln!("nginx did not come up on {port}");
        return None;
    }
    Some(n)
}

/// One GET over a raw socket (no HTTP client dependency in the bench): the body.
pub fn reqwest_free_get(port: u16) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").ok()?;
    let mut buf = String::new();
    s.read_to_string(&mut buf).ok()?;
    buf.split_once("\r\n\r\n").map(|(_, b)| b.to_string())
}

const FALLBACK_CONF: &str = r#"worker_processes 1;
daemon off;
pid @PREFIX@/nginx.pid;
error_log @PREFIX@/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 75s;
    client_body_temp_path @PREFIX@/tmp/body;
    proxy_temp_path @PREFIX@/tmp/proxy;
    fastcgi_temp_path @PREFIX@/tmp/fastcgi;
    uwsgi_temp_path @PREFIX@/tmp/uwsgi;
    scgi_temp_path @PREFIX@/tmp/scgi;
    server {
        listen 127.0.0.1:18081 backlog=4096;
        location / {
            default_type application/json;
            return 200 '{"RequestId":"x","Success":true,"Code":"200","SceneViewList":[],"TotalCount":0}';
        }
    }
    server {
        listen 127.0.0.1:18082 backlog=4096;
        location / {
            default_type text/plain;
            return 200 'ok';
        }
    }
}
"#;

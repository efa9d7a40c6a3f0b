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

/// The bench's TLS material: a CA made at bench start and a server certificate for
/// 127.0.0.1 it signed (files under `dir`).
pub struct BenchTls {
    pub ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

pub fn make_tls(dir: &Path) -> Option<BenchTls> {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    std::fs::create_dir_all(dir).ok()?;
    let ca_key = KeyPair::generate().ok()?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).ok()?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "pts-local bench CA");
    let ca_cert = ca.self_signed(&ca_key).ok()?;
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().ok()?;
    let names = vec!["127.0.0.1".to_string(), "localhost".to_string()];
    let cert = CertificateParams::new(names).ok()?.signed_by(&key, &issuer).ok()?;
    let t = BenchTls {
        ca: dir.join("ca.pem"),
        cert: dir.join("server.pem"),
        key: dir.join("server.key"),
    };
    std::fs::write(&t.ca, ca_cert.pem()).ok()?;
    std::fs::write(&t.cert, cert.pem()).ok()?;
    std::fs::write(&t.key, key.serialize_pem()).ok()?;
    Some(t)
}

/// Starts nginx serving the 79-byte body on `port`, and when `tls` is given also over TLS on
/// `tls.1` (same body, keep-alive, session cache).
pub fn start_nginx(work: &Path, port: u16, tls: Option<(&BenchTls, u16)>) -> Option<Nginx> {
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
    let conf = match tls {
        Some((t, tls_port)) => {
            let at = conf.rfind('}')?;
            let block = TLS_SERVER
                .replace("@PORT@", &tls_port.to_string())
                .replace("@CERT@", t.cert.to_str()?)
                .replace("@KEY@", t.key.to_str()?);
            format!("{}{block}{}", &conf[..at], &conf[at..])
        }
        None => conf,
    };
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
    for p in std::iter::once(port).chain(tls.map(|t| t.1)) {
        if !wait_port(p) {
            eprintln!("nginx did not come up on {p}");
            return None;
        }
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

const TLS_SERVER: &str = r#"    server {
        listen 127.0.0.1:@PORT@ ssl backlog=4096;
        ssl_certificate @CERT@;
        ssl_certificate_key @KEY@;
        ssl_session_cache shared:SSL:1m;
        location / {
            default_type application/json;
            return 200 '{"RequestId":"x","Success":true,"Code":"200","SceneViewList":[],"TotalCount":0}';
        }
    }
"#;

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

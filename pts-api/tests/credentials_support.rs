//! Loopback fakes shared by the `credentials_*` tests (included with `#[path]`): a tiny
//! HTTP/1.1 server on 127.0.0.1 that records requests, plus STS/ECS answer builders.
//! Its own test target has no tests; `credentials_uri` checks the fake itself.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use pts_api::__private::wire::{DecodedRequest, Verified, format_date, verify};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the fake received it (query and form decoded).
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub raw_query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn decoded(&self) -> DecodedRequest {
        DecodedRequest::from_raw(
            &self.method,
            &self.path,
            &self.raw_query,
            self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            self.body.clone(),
        )
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
    }

    pub fn query(&self, name: &str) -> Option<String> {
        let d = self.decoded();
        d.view().query_param(name).map(str::to_owned)
    }

    pub fn form(&self, name: &str) -> Option<String> {
        let d = self.decoded();
        d.view().form().find(|(n, _)| *n == name).map(|(_, v)| v.to_owned())
    }

    /// Query param, else form param.
    pub fn param(&self, name: &str) -> Option<String> {
        self.query(name).or_else(|| self.form(name))
    }

    /// Verifies the v1/v3 signature with the wire module's server-side checker.
    pub fn verify_signature(&self, secrets: &[(&str, &str)]) -> Result<Verified, String> {
        let decoded = self.decoded();
        verify(&decoded.view(), |id| {
            secrets.iter().find(|(k, _)| *k == id).map(|(_, s)| s.to_string())
        })
        .map_err(|e| e.to_string())
    }
}

pub struct Reply {
    pub status: u16,
    pub body: String,
}

pub fn reply(status: u16, body: impl Into<String>) -> Reply {
    Reply { status, body: body.into() }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// A loopback HTTP server answering with `handler` and recording every request.
pub struct FakeServer {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeServer {
    pub async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let recorded = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (handler, recorded) = (handler.clone(), recorded.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, handler, recorded).await;
                });
            }
        });
        FakeServer { addr, requests, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    handler: Arc<Handler>,
    recorded: Arc<Mutex<Vec<Recorded>>>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_owned();
    let target = first.next().unwrap_or("/").to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let (path, raw_query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (target.clone(), String::new()),
    };
    let request = Recorded { method, path, raw_query, headers, body };
    let answer = handler(&request);
    recorded.lock().unwrap().push(request);
    let response = format!(
        "HTTP/1.1 {} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
        answer.status,
        answer.body.len(),
        answer.body
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

/// A loopback URL where nothing listens (connections are refused at once).
pub async fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

pub fn iso(t: SystemTime) -> String {
    format_date(t)
}

pub fn in_secs(secs: u64) -> SystemTime {
    // Whole seconds, as the services send them.
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
    SystemTime::UNIX_EPOCH + Duration::from_secs(now + secs)
}

/// A successful STS answer.
pub fn sts_ok(id: &str, secret: &str, token: &str, expiration: SystemTime) -> String {
    serde_json::json!({
        "RequestId": "req-ok",
        "AssumedRoleUser": {"Arn": "acs:ram::1:role/x/s", "AssumedRoleId": "1:s"},
        "Credentials": {
            "AccessKeyId": id,
            "AccessKeySecret": secret,
            "SecurityToken": token,
            "Expiration": iso(expiration),
        }
    })
    .to_string()
}

/// A successful ECS metadata / credentials URI answer.
pub fn temp_ok(id: &str, secret: &str, token: &str, expiration: SystemTime) -> String {
    serde_json::json!({
        "Code": "Success",
        "AccessKeyId": id,
        "AccessKeySecret": secret,
        "SecurityToken": token,
        "Expiration": iso(expiration),
        "LastUpdated": iso(SystemTime::now()),
    })
    .to_string()
}

pub fn sts_error(code: &str, message: &str) -> String {
    serde_json::json!({"RequestId": "req-err", "HostId": "sts", "Code": code, "Message": message})
        .to_string()
}

/// An `Arc<dyn EnvSource>` from pairs, with `home`.
pub fn env_of(
    home: &std::path::Path,
    pairs: &[(&str, &str)],
) -> Arc<dyn pts_api::credentials::EnvSource> {
    let mut env = pts_api::credentials::FakeEnv::new().with_home(home);
    for (k, v) in pairs {
        env.set(*k, *v);
    }
    Arc::new(env)
}

// The secrets of the redaction and tracing tests, and the fixtures that hold them.

pub const SECRETS: [&str; 5] = [
    "SUPERSECRETsource",
    "SUPERTOKENsource",
    "TEMPSECRETissued",
    "TEMPTOKENissued",
    "OIDCJWTsecret",
];

pub fn assert_clean(what: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{what} leaks {s}:\n{text}");
    }
}

pub fn home_with_profiles(home: &Path) {
    std::fs::create_dir_all(home.join(".aliyun")).unwrap();
    let config = serde_json::json!({"current": "role", "profiles": [
        {"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAIsource",
         "access_key_secret": "SUPERSECRETsource", "ram_role_arn": "acs:ram::1:role/ok"},
        {"name": "sts", "mode": "StsToken", "access_key_id": "STS.source",
         "access_key_secret": "SUPERSECRETsource", "sts_token": "SUPERTOKENsource"},
        {"name": "chained", "mode": "ChainableRamRoleArn", "source_profile": "sts",
         "ram_role_arn": "acs:ram::1:role/mismatch"}
    ]});
    std::fs::write(home.join(".aliyun/config.json"), config.to_string()).unwrap();
}

/// An STS fake that issues credentials, or, for role `mismatch`, answers the way STS does
/// on a bad signature: quoting its string to sign, which contains the SecurityToken.
pub async fn sts() -> FakeServer {
    FakeServer::start(|r| {
        if r.form("RoleArn").as_deref() == Some("acs:ram::1:role/mismatch") {
            let token = r.param("SecurityToken").unwrap_or_default();
            let msg = format!(
                "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DSTS.source%26SecurityToken%3D{token}%26"
            );
            return reply(400, sts_error("SignatureDoesNotMatch", &msg));
        }
        reply(200, sts_ok("STS.issued", "TEMPSECRETissued", "TEMPTOKENissued", in_secs(3600)))
    })
    .await
}

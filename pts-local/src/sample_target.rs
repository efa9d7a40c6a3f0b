//! A small shop API on loopback for demos and end-to-end tests: something real to load.
//!
//! - `POST /api/login` answers `{"token": "tok-<n>", "user": "..."}` (JSON body optional);
//! - `GET /api/items?token=...` answers 200 with three items when the token came from
//!   `/api/login`, 401 otherwise;
//! - `GET /health` answers `ok`.
//!
//! Every answer waits `delay` first, so latency figures have a known floor, and the
//! target counts what it served, so a report can be checked against it.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::watch;

/// Requests served, by route.
#[derive(Debug, Default)]
pub struct Counters {
    pub login: AtomicU64,
    pub items: AtomicU64,
    pub unauthorized: AtomicU64,
    pub health: AtomicU64,
}

impl Counters {
    /// Every request answered.
    pub fn total(&self) -> u64 {
        self.login.load(Ordering::Relaxed)
            + self.items.load(Ordering::Relaxed)
            + self.unauthorized.load(Ordering::Relaxed)
            + self.health.load(Ordering::Relaxed)
    }
}

struct Shared {
    counters: Arc<Counters>,
    delay: Duration,
}

/// The running target; dropping it (or [`SampleTarget::shutdown`]) stops it.
pub struct SampleTarget {
    addr: SocketAddr,
    counters: Arc<Counters>,
    stop: watch::Sender<bool>,
}

impl SampleTarget {
    /// Binds `127.0.0.1:0` and serves in the background of the current tokio runtime.
    pub async fn start(delay: Duration) -> std::io::Result<SampleTarget> {
        Self::start_on(0, delay).await
    }

    /// Like [`SampleTarget::start`] on `127.0.0.1:port` (0: any free port).
    pub async fn start_on(port: u16, delay: Duration) -> std::io::Result<SampleTarget> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let counters = Arc::new(Counters::default());
        let shared = Arc::new(Shared { counters: counters.clone(), delay });
        let app = Router::new()
            .route("/api/login", post(login))
            .route("/api/items", get(items))
            .route("/health", get(health))
            .with_state(shared);
        let (stop, mut stopped) = watch::channel(false);
        tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.wait_for(|s| *s).await;
            };
            let _ = axum::serve(listener, app).with_graceful_shutdown(shutdown).await;
        });
        Ok(SampleTarget { addr, counters, stop })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn counters(&self) -> &Arc<Counters> {
        &self.counters
    }

    pub fn shutdown(&self) {
        let _ = self.stop.send(true);
    }

    /// A PTS scene (wire names of the SavePtsScene `Scene`) that loads this target: log in
    /// (checkpoint: status 200; exports the token), then list items with the token.
    /// Concurrency mode, `vus` virtual users from the start, `minutes` of scene time.
    pub fn shop_scene(&self, name: &str, vus: i64, minutes: i64) -> serde_json::Value {
        serde_json::json!({
            "SceneName": name,
            "RelationList": [{
                "RelationName": "shop",
                "ApiList": [
                    {"ApiName": "login", "Url": self.url("/api/login"), "Method": "POST",
                     "TimeoutInSecond": 5, "RedirectCountLimit": 0,
                     "Body": {"ContentType": "application/json", "BodyValue": "{\"user\":\"demo\"}"},
                     "CheckPointList": [{"CheckType": "STATUS_CODE", "CheckPoint": "",
                                         "Operator": "eq", "ExpectValue": "200"}],
                     "ExportList": [{"ExportName": "token", "ExportType": "BODY_JSON",
                                     "ExportValue": "token"}]},
                    {"ApiName": "items", "Url": format!("{}?token=${{token}}", self.url("/api/items")),
                     "Method": "GET", "TimeoutInSecond": 5, "RedirectCountLimit": 0}
                ]
            }],
            "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": minutes,
                           "Configuration": {"AllConcurrencyBegin": vus, "AllConcurrencyLimit": vus}}
        })
    }
}

impl Drop for SampleTarget {
    fn drop(&mut self) {
        self.shutdown();
    }
}

async fn login(State(s): State<Arc<Shared>>) -> impl IntoResponse {
    tokio::time::sleep(s.delay).await;
    let n = s.counters.login.fetch_add(1, Ordering::Relaxed) + 1;
    let body = format!(r#"{{"token":"tok-{n}","user":"demo"}}"#);
    ([("content-type", "application/json")], body)
}

async fn items(
    State(s): State<Arc<Shared>>,
    Query(q): Query<HashMap<String, String>>,
) -> axum::response::Response {
    tokio::time::sleep(s.delay).await;
    if !q.get("token").is_some_and(|t| t.starts_with("tok-")) {
        s.counters.unauthorized.fetch_add(1, Ordering::Relaxed);
        return (StatusCode::UNAUTHORIZED, "missing or unknown token").into_response();
    }
    s.counters.items.fetch_add(1, Ordering::Relaxed);
    let body = r#"{"items":[{"id":1,"name":"tea"},{"id":2,"name":"cup"},{"id":3,"name":"pot"}]}"#;
    ([("content-type", "application/json")], body).into_response()
}

async fn health(State(s): State<Arc<Shared>>) -> &'static str {
    tokio::time::sleep(s.delay).await;
    s.counters.health.fetch_add(1, Ordering::Relaxed);
    "ok"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn serves_and_counts() {
        let t = SampleTarget::start(Duration::from_millis(1)).await.unwrap();
        // Real requests through a raw socket: the counters move.
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut s = tokio::net::TcpStream::connect(t.addr()).await.unwrap();
        s.write_all(b"POST /api/login HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await.unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        assert!(out.contains("tok-1"), "{out}");
        let mut s = tokio::net::TcpStream::connect(t.addr()).await.unwrap();
        s.write_all(b"GET /api/items HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        assert!(out.starts_with("HTTP/1.1 401"), "{out}");
        assert_eq!(t.counters().login.load(Ordering::Relaxed), 1);
        assert_eq!(t.counters().unauthorized.load(Ordering::Relaxed), 1);
        assert_eq!(t.counters().total(), 2);
    }
}

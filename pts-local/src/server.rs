//! The HTTP server: hyper on a loopback port (another address only when configured), one
//! handler for every request, under the connection and body [`crate::limits::Limits`];
//! graceful shutdown.

use crate::auth::{Authenticator, Key};
use crate::clock::Clock;
use crate::config::{Config, Keys, load_or_create_key};
use crate::conn::ConnState;
use crate::ctx::Ctx;
use crate::envelope::{Fail, error_body};
use crate::files::{FileStore, StoredFile};
use crate::ids::TimeFmt;
use crate::limits::ByteBudget;
use crate::rpc;
use crate::store::Store;
use crate::vpc_inventory::VpcInventory;
use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode, header};
use http_body_util::Full;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

pub struct Server;

impl Server {
    /// Opens the data dir, binds, and starts serving in the background of the current tokio
    /// runtime.
    pub async fn start(config: Config) -> Result<RunningServer, String> {
        let data_dir = config.data_dir.clone();
        config.limits.check()?;
        crate::private::create_dir(&data_dir, crate::layout::is_data_dir(&data_dir))
            .map_err(|e| format!("create {}: {e}", data_dir.display()))?;
        let (keys, key_created) = match &config.keys {
            Keys::Explicit(k) if k.is_empty() => return Err("no access keys configured".into()),
            Keys::Explicit(k) => (k.clone(), false),
            Keys::Generated => {
                let (k, created) =
                    load_or_create_key(&data_dir).map_err(|e| format!("credentials: {e}"))?;
                (vec![k], created)
            }
        };
        let vpc = match config.vpc_inventory.clone() {
            Some(v) => v,
            None => VpcInventory::load_or_default(&data_dir)?,
        };
        let store = Store::open(&data_dir.join(crate::layout::DB_FILE))?;
        let files = FileStore::open(&data_dir).map_err(|e| format!("file store: {e}"))?;
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|e| format!("bind {}: {e}", config.bind))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let ctx = Arc::new(Ctx {
            store,
            auth: Authenticator::new(&keys, config.nonce_capacity),
            clock: Clock::new(config.time_scale),
            time_fmt: TimeFmt::new(config.utc_offset_secs),
            files,
            vpc,
            engine: config.engine.clone().unwrap_or_else(|| {
                let base = crate::engine::EngineConfig {
                    ca_files: config.ca_files.clone(),
                    ..Default::default()
                };
                Arc::new(crate::engine_adapter::EngineAdapter::new(base))
            }),
            wake: Notify::new(),
            allowed_targets: config.allowed_targets.clone(),
            errors_in_body: config.errors_in_body,
            debug_window_secs: config.debug_window_secs,
            budget: ByteBudget::new(&config.limits),
            limits: config.limits.clone(),
        });
        let closed = crate::checkpoint::close_interrupted(&ctx)
            .await
            .map_err(|e| format!("close interrupted runs: {e:?}"))?;
        if !closed.is_empty() {
            eprintln!(
                "pts-local: ended {} run(s) interrupted when the service last stopped: {}",
                closed.len(),
                closed.join(", ")
            );
        }
        let (stop_tx, stop_rx) = watch::channel(false);
        let scheduler = tokio::spawn(crate::runs::scheduler(ctx.clone(), stop_rx.clone()));
        let app_ctx = ctx.clone();
        let app = move |req, conn| handle(app_ctx.clone(), req, conn);
        let http = tokio::spawn(crate::conn::serve(listener, config.limits.clone(), stop_rx, app));
        Ok(RunningServer {
            addr,
            keys,
            key_created,
            data_dir,
            ctx: Some(ctx),
            stop: stop_tx,
            http: Some(http),
            scheduler: Some(scheduler),
        })
    }
}

async fn handle(
    ctx: Arc<Ctx>,
    req: Request<hyper::body::Incoming>,
    conn: Arc<ConnState>,
) -> Response<Full<Bytes>> {
    let _in_flight = conn.begin();
    let (parts, body) = req.into_parts();
    let length = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let crate::limits::Body { bytes, reserved } =
        match crate::limits::read_body(body, length, &ctx.limits, &ctx.budget).await {
            Ok(b) => b,
            Err(fail) => {
                let host = parts.headers.get(header::HOST).and_then(|h| h.to_str().ok());
                return refused(&fail, host.unwrap_or(""));
            }
        };
    let headers = parts
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), String::from_utf8_lossy(v.as_bytes()).into_owned()));
    let decoded = pts_api::__private::wire::DecodedRequest::from_raw(
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query().unwrap_or(""),
        headers,
        bytes,
    );
    let reply = rpc::handle(ctx, decoded).await;
    // The body's share of the budget is held until the request is answered.
    drop(reserved);
    let mut resp = Response::new(Full::new(Bytes::from(reply.body)));
    *resp.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json;charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&reply.request_id) {
        h.insert("x-acs-request-id", v);
    }
    resp
}

/// A request refused before it was read whole (size, budget, time): a gateway error body;
/// the connection is closed after it, since the body may be left unread.
fn refused(fail: &Fail, host: &str) -> Response<Full<Bytes>> {
    let request_id = crate::ids::request_id();
    let (status, body) = error_body(fail, &request_id, host, false);
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json;charset=utf-8"));
    h.insert(header::CONNECTION, HeaderValue::from_static("close"));
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        h.insert("x-acs-request-id", v);
    }
    r
}

/// A server serving in the background. Dropping it without [`RunningServer::shutdown`] stops
/// the listener too, but only `shutdown` waits for pending writes to be committed.
pub struct RunningServer {
    addr: SocketAddr,
    keys: Vec<Key>,
    key_created: bool,
    data_dir: PathBuf,
    ctx: Option<Arc<Ctx>>,
    stop: watch::Sender<bool>,
    http: Option<JoinHandle<()>>,
    scheduler: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// `127.0.0.1:PORT`: what a client passes as its endpoint (and its `host` header).
    pub fn endpoint(&self) -> String {
        self.addr.to_string()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The (first) AccessKeyId the server accepts.
    pub fn access_key_id(&self) -> &str {
        &self.keys[0].access_key_id
    }

    /// The (first) key pair, e.g. to build a client in tests. Its `Debug` hides the secret.
    pub fn credentials(&self) -> &Key {
        &self.keys[0]
    }

    /// Whether this start created the data dir's key pair.
    pub fn key_created(&self) -> bool {
        self.key_created
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Adds a file to the file store (the library form of `pts local upload`).
    pub fn upload(&self, path: &Path) -> std::io::Result<StoredFile> {
        self.ctx().files.add(path)
    }

    /// Adds a file from memory to the file store.
    pub fn upload_bytes(&self, name: &str, bytes: &[u8]) -> std::io::Result<StoredFile> {
        self.ctx().files.add_bytes(name, bytes)
    }

    /// Signature nonces currently remembered (see [`crate::nonce`]).
    pub fn remembered_nonces(&self) -> usize {
        self.ctx().auth.nonces().len()
    }

    fn ctx(&self) -> &Ctx {
        self.ctx.as_ref().expect("server is running")
    }

    /// Writes the `local` profile for this server into pts's configuration file (see
    /// [`crate::profile`]); returns the file written.
    pub fn write_profile(&self, path: Option<&Path>) -> std::io::Result<PathBuf> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => crate::profile::config_path().ok_or_else(|| {
                std::io::Error::other("no PTS_CONFIG, XDG_CONFIG_HOME or HOME to find pts's config")
            })?,
        };
        crate::profile::write_local_profile(&path, self.credentials(), &self.endpoint())?;
        Ok(path)
    }

    /// Stops accepting, finishes in-flight requests (at most 5 s), stops the scheduler and
    /// commits every pending write before returning.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(h) = self.http.take() {
            let abort = h.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), h).await.is_err() {
                abort.abort();
            }
        }
        if let Some(s) = self.scheduler.take() {
            let _ = s.await;
        }
        if let Some(ctx) = self.ctx.take() {
            ctx.store.close();
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(h) = self.http.take() {
            h.abort();
        }
        if let Some(s) = self.scheduler.take() {
            s.abort();
        }
    }
}

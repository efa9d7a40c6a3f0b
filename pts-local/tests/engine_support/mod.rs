//! Shared helpers of the engine tests: a tiny HTTP/1.1 target on 127.0.0.1:0 and scene builders.
#![allow(dead_code)]

pub mod jmeter;
pub mod jmx_xml;
pub mod reference;
pub mod service;
pub mod tls;

use pts_api::shapes::scene::{
    Api, Body, CheckPoint, Configuration, Export, Header, LoadConfig, Relation, Scene,
};
use pts_local::engine::EngineConfig;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A request as the target saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: String,
    pub at: Instant,
}

/// What the target answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
    /// Never answer (the connection stays open).
    pub hang: bool,
}

impl Reply {
    pub fn ok(body: &str) -> Self {
        Reply {
            status: 200,
            headers: vec![],
            body: body.into(),
            delay: Duration::ZERO,
            hang: false,
        }
    }
    pub fn status(mut self, s: u16) -> Self {
        self.status = s;
        self
    }
    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn delay(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }
    pub fn hang() -> Self {
        Reply { hang: true, ..Reply::ok("") }
    }
}

type Handler = Arc<dyn Fn(&Seen) -> Reply + Send + Sync>;

#[derive(Clone, Copy, PartialEq)]
enum Keep {
    All,
    Arrivals,
    Nothing,
}

/// A counting target server: one OS thread per connection (blocking I/O, so injected delays
/// are precise to ~0.1 ms instead of a runtime timer's 1 ms tick).
pub struct Target {
    pub addr: SocketAddr,
    pub count: Arc<AtomicU64>,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    /// Time each request spent in the server (head parsed -> response written), us.
    pub service_us: Arc<Mutex<Vec<u64>>>,
    /// Unanswered (hanging) requests whose client closed the connection.
    pub abandoned: Arc<AtomicU64>,
    /// TLS targets: one entry per completed handshake.
    pub handshakes: Arc<Mutex<Vec<tls::Handshake>>>,
    scheme: &'static str,
    stop: Arc<AtomicBool>,
}

impl Drop for Target {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = std::net::TcpStream::connect(self.addr);
    }
}

impl Target {
    /// `keep_records`: keep headers and bodies of every request (off for load tests: then
    /// only method, path and arrival time are kept).
    pub fn start(
        keep_records: bool,
        handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static,
    ) -> Target {
        Self::start_with(if keep_records { Keep::All } else { Keep::Arrivals }, None, handler)
    }

    /// A target that only counts (no per-request memory at all).
    pub fn start_counting(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Target {
        Self::start_with(Keep::Nothing, None, handler)
    }

    /// A counting `https://` target with the server certificate of `ca`.
    pub fn start_tls(
        ca: &tls::TestCa,
        handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static,
    ) -> Target {
        Self::start_with(Keep::All, Some(ca.server.clone()), handler)
    }

    /// Like [`Target::start_tls`], but every handshake starts `delay` after the connection is
    /// accepted (a slow-to-open connection).
    pub fn start_tls_slow(
        ca: &tls::TestCa,
        delay: Duration,
        handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static,
    ) -> Target {
        Self::start_inner(Keep::All, Some((ca.server.clone(), delay)), handler)
    }

    fn start_with(
        keep: Keep,
        tls_config: Option<Arc<rustls::ServerConfig>>,
        handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static,
    ) -> Target {
        Self::start_inner(keep, tls_config.map(|c| (c, Duration::ZERO)), handler)
    }

    fn start_inner(
        keep: Keep,
        tls_config: Option<(Arc<rustls::ServerConfig>, Duration)>,
        handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static,
    ) -> Target {
        let keep_records = keep;
        let handler: Handler = Arc::new(handler);
        let count = Arc::new(AtomicU64::new(0));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let service_us = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let abandoned = Arc::new(AtomicU64::new(0));
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let (c2, s2, u2, st2) = (count.clone(), seen.clone(), service_us.clone(), stop.clone());
        let a2 = abandoned.clone();
        let handshakes = Arc::new(Mutex::new(Vec::new()));
        let hs2 = handshakes.clone();
        let scheme = if tls_config.is_some() { "https" } else { "http" };
        std::thread::spawn(move || {
            for sock in l.incoming() {
                if st2.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(sock) = sock else { continue };
                let _ = sock.set_nodelay(true);
                let sink = Sink {
                    count: c2.clone(),
                    seen: s2.clone(),
                    service_us: u2.clone(),
                    abandoned: a2.clone(),
                    keep: keep_records,
                    stop: st2.clone(),
                };
                let h = handler.clone();
                let (tls_config, hs) = (tls_config.clone(), hs2.clone());
                std::thread::spawn(move || {
                    let _ = match tls_config {
                        None => sock.try_clone().and_then(|raw| serve(sock, &raw, h, sink)),
                        Some((c, delay)) => {
                            std::thread::sleep(delay);
                            tls::serve_tls(sock, c, &hs, h, sink)
                        }
                    };
                });
            }
        });
        Target { addr, count, seen, service_us, abandoned, handshakes, scheme, stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}://{}{}", self.scheme, self.addr, path)
    }

    pub fn handshakes(&self) -> Vec<tls::Handshake> {
        self.handshakes.lock().unwrap().clone()
    }

    pub fn count(&self) -> u64 {
        self.count.load(Ordering::SeqCst)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn abandoned(&self) -> u64 {
        self.abandoned.load(Ordering::SeqCst)
    }
}

/// Where one connection's thread records what it saw.
struct Sink {
    count: Arc<AtomicU64>,
    seen: Arc<Mutex<Vec<Seen>>>,
    service_us: Arc<Mutex<Vec<u64>>>,
    abandoned: Arc<AtomicU64>,
    keep: Keep,
    stop: Arc<AtomicBool>,
}

/// Serves one connection: `stream` carries the bytes (plain or TLS), `raw` is its socket.
fn serve<S: Read + Write>(
    stream: S,
    raw: &std::net::TcpStream,
    h: Handler,
    sink: Sink,
) -> std::io::Result<()> {
    let Sink { count, seen, service_us, abandoned, keep, stop } = sink;
    let mut r = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        let mut headers = HashMap::new();
        loop {
            let mut l = String::new();
            if r.read_line(&mut l)? == 0 {
                return Ok(());
            }
            let l = l.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        let mut body = vec![0; len];
        r.read_exact(&mut body)?;
        let t0 = Instant::now();
        let req =
            Seen { method, path, headers, body: String::from_utf8_lossy(&body).into(), at: t0 };
        count.fetch_add(1, Ordering::SeqCst);
        let reply = h(&req);
        match keep {
            Keep::All => seen.lock().unwrap().push(req),
            Keep::Arrivals => seen.lock().unwrap().push(Seen {
                headers: HashMap::new(),
                body: String::new(),
                ..req
            }),
            Keep::Nothing => {}
        }
        if reply.hang {
            // Hold the connection without answering until the target is dropped or the
            // client goes away.
            let _ = raw.set_read_timeout(Some(Duration::from_millis(50)));
            let mut buf = [0u8; 64];
            loop {
                if stop.load(Ordering::SeqCst) {
                    return Ok(());
                }
                match r.get_mut().read(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) => {}
                    Err(_) => break,
                }
            }
            abandoned.fetch_add(1, Ordering::SeqCst);
            return Ok(());
        }
        if !reply.delay.is_zero() {
            std::thread::sleep(reply.delay.saturating_sub(t0.elapsed()));
        }
        let mut out =
            format!("HTTP/1.1 {} X\r\ncontent-length: {}\r\n", reply.status, reply.body.len());
        for (k, v) in &reply.headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        out.push_str(&reply.body);
        r.get_mut().write_all(out.as_bytes())?;
        r.get_mut().flush()?;
        if keep != Keep::Nothing {
            service_us.lock().unwrap().push(t0.elapsed().as_micros() as u64);
        }
    }
}

pub fn api(name: &str, method: &str, url: &str) -> Api {
    pts_api::make!(Api {
        api_name: name.into(),
        api_id: Some(format!("API{name}")),
        method: method.into(),
        url: url.into(),
        redirect_count_limit: 0.into(),
    })
}

pub fn with_headers(mut a: Api, h: &[(&str, &str)]) -> Api {
    a.header_list = Some(
        h.iter()
            .map(|(k, v)| {
                pts_api::make!(Header {
                    header_name: Some((*k).into()),
                    header_value: Some((*v).into()),
                })
            })
            .collect(),
    );
    a
}

pub fn with_body(mut a: Api, ct: &str, body: &str) -> Api {
    a.body =
        Some(pts_api::make!(Body { content_type: Some(ct.into()), body_value: Some(body.into()) }));
    a
}

pub fn export(name: &str, ty: &str, value: &str, count: Option<&str>) -> Export {
    pts_api::make!(Export {
        export_name: Some(name.into()),
        export_type: Some(ty.into()),
        export_value: Some(value.into()),
        count: count.map(str::to_string),
    })
}

pub fn check(ty: &str, point: &str, op: &str, expect: &str) -> CheckPoint {
    pts_api::make!(CheckPoint {
        check_type: Some(ty.into()),
        check_point: Some(point.into()),
        operator: Some(op.into()),
        expect_value: Some(expect.into()),
    })
}

pub fn relation(name: &str, apis: Vec<Api>) -> Relation {
    pts_api::make!(Relation {
        relation_name: name.into(),
        relation_id: Some(format!("REL{name}")),
        api_list: apis,
    })
}

/// A concurrency-mode scene with `vus` virtual users over all relations.
pub fn conc_scene(relations: Vec<Relation>, vus: i32, minutes: i32) -> Scene {
    pts_api::make!(Scene {
        scene_name: "engine test".into(),
        relation_list: relations,
        load_config: pts_api::make!(LoadConfig {
            test_mode: "concurrency_mode".into(),
            max_running_time: minutes,
            configuration: pts_api::make!(Configuration {
                all_concurrency_begin: Some(vus),
                all_concurrency_limit: Some(vus),
            }),
        }),
    })
}

/// An RPS-mode scene.
pub fn rps_scene(relations: Vec<Relation>, begin: i32, limit: i32, minutes: i32) -> Scene {
    pts_api::make!(Scene {
        scene_name: "engine rps test".into(),
        relation_list: relations,
        load_config: pts_api::make!(LoadConfig {
            test_mode: "tps_mode".into(),
            max_running_time: minutes,
            configuration: pts_api::make!(Configuration {
                all_rps_begin: Some(begin),
                all_rps_limit: Some(limit),
            }),
        }),
    })
}

/// Engine config for tests: `secs_per_minute` wall seconds per scene minute.
pub fn cfg(secs_per_minute: f64) -> EngineConfig {
    EngineConfig {
        time_scale: secs_per_minute,
        max_run_duration: Duration::from_secs(60),
        ..Default::default()
    }
}

/// Percentile (0..1) of a list of microsecond values, in ms.
pub fn pct_ms(v: &mut [u64], q: f64) -> f64 {
    v.sort_unstable();
    if v.is_empty() {
        return 0.0;
    }
    v[((v.len() as f64 * q) as usize).min(v.len() - 1)] as f64 / 1000.0
}

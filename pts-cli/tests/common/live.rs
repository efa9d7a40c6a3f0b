//! pts-local with its real load engine, in this test process, plus the sample shop target
//! on loopback, and a [`Pts`] runner pointed at both: for end-to-end workflow tests with
//! real load. Everything binds 127.0.0.1 and stops when the `Live` is dropped.

use super::{AK, Pts, SECRET};
use pts_local::sample_target::SampleTarget;
use pts_local::{Config, Key, Server};
use serde_json::{Value, json};
use std::time::Duration;

pub struct Live {
    pub pts: Pts,
    pub endpoint: String,
    pub target: SampleTarget,
    pub data: tempfile::TempDir,
    rt: tokio::runtime::Runtime,
    server: Option<pts_local::RunningServer>,
}

impl Live {
    /// `time_scale` scene seconds per real second (60: a one-minute scene runs 1 s);
    /// `delay`: how long the target waits before each answer.
    pub fn start(time_scale: f64, delay: Duration) -> Live {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let data = tempfile::tempdir().unwrap();
        let config = Config::new(data.path())
            .with_keys(vec![Key::new(AK, SECRET)])
            .with_time_scale(time_scale);
        let (server, target) = rt.block_on(async {
            let server = Server::start(config).await.expect("pts-local starts");
            let target = SampleTarget::start(delay).await.expect("target starts");
            (server, target)
        });
        let endpoint = server.endpoint();
        let pts =
            Pts::new().with_env_creds().env("PTS_ENDPOINT", &endpoint).env("PTS_PROTOCOL", "http");
        Live { pts, endpoint, target, data, rt, server: Some(server) }
    }

    /// Runs `pts ARGS` against this pts-local.
    pub fn run(&self, args: &[&str]) -> super::Run {
        self.pts.run(args)
    }

    /// Where the evidence of commands run through [`Live::run`] lands by default.
    pub fn evidence_root(&self) -> std::path::PathBuf {
        self.pts.home_path().join("output").join("aliyun-pts-manage")
    }

    /// Puts bytes into pts-local's file store (as `pts local upload` would).
    pub fn upload(&self, name: &str, bytes: &[u8]) {
        self.server.as_ref().unwrap().upload_bytes(name, bytes).expect("upload");
    }

    /// The runtime pts-local runs on, for tests that call it in-process.
    pub fn runtime(&self) -> &tokio::runtime::Runtime {
        &self.rt
    }

    /// A two-API scene against the target: login (checkpoint: status 200; exports the
    /// token) then items with the token. `minutes` of scene time at `vus` virtual users.
    pub fn shop_scene(&self, name: &str, vus: i32, minutes: i32) -> Value {
        json!({
            "SceneName": name,
            "RelationList": [{
                "RelationName": "shop",
                "ApiList": [
                    {"ApiName": "login", "Url": self.target.url("/api/login"), "Method": "POST",
                     "TimeoutInSecond": 5, "RedirectCountLimit": 0,
                     "Body": {"ContentType": "application/json", "BodyValue": "{\"user\":\"demo\"}"},
                     "CheckPointList": [{"CheckType": "STATUS_CODE", "CheckPoint": "", "Operator": "eq", "ExpectValue": "200"}],
                     "ExportList": [{"ExportName": "token", "ExportType": "BODY_JSON", "ExportValue": "token"}]},
                    {"ApiName": "items", "Url": format!("{}?token=${{token}}", self.target.url("/api/items")),
                     "Method": "GET", "TimeoutInSecond": 5, "RedirectCountLimit": 0}
                ]
            }],
            "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": minutes,
                           "Configuration": {"AllConcurrencyBegin": vus, "AllConcurrencyLimit": vus}}
        })
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        if let Some(s) = self.server.take() {
            self.rt.block_on(s.shutdown());
        }
        self.target.shutdown();
    }
}

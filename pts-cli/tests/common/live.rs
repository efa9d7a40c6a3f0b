//! pts-local with its real load engine, in this test process, plus the sample shop target
//! on loopback, and a [`Pts`] runner pointed at both: for end-to-end workflow tests with
//! real load. Everything binds 127.0.0.1 and stops when the `Live` is dropped.

use super::{AK, Pts, Run, SECRET};
use pts_local::sample_target::SampleTarget;
use pts_local::{Config, Key, Server};
use serde_json::Value;
use std::path::PathBuf;
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
    pub fn run(&self, args: &[&str]) -> Run {
        self.pts.run(args)
    }

    /// Runs `pts ARGS --yes --wait`, polling every 0.2 s for at most 20 s.
    pub fn run_waiting(&self, args: &[&str]) -> Run {
        let mut all = args.to_vec();
        all.extend(["--yes", "--wait", "--poll-interval", "0.2", "--max-wait", "20"]);
        self.pts.run(&all)
    }

    /// Saves `scene` with `pts call SavePtsScene` and returns its SceneId.
    pub fn save_scene(&self, scene: &Value) -> String {
        let saved = self.run(&["call", "SavePtsScene", "--Scene", &scene.to_string(), "--yes"]);
        saved.assert_code(0);
        saved.json()["SceneId"].as_str().expect("SceneId").to_string()
    }

    /// The runtime status GetPtsSceneRunningStatus reports for the scene.
    pub fn runtime_status(&self, scene_id: &str) -> String {
        let r = self.run(&["call", "GetPtsSceneRunningStatus", "--SceneId", scene_id]);
        r.assert_code(0);
        r.json()["Status"].as_str().unwrap().to_string()
    }

    /// Where the evidence of commands run through [`Live::run`] lands by default.
    pub fn evidence_root(&self) -> PathBuf {
        self.pts.home_path().join("output").join("aliyun-pts-manage")
    }

    /// Every evidence directory of `action` under [`Live::evidence_root`], oldest first.
    pub fn evidence_dirs(&self, action: &str) -> Vec<PathBuf> {
        super::evidence_dirs(&self.evidence_root(), action)
    }

    /// The only evidence directory of `action` under [`Live::evidence_root`].
    pub fn only_evidence_dir(&self, action: &str) -> PathBuf {
        super::only_evidence_dir(&self.evidence_root(), action)
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
        self.target.shop_scene(name, vus.into(), minutes.into())
    }

    /// A JMX with one thread looping GET /health on the target; `scheduled_seconds` sets
    /// the thread group's own duration (JMeter seconds), else it loops until stopped.
    pub fn health_jmx(&self, scheduled_seconds: Option<u32>) -> String {
        let port = self.target.addr().port();
        let schedule = scheduled_seconds.map_or(String::new(), |secs| {
            format!(
                r#"
        <boolProp name="ThreadGroup.scheduler">true</boolProp>
        <stringProp name="ThreadGroup.duration">{secs}</stringProp>"#
            )
        });
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3">
  <hashTree>
    <TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="Plan" enabled="true"/>
    <hashTree>
      <ThreadGroup guiclass="ThreadGroupGui" testclass="ThreadGroup" testname="Users" enabled="true">
        <stringProp name="ThreadGroup.on_sample_error">continue</stringProp>
        <elementProp name="ThreadGroup.main_controller" elementType="LoopController" guiclass="LoopControlPanel" testclass="LoopController">
          <boolProp name="LoopController.continue_forever">false</boolProp>
          <stringProp name="LoopController.loops">-1</stringProp>
        </elementProp>
        <stringProp name="ThreadGroup.num_threads">1</stringProp>
        <stringProp name="ThreadGroup.ramp_time">0</stringProp>{schedule}
      </ThreadGroup>
      <hashTree>
        <HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Health" enabled="true">
          <stringProp name="HTTPSampler.domain">127.0.0.1</stringProp>
          <stringProp name="HTTPSampler.port">{port}</stringProp>
          <stringProp name="HTTPSampler.protocol">http</stringProp>
          <stringProp name="HTTPSampler.path">/health</stringProp>
          <stringProp name="HTTPSampler.method">GET</stringProp>
        </HTTPSamplerProxy>
        <hashTree/>
      </hashTree>
    </hashTree>
  </hashTree>
</jmeterTestPlan>
"#
        )
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

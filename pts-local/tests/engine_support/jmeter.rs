//! JMeter helpers of the service tests: a one-sampler JMX, its scene, save and running data.

use pts_api::Client;
use pts_api::ops::get_jmeter_scene_running_data::{
    GetJMeterSceneRunningData, GetJMeterSceneRunningDataRequest, RunningData,
};
use pts_api::ops::save_open_jmeter_scene::{
    File, OpenJMeterScene, SaveOpenJMeterScene, SaveOpenJMeterSceneRequest,
};

/// A response assertion for the thread group's scope: the body must contain `text`.
pub fn body_assertion(text: &str) -> String {
    format!(
        r#"<ResponseAssertion guiclass="AssertionGui" testclass="ResponseAssertion" testname="Body check">
          <collectionProp name="Asserion.test_strings"><stringProp name="1">{text}</stringProp></collectionProp>
          <stringProp name="Assertion.test_field">Assertion.response_data</stringProp>
          <intProp name="Assertion.test_type">16</intProp>
        </ResponseAssertion>
        <hashTree/>"#
    )
}

/// A JMX of one thread group (1 thread, 600 s) with `extra` before its `Home` sampler.
pub fn jmx(port: u16, extra: &str) -> String {
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
        <stringProp name="ThreadGroup.ramp_time">0</stringProp>
        <boolProp name="ThreadGroup.scheduler">true</boolProp>
        <stringProp name="ThreadGroup.duration">600</stringProp>
      </ThreadGroup>
      <hashTree>
        {extra}
        <HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Home" enabled="true">
          <stringProp name="HTTPSampler.domain">127.0.0.1</stringProp>
          <stringProp name="HTTPSampler.port">{port}</stringProp>
          <stringProp name="HTTPSampler.protocol">http</stringProp>
          <stringProp name="HTTPSampler.path">/home</stringProp>
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

pub fn scene(file: &str) -> OpenJMeterScene {
    pts_api::make!(OpenJMeterScene {
        scene_name: "jmx engine".into(),
        agent_count: 1,
        concurrency: Some(2),
        duration: 120,
        ramp_up: Some(0),
        mode: "CONCURRENCY".into(),
        test_file: file.into(),
        file_list: vec![pts_api::make!(File {
            file_name: file.into(),
            file_oss_address: format!("https://oss.example/{file}"),
        })],
    })
}

pub async fn save(client: &Client, s: OpenJMeterScene) -> Result<String, pts_api::Error> {
    let req = SaveOpenJMeterSceneRequest::builder().open_jmeter_scene(s).build().unwrap();
    Ok(client.send::<SaveOpenJMeterScene>(req).await?.body.scene_id.unwrap())
}

pub async fn running(client: &Client, id: &str) -> RunningData {
    let req = GetJMeterSceneRunningDataRequest::builder().scene_id(id).build().unwrap();
    client.send::<GetJMeterSceneRunningData>(req).await.unwrap().body.running_data.unwrap()
}

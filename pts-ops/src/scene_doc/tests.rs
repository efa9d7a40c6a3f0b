//! Offline rules of scene files: validation, load arithmetic, canonical form.

use super::load::{concurrency_limits, rps_limits};
use super::validate::validate;
use super::{canonical, jmeter};
use crate::lifecycle::vum_estimate;
use serde_json::{Value, json};

fn scene() -> Value {
    json!({
        "SceneName": "s",
        "RelationList": [
            {"RelationName": "a", "RelationId": "R1", "ApiList": [
                {"ApiName": "x", "ApiId": "A1", "Url": "http://127.0.0.1/x", "Method": "GET", "RedirectCountLimit": 0},
                {"ApiName": "y", "ApiId": "A2", "Url": "http://127.0.0.1/y", "Method": "GET", "RedirectCountLimit": 10}]},
            {"RelationName": "b", "RelationId": "R2", "ApiList": [
                {"ApiName": "z", "ApiId": "A3", "Url": "https://127.0.0.1/z", "Method": "POST", "RedirectCountLimit": 0}]}
        ],
        "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": 5,
                       "Configuration": {"AllConcurrencyBegin": 3, "AllConcurrencyLimit": 7}}
    })
}

fn fields(v: &Value) -> Vec<String> {
    validate(v).into_iter().map(|i| i.field).collect()
}

#[test]
fn a_valid_scene_has_no_issues_and_its_vum_bound() {
    assert_eq!(validate(&scene()), vec![]);
    assert_eq!(concurrency_limits(&scene()), vec![4, 3]);
    assert_eq!(vum_estimate(&scene()), Some(35));
}

#[test]
fn rps_must_not_increase_along_a_chain() {
    let mut s = scene();
    s["LoadConfig"] = json!({"TestMode": "tps_mode", "MaxRunningTime": 5, "Configuration": {},
        "ApiLoadConfigList": [
            {"ApiId": "A1", "RpsBegin": 5, "RpsLimit": 10},
            {"ApiId": "A2", "RpsBegin": 5, "RpsLimit": 20},
            {"ApiId": "A3", "RpsBegin": 1, "RpsLimit": 1}]});
    assert_eq!(rps_limits(&s), vec![vec![10, 20], vec![1]]);
    let issues = validate(&s);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert!(issues[0].rule.contains("must not increase along relation 0 (a)"), "{issues:?}");
    assert_eq!(vum_estimate(&s), None);
}

#[test]
fn ranges_enumerations_and_agents() {
    let mut s = scene();
    s["LoadConfig"]["Increment"] = json!(15);
    s["LoadConfig"]["KeepTime"] = json!(5);
    s["LoadConfig"]["AgentCount"] = json!(2);
    s["AdvanceSetting"] = json!({"LogRate": 3});
    s["RelationList"][0]["ApiList"][0]["ExportList"] =
        json!([{"ExportName": "t", "ExportType": "XML"}]);
    s["RelationList"][0]["ApiList"][1]["RedirectCountLimit"] = json!(3);
    s["RelationList"][1]["ApiList"][0]["Url"] = json!("ftp://h/z");
    let f = fields(&s);
    for want in [
        "Scene.LoadConfig.Increment",
        "Scene.LoadConfig.KeepTime",
        "Scene.LoadConfig.AgentCount",
        "Scene.AdvanceSetting.LogRate",
        "Scene.RelationList[0].ApiList[0].ExportList[0].ExportType",
        "Scene.RelationList[0].ApiList[1].RedirectCountLimit",
        "Scene.RelationList[1].ApiList[0].Url",
    ] {
        assert!(f.contains(&want.to_string()), "{want} not in {f:?}");
    }
}

#[test]
fn unknown_keys_and_wrong_types_name_the_field() {
    let mut s = scene();
    s["sceneName"] = json!("lower");
    s["LoadConfig"]["MaxRunningTime"] = json!("5");
    let issues = validate(&s);
    let text: Vec<String> = issues.iter().map(ToString::to_string).collect();
    assert!(
        text.contains(
            &"Scene.sceneName is not a field of this object (did you mean SceneName?)".to_string()
        ),
        "{text:?}"
    );
    assert!(
        text.contains(&"Scene.LoadConfig.MaxRunningTime must be an integer".to_string()),
        "{text:?}"
    );
}

#[test]
fn canonical_drops_what_the_service_adds() {
    let mut stored = scene();
    stored["Status"] = json!("Draft");
    stored["CreateTime"] = json!("2026-01-01 00:00:00");
    stored["Headers"] = json!([]);
    stored["LoadConfig"]["TestMode"] = json!("CONCURRENCY");
    stored["LoadConfig"]["RelationLoadConfigList"] = json!([]);
    stored["GlobalParameterList"] = Value::Null;
    assert_eq!(canonical(&stored), canonical(&scene()));
}

#[test]
fn jmeter_scene_rules() {
    let ok = json!({"SceneName": "j", "Mode": "CONCURRENCY", "Concurrency": 2, "Duration": 60,
        "AgentCount": 1, "TestFile": "t.jmx", "FileList": [{"Path": "dir/t.jmx"}]});
    assert_eq!(jmeter::validate(&ok), vec![]);
    let mut bad = ok.clone();
    bad["Mode"] = json!("FAST");
    bad["Duration"] = json!(0);
    bad["TestFiel"] = json!("x");
    let f: Vec<String> = jmeter::validate(&bad).into_iter().map(|i| i.field).collect();
    assert_eq!(f, ["OpenJMeterScene.TestFiel", "OpenJMeterScene.Mode", "OpenJMeterScene.Duration"]);
}

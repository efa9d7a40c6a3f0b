//! Open enums: known values read as variants, aliases as their canonical value, and an
//! unknown value is kept and written back unchanged (numbers stay numbers).

use pts_api::ops::get_pts_scene::GetPtsSceneResponse;
use pts_api::shapes::load_mode::LoadMode;
use pts_api::shapes::pts_scene_status::PtsSceneStatus;
use pts_api::shapes::redirect_count_limit::RedirectCountLimit;
use pts_api::shapes::test_mode::TestMode;
use serde_json::json;

#[test]
fn unknown_text_round_trips_unchanged() {
    let m: TestMode = serde_json::from_value(json!("burst_mode")).unwrap();
    assert_eq!(m, TestMode::Unknown("burst_mode".into()));
    assert!(!m.is_known());
    assert_eq!(serde_json::to_value(&m).unwrap(), json!("burst_mode"));
}

#[test]
fn known_values_and_aliases_read_as_variants() {
    let m: TestMode = serde_json::from_value(json!("tps_mode")).unwrap();
    assert_eq!((m.clone(), m.to_string()), (TestMode::TpsMode, "tps_mode".to_string()));
    for alias in ["TPS", "tps", "rps_mode", "rps"] {
        assert_eq!(TestMode::from(alias), TestMode::TpsMode, "{alias}");
    }
    assert_eq!("concurrency_mode".parse::<TestMode>(), Ok(TestMode::ConcurrencyMode));
    assert_eq!(LoadMode::from("tps_mode"), LoadMode::Tps);
    assert_eq!(LoadMode::Concurrency.as_str(), "CONCURRENCY");
}

#[test]
fn integer_sets_stay_numbers() {
    let known: RedirectCountLimit = serde_json::from_value(json!(10)).unwrap();
    assert_eq!(known, RedirectCountLimit::V10);
    let text: RedirectCountLimit = serde_json::from_value(json!("0")).unwrap();
    assert_eq!(text, RedirectCountLimit::V0);
    let unknown: RedirectCountLimit = serde_json::from_value(json!(7)).unwrap();
    assert_eq!(unknown, RedirectCountLimit::Unknown(7));
    assert_eq!(serde_json::to_value(unknown).unwrap(), json!(7));
    assert_eq!(serde_json::to_value(RedirectCountLimit::V10).unwrap(), json!(10));
}

#[test]
fn a_response_keeps_values_it_does_not_know() {
    let body = json!({
        "Scene": {"SceneName": "s", "Status": "Archived",
                  "LoadConfig": {"TestMode": "CONCURRENCY", "MaxRunningTime": 5},
                  "RelationList": [{"ApiList": [{"Method": "QUERY", "RedirectCountLimit": 3}]}]}
    });
    let resp: GetPtsSceneResponse = serde_json::from_value(body.clone()).unwrap();
    let scene = resp.scene.as_ref().unwrap();
    assert_eq!(scene.status, Some(PtsSceneStatus::Unknown("Archived".into())));
    assert_eq!(scene.load_config.as_ref().unwrap().test_mode, Some(LoadMode::Concurrency));
    let back = serde_json::to_value(&resp).unwrap();
    assert_eq!(back["Scene"]["Status"], "Archived");
    assert_eq!(back["Scene"]["RelationList"][0]["ApiList"][0]["Method"], "QUERY");
    assert_eq!(back["Scene"]["RelationList"][0]["ApiList"][0]["RedirectCountLimit"], 3);
    assert_eq!(back["Scene"]["LoadConfig"]["TestMode"], "CONCURRENCY");
}

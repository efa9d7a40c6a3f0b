use crate::generated::operations::get_pts_scene::{GetPtsSceneResponse, Scene};
use crate::generated::shapes::load_mode::LoadMode;
use serde_json::{Value, json};

fn read<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
    serde_json::from_value(v).map_err(|e| e.to_string())
}

#[test]
fn scalars_read_leniently_and_an_unreadable_one_is_absent() {
    let r: GetPtsSceneResponse = read(json!({
        "HttpStatusCode": "200", "Success": "true", "Code": 7, "Message": null,
        "RequestId": ["not", "text"], "Extra": {"ignored": true}
    }))
    .unwrap();
    assert_eq!(r.http_status_code, Some(200));
    assert_eq!(r.success, Some(true));
    assert_eq!(r.code.as_deref(), Some("7"));
    assert_eq!(r.message, None);
    // Any non-null value reads as text: an array as its JSON text.
    assert_eq!(r.request_id.as_deref(), Some(r#"["not","text"]"#));

    let r: GetPtsSceneResponse = read(json!({"HttpStatusCode": "two hundred"})).unwrap();
    assert_eq!(r.http_status_code, None, "an unreadable scalar is absent, not an error");
    let r: GetPtsSceneResponse = read(json!({"HttpStatusCode": 3_000_000_000_i64})).unwrap();
    assert_eq!(r.http_status_code, None, "out of the int32 range");
}

#[test]
fn an_object_or_list_of_the_wrong_kind_fails_naming_its_path() {
    let e = read::<GetPtsSceneResponse>(json!({"Scene": "no"})).unwrap_err();
    assert_eq!(e, "`Scene`: expected an object, got text");
    let e = read::<GetPtsSceneResponse>(
        json!({"Scene": {"LoadConfig": {"ApiLoadConfigList": [{}, 5]}}}),
    )
    .unwrap_err();
    assert_eq!(e, "`Scene.LoadConfig.ApiLoadConfigList[1]`: expected an object, got a number");
    let e = read::<GetPtsSceneResponse>(json!([1])).unwrap_err();
    assert_eq!(e, "expected an object, got an array");
}

#[test]
fn writing_leaves_absent_fields_out_and_round_trips() {
    let v = json!({
        "Scene": {
            "SceneName": "s",
            "LoadConfig": {"TestMode": "TPS", "MaxRunningTime": 2, "Configuration": {"AllRpsBegin": 10}},
            "RelationList": [{"RelationName": "r", "ApiList": [{"ApiName": "a", "Method": "GET"}]}]
        },
        "Success": true
    });
    let r: GetPtsSceneResponse = read(v.clone()).unwrap();
    let scene = r.scene.as_ref().unwrap();
    assert_eq!(scene.load_config.as_ref().unwrap().test_mode, Some(LoadMode::Tps));
    assert_eq!(serde_json::to_value(&r).unwrap(), v);
    // Keys come out in wire order, the order of the struct's fields.
    let text = serde_json::to_string(&r).unwrap();
    assert!(text.starts_with(r#"{"Scene":{"LoadConfig""#), "{text}");
    assert!(text.ends_with(r#""Success":true}"#), "{text}");
}

#[test]
fn open_enums_keep_unknown_values_and_read_numbers_as_text() {
    let s: Scene = read(json!({"LoadConfig": {"TestMode": "LATER"}})).unwrap();
    let mode = s.load_config.unwrap().test_mode.unwrap();
    assert_eq!(mode, LoadMode::Unknown("LATER".into()));
    assert_eq!(serde_json::to_value(&mode).unwrap(), json!("LATER"));
    let s: Scene = read(json!({"LoadConfig": {"TestMode": 5}})).unwrap();
    assert_eq!(s.load_config.unwrap().test_mode, Some(LoadMode::Unknown("5".into())));
}

mod requests {
    use super::read;
    use crate::generated::operations::create_pts_scene::CreatePtsSceneRequest;
    use crate::generated::operations::list_pts_scene::ListPtsSceneRequest;
    use crate::generated::shapes::scene::Scene;
    use serde_json::json;

    #[test]
    fn a_request_reads_strictly() {
        let r: ListPtsSceneRequest = read(json!({"PageNumber": 1, "PageSize": "10"})).unwrap();
        assert_eq!((r.page_number, r.page_size, r.key_word), (1, 10, None));
        let e = read::<ListPtsSceneRequest>(json!({"PageNumber": 1})).unwrap_err();
        assert_eq!(e, "missing field `PageSize`");
        let e =
            read::<ListPtsSceneRequest>(json!({"PageNumber": 1, "PageSize": null})).unwrap_err();
        assert_eq!(e, "missing field `PageSize`");
        let e =
            read::<ListPtsSceneRequest>(json!({"PageNumber": "one", "PageSize": 1})).unwrap_err();
        assert_eq!(e, "`PageNumber`: expected a 32-bit integer, got text");
        let e = read::<ListPtsSceneRequest>(json!({"PageNumber": 1, "PageSize": 1, "Extra": 1}))
            .unwrap_err();
        assert_eq!(e, "unknown field `Extra`");
    }

    #[test]
    fn a_request_writes_required_fields_and_leaves_absent_ones_out() {
        let r: ListPtsSceneRequest = read(json!({"PageNumber": 2, "PageSize": 10})).unwrap();
        assert_eq!(serde_json::to_value(&r).unwrap(), json!({"PageNumber": 2, "PageSize": 10}));
    }

    #[test]
    fn a_json_text_parameter_reads_typed_from_an_object_and_raw_from_text() {
        let text = "{\"SceneName\":\"x\"}";
        let r: CreatePtsSceneRequest = read(json!({"Scene": text})).unwrap();
        assert_eq!(r.scene, crate::JsonText::raw(text));
        assert_eq!(serde_json::to_value(&r).unwrap(), json!({"Scene": text}));
        let scene = Scene { scene_name: "x".into(), ..Scene::default() };
        let typed = CreatePtsSceneRequest { scene: crate::JsonText::Typed(scene) };
        let v = serde_json::to_value(&typed).unwrap();
        assert_eq!(v["Scene"]["SceneName"], "x");
        assert_eq!(read::<CreatePtsSceneRequest>(v).unwrap(), typed);
        let e = read::<CreatePtsSceneRequest>(json!({"Scene": {"SceneName": "x"}})).unwrap_err();
        assert_eq!(e, "`Scene`: missing field `LoadConfig`");
        // Inside the shape the rules are a request's too.
        let mut v = serde_json::to_value(Scene::default()).unwrap();
        assert_eq!(read::<Scene>(v.clone()).unwrap(), Scene::default());
        v["Bogus"] = json!(1);
        let e = read::<Scene>(v).unwrap_err();
        assert_eq!(e, "unknown field `Bogus`");
    }
}

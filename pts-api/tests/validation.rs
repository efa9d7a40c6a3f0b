//! Generated validation: valid input passes; each kind of violation is refused with an
//! error naming the operation, the field and the rule.

use pts_api::meta::Constraint;
use pts_api::ops::create_pts_scene::CreatePtsSceneRequest;
use pts_api::ops::list_pts_scene::ListPtsSceneRequest;
use pts_api::ops::save_env::{Env, File, SaveEnvRequest};
use pts_api::ops::save_pts_scene::SavePtsSceneRequest;
use pts_api::shapes::scene::{Api, Configuration, LoadConfig, Relation, Scene};
use pts_api::{JsonText, Request, Rule, ValidationError};

fn scene() -> Scene {
    pts_api::make!(Scene {
        scene_name: "checkout".into(),
        relation_list: vec![pts_api::make!(Relation {
            relation_name: "flow".into(),
            api_list: vec![pts_api::make!(Api {
                api_name: "home".into(),
                url: "http://127.0.0.1:8080/".into(),
                method: "GET".into(),
                redirect_count_limit: 10.into(),
                timeout_in_second: Some(5),
            })],
        })],
        load_config: pts_api::make!(LoadConfig {
            test_mode: "concurrency_mode".into(),
            max_running_time: 10,
            configuration: pts_api::make!(Configuration {
                all_concurrency_begin: Some(10),
                all_concurrency_limit: Some(100),
            }),
            auto_step: Some(true),
            increment: Some(20),
            keep_time: Some(2),
        }),
    })
}

fn save(s: Scene) -> Result<SavePtsSceneRequest, ValidationError> {
    SavePtsSceneRequest::builder().scene(s).build()
}

fn rule_of(r: Result<SavePtsSceneRequest, ValidationError>) -> (String, Rule) {
    let e = r.expect_err("must be refused");
    assert_eq!(e.operation, "SavePtsScene");
    (e.field, e.rule)
}

#[test]
fn a_valid_scene_passes() {
    save(scene()).expect("valid scene");
}

#[test]
fn maximum_and_minimum() {
    let mut s = scene();
    s.load_config.max_running_time = 1441;
    let (field, rule) = rule_of(save(s));
    assert_eq!(field, "Scene.LoadConfig.MaxRunningTime");
    assert!(matches!(rule, Rule::Constraint(Constraint::Maximum(_))), "{rule:?}");
    let mut s = scene();
    s.relation_list[0].api_list[0].timeout_in_second = Some(0);
    let (field, rule) = rule_of(save(s));
    assert_eq!(field, "Scene.RelationList[0].ApiList[0].TimeoutInSecond");
    assert!(matches!(rule, Rule::Constraint(Constraint::Minimum(_))));
}

#[test]
fn length_pattern_and_enum() {
    let mut s = scene();
    s.scene_name = "x".repeat(31);
    let (field, rule) = rule_of(save(s));
    assert_eq!(field, "Scene.SceneName");
    assert_eq!(rule, Rule::Constraint(Constraint::MaxLength(30)));

    let mut s = scene();
    s.relation_list[0].api_list[0].url = "ftp://host/".into();
    let (field, rule) = rule_of(save(s));
    assert_eq!(field, "Scene.RelationList[0].ApiList[0].Url");
    assert!(matches!(rule, Rule::Constraint(Constraint::Pattern(_))));

    let mut s = scene();
    s.relation_list[0].api_list[0].method = "FETCH".into();
    assert!(matches!(rule_of(save(s)).1, Rule::Constraint(Constraint::OneOf(_))));

    let mut s = scene();
    s.relation_list[0].api_list[0].redirect_count_limit = 5.into();
    assert!(matches!(rule_of(save(s)).1, Rule::Constraint(Constraint::OneOf(_))));

    let env =
        pts_api::make!(Env { env_name: "e".into(), jmeter_plugin_label: Some("lower".into()) });
    let e = SaveEnvRequest::builder().env(env).build().unwrap_err();
    assert_eq!((e.operation, e.field.as_str()), ("SaveEnv", "Env.JmeterPluginLabel"));
    assert_eq!(e.rule, Rule::Constraint(Constraint::Pattern("^[A-Z0-9]+$")));
}

#[test]
fn item_counts() {
    let mut s = scene();
    s.relation_list.clear();
    assert_eq!(
        rule_of(save(s)),
        ("Scene.RelationList".into(), Rule::Constraint(Constraint::MinItems(1)))
    );
    let files = (0..81)
        .map(|i| {
            pts_api::make!(File { file_name: format!("f{i}.csv"), file_oss_address: "u".into() })
        })
        .collect();
    let env = pts_api::make!(Env { env_name: "e".into(), files: files });
    let e = SaveEnvRequest::builder().env(env).build().unwrap_err();
    assert_eq!(e.field, "Env.Files");
    assert_eq!(e.rule, Rule::Constraint(Constraint::MaxItems(80)));
}

#[test]
fn step_and_sibling_rules() {
    let mut s = scene();
    s.load_config.increment = Some(15);
    assert_eq!(rule_of(save(s)).1, Rule::Constraint(Constraint::MultipleOf(10)));
    let mut s = scene();
    s.load_config.keep_time = Some(10);
    assert_eq!(
        rule_of(save(s)),
        (
            "Scene.LoadConfig.KeepTime".into(),
            Rule::Constraint(Constraint::LessThanField("MaxRunningTime"))
        )
    );
    let mut s = scene();
    s.load_config.configuration.all_concurrency_begin = Some(200);
    assert_eq!(
        rule_of(save(s)).1,
        Rule::Constraint(Constraint::AtMostField("AllConcurrencyLimit"))
    );
}

#[test]
fn required_and_paging_bounds() {
    let e = ListPtsSceneRequest::builder().page_size(10).build().unwrap_err();
    assert_eq!((e.field.as_str(), &e.rule), ("PageNumber", &Rule::Required));
    let e = ListPtsSceneRequest::builder().page_number(1).page_size(5).build().unwrap_err();
    assert_eq!(e.field, "PageSize");
    assert!(e.to_string().contains("ListPtsScene: parameter PageSize must be at least 10"), "{e}");
    // The unchecked path builds what the rules refuse, for tests and raw use.
    let raw = ListPtsSceneRequest::builder().page_number(1).page_size(5).build_unchecked().unwrap();
    assert_eq!(raw.page_size, 5);
    assert!(raw.validate().is_err());
}

#[test]
fn json_string_scene_is_checked_in_either_casing() {
    let typed = CreatePtsSceneRequest::builder().scene(scene()).build().unwrap();
    // The typed scene goes out as lowerCamel JSON text, the casing CreatePtsScene documents.
    let wire = typed.to_wire().unwrap();
    let text = &wire.query.iter().find(|(k, _)| *k == "Scene").unwrap().1;
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(v["sceneName"], "checkout");
    assert_eq!(v["relationList"][0]["apiList"][0]["url"], "http://127.0.0.1:8080/");
    // Raw text is sent verbatim and still validated, in either casing.
    let raw = CreatePtsSceneRequest::builder().scene(JsonText::raw(text.clone())).build().unwrap();
    assert_eq!(raw.to_wire().unwrap().query[0].1, *text);
    let bad = text.replace("\"maxRunningTime\":10", "\"maxRunningTime\":5000");
    let e = CreatePtsSceneRequest::builder().scene(JsonText::raw(bad)).build().unwrap_err();
    assert_eq!(e.field, "Scene.LoadConfig.MaxRunningTime");
    let e = CreatePtsSceneRequest::builder().scene(JsonText::raw("{not json")).build().unwrap_err();
    assert!(matches!(e.rule, Rule::InvalidJson(_)));
}

#[test]
fn unknown_and_mistyped_parameters_from_json() {
    let meta = pts_api::operation_meta("ListPtsScene").unwrap();
    let v = serde_json::json!({"PageNumber": 1, "PageSize": 10, "Keyword": "x"});
    let e = pts_api::__private::validate::validate_params(meta, &v).unwrap_err();
    assert_eq!(e.rule, Rule::Unknown { suggestion: Some("KeyWord".into()) });
    assert!(e.to_string().contains("did you mean KeyWord"));
    let v = serde_json::json!({"PageNumber": "one", "PageSize": 10});
    let e = pts_api::__private::validate::validate_params(meta, &v).unwrap_err();
    assert_eq!(e.rule, Rule::Type { expected: "int32" });
    let v = serde_json::json!({"PageNumber": 3_000_000_000i64, "PageSize": 10});
    assert!(pts_api::__private::validate::validate_params(meta, &v).is_err());
}

//! Compiles the codegen golden outputs (codegen/tests/output) inside this crate and
//! exercises them, so a golden file that stops compiling or working fails here.

// Generated code is formatted by prettyplease and may carry items these tests do not use.
#[rustfmt::skip]
#[allow(dead_code)]
#[path = "../../codegen/tests/output/get_jmeter_vswitch_logs.rs"]
mod get_jmeter_vswitch_logs;
#[rustfmt::skip]
#[allow(dead_code)]
#[path = "../../codegen/tests/output/save_thing.rs"]
mod save_thing;

use crate::{Paginated, Request, Rule};

#[test]
fn obstacle_names_build_validate_and_encode() {
    use get_jmeter_vswitch_logs::*;
    let req = GetJMeterVSwitchLogsRequest::builder()
        .page_number(2)
        .max_rt(15i64)
        .type_value("error")
        .success(true)
        .build()
        .unwrap();
    let wire = req.to_wire().unwrap();
    let q: Vec<(&str, &str)> = wire.query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(q, [("MaxRT", "15"), ("PageNumber", "2"), ("Success", "true"), ("Type", "error")]);
    let e = GetJMeterVSwitchLogsRequest::builder().page_number(0).build().unwrap_err();
    assert_eq!((e.operation, e.field.as_str()), ("GetJMeterVSwitchLogs", "PageNumber"));
    let body = r#"{"LogList":[{"RT":"1.5","StartTimeTS":"7","VSwitchId":"vsw"}],"TotalCount":9,"Status":"Paused"}"#;
    let mut resp: GetJMeterVSwitchLogsResponse = serde_json::from_str(body).unwrap();
    assert_eq!(resp.status.as_ref().map(|s| s.as_str()), Some("Paused"));
    assert_eq!(GetJMeterVSwitchLogs::total_count(&resp), Some(9));
    let items = GetJMeterVSwitchLogs::take_items(&mut resp);
    assert_eq!((items[0].rt, items[0].start_time_ts), (Some(1.5), Some(7)));
}

#[test]
fn nested_json_parameter_and_form_location() {
    use save_thing::*;
    let thing = Thing {
        item_list: vec![Item { name: "abc".into(), count: Some(20) }],
        config: Some(Config { begin: Some(1), limit: Some(5) }),
        labels: None,
    };
    let req = SaveThingRequest::builder().thing(thing.clone()).note("hi").build().unwrap();
    let wire = req.to_wire().unwrap();
    assert_eq!(wire.form, [("Note", "hi".to_string())]);
    assert_eq!(
        wire.query,
        [(
            "Thing",
            r#"{"Config":{"Begin":1,"Limit":5},"ItemList":[{"Count":20,"Name":"abc"}]}"#
                .to_string()
        )]
    );
    let mut bad = thing.clone();
    bad.config = Some(Config { begin: Some(9), limit: Some(5) });
    let e = SaveThingRequest::builder().thing(bad).build().unwrap_err();
    assert_eq!(e.field, "Thing.Config.Begin");
    let mut bad = thing;
    bad.item_list[0].name = "ABC".into();
    let e = SaveThingRequest::builder().thing(bad).build().unwrap_err();
    assert!(matches!(e.rule, Rule::Constraint(crate::meta::Constraint::Pattern(_))));
}

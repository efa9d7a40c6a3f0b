//! `pts mcp serve` driven by rmcp's client over stdio, against pts-local (real engine) in
//! this process: tool listing and schemas, reads, validation, the read-only default, the
//! plan-then-confirm gate, a full start/watch/stop/report cycle with real load, and a scan
//! of every message, the server's stderr and the evidence for secrets.

mod common;
mod mcp_support;

use common::live::Live;
use mcp_support::{Mcp, save_args};
use serde_json::{Value, json};
use std::time::Duration;

const WORKFLOW_TOOLS: [&str; 8] = [
    "scene_inventory",
    "scene_detail",
    "preflight_start",
    "start_scene",
    "running_snapshot",
    "stop_scene",
    "report_summary",
    "sla_run",
];

fn live() -> Live {
    Live::start(60.0, Duration::from_millis(2))
}

/// Structural JSON Schema check: known keywords only, typed values, `required` naming
/// declared properties, closed objects, recursively.
fn check_schema(path: &str, s: &Value) {
    let m = s.as_object().unwrap_or_else(|| panic!("{path}: schema is not an object"));
    const KEYS: [&str; 19] = [
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "anyOf",
        "format",
        "description",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
        "enum",
        "minItems",
        "maxItems",
    ];
    for k in m.keys() {
        assert!(KEYS.contains(&k.as_str()), "{path}: unexpected keyword {k}");
    }
    if let Some(t) = m.get("type") {
        let t = t.as_str().unwrap();
        assert!(
            ["object", "array", "string", "integer", "number", "boolean"].contains(&t),
            "{path}: type {t}"
        );
    }
    if let Some(props) = m.get("properties") {
        let props = props.as_object().unwrap();
        for (k, v) in props {
            check_schema(&format!("{path}.{k}"), v);
        }
        for r in m.get("required").and_then(Value::as_array).into_iter().flatten() {
            assert!(props.contains_key(r.as_str().unwrap()), "{path}: required {r} undeclared");
        }
        assert_eq!(m.get("additionalProperties"), Some(&json!(false)), "{path}: open object");
    }
    if let Some(Value::Object(_)) = m.get("additionalProperties") {
        check_schema(&format!("{path}.*"), &m["additionalProperties"]);
    }
    if let Some(items) = m.get("items") {
        check_schema(&format!("{path}[]"), items);
    }
    for (i, alt) in m.get("anyOf").and_then(Value::as_array).into_iter().flatten().enumerate() {
        check_schema(&format!("{path}|{i}"), alt);
    }
    for k in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"] {
        if let Some(v) = m.get(k) {
            assert!(v.is_number(), "{path}: {k}");
        }
    }
    if let Some(p) = m.get("pattern") {
        assert!(p.is_string(), "{path}: pattern");
    }
}

#[test]
fn tools_cover_every_operation_with_valid_schemas_and_annotations() {
    let live = live();
    let mcp = Mcp::start(&live, &[]);
    assert!(mcp.instructions().contains("read-only"));
    let tools = mcp.tools();
    assert_eq!(tools.len(), 44 + WORKFLOW_TOOLS.len());
    for op in pts_api::OPERATIONS {
        let t = tools.iter().find(|t| t.name == op.name).unwrap_or_else(|| panic!("{}", op.name));
        let desc = t.description.as_deref().unwrap();
        assert!(!desc.contains('\n') && !desc.is_empty(), "{}: {desc}", op.name);
        let schema = t.schema_as_json_value();
        assert_eq!(schema["type"], "object");
        check_schema(op.name, &schema);
        for p in op.params {
            assert!(schema["properties"].get(p.name).is_some(), "{}.{}", op.name, p.name);
        }
        let a = t.annotations.as_ref().unwrap();
        assert_eq!(a.read_only_hint, Some(!op.is_mutating()), "{}", op.name);
        assert_eq!(schema["properties"].get("confirm_token").is_some(), op.is_mutating());
        if op.name.starts_with("Delete") {
            assert_eq!(a.destructive_hint, Some(true), "{}", op.name);
        }
    }
    for name in WORKFLOW_TOOLS {
        let t = tools.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("{name}"));
        check_schema(name, &t.schema_as_json_value());
    }
    // The nested Scene shape, with its rules.
    let save = tools.iter().find(|t| t.name == "SavePtsScene").unwrap().schema_as_json_value();
    let scene = &save["properties"]["Scene"];
    assert_eq!(scene["properties"]["LoadConfig"]["properties"]["MaxRunningTime"]["maximum"], 1440);
    // CreatePtsScene's Scene travels as JSON text: the typed object, or the text.
    let create = tools.iter().find(|t| t.name == "CreatePtsScene").unwrap().schema_as_json_value();
    let typed = &create["properties"]["Scene"]["anyOf"][0];
    assert_eq!(typed["properties"]["LoadConfig"]["properties"]["MaxRunningTime"]["maximum"], 1440);
    mcp.finish();
}

#[test]
fn reads_validation_and_the_read_only_default() {
    let live = live();
    let mcp = Mcp::start(&live, &[]);
    // A read.
    let r = mcp.call("ListPtsScene", json!({"PageNumber": 1, "PageSize": 10}));
    assert!(r.ok()["SceneViewList"].is_array(), "{}", r.text());
    assert!(r.text().contains("ListPtsScene: ok"));
    let inv = mcp.call("scene_inventory", json!({}));
    assert_eq!(inv.ok()["count"], 0);
    // Validation failures name the field and the rule; nothing is sent.
    let bad = mcp.call("ListPtsScene", json!({"PageNumber": 1, "PageSize": 5}));
    let e = bad.err();
    assert_eq!(e["error"], "validation");
    assert_eq!(e["field"], "PageSize");
    assert_eq!(e["rule"], "must be at least 10");
    let mut scene = live.shop_scene("bad", 2, 1);
    scene["LoadConfig"]["MaxRunningTime"] = json!(5000);
    let e = mcp.call("SavePtsScene", save_args(scene)).err().clone();
    assert_eq!(e["field"], "Scene.LoadConfig.MaxRunningTime");
    assert_eq!(e["rule"], "must be at most 1440");
    let e = mcp.call("GetPtsScene", json!({})).err().clone();
    assert_eq!((e["field"].as_str(), e["rule"].as_str()), (Some("SceneId"), Some("required")));
    let e = mcp.call("GetPtsScene", json!({"SceneId": "X", "Bogus": 1})).err().clone();
    assert_eq!(e["field"], "Bogus");
    let e = mcp.call("scene_detail", json!({})).err().clone();
    assert_eq!(e["field"], "scene_id");
    // A mutation without --allow-mutations: refused, nothing created.
    let r = mcp.call("SavePtsScene", save_args(live.shop_scene("s", 2, 1)));
    let e = r.err();
    assert_eq!(e["error"], "refused");
    assert!(e["message"].as_str().unwrap().contains("--allow-mutations"));
    let r = mcp.call("start_scene", json!({"scene_id": "X"}));
    assert_eq!(r.err()["error"], "refused");
    let after = mcp.call("ListPtsScene", json!({"PageNumber": 1, "PageSize": 10}));
    assert_eq!(after.ok()["SceneViewList"], json!([]));
    assert!(!live.evidence_root().exists(), "no evidence for refused calls");
    mcp.finish();
}

#[test]
fn local_only_mutations_refuse_a_remote_endpoint() {
    let live = live();
    // The endpoint setting names a non-loopback host: refused before anything is sent.
    let mcp = Mcp::start(&live, &["--allow-mutations=local", "--endpoint", "pts.aliyuncs.com"]);
    let r = mcp.call("StartPtsScene", json!({"SceneId": "ABC"}));
    assert!(r.err()["message"].as_str().unwrap().contains("loopback"), "{}", r.text());
    mcp.finish();
}

#[test]
fn plan_then_confirm_with_single_use_tokens() {
    let live = live();
    let mcp = Mcp::start(&live, &["--allow-mutations=local"]);
    assert!(mcp.instructions().contains("loopback"));
    let args = save_args(live.shop_scene("mcp-plan", 2, 1));
    // The plan: what, where, who; nothing sent yet.
    let plan = mcp.call("SavePtsScene", args.clone());
    let p = plan.ok().clone();
    assert_eq!(p["executed"], false);
    assert_eq!(p["plan"]["target"]["endpoint"], live.endpoint.as_str());
    assert!(p["plan"]["target"]["access_key_id"].as_str().unwrap().contains('*'));
    assert_eq!(p["plan"]["changes"]["scene"]["SceneName"], "mcp-plan");
    assert_eq!(p["plan"]["effect"], "creates a new PTS scene");
    let token = p["confirm_token"].as_str().unwrap().to_string();
    let listed = mcp.call("ListPtsScene", json!({"PageNumber": 1, "PageSize": 10}));
    assert_eq!(listed.ok()["SceneViewList"], json!([]));
    // Changed arguments: refused, and the token is spent.
    let mut changed = save_args(live.shop_scene("other-name", 2, 1));
    changed["confirm_token"] = token.clone().into();
    assert_eq!(mcp.call("SavePtsScene", changed).err()["error"], "confirmation");
    let mut same = args.clone();
    same["confirm_token"] = token.into();
    let e = mcp.call("SavePtsScene", same).err().clone();
    assert!(e["message"].as_str().unwrap().contains("already used"), "{e}");
    // A token of another tool is refused too.
    let other = mcp.call("DeletePtsScene", json!({"SceneId": "NOPE"})).ok().clone();
    let mut wrong = args.clone();
    wrong["confirm_token"] = other["confirm_token"].clone();
    assert_eq!(mcp.call("SavePtsScene", wrong).err()["error"], "confirmation");
    // A fresh plan, confirmed: executed once, with evidence.
    let (_, done) = mcp.plan_and_confirm("SavePtsScene", args.clone());
    let d = done.ok().clone();
    let scene_id = d["SceneId"].as_str().unwrap().to_string();
    let dir = d["evidence_dir"].as_str().unwrap();
    let dir = std::path::Path::new(dir);
    assert!(dir.is_absolute() && dir.starts_with(live.evidence_root()), "{dir:?}");
    assert!(dir.join("command.json").exists() && dir.join("summary.md").exists(), "{dir:?}");
    // An update gets a diff against the current scene.
    let mut scene = live.shop_scene("mcp-plan", 3, 1);
    scene["SceneId"] = scene_id.clone().into();
    let p = mcp.call("SavePtsScene", save_args(scene)).ok().clone();
    let diff = p["plan"]["changes"]["diff"].as_array().unwrap();
    assert!(diff.contains(&json!("~ LoadConfig.Configuration.AllConcurrencyLimit: 2 -> 3")), "{p}");
    // The scene exists once.
    let listed = mcp.call("ListPtsScene", json!({"PageNumber": 1, "PageSize": 10}));
    assert_eq!(listed.ok()["SceneViewList"].as_array().unwrap().len(), 1);
    mcp.finish();
}

#[test]
fn operation_tools_cycle_with_real_load_and_no_secret_anywhere() {
    let live = live();
    // Debug logs on too: they go to stderr, which is scanned like every message.
    let mcp = Mcp::start(&live, &["--allow-mutations", "--verbose"]);
    // A scene that itself holds a secret (an Authorization header): results show it redacted.
    let mut scene = live.shop_scene("mcp-cycle", 4, 10);
    scene["RelationList"][0]["ApiList"][1]["HeaderList"] = json!([
        {"HeaderName": "Authorization", "HeaderValue": format!("Bearer {}", common::SECRET)}
    ]);
    let (_, saved) = mcp.plan_and_confirm("SavePtsScene", save_args(scene));
    let scene_id = saved.ok()["SceneId"].as_str().unwrap().to_string();
    let detail = mcp.call("scene_detail", json!({"scene_id": scene_id}));
    assert_eq!(detail.ok()["summary_fields"]["SceneName"], "mcp-cycle");
    let header = &detail.ok()["scene"]["RelationList"][0]["ApiList"][1]["HeaderList"][0];
    assert_eq!(header["HeaderValue"], "<redacted>", "{}", detail.ok()["scene"]);
    let (plan, started) = mcp.plan_and_confirm("StartPtsScene", json!({"SceneId": scene_id}));
    // The plan carries the pre-flight of `pts scene start` and its VUM estimate.
    assert_eq!(plan["plan"]["estimated_load"]["vum_estimate"], 40, "{plan}");
    assert_eq!(plan["plan"]["changes"]["preflight"]["ok"], true, "{plan}");
    let plan_id = started.ok()["PlanId"].as_str().unwrap().to_string();
    // Load flows.
    let mut requests = 0;
    for _ in 0..50 {
        let snap = mcp.call("running_snapshot", json!({"scene_id": scene_id, "plan_id": plan_id}));
        requests = snap.ok()["sample"]["total_requests"].as_i64().unwrap_or(0);
        if requests > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(requests > 0, "no load flowed");
    let (_, stopped) = mcp.plan_and_confirm("StopPtsScene", json!({"SceneId": scene_id}));
    assert!(stopped.ok()["evidence_dir"].is_string());
    let mut report = Value::Null;
    for _ in 0..50 {
        let r = mcp.call("GetPtsReportDetails", json!({"SceneId": scene_id, "PlanId": plan_id}));
        if !r.is_error() {
            report = r.data().clone();
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(report["ReportOverView"].is_object(), "{report}");
    let all = mcp.finish();
    assert!(all.iter().any(|m| m.contains(&plan_id)));
    assert!(
        all.iter().any(|m| m.contains("DEBUG") && m.contains("tools/call")),
        "debug logs scanned"
    );
}

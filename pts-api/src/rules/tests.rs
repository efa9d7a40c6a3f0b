//! Every rule with one scene that passes it and one that breaks it.

use super::*;
use serde_json::json;

/// A valid two-relation RPS scene with ids, per-API load, files, checkpoints and exports.
fn base() -> Value {
    json!({
        "SceneName": "shop",
        "RelationList": [
            {"RelationName": "browse", "RelationId": "R1",
             "ApiList": [
                {"ApiName": "list", "ApiId": "A1", "Url": "http://127.0.0.1:8080/list", "Method": "GET",
                 "RedirectCountLimit": 0, "TimeoutInSecond": 5,
                 "CheckPointList": [{"CheckType": "STATUS_CODE", "Operator": "eq", "ExpectValue": "200"}],
                 "ExportList": [{"ExportName": "id", "ExportType": "BODY_TEXT", "ExportValue": "id=(\\d+)", "Count": "0"}]},
                {"ApiName": "item", "ApiId": "A2", "Url": "http://127.0.0.1:8080/item/${id}", "Method": "GET",
                 "RedirectCountLimit": 10}],
             "FileParameterExplainList": [{"FileName": "users.csv", "FileParamName": "user,pass"}]},
            {"RelationName": "buy", "RelationId": "R2",
             "ApiList": [{"ApiName": "pay", "ApiId": "A3", "Url": "http://localhost:8080/pay", "Method": "POST",
                          "RedirectCountLimit": 0}]}
        ],
        "LoadConfig": {"TestMode": "tps_mode", "MaxRunningTime": 10, "Configuration": {},
            "ApiLoadConfigList": [
                {"ApiId": "A1", "RpsBegin": 100, "RpsLimit": 2000},
                {"ApiId": "A2", "RpsBegin": 100, "RpsLimit": 1000},
                {"ApiId": "A3", "RpsBegin": 50, "RpsLimit": 1500}],
            "AgentCount": 3},
        "AdvanceSetting": {"LogRate": 10, "SuccessCode": "404,429",
            "DomainBindingList": [{"Domain": "shop.test", "Ips": ["127.0.0.1"]}]},
        "FileParameterList": [{"FileName": "users.csv", "FileOssAddress": "https://oss.example/users.csv"}]
    })
}

/// A valid concurrency scene.
fn conc() -> Value {
    let mut s = base();
    s["LoadConfig"] = json!({"TestMode": "concurrency_mode", "MaxRunningTime": 10,
        "Configuration": {}, "AutoStep": true, "Increment": 20, "KeepTime": 2,
        "RelationLoadConfigList": [
            {"RelationId": "R1", "ConcurrencyBegin": 10, "ConcurrencyLimit": 300},
            {"RelationId": "R2", "ConcurrencyBegin": 10, "ConcurrencyLimit": 200}],
        "AgentCount": 2});
    s
}

type Edit = fn(&mut Value);
/// (rule, field the violation names, scene that passes, edit that breaks it).
type Row = (&'static str, &'static str, fn() -> Value, Edit);

fn table() -> Vec<Row> {
    vec![
        ("required field", "Scene.SceneName", base, |s| {
            s.as_object_mut().unwrap().remove("SceneName");
        }),
        ("unknown key", "Scene.LoadConfig.MaxRuntime", base, |s| {
            s["LoadConfig"]["MaxRuntime"] = json!(3)
        }),
        ("type", "Scene.LoadConfig.MaxRunningTime", base, |s| {
            s["LoadConfig"]["MaxRunningTime"] = json!("ten")
        }),
        ("name length", "Scene.SceneName", base, |s| s["SceneName"] = json!("x".repeat(31))),
        ("blank name", "Scene.RelationList[1].RelationName", base, |s| {
            s["RelationList"][1]["RelationName"] = json!(" ")
        }),
        ("at least one relation", "Scene.RelationList", base, |s| s["RelationList"] = json!([])),
        ("at least one API", "Scene.RelationList[1].ApiList", base, |s| {
            s["RelationList"][1]["ApiList"] = json!([])
        }),
        ("URL scheme", "Scene.RelationList[0].ApiList[0].Url", base, |s| {
            s["RelationList"][0]["ApiList"][0]["Url"] = json!("ftp://127.0.0.1/")
        }),
        ("URL length", "Scene.RelationList[0].ApiList[0].Url", base, |s| {
            s["RelationList"][0]["ApiList"][0]["Url"] =
                json!(format!("http://a/{}", "x".repeat(2000)))
        }),
        ("method", "Scene.RelationList[0].ApiList[0].Method", base, |s| {
            s["RelationList"][0]["ApiList"][0]["Method"] = json!("HEAD")
        }),
        ("timeout range", "Scene.RelationList[0].ApiList[0].TimeoutInSecond", base, |s| {
            s["RelationList"][0]["ApiList"][0]["TimeoutInSecond"] = json!(5000)
        }),
        ("redirects 0 or 10", "Scene.RelationList[0].ApiList[1].RedirectCountLimit", base, |s| {
            s["RelationList"][0]["ApiList"][1]["RedirectCountLimit"] = json!(3)
        }),
        ("ids once", "Scene.RelationList[1].ApiList[0].ApiId", base, |s| {
            s["RelationList"][1]["ApiList"][0]["ApiId"] = json!("A1")
        }),
        ("test mode", "Scene.LoadConfig.TestMode", base, |s| {
            s["LoadConfig"]["TestMode"] = json!("fast")
        }),
        ("duration", "Scene.LoadConfig.MaxRunningTime", base, |s| {
            s["LoadConfig"]["MaxRunningTime"] = json!(1441)
        }),
        ("log rate", "Scene.AdvanceSetting.LogRate", base, |s| {
            s["AdvanceSetting"]["LogRate"] = json!(5)
        }),
        ("begin at most limit", "Scene.LoadConfig.ApiLoadConfigList[2].RpsBegin", base, |s| {
            s["LoadConfig"]["ApiLoadConfigList"][2]["RpsBegin"] = json!(1600)
        }),
        ("RPS along a chain", "Scene.LoadConfig.ApiLoadConfigList", base, |s| {
            s["LoadConfig"]["ApiLoadConfigList"][1]["RpsLimit"] = json!(2001)
        }),
        ("load entry names an API", "Scene.LoadConfig.ApiLoadConfigList[2].ApiId", base, |s| {
            s["LoadConfig"]["ApiLoadConfigList"][2]["ApiId"] = json!("A9")
        }),
        ("every API has RPS", "Scene.LoadConfig.ApiLoadConfigList", base, |s| {
            s["LoadConfig"]["ApiLoadConfigList"].as_array_mut().unwrap().pop();
        }),
        ("totals come in pairs", "Scene.LoadConfig.Configuration.AllRpsBegin", base, |s| {
            s["LoadConfig"]["ApiLoadConfigList"] = json!(null);
            s["LoadConfig"]["Configuration"] = json!({"AllRpsLimit": 300});
        }),
        ("agents for RPS (sum of all APIs)", "Scene.LoadConfig.AgentCount", base, |s| {
            s["LoadConfig"]["AgentCount"] = json!(4)
        }),
        ("agents for concurrency", "Scene.LoadConfig.AgentCount", conc, |s| {
            s["LoadConfig"]["AgentCount"] = json!(3)
        }),
        ("every relation has concurrency", "Scene.LoadConfig.RelationLoadConfigList", conc, |s| {
            s["LoadConfig"]["RelationLoadConfigList"].as_array_mut().unwrap().pop();
        }),
        (
            "load entry names a relation",
            "Scene.LoadConfig.RelationLoadConfigList[1].RelationId",
            conc,
            |s| s["LoadConfig"]["RelationLoadConfigList"][1]["RelationId"] = json!("R9"),
        ),
        ("increment steps", "Scene.LoadConfig.Increment", conc, |s| {
            s["LoadConfig"]["Increment"] = json!(25)
        }),
        ("increment needs auto-step", "Scene.LoadConfig.Increment", conc, |s| {
            s["LoadConfig"]["AutoStep"] = json!(false)
        }),
        ("auto-step only with concurrency", "Scene.LoadConfig.AutoStep", base, |s| {
            s["LoadConfig"]["AutoStep"] = json!(true)
        }),
        ("keep time below duration", "Scene.LoadConfig.KeepTime", conc, |s| {
            s["LoadConfig"]["KeepTime"] = json!(10)
        }),
        (
            "checkpoint type",
            "Scene.RelationList[0].ApiList[0].CheckPointList[0].CheckType",
            base,
            |s| {
                s["RelationList"][0]["ApiList"][0]["CheckPointList"][0]["CheckType"] = json!("BODY")
            },
        ),
        (
            "checkpoint operator",
            "Scene.RelationList[0].ApiList[0].CheckPointList[0].Operator",
            base,
            |s| s["RelationList"][0]["ApiList"][0]["CheckPointList"][0]["Operator"] = json!("like"),
        ),
        ("export type", "Scene.RelationList[0].ApiList[0].ExportList[0].ExportType", base, |s| {
            s["RelationList"][0]["ApiList"][0]["ExportList"][0]["ExportType"] = json!("XML")
        }),
        ("export name", "Scene.RelationList[0].ApiList[0].ExportList[0].ExportName", base, |s| {
            s["RelationList"][0]["ApiList"][0]["ExportList"][0]["ExportName"] = json!("")
        }),
        ("export count", "Scene.RelationList[0].ApiList[0].ExportList[0].Count", base, |s| {
            s["RelationList"][0]["ApiList"][0]["ExportList"][0]["Count"] = json!("first")
        }),
        ("success codes", "Scene.AdvanceSetting.SuccessCode", base, |s| {
            s["AdvanceSetting"]["SuccessCode"] = json!("404,abc")
        }),
        (
            "file reference",
            "Scene.RelationList[0].FileParameterExplainList[0].FileName",
            base,
            |s| {
                s["RelationList"][0]["FileParameterExplainList"][0]["FileName"] = json!("other.csv")
            },
        ),
        (
            "file columns",
            "Scene.RelationList[0].FileParameterExplainList[0].FileParamName",
            base,
            |s| s["RelationList"][0]["FileParameterExplainList"][0]["FileParamName"] = json!(" , "),
        ),
        ("binding addresses", "Scene.AdvanceSetting.DomainBindingList[0].Ips", base, |s| {
            s["AdvanceSetting"]["DomainBindingList"][0]["Ips"] = json!(["localhost"])
        }),
    ]
}

#[test]
fn every_rule_passes_and_fails() {
    for (rule, field, good, edit) in table() {
        let ok = good();
        let (_, v) = check_document(&ok);
        assert!(v.is_empty(), "{rule}: the passing scene broke {v:?}");
        let typed: Scene = serde_json::from_value(ok.clone()).unwrap();
        assert!(check(&typed).is_empty(), "{rule}: typed check of the passing scene");
        let mut bad = ok;
        edit(&mut bad);
        let (typed, v) = check_document(&bad);
        assert!(
            v.iter().any(|x| x.field == field),
            "{rule}: expected a violation at {field}, got {v:?}"
        );
        // A scene that deserializes gets the same verdict from the typed entry point.
        if let Some(t) = typed {
            assert!(!check(&t).is_empty(), "{rule}: typed check missed it");
        }
    }
}

#[test]
fn chain_rule_reads_limits_not_begins() {
    let mut s = base();
    // A later API may start higher as long as its limit does not exceed the earlier one's.
    s["LoadConfig"]["ApiLoadConfigList"][1]["RpsBegin"] = json!(500);
    assert!(check_document(&s).1.is_empty());
}

#[test]
fn agent_cap_sums_every_api() {
    let s: Scene = serde_json::from_value(base()).unwrap();
    assert_eq!(load::max_load(&s), Some((TestMode::TpsMode, 4500)));
    assert_eq!(load::agent_cap(&TestMode::TpsMode, 4500), 3);
    let c: Scene = serde_json::from_value(conc()).unwrap();
    assert_eq!(load::max_load(&c), Some((TestMode::ConcurrencyMode, 500)));
}

#[test]
fn totals_split_evenly() {
    let mut s = base();
    s["LoadConfig"]["ApiLoadConfigList"] = json!(null);
    s["LoadConfig"]["Configuration"] = json!({"AllRpsBegin": 10, "AllRpsLimit": 100});
    s["LoadConfig"]["AgentCount"] = json!(1);
    let t: Scene = serde_json::from_value(s).unwrap();
    assert!(check(&t).is_empty(), "{:?}", check(&t));
    let l = load::api_loads(&t);
    assert_eq!(l[0], vec![Some((4, 34)), Some((3, 33))]);
    assert_eq!(l[1], vec![Some((3, 33))]);
}

#[test]
fn spellings() {
    // Every spelling the generated enum records reads as its mode; requests take the wire one.
    for s in ["concurrency_mode", "CONCURRENCY"] {
        assert_eq!(TestMode::from(s), TestMode::ConcurrencyMode);
    }
    assert_eq!(mode::to_upper("tps_mode"), "TPS");
    assert_eq!(mode::to_wire("CONCURRENCY"), "concurrency_mode");
    assert_eq!(mode::to_wire("bogus"), "bogus");
    assert_eq!(checks::Operator::parse(">="), Some(checks::Operator::Gte));
    assert_eq!(checks::export_count(Some("Random")), Ok(checks::Which::Random));
}

#[test]
fn loopback_targets() {
    let with_urls = |urls: &[&str], bind: Value| -> Scene {
        let mut s = base();
        s["RelationList"] = json!([{"RelationName": "r", "ApiList": urls.iter().map(|u| json!(
            {"ApiName": "a", "Url": u, "Method": "GET", "RedirectCountLimit": 0})).collect::<Vec<_>>()}]);
        s["AdvanceSetting"]["DomainBindingList"] = bind;
        serde_json::from_value(s).unwrap()
    };
    let none = json!([]);
    let fine = [
        "http://127.0.0.1:8080/x",
        "https://localhost/",
        "http://[::1]:9/",
        "http://127.1/",
        "http://0x7f000001:8/",
        "http://[::ffff:127.0.0.1]/",
    ];
    assert_eq!(targets::not_loopback(&with_urls(&fine, none.clone()), &[]), vec![]);
    let v = targets::not_loopback(
        &with_urls(&["http://10.0.0.1/", "http://${host}/"], none.clone()),
        &[],
    );
    assert_eq!(v.len(), 2, "{v:?}");
    assert!(
        v[0].rule.contains("10.0.0.1 is not loopback") && v[0].field.ends_with("ApiList[0].Url"),
        "{v:?}"
    );
    assert!(v[1].rule.contains("cannot be read"), "{v:?}");
    assert!(
        targets::not_loopback(&with_urls(&["http://10.0.0.1/"], none), &["10.0.0.1".into()])
            .is_empty()
    );
    let to = |ip: &str| json!([{"Domain": "Example.COM", "Ips": [ip]}]);
    assert!(
        targets::not_loopback(&with_urls(&["http://example.com/"], to("127.0.0.1")), &[])
            .is_empty()
    );
    assert_eq!(
        targets::not_loopback(&with_urls(&["http://example.com/"], to("10.0.0.1")), &[]).len(),
        1
    );
}

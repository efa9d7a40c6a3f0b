//! The command line's `scene validate`, pts-local's save path and the load engine's compiler
//! give the same verdict on every scene, valid or nearly so: generated scenes (a seeded
//! generator, so a failure names a seed that reproduces it) with each field drawn from valid
//! values and values that break one rule.

use pts_api::__private::validate::validate_params;
use pts_api::ops::save_pts_scene;
use pts_api::shapes::scene::Scene;
use pts_local::engine::{DirResolver, EngineConfig, validate_scene};
use pts_local::ops::scene_rules::admit;
use serde_json::{Value, json};

/// xorshift64*: a small deterministic source of choices; a noisy generator sometimes picks a
/// value that breaks a rule, a clean one never does.
struct Gen(u64, bool);

impl Gen {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize].clone()
    }
    /// Mostly `good`, sometimes one of `bad`.
    fn mostly<T: Clone>(&mut self, good: T, bad: &[T]) -> T {
        if self.1 && self.below(6) == 0 { self.pick(bad) } else { good }
    }
    fn maybe(&mut self, v: Value) -> Value {
        if self.below(3) == 0 { Value::Null } else { v }
    }
}

fn api(g: &mut Gen, r: usize, j: usize) -> Value {
    let id = format!("A{r}{j}");
    let mut a = json!({
        "ApiName": g.mostly(format!("api{j}"), &[" ".to_string()]),
        "ApiId": g.mostly(id, &["A00".to_string()]),
        "Url": g.mostly("http://127.0.0.1:9/x".to_string(),
            &["ftp://127.0.0.1/".to_string(), "http://127.0.0.1:9/${id}".to_string()]),
        "Method": g.mostly("GET".to_string(), &["HEAD".to_string(), "get".to_string()]),
        "RedirectCountLimit": ({ let v = g.pick(&[0, 10]); g.mostly(v, &[3]) }),
        "TimeoutInSecond": ({ let v = json!(g.mostly(5, &[0, 61])); g.maybe(v) }),
    });
    if g.below(3) == 0 {
        a["CheckPointList"] = json!([{
            "CheckType": g.mostly("STATUS_CODE".to_string(), &["body_text".to_string()]),
            "Operator": ({ let v = g.pick(&["eq", ">=", "ctn"]); let v = json!(g.mostly(v, &["like"])); g.maybe(v) }),
            "ExpectValue": "200"}]);
    }
    if g.below(3) == 0 {
        a["ExportList"] = json!([{
            "ExportName": g.mostly("id".to_string(), &["".to_string()]),
            "ExportType": ({ let v = g.pick(&["BODY_TEXT", "HEADER"]); g.mostly(v, &["XML"]) }),
            "ExportValue": "id=(\\d+)",
            "Count": ({ let v = g.pick(&["0", "Random"]); let v = json!(g.mostly(v, &["first"])); g.maybe(v) }),
        }]);
    }
    a
}

fn scene(g: &mut Gen) -> Value {
    let rels = 1 + g.below(3) as usize;
    let mut relation_list = Vec::new();
    let mut api_ids = Vec::new();
    for r in 0..rels {
        let n = 1 + g.below(3) as usize;
        let apis: Vec<Value> = (0..n).map(|j| api(g, r, j)).collect();
        api_ids.extend(apis.iter().map(|a| a["ApiId"].clone()));
        let mut rel = json!({"RelationName": format!("rel{r}"),
            "RelationId": g.mostly(format!("R{r}"), &["R0".to_string()]), "ApiList": apis});
        if g.below(4) == 0 {
            rel["FileParameterExplainList"] = json!([{
                "FileName": g.mostly("users.csv".to_string(), &["other.csv".to_string()]),
                "FileParamName": g.mostly("user,pass".to_string(), &[" ".to_string()])}]);
        }
        relation_list.push(rel);
    }
    let rps = g.below(2) == 0;
    let mut lc = json!({
        "TestMode": g.mostly(if rps { "tps_mode" } else { "concurrency_mode" }.to_string(),
            &["TPS".to_string(), "rps".to_string()]),
        "MaxRunningTime": ({ let v = g.pick(&[1, 5, 1440]); g.mostly(v, &[0, 1441]) }),
        "Configuration": {},
        "AgentCount": ({ let v = json!(g.mostly(1, &[0, 3, 5])); g.maybe(v) }),
    });
    let per_part = g.below(2) == 0;
    let begin = g.pick(&[1, 10, 300]);
    let limit = g.pick(&[300, 600, 2500, 4500]);
    let limit = g.mostly(limit, &[0, 5]);
    if rps && per_part {
        let mut level = limit;
        let list: Vec<Value> = api_ids
            .iter()
            .map(|id| {
                // Mostly non-increasing along the scene's order, sometimes rising.
                let down = level - g.below(3) as i64;
                level = g.mostly(down, &[level + 100]);
                json!({"ApiId": id, "RpsBegin": begin, "RpsLimit": level.max(0)})
            })
            .collect();
        lc["ApiLoadConfigList"] = json!(list);
    } else if !rps && per_part {
        let list: Vec<Value> = (0..rels)
            .map(|r| {
                json!({"RelationId": format!("R{r}"), "ConcurrencyBegin": begin,
                            "ConcurrencyLimit": limit})
            })
            .take(g.mostly(rels, &[rels.saturating_sub(1)]))
            .collect();
        lc["RelationLoadConfigList"] = json!(list);
    } else {
        let (b, l) = if rps {
            ("AllRpsBegin", "AllRpsLimit")
        } else {
            ("AllConcurrencyBegin", "AllConcurrencyLimit")
        };
        lc["Configuration"][b] = json!(begin);
        lc["Configuration"][l] = g.mostly(json!(limit), &[Value::Null]);
    }
    if g.below(4) == 0 {
        lc["AutoStep"] = json!(true);
        lc["Increment"] = json!(g.mostly(20, &[25]));
        lc["KeepTime"] = json!(g.mostly(1, &[2000]));
    }
    json!({
        "SceneName": g.mostly("gen".to_string(), &["x".repeat(31)]),
        "RelationList": relation_list,
        "LoadConfig": lc,
        "AdvanceSetting": {
            "LogRate": g.mostly(10, &[5]),
            "SuccessCode": ({ let v = json!(g.mostly("404".to_string(), &["abc".to_string()])); g.maybe(v) }),
            "DomainBindingList": [{"Domain": "shop.test",
                "Ips": [g.mostly("127.0.0.1".to_string(), &["nope".to_string()])]}]},
        "FileParameterList": [{"FileName": "users.csv", "FileOssAddress": "https://oss.example/users.csv"}],
    })
}

/// Drops nulls, as a scene file would not spell them.
fn prune(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(prune);
        }
        Value::Array(a) => a.iter_mut().for_each(prune),
        _ => {}
    }
}

#[test]
fn validate_save_and_engine_agree() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("users.csv"), "u1,p1\nu2,p2\n").unwrap();
    let files = DirResolver::new(dir.path());
    let cfg = EngineConfig { max_concurrency: u32::MAX, ..EngineConfig::default() };
    let (mut valid, mut invalid) = (0, 0);
    for seed in 1..=400u64 {
        let mut g = Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1, seed % 2 == 0);
        let mut doc = scene(&mut g);
        prune(&mut doc);
        // The document as a client sends it: the CLI and pts-local's save path (the request's
        // metadata check, decoding, then the scene rules) agree.
        let cli = pts_ops::scene_doc::validate::validate(&doc);
        let typed = serde_json::from_value::<Scene>(doc.clone()).map_err(|e| e.to_string());
        let local = validate_params(&save_pts_scene::META, &json!({"Scene": doc}))
            .map_err(|e| e.to_string())
            .and_then(|()| typed.clone())
            .and_then(|t| admit(&save_pts_scene::META, &t).map_err(|f| format!("{f:?}")));
        assert_eq!(
            cli.is_empty(),
            local.is_ok(),
            "seed {seed}: CLI {cli:?}, pts-local {local:?}\n{doc}"
        );
        if cli.is_empty() {
            valid += 1
        } else {
            invalid += 1
        }
        // A decoded scene (test modes and other value sets read through their enums): the CLI on
        // its JSON, pts-local's rules and the engine's compiler agree.
        let Ok(typed) = typed else { continue };
        let cli = pts_ops::scene_doc::validate::validate(&serde_json::to_value(&typed).unwrap());
        let local = admit(&save_pts_scene::META, &typed);
        let engine = validate_scene(&typed, &files, &cfg);
        assert_eq!(
            (local.is_ok(), engine.is_ok()),
            (cli.is_empty(), cli.is_empty()),
            "seed {seed}: CLI {cli:?}, pts-local {local:?}, engine {engine:?}\n{doc}"
        );
    }
    // Both verdicts are well represented, or the test proves little.
    assert!(valid >= 40 && invalid >= 40, "valid {valid}, invalid {invalid}");
}

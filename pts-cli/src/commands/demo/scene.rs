//! The demo's scene and the closing advice.

use serde_json::{Value, json};

/// A two-API shop scene against `base` (`http://127.0.0.1:PORT`): log in (checkpoint:
/// status 200; exports the token), then list items with the token. Concurrency mode,
/// `vus` virtual users from the start, `minutes` of scene time.
pub fn shop_scene(base: &str, vus: i64, minutes: i64) -> Value {
    json!({
        "SceneName": "pts-demo-shop",
        "RelationList": [{
            "RelationName": "shop",
            "ApiList": [
                {"ApiName": "login", "Url": format!("{base}/api/login"), "Method": "POST",
                 "TimeoutInSecond": 5, "RedirectCountLimit": 0,
                 "Body": {"ContentType": "application/json", "BodyValue": "{\"user\":\"demo\"}"},
                 "CheckPointList": [{"CheckType": "STATUS_CODE", "CheckPoint": "",
                                     "Operator": "eq", "ExpectValue": "200"}],
                 "ExportList": [{"ExportName": "token", "ExportType": "BODY_JSON",
                                 "ExportValue": "token"}]},
                {"ApiName": "items", "Url": format!("{base}/api/items?token=${{token}}"),
                 "Method": "GET", "TimeoutInSecond": 5, "RedirectCountLimit": 0}
            ]
        }],
        "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": minutes,
                       "Configuration": {"AllConcurrencyBegin": vus, "AllConcurrencyLimit": vus}}
    })
}

/// What to try after the demo.
pub fn next_steps(evidence: Option<&str>) -> String {
    let mut s = String::from("Next steps:\n");
    if let Some(dir) = evidence {
        s.push_str(&format!("  - open {dir}/report.html (charts) and read summary.md\n"));
        s.push_str(&format!(
            "  - the scene it ran, as a file:  pts scene validate {dir}/scene.json\n"
        ));
    }
    s.push_str(
        "  - keep a local PTS running:     pts local serve   (writes a `local` profile)\n\
         \x20 - turn a scene into a file:     pts scene export ID --format yaml > scene.yaml\n\
         \x20 - gate CI on an SLA:            pts run scene.yaml --sla \"p99<200ms,error_rate<1%\" --yes\n\
         \x20 - watch a run live:             pts scene watch ID --plan PLAN_ID\n\
         \x20 - check your cloud setup:       pts configure --access-key-id ID --access-key-secret-stdin\n\
         \x20                                 then pts doctor\n",
    );
    s
}

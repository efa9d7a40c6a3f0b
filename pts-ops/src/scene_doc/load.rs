//! The load a scene asks for: test mode, concurrency per relation, RPS per API, duration
//! (the scene's `LoadConfig`). Totals in `Configuration` are split evenly, as PTS does.

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestMode {
    Concurrency,
    Rps,
}

impl TestMode {
    /// Accepts all four spellings PTS uses: requests take `concurrency_mode`/`tps_mode`,
    /// GetPtsScene documents `CONCURRENCY`/`TPS`.
    pub fn parse(s: &str) -> Option<TestMode> {
        match s {
            "concurrency_mode" | "CONCURRENCY" => Some(TestMode::Concurrency),
            "tps_mode" | "TPS" => Some(TestMode::Rps),
            _ => None,
        }
    }
    /// The request spelling.
    pub fn wire(self) -> &'static str {
        match self {
            TestMode::Concurrency => "concurrency_mode",
            TestMode::Rps => "tps_mode",
        }
    }
    pub fn of(scene: &Value) -> Option<TestMode> {
        scene.pointer("/LoadConfig/TestMode").and_then(Value::as_str).and_then(TestMode::parse)
    }
}

fn int(v: &Value, ptr: &str) -> Option<i64> {
    v.pointer(ptr).and_then(Value::as_i64)
}

/// `LoadConfig.MaxRunningTime` in minutes.
pub fn max_running_minutes(scene: &Value) -> Option<i64> {
    int(scene, "/LoadConfig/MaxRunningTime")
}

/// One relation: its name and its chain of (ApiName, ApiId).
pub type Relation = (String, Vec<(String, Option<String>)>);

/// The relations, each with its APIs in chain order.
pub fn relations(scene: &Value) -> Vec<Relation> {
    let list = scene.get("RelationList").and_then(Value::as_array).cloned().unwrap_or_default();
    list.iter()
        .map(|r| {
            let name = r.get("RelationName").and_then(Value::as_str).unwrap_or("").to_string();
            let apis = r
                .get("ApiList")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|api| {
                            let n = api.get("ApiName").and_then(Value::as_str).unwrap_or("");
                            let id = api.get("ApiId").and_then(Value::as_str).map(str::to_string);
                            (n.to_string(), id)
                        })
                        .collect()
                })
                .unwrap_or_default();
            (name, apis)
        })
        .collect()
}

/// Concurrency limit per relation (by index), from `RelationLoadConfigList` (matched by
/// RelationId, else by position) or `AllConcurrencyLimit` split evenly.
pub fn concurrency_limits(scene: &Value) -> Vec<i64> {
    let rels = scene.get("RelationList").and_then(Value::as_array).cloned().unwrap_or_default();
    let n = rels.len().max(1) as i64;
    let per = scene.pointer("/LoadConfig/RelationLoadConfigList").and_then(Value::as_array);
    if let Some(total) = int(scene, "/LoadConfig/Configuration/AllConcurrencyLimit")
        && per.is_none_or(|p| p.is_empty())
    {
        return split(total, n);
    }
    let per = per.cloned().unwrap_or_default();
    rels.iter()
        .enumerate()
        .map(|(i, r)| {
            let id = r.get("RelationId").and_then(Value::as_str);
            let entry = per
                .iter()
                .find(|e| id.is_some() && e.get("RelationId").and_then(Value::as_str) == id)
                .or_else(|| per.get(i));
            entry.and_then(|e| e.get("ConcurrencyLimit")).and_then(Value::as_i64).unwrap_or(0)
        })
        .collect()
}

/// RPS limit per API, per relation (chain order), from `ApiLoadConfigList` (by ApiId) or
/// `AllRpsLimit` split evenly over all APIs.
pub fn rps_limits(scene: &Value) -> Vec<Vec<i64>> {
    let rels = relations(scene);
    let apis: i64 = rels.iter().map(|(_, a)| a.len() as i64).sum::<i64>().max(1);
    let per = scene.pointer("/LoadConfig/ApiLoadConfigList").and_then(Value::as_array);
    let total = int(scene, "/LoadConfig/Configuration/AllRpsLimit");
    rels.iter()
        .map(|(_, chain)| {
            chain
                .iter()
                .map(|(_, id)| {
                    let own = per.and_then(|p| {
                        p.iter()
                            .find(|e| {
                                id.is_some()
                                    && e.get("ApiId").and_then(Value::as_str) == id.as_deref()
                            })
                            .and_then(|e| e.get("RpsLimit"))
                            .and_then(Value::as_i64)
                    });
                    own.or(total.map(|t| split(t, apis)[0])).unwrap_or(0)
                })
                .collect()
        })
        .collect()
}

/// `total` over `n` parts as evenly as integers allow (the first parts get the rest).
fn split(total: i64, n: i64) -> Vec<i64> {
    let n = n.max(1);
    (0..n).map(|i| total / n + i64::from(i < total % n)).collect()
}

/// The scene's maximum total concurrency (concurrency mode).
pub fn max_concurrency(scene: &Value) -> i64 {
    concurrency_limits(scene).iter().sum()
}

/// The scene's maximum total RPS (RPS mode): the first API of each chain bounds it.
pub fn max_rps(scene: &Value) -> i64 {
    rps_limits(scene).iter().map(|c| c.iter().copied().max().unwrap_or(0)).sum()
}

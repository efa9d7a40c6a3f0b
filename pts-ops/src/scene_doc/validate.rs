//! Offline checks of a PTS scene: keys and types, required fields, ranges and enumerations, and
//! load sanity (begin ≤ limit, RPS not increasing along a chain, agents within what the load
//! allows). Every problem is reported, each naming the field and the rule; nothing is sent.

use super::load::{self, TestMode};
use super::schema::{self, Kind};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// Wire path, e.g. `Scene.RelationList[0].ApiList[1].Url`.
    pub field: String,
    pub rule: String,
}

impl Issue {
    pub fn new(field: &str, rule: &str) -> Issue {
        Issue { field: field.to_string(), rule: rule.to_string() }
    }
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.field, self.rule)
    }
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];
const EXPORT_TYPES: &[&str] = &["BODY_TEXT", "BODY_JSON", "HEADER", "STATUS_CODE"];
const CHECK_TYPES: &[&str] = &["BODY_TEXT", "HEADER", "STATUS_CODE", "EXPORTED_PARAM"];
const LOG_RATES: &[i64] = &[1, 10, 20, 30, 40, 50];

/// Every problem of `scene`; empty when it may be sent.
pub fn validate(scene: &Value) -> Vec<Issue> {
    let mut out = Vec::new();
    schema::check(scene, Kind::Root, "Scene", &mut out);
    if !scene.is_object() {
        return out;
    }
    let mut v = Rules { out };
    v.root(scene);
    let mut out = v.out;
    // The metadata's own rules, as a backstop for what the table above does not cover.
    let op = pts_api::operation_meta("SavePtsScene").expect("SavePtsScene exists");
    if out.is_empty()
        && let Err(e) =
            pts_api::__private::validate::validate_params(op, &serde_json::json!({"Scene": scene}))
    {
        out.push(Issue::new(&e.field, &e.to_string()));
    }
    out
}

struct Rules {
    out: Vec<Issue>,
}

impl Rules {
    fn fail(&mut self, field: &str, rule: impl AsRef<str>) {
        self.out.push(Issue::new(field, rule.as_ref()));
    }

    fn required_str(&mut self, v: &Value, key: &str, path: &str) -> Option<String> {
        match v.get(key).and_then(Value::as_str) {
            Some(s) if !s.trim().is_empty() => Some(s.to_string()),
            _ => {
                self.fail(&schema::join(path, key), "is required");
                None
            }
        }
    }

    fn range(&mut self, v: &Value, key: &str, path: &str, lo: i64, hi: i64) -> Option<i64> {
        let n = v.get(key)?.as_i64()?;
        if n < lo || n > hi {
            self.fail(&schema::join(path, key), format!("must be {lo}-{hi} (got {n})"));
        }
        Some(n)
    }

    fn root(&mut self, s: &Value) {
        if let Some(name) = self.required_str(s, "SceneName", "Scene")
            && name.chars().count() > 30
        {
            self.fail(
                "Scene.SceneName",
                format!("must be at most 30 characters (got {})", name.chars().count()),
            );
        }
        let rels = s.get("RelationList").and_then(Value::as_array).cloned().unwrap_or_default();
        if rels.is_empty() {
            self.fail("Scene.RelationList", "is required: at least one relation");
        }
        for (i, r) in rels.iter().enumerate() {
            self.relation(r, &format!("Scene.RelationList[{i}]"), s);
        }
        match s.get("LoadConfig") {
            Some(l) if l.is_object() => self.load(s, l),
            _ => self.fail("Scene.LoadConfig", "is required"),
        }
        if let Some(a) = s.get("AdvanceSetting")
            && let Some(rate) = a.get("LogRate").and_then(Value::as_i64)
            && !LOG_RATES.contains(&rate)
        {
            self.fail(
                "Scene.AdvanceSetting.LogRate",
                format!("must be one of 1, 10, 20, 30, 40, 50 (got {rate})"),
            );
        }
        if let Some(a) = s.get("AdvanceSetting") {
            self.range(a, "ConnectionTimeoutInSecond", "Scene.AdvanceSetting", 1, 60);
        }
    }

    fn relation(&mut self, r: &Value, path: &str, scene: &Value) {
        self.required_str(r, "RelationName", path);
        let apis = r.get("ApiList").and_then(Value::as_array).cloned().unwrap_or_default();
        if apis.is_empty() {
            self.fail(&format!("{path}.ApiList"), "is required: at least one API");
        }
        for (j, a) in apis.iter().enumerate() {
            self.api(a, &format!("{path}.ApiList[{j}]"));
        }
        let files: Vec<&str> = scene
            .get("FileParameterList")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|f| f.get("FileName").and_then(Value::as_str))
            .collect();
        for (k, f) in r
            .get("FileParameterExplainList")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let p = format!("{path}.FileParameterExplainList[{k}]");
            self.required_str(f, "FileParamName", &p);
            if let Some(name) = self.required_str(f, "FileName", &p)
                && !files.contains(&name.as_str())
            {
                self.fail(
                    &format!("{p}.FileName"),
                    format!("must name a file of Scene.FileParameterList (no {name:?} there)"),
                );
            }
        }
    }

    fn api(&mut self, a: &Value, path: &str) {
        self.required_str(a, "ApiName", path);
        if let Some(url) = self.required_str(a, "Url", path) {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                self.fail(&format!("{path}.Url"), "must start with http:// or https://");
            }
            if url.len() > 2000 {
                self.fail(
                    &format!("{path}.Url"),
                    format!("must be at most 2000 characters (got {})", url.len()),
                );
            }
        }
        if let Some(m) = self.required_str(a, "Method", path)
            && !METHODS.contains(&m.as_str())
        {
            self.fail(
                &format!("{path}.Method"),
                format!("must be one of {} (got {m:?})", METHODS.join(", ")),
            );
        }
        self.range(a, "TimeoutInSecond", path, 1, 60);
        match a.get("RedirectCountLimit").and_then(Value::as_i64) {
            None => self.fail(&format!("{path}.RedirectCountLimit"), "is required (0 or 10)"),
            Some(0 | 10) => {}
            Some(n) => self
                .fail(&format!("{path}.RedirectCountLimit"), format!("must be 0 or 10 (got {n})")),
        }
        self.enumerated(a, "ExportList", "ExportType", EXPORT_TYPES, path);
        self.enumerated(a, "CheckPointList", "CheckType", CHECK_TYPES, path);
        for (k, h) in
            a.get("HeaderList").and_then(Value::as_array).into_iter().flatten().enumerate()
        {
            self.required_str(h, "HeaderName", &format!("{path}.HeaderList[{k}]"));
        }
    }

    fn enumerated(&mut self, a: &Value, list: &str, key: &str, allowed: &[&str], path: &str) {
        for (k, e) in a.get(list).and_then(Value::as_array).into_iter().flatten().enumerate() {
            let p = format!("{path}.{list}[{k}]");
            if let Some(t) = self.required_str(e, key, &p)
                && !allowed.contains(&t.as_str())
            {
                self.fail(
                    &format!("{p}.{key}"),
                    format!("must be one of {} (got {t:?})", allowed.join(", ")),
                );
            }
        }
    }

    fn load(&mut self, s: &Value, l: &Value) {
        let p = "Scene.LoadConfig";
        let mode = match l.get("TestMode").and_then(Value::as_str) {
            None => {
                self.fail(&format!("{p}.TestMode"), "is required (concurrency_mode or tps_mode)");
                None
            }
            Some(m) => {
                let parsed = TestMode::parse(m);
                if parsed.is_none() {
                    self.fail(
                        &format!("{p}.TestMode"),
                        format!("must be concurrency_mode or tps_mode (got {m:?})"),
                    );
                }
                parsed
            }
        };
        let minutes = match l.get("MaxRunningTime") {
            None => {
                self.fail(&format!("{p}.MaxRunningTime"), "is required (minutes, 1-1440)");
                None
            }
            Some(_) => self.range(l, "MaxRunningTime", p, 1, 1440),
        };
        if l.get("Configuration").is_none() {
            self.fail(
                &format!("{p}.Configuration"),
                "is required (may be empty when per-relation or per-API load is given)",
            );
        }
        if let Some(inc) = l.get("Increment").and_then(Value::as_i64) {
            if !(10..=100).contains(&inc) || inc % 10 != 0 {
                self.fail(
                    &format!("{p}.Increment"),
                    format!("must be 10-100 in steps of 10 (got {inc})"),
                );
            }
            if mode != Some(TestMode::Concurrency) || l.get("AutoStep") != Some(&Value::Bool(true))
            {
                self.fail(
                    &format!("{p}.Increment"),
                    "applies only in concurrency_mode with AutoStep: true",
                );
            }
        }
        if let (Some(keep), Some(max)) = (l.get("KeepTime").and_then(Value::as_i64), minutes)
            && keep >= max
        {
            self.fail(
                &format!("{p}.KeepTime"),
                format!("must be less than MaxRunningTime ({max}) (got {keep})"),
            );
        }
        if l.get("AutoStep") == Some(&Value::Bool(true)) && mode == Some(TestMode::Rps) {
            self.fail(&format!("{p}.AutoStep"), "applies only in concurrency_mode");
        }
        match mode {
            Some(TestMode::Concurrency) => self.concurrency(s, l),
            Some(TestMode::Rps) => self.rps(s, l),
            None => {}
        }
    }

    fn begin_limit(&mut self, v: &Value, begin: &str, limit: &str, path: &str) -> Option<i64> {
        let b = v.get(begin).and_then(Value::as_i64);
        let l = v.get(limit).and_then(Value::as_i64);
        match (b, l) {
            (Some(b), Some(l)) => {
                if b < 1 {
                    self.fail(&schema::join(path, begin), format!("must be at least 1 (got {b})"));
                }
                if l < b {
                    self.fail(
                        &schema::join(path, limit),
                        format!("must be at least {begin} ({b}) (got {l})"),
                    );
                }
                Some(l)
            }
            _ => {
                let missing = if b.is_none() { begin } else { limit };
                self.fail(
                    &schema::join(path, missing),
                    format!("is required with {}", if b.is_none() { limit } else { begin }),
                );
                None
            }
        }
    }

    fn concurrency(&mut self, s: &Value, l: &Value) {
        let p = "Scene.LoadConfig";
        let cfg = l.get("Configuration").cloned().unwrap_or(Value::Null);
        let per =
            l.get("RelationLoadConfigList").and_then(Value::as_array).cloned().unwrap_or_default();
        let total = if cfg.get("AllConcurrencyBegin").is_some()
            || cfg.get("AllConcurrencyLimit").is_some()
        {
            self.begin_limit(
                &cfg,
                "AllConcurrencyBegin",
                "AllConcurrencyLimit",
                &format!("{p}.Configuration"),
            )
        } else if per.is_empty() {
            self.fail(&format!("{p}.Configuration.AllConcurrencyLimit"), "is required in concurrency_mode unless RelationLoadConfigList gives every relation's load");
            None
        } else {
            let rels = s.get("RelationList").and_then(Value::as_array).map_or(0, Vec::len);
            if per.len() != rels {
                self.fail(
                    &format!("{p}.RelationLoadConfigList"),
                    format!("must have one entry per relation ({rels}) (got {})", per.len()),
                );
            }
            let mut sum = 0;
            for (i, e) in per.iter().enumerate() {
                sum += self
                    .begin_limit(
                        e,
                        "ConcurrencyBegin",
                        "ConcurrencyLimit",
                        &format!("{p}.RelationLoadConfigList[{i}]"),
                    )
                    .unwrap_or(0);
            }
            Some(sum)
        };
        self.agents(l, total, 250);
    }

    fn rps(&mut self, s: &Value, l: &Value) {
        let p = "Scene.LoadConfig";
        let cfg = l.get("Configuration").cloned().unwrap_or(Value::Null);
        let per = l.get("ApiLoadConfigList").and_then(Value::as_array).cloned().unwrap_or_default();
        if cfg.get("AllRpsBegin").is_some() || cfg.get("AllRpsLimit").is_some() {
            self.begin_limit(&cfg, "AllRpsBegin", "AllRpsLimit", &format!("{p}.Configuration"));
        } else if per.is_empty() {
            self.fail(
                &format!("{p}.Configuration.AllRpsLimit"),
                "is required in tps_mode unless ApiLoadConfigList gives every API's RPS",
            );
        } else {
            for (i, e) in per.iter().enumerate() {
                let at = format!("{p}.ApiLoadConfigList[{i}]");
                self.required_str(e, "ApiId", &at);
                self.begin_limit(e, "RpsBegin", "RpsLimit", &at);
            }
            for (i, (rel, chain)) in load::rps_limits(s)
                .iter()
                .zip(load::relations(s))
                .enumerate()
                .map(|(i, (c, r))| (i, (r.0, c.clone())))
            {
                if chain.windows(2).any(|w| w[1] > w[0]) {
                    self.fail(
                        &format!("{p}.ApiLoadConfigList"),
                        format!("RPS must not increase along relation {i} ({rel}): {chain:?}"),
                    );
                }
            }
        }
        self.agents(l, Some(load::max_rps(s)).filter(|n| *n > 0), 2000);
    }

    /// AgentCount ≤ ceil(limit ÷ per_agent): one PTS agent carries 250 concurrency or 2000 RPS.
    fn agents(&mut self, l: &Value, limit: Option<i64>, per_agent: i64) {
        let (Some(n), Some(limit)) = (l.get("AgentCount").and_then(Value::as_i64), limit) else {
            return;
        };
        let max = ((limit + per_agent - 1) / per_agent).max(1);
        if n < 1 || n > max {
            self.fail(
                "Scene.LoadConfig.AgentCount",
                format!("must be 1-{max} for a load of {limit} ({per_agent} per agent) (got {n})"),
            );
        }
    }
}

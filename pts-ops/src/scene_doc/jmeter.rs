//! JMeter scene files: the SaveOpenJMeterScene `OpenJMeterScene` object (wire keys), with
//! one CLI-only key, `FileList[].Path`, a local JMX/CSV file the CLI uploads (pts-local) or
//! refuses (the cloud needs an OSS URL in `FileOssAddress`).

use super::validate::Issue;
use pts_api::shapes::load_mode::LoadMode;
use serde_json::{Value, json};

/// Keys of OpenJMeterScene (pts-api's generated request shape).
const SCENE_KEYS: &[&str] = &[
    "AgentCount",
    "Concurrency",
    "ConstantThroughputTimerType",
    "DnsCacheConfig",
    "Duration",
    "EnvironmentId",
    "FileList",
    "IsVpcTest",
    "JMeterProperties",
    "JmeterPluginLabel",
    "MaxRps",
    "Mode",
    "RampUp",
    "RegionId",
    "RegionalCondition",
    "SceneId",
    "SceneName",
    "SecurityGroupId",
    "StartConcurrency",
    "StartRps",
    "Steps",
    "SyncTimerType",
    "TestFile",
    "VSwitchId",
    "VpcId",
];
/// Keys of a FileList entry that describe the reference (the rest is the service's view).
const FILE_KEYS: &[&str] = &["FileName", "FileOssAddress", "SplitCsv", "Tags"];
/// The CLI-only key of a FileList entry.
pub const PATH_KEY: &str = "Path";

/// A scene as compared and exported: known keys only, FileList entries reduced to the
/// reference, `Mode` in the SaveOpenJMeterScene spelling, empties dropped.
pub fn canonical(scene: &Value) -> Value {
    let mut v = scene.clone();
    if let Some(m) = v.as_object_mut() {
        m.retain(|k, _| SCENE_KEYS.contains(&k.as_str()));
        if let Some(Value::Array(files)) = m.get_mut("FileList") {
            for f in files.iter_mut().filter_map(Value::as_object_mut) {
                f.retain(|k, _| FILE_KEYS.contains(&k.as_str()));
            }
        }
        if let Some(Value::String(mode)) = m.get_mut("Mode") {
            *mode = LoadMode::from(mode.as_str()).as_str().to_string();
        }
    }
    let mut c = super::canonical_json(&v);
    if let Some(m) = c.as_object_mut() {
        m.retain(|_, x| !x.is_null());
    }
    c
}

/// Offline checks: unknown keys, required fields, mode and load sanity, TestFile among the
/// files; then the metadata's rules.
pub fn validate(scene: &Value) -> Vec<Issue> {
    let mut out = Vec::new();
    let Some(m) = scene.as_object() else {
        return vec![Issue::new("OpenJMeterScene", "must be an object")];
    };
    let p = "OpenJMeterScene";
    for k in m.keys().filter(|k| !SCENE_KEYS.contains(&k.as_str())) {
        let hint = pts_api::__private::validate::suggest(k, SCENE_KEYS)
            .map_or(String::new(), |s| format!(" (did you mean {s}?)"));
        out.push(Issue::new(format!("{p}.{k}"), format!("is not a field of a JMeter scene{hint}")));
    }
    let text = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let int = |k: &str| m.get(k).and_then(Value::as_i64);
    if text("SceneName").trim().is_empty() {
        out.push(Issue::new(format!("{p}.SceneName"), "is required"));
    }
    let mode = text("Mode");
    let parsed = LoadMode::from(mode.as_str());
    let rps = parsed == LoadMode::Tps;
    if !parsed.is_known() {
        out.push(Issue::new(
            format!("{p}.Mode"),
            format!("must be CONCURRENCY or TPS (got {mode:?})"),
        ));
    }
    match int("Duration") {
        Some(d) if d >= 1 => {}
        Some(d) => out.push(Issue::new(
            format!("{p}.Duration"),
            format!("must be at least 1 second (got {d})"),
        )),
        None => out.push(Issue::new(format!("{p}.Duration"), "is required (seconds)")),
    }
    match int("AgentCount") {
        Some(a) if a >= 1 => {}
        Some(a) => {
            out.push(Issue::new(format!("{p}.AgentCount"), format!("must be at least 1 (got {a})")))
        }
        None => out.push(Issue::new(format!("{p}.AgentCount"), "is required")),
    }
    let (load_key, begin_key) =
        if rps { ("MaxRps", "StartRps") } else { ("Concurrency", "StartConcurrency") };
    match int(load_key) {
        Some(n) if n >= 1 => {
            if let Some(b) = int(begin_key).filter(|b| *b > n) {
                out.push(Issue::new(
                    format!("{p}.{begin_key}"),
                    format!("must not exceed {load_key} ({n}) (got {b})"),
                ));
            }
        }
        Some(n) => {
            out.push(Issue::new(format!("{p}.{load_key}"), format!("must be at least 1 (got {n})")))
        }
        None => out.push(Issue::new(
            format!("{p}.{load_key}"),
            format!(
                "is required in {} mode",
                if rps { LoadMode::Tps } else { LoadMode::Concurrency }
            ),
        )),
    }
    let files = m.get("FileList").and_then(Value::as_array).cloned().unwrap_or_default();
    if files.is_empty() {
        out.push(Issue::new(format!("{p}.FileList"), "is required: at least the JMX file"));
    }
    let mut names = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let at = format!("{p}.FileList[{i}]");
        let name = f.get("FileName").and_then(Value::as_str).unwrap_or("");
        let addr = f.get("FileOssAddress").and_then(Value::as_str).unwrap_or("");
        let path = f.get(PATH_KEY).and_then(Value::as_str).unwrap_or("");
        if path.is_empty() && (name.is_empty() || addr.is_empty()) {
            out.push(Issue::new(&at, "needs FileName and FileOssAddress, or Path (a local file)"));
        }
        for k in f.as_object().into_iter().flat_map(|o| o.keys()) {
            if !(FILE_KEYS.contains(&k.as_str())
                || k == PATH_KEY
                || k == "FileId"
                || k == "FileSize"
                || k == "Md5")
            {
                out.push(Issue::new(format!("{at}.{k}"), "is not a field of a FileList entry (FileName, FileOssAddress, SplitCsv, Tags, Path)"));
            }
        }
        names.push(if name.is_empty() { file_name(path) } else { name.to_string() });
    }
    let test_file = text("TestFile");
    if test_file.is_empty() {
        out.push(Issue::new(format!("{p}.TestFile"), "is required (the JMX's file name)"));
    } else if !files.is_empty() && !names.contains(&file_name(&test_file)) {
        out.push(Issue::new(
            format!("{p}.TestFile"),
            format!("must name a file of FileList (no {test_file:?} there)"),
        ));
    }
    if out.is_empty() {
        let op = pts_api::operation_meta("SaveOpenJMeterScene").expect("operation exists");
        let mut wire = scene.clone();
        // A local file stands for the reference the upload will make.
        for f in wire.get_mut("FileList").and_then(Value::as_array_mut).into_iter().flatten() {
            if let Some(path) = f.get(PATH_KEY).and_then(Value::as_str).map(file_name) {
                f["FileName"] = json!(path);
                f["FileOssAddress"] = json!(format!("file:{path}"));
            }
        }
        strip_paths(&mut wire);
        if let Err(e) =
            pts_api::__private::validate::validate_params(op, &json!({"OpenJMeterScene": wire}))
        {
            out.push(Issue::new(&e.field, e.to_string()));
        }
    }
    out
}

/// The last path segment.
pub fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

/// Removes the CLI-only `Path` keys (after the files were resolved).
pub fn strip_paths(scene: &mut Value) {
    if let Some(files) = scene.get_mut("FileList").and_then(Value::as_array_mut) {
        for f in files.iter_mut().filter_map(Value::as_object_mut) {
            f.remove(PATH_KEY);
        }
    }
}

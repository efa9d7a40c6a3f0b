//! The keys a PTS scene file may hold and their JSON types (PascalCase wire names, as SavePtsScene
//! takes them), used to reject unknown keys and wrong types, and to strip what no request carries
//! when a scene is exported.

use super::validate::Issue;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Root,
    Relation,
    Api,
    Header,
    Body,
    Export,
    CheckPoint,
    FileExplain,
    Load,
    Configuration,
    RelationLoad,
    ApiLoad,
    Vpc,
    Advance,
    DomainBinding,
    GlobalParam,
    FileParam,
    ResponseHeader,
}

#[derive(Debug, Clone, Copy)]
pub enum T {
    Str,
    Int,
    Bool,
    /// A string or an integer (ExportList[].Count is documented as a string of a number).
    StrOrInt,
    StrList,
    Obj(Kind),
    List(Kind),
}

/// Fields of each kind of object.
pub fn fields(kind: Kind) -> &'static [(&'static str, T)] {
    use T::*;
    match kind {
        Kind::Root => &[
            ("SceneId", Str),
            ("SceneName", Str),
            ("RelationList", List(Kind::Relation)),
            ("LoadConfig", Obj(Kind::Load)),
            ("AdvanceSetting", Obj(Kind::Advance)),
            ("GlobalParameterList", List(Kind::GlobalParam)),
            ("FileParameterList", List(Kind::FileParam)),
            // Response-only; accepted in files (an export of an older version may hold them).
            ("CreateTime", Str),
            ("ModifiedTime", Str),
            ("Status", Str),
            ("Headers", List(Kind::ResponseHeader)),
        ],
        Kind::Relation => &[
            ("RelationName", Str),
            ("RelationId", Str),
            ("ApiList", List(Kind::Api)),
            ("FileParameterExplainList", List(Kind::FileExplain)),
        ],
        Kind::Api => &[
            ("ApiName", Str),
            ("ApiId", Str),
            ("Url", Str),
            ("Method", Str),
            ("TimeoutInSecond", Int),
            ("RedirectCountLimit", Int),
            ("HeaderList", List(Kind::Header)),
            ("Body", Obj(Kind::Body)),
            ("ExportList", List(Kind::Export)),
            ("CheckPointList", List(Kind::CheckPoint)),
        ],
        Kind::Header => &[("HeaderName", Str), ("HeaderValue", Str)],
        Kind::Body => &[("ContentType", Str), ("BodyValue", Str)],
        Kind::Export => {
            &[("ExportName", Str), ("ExportType", Str), ("ExportValue", Str), ("Count", StrOrInt)]
        }
        Kind::CheckPoint => {
            &[("CheckType", Str), ("CheckPoint", Str), ("Operator", Str), ("ExpectValue", Str)]
        }
        Kind::FileExplain => {
            &[("FileName", Str), ("FileParamName", Str), ("BaseFile", Bool), ("CycleOnce", Bool)]
        }
        Kind::Load => &[
            ("TestMode", Str),
            ("MaxRunningTime", Int),
            ("Configuration", Obj(Kind::Configuration)),
            ("RelationLoadConfigList", List(Kind::RelationLoad)),
            ("ApiLoadConfigList", List(Kind::ApiLoad)),
            ("AutoStep", Bool),
            ("Increment", Int),
            ("KeepTime", Int),
            ("AgentCount", Int),
            ("VpcLoadConfig", Obj(Kind::Vpc)),
        ],
        Kind::Configuration => &[
            ("AllConcurrencyBegin", Int),
            ("AllConcurrencyLimit", Int),
            ("AllRpsBegin", Int),
            ("AllRpsLimit", Int),
        ],
        Kind::RelationLoad => {
            &[("RelationId", Str), ("ConcurrencyBegin", Int), ("ConcurrencyLimit", Int)]
        }
        Kind::ApiLoad => &[("ApiId", Str), ("RpsBegin", Int), ("RpsLimit", Int)],
        Kind::Vpc => {
            &[("VpcId", Str), ("VSwitchId", Str), ("SecurityGroupId", Str), ("RegionId", Str)]
        }
        Kind::Advance => &[
            ("LogRate", Int),
            ("ConnectionTimeoutInSecond", Int),
            ("SuccessCode", Str),
            ("DomainBindingList", List(Kind::DomainBinding)),
        ],
        Kind::DomainBinding => &[("Domain", Str), ("Ips", StrList)],
        Kind::GlobalParam => &[("ParamName", Str), ("ParamValue", Str)],
        Kind::FileParam => &[("FileName", Str), ("FileOssAddress", Str)],
        Kind::ResponseHeader => &[("Name", Str), ("Value", Str)],
    }
}

/// Checks keys and types under `v` (an object of `kind` at `path`), adding an issue per
/// unknown key (with the closest known one) and per wrong type.
pub fn check(v: &Value, kind: Kind, path: &str, out: &mut Vec<Issue>) {
    let Some(obj) = v.as_object() else {
        out.push(Issue::new(path, "must be an object"));
        return;
    };
    let known = fields(kind);
    for (key, value) in obj {
        let at = join(path, key);
        let Some((_, t)) = known.iter().find(|(k, _)| k == key) else {
            let names: Vec<&str> = known.iter().map(|(k, _)| *k).collect();
            let rule = match closest(key, &names) {
                Some(s) => format!("is not a field of this object (did you mean {s}?)"),
                None => format!("is not a field of this object (known: {})", names.join(", ")),
            };
            out.push(Issue::new(&at, &rule));
            continue;
        };
        if value.is_null() {
            continue;
        }
        match t {
            T::Str if !value.is_string() => out.push(Issue::new(&at, "must be a string")),
            T::Int if !value.is_i64() => out.push(Issue::new(&at, "must be an integer")),
            T::Bool if !value.is_boolean() => out.push(Issue::new(&at, "must be true or false")),
            T::StrOrInt if !(value.is_string() || value.is_i64()) => {
                out.push(Issue::new(&at, "must be a string or an integer"))
            }
            T::StrList if !value.as_array().is_some_and(|a| a.iter().all(Value::is_string)) => {
                out.push(Issue::new(&at, "must be a list of strings"))
            }
            T::Obj(k) => check(value, *k, &at, out),
            T::List(k) => match value.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        check(item, *k, &format!("{at}[{i}]"), out);
                    }
                }
                None => out.push(Issue::new(&at, "must be a list")),
            },
            _ => {}
        }
    }
}

/// Removes keys no request shape knows (for exports of what the service returned).
pub fn strip_unknown(v: &mut Value, kind: Kind) {
    let Some(obj) = v.as_object_mut() else { return };
    let known = fields(kind);
    obj.retain(|k, _| known.iter().any(|(n, _)| n == k));
    for (key, value) in obj.iter_mut() {
        match known.iter().find(|(k, _)| k == key).map(|(_, t)| *t) {
            Some(T::Obj(k)) => strip_unknown(value, k),
            Some(T::List(k)) => {
                value.as_array_mut().into_iter().flatten().for_each(|x| strip_unknown(x, k))
            }
            _ => {}
        }
    }
}

pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

/// The known name closest to `given` (case-insensitive match first, then edit distance).
fn closest(given: &str, names: &[&str]) -> Option<String> {
    if let Some(n) = names.iter().find(|n| n.eq_ignore_ascii_case(given)) {
        return Some((*n).to_string());
    }
    pts_api::__private::validate::suggest(given, names)
}

//! Wire names -> Rust names. An acronym table runs ahead of heck so names read the way
//! the official SDKs spell them (`get_jmeter_logs`, not `get_j_meter_logs`).

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Word spellings heck would split wrongly, rewritten before case conversion.
const ACRONYMS: &[(&str, &str)] = &[("JMeter", "Jmeter"), ("VSwitch", "Vswitch")];

/// Rust keywords (strict and reserved) that a snake_case name must not be.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

fn with_acronyms(wire: &str) -> String {
    let mut s = wire.to_string();
    for (from, to) in ACRONYMS {
        s = s.replace(from, to);
    }
    s
}

/// Field and function names: `MaxRT` -> `max_rt`, `GetUserVpcVSwitch` -> `get_user_vpc_vswitch`.
/// A keyword gets a `_value` suffix rather than a raw identifier.
pub fn snake(wire: &str) -> String {
    let s = with_acronyms(wire).to_snake_case();
    if is_keyword(&s) { format!("{s}_value") } else { s }
}

/// Type names keep the wire spelling when it is already PascalCase (`JMeterScene`),
/// which is how PTS users know them; other names are converted.
pub fn pascal(wire: &str) -> String {
    let starts_upper = wire.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    if starts_upper && wire.chars().all(|c| c.is_ascii_alphanumeric()) && !wire.contains("__") {
        if wire.chars().all(|c| !c.is_ascii_lowercase()) {
            // ALL_CAPS values such as enum values: SYNC_DONE -> SyncDone.
            return wire.to_upper_camel_case();
        }
        return wire.to_string();
    }
    wire.to_upper_camel_case()
}

/// Enum variant names from values: `SYNC_DONE` -> `SyncDone`, `WaitStart` -> `WaitStart`.
pub fn variant(value: &str) -> String {
    if value.contains('_') || value.chars().all(|c| !c.is_ascii_lowercase()) {
        value.to_lowercase().to_upper_camel_case()
    } else {
        pascal(value)
    }
}

/// The type name for the items of a list field: `SceneViewList` -> `SceneView`,
/// `Reports` -> `Report`, `Properties` -> `Property`.
pub fn item_name(list_field: &str) -> String {
    let p = pascal(list_field);
    if let Some(s) = p.strip_suffix("List").filter(|s| !s.is_empty()) {
        return s.to_string();
    }
    if let Some(s) = p.strip_suffix("ies").filter(|s| s.len() > 1) {
        return format!("{s}y");
    }
    if p.ends_with('s') && !p.ends_with("ss") && p.len() > 3 {
        return p[..p.len() - 1].to_string();
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_read_naturally() {
        assert_eq!(snake("GetJMeterLogs"), "get_jmeter_logs");
        assert_eq!(snake("GetUserVpcVSwitch"), "get_user_vpc_vswitch");
        assert_eq!(snake("MaxRT"), "max_rt");
        assert_eq!(snake("StartTimeTS"), "start_time_ts");
        assert_eq!(snake("Seg90Rt"), "seg90_rt");
        assert_eq!(snake("TotalRealQps"), "total_real_qps");
        assert_eq!(snake("VSwitchId"), "vswitch_id");
        assert_eq!(snake("JMeterProperties"), "jmeter_properties");
        assert_eq!(snake("KeyWord"), "key_word");
    }

    #[test]
    fn keywords_are_suffixed() {
        assert_eq!(snake("Type"), "type_value");
        assert!(!is_keyword(&snake("Type")));
    }

    #[test]
    fn items_are_singular() {
        assert_eq!(item_name("SceneViewList"), "SceneView");
        assert_eq!(item_name("Reports"), "Report");
        assert_eq!(item_name("Properties"), "Property");
        assert_eq!(item_name("JMeterScene"), "JMeterScene");
        assert_eq!(item_name("Ips"), "Ips");
    }

    #[test]
    fn variants() {
        assert_eq!(variant("SYNC_DONE"), "SyncDone");
        assert_eq!(variant("WaitStart"), "WaitStart");
        assert_eq!(variant("RUNNING"), "Running");
    }
}

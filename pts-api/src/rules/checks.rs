//! Checkpoints, exports and parameters: operator spellings, export names and match counts,
//! extra success codes.

use super::violation::{Violation, api_path};
use crate::shapes::export_type::ExportType;
use crate::shapes::scene::Scene;

/// A checkpoint comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
    Ctn,
    Nctn,
    Exist,
    Nexist,
    /// The expected value is a regular expression found in the value.
    Regex,
    /// The expected value is a regular expression not found in the value.
    NRegex,
}

impl Operator {
    /// A PTS operator name, case-insensitive, with the aliases clients write.
    pub fn parse(name: &str) -> Option<Operator> {
        use Operator::*;
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "eq" | "=" | "==" | "equal" | "equals" => Eq,
            "neq" | "ne" | "!=" | "<>" | "not_equal" => Neq,
            "gt" | ">" => Gt,
            "gte" | "ge" | ">=" => Gte,
            "lt" | "<" => Lt,
            "lte" | "le" | "<=" => Lte,
            "ctn" | "contain" | "contains" => Ctn,
            "nctn" | "not_contain" | "not_contains" | "ncontain" => Nctn,
            "exist" | "exists" => Exist,
            "nexist" | "not_exist" | "not_exists" | "nexists" => Nexist,
            "regex" | "regexp" | "match" | "matches" => Regex,
            "nregex" | "not_regex" | "not_match" => NRegex,
            _ => return None,
        })
    }
}

/// The operator a checkpoint without one uses.
pub const DEFAULT_OPERATOR: Operator = Operator::Eq;

/// Which match of a BODY_TEXT export is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Index(usize),
    Random,
}

/// An export's `Count`: a match index (absent or empty: the first) or `Random`.
pub fn export_count(count: Option<&str>) -> Result<Which, String> {
    match count.map(str::trim) {
        None | Some("") => Ok(Which::Index(0)),
        Some(c) if c.eq_ignore_ascii_case("random") => Ok(Which::Random),
        Some(c) => c
            .parse()
            .map(Which::Index)
            .map_err(|_| format!("must be a number or Random (got {c:?})")),
    }
}

/// `AdvanceSetting.SuccessCode`: HTTP status codes separated by commas, semicolons or spaces.
pub fn success_codes(s: Option<&str>) -> Result<Vec<u16>, String> {
    let mut out = Vec::new();
    for part in s.unwrap_or("").split([',', ';', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<u16>() {
            Ok(code) if (100..=599).contains(&code) => out.push(code),
            _ => return Err(format!("must list HTTP status codes (got {part:?})")),
        }
    }
    Ok(out)
}

pub(super) fn check(s: &Scene, out: &mut Vec<Violation>) {
    for (i, r) in s.relation_list.iter().enumerate() {
        for (j, a) in r.api_list.iter().enumerate() {
            let p = api_path(i, j);
            for (k, cp) in a.check_point_list.iter().flatten().enumerate() {
                if let Some(op) = &cp.operator
                    && Operator::parse(op).is_none()
                {
                    out.push(Violation::new(
                        format!("{p}.CheckPointList[{k}].Operator"),
                        format!("must be a known operator such as eq, neq, gt, gte, lt, lte, ctn, nctn, exist, nexist, regex, nregex (got {op:?})"),
                    ));
                }
            }
            for (k, e) in a.export_list.iter().flatten().enumerate() {
                let at = format!("{p}.ExportList[{k}]");
                if e.export_name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                    out.push(Violation::new(format!("{at}.ExportName"), "is required"));
                }
                if e.export_type == Some(ExportType::BodyText)
                    && let Err(m) = export_count(e.count.as_deref())
                {
                    out.push(Violation::new(format!("{at}.Count"), m));
                }
            }
        }
    }
    if let Some(a) = &s.advance_setting
        && let Err(m) = success_codes(a.success_code.as_deref())
    {
        out.push(Violation::new("Scene.AdvanceSetting.SuccessCode", m));
    }
}

//! File references: each relation's file parameters name a file the scene lists.

use super::violation::{Violation, rel_path};
use crate::shapes::scene::Scene;

/// The name a file reference resolves by: `FileName`, else the URL's last path segment.
pub fn reference_name(file_name: Option<&str>, url: Option<&str>) -> Option<String> {
    if let Some(n) = file_name.map(str::trim).filter(|n| !n.is_empty()) {
        return Some(n.to_string());
    }
    let url = url?.split(['?', '#']).next()?;
    let last = url.rsplit('/').next()?.trim();
    (!last.is_empty()).then(|| last.to_string())
}

/// The names of the files a scene lists in `FileParameterList`.
pub fn listed(s: &Scene) -> Vec<String> {
    s.file_parameter_list
        .iter()
        .flatten()
        .filter_map(|f| reference_name(f.file_name.as_deref(), f.file_oss_address.as_deref()))
        .collect()
}

/// The column names of a `FileParamName` (comma-separated, blanks dropped).
pub fn columns(file_param_name: &str) -> impl Iterator<Item = &str> {
    file_param_name.split(',').map(str::trim).filter(|c| !c.is_empty())
}

pub(super) fn check(s: &Scene, out: &mut Vec<Violation>) {
    let files = listed(s);
    for (i, r) in s.relation_list.iter().enumerate() {
        for (k, e) in r.file_parameter_explain_list.iter().flatten().enumerate() {
            let p = format!("{}.FileParameterExplainList[{k}]", rel_path(i));
            if !files.contains(&e.file_name) {
                out.push(Violation::new(
                    format!("{p}.FileName"),
                    format!(
                        "must name a file of Scene.FileParameterList (no {:?} there)",
                        e.file_name
                    ),
                ));
            }
            if columns(&e.file_param_name).next().is_none() {
                out.push(Violation::new(
                    format!("{p}.FileParamName"),
                    "must name at least one column (comma-separated)",
                ));
            }
        }
    }
}

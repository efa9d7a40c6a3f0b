//! What changed between two inventories: operations, parameters and constraints added,
//! removed or changed. Used by `pts meta check` and `cargo xtask check`.

use crate::inventory::{Inventory, Operation, Shape};
use crate::markdown::node_facts;
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    AddedOperation(String),
    RemovedOperation(String),
    /// A parameter or response field path (`Op.request.Scene.SceneName`).
    Added(String),
    Removed(String),
    /// A node whose own facts (type, required, constraints, location, ...) differ.
    Changed {
        path: String,
        before: String,
        after: String,
    },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::AddedOperation(n) => write!(f, "+ operation {n}"),
            Change::RemovedOperation(n) => write!(f, "- operation {n}"),
            Change::Added(p) => write!(f, "+ {p}"),
            Change::Removed(p) => write!(f, "- {p}"),
            Change::Changed { path, before, after } => write!(f, "~ {path}: {before} -> {after}"),
        }
    }
}

impl Change {
    /// The operation a change belongs to.
    pub fn operation(&self) -> &str {
        let p = match self {
            Change::AddedOperation(n) | Change::RemovedOperation(n) => return n,
            Change::Added(p) | Change::Removed(p) | Change::Changed { path: p, .. } => p,
        };
        p.split('.').next().unwrap_or(p)
    }
}

/// Every difference from `old` to `new`, sorted.
pub fn diff(old: &Inventory, new: &Inventory) -> Vec<Change> {
    let mut out = Vec::new();
    for op in &new.operations {
        match old.operation(&op.name) {
            None => out.push(Change::AddedOperation(op.name.clone())),
            Some(before) => diff_operation(before, op, &mut out),
        }
    }
    for op in &old.operations {
        if new.operation(&op.name).is_none() {
            out.push(Change::RemovedOperation(op.name.clone()));
        }
    }
    out.sort();
    out
}

fn diff_operation(old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    let facts = |o: &Operation| {
        format!(
            "access {}, paging {}, methods {}",
            o.access.as_str(),
            o.paging.as_ref().map_or("none".into(), |p| p.items.clone()),
            o.methods.join("/")
        )
    };
    if facts(old) != facts(new) {
        out.push(Change::Changed { path: new.name.clone(), before: facts(old), after: facts(new) });
    }
    let params = |o: &Operation| -> BTreeMap<String, (String, Shape)> {
        o.parameters
            .iter()
            .map(|p| {
                let place = format!("{} {:?}", p.location.as_str(), p.style);
                (p.name.clone(), (place, p.schema.clone()))
            })
            .collect()
    };
    let (a, b) = (params(old), params(new));
    for (name, (place, shape)) in &b {
        let path = format!("{}.request.{name}", new.name);
        match a.get(name) {
            None => out.push(Change::Added(path)),
            Some((old_place, old_shape)) => {
                if old_place != place {
                    out.push(Change::Changed {
                        path: path.clone(),
                        before: old_place.clone(),
                        after: place.clone(),
                    });
                }
                diff_shape(&path, old_shape, shape, out);
            }
        }
    }
    for name in a.keys().filter(|n| !b.contains_key(*n)) {
        out.push(Change::Removed(format!("{}.request.{name}", new.name)));
    }
    diff_shape(&format!("{}.response", new.name), &old.response, &new.response, out);
}

fn diff_shape(path: &str, old: &Shape, new: &Shape, out: &mut Vec<Change>) {
    let (a, b) = (node_facts(old), node_facts(new));
    if a != b {
        out.push(Change::Changed { path: path.to_string(), before: a, after: b });
    }
    for (name, child) in &new.properties {
        let sub = format!("{path}.{name}");
        match old.properties.get(name) {
            None => out.push(Change::Added(sub)),
            Some(o) => diff_shape(&sub, o, child, out),
        }
    }
    for name in old.properties.keys().filter(|n| !new.properties.contains_key(*n)) {
        out.push(Change::Removed(format!("{path}.{name}")));
    }
    if let (Some(o), Some(n)) = (&old.items, &new.items) {
        diff_shape(&format!("{path}[]"), o, n, out);
    }
    if let (Some(o), Some(n)) = (&old.map_values, &new.map_values) {
        diff_shape(&format!("{path}{{}}"), o, n, out);
    }
}

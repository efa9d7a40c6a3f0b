//! Open enums for every closed value set (`constraints.enum`) in the inventory.
//!
//! A value set takes its override's `enum_name`, else a name derived from its field
//! (`TestMode`, `CheckType`); a derived name already used by a different value set gets the
//! parent's name in front (`ScenarioTestMode`), then a number. Identical value sets under one
//! name share one enum; occurrences of one `enum_name` contribute their values and aliases.

use crate::naming::{item_name, pascal, snake, variant};
use api_meta::inventory::{Inventory, Shape};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone)]
pub struct EnumModel {
    pub name: String,
    pub module: String,
    /// Integer values travel as JSON numbers; the others as strings.
    pub int: bool,
    /// (variant, wire value) in documentation order.
    pub values: Vec<(String, String)>,
    /// (variant, another accepted spelling) of the known values.
    pub aliases: Vec<(String, String)>,
}

/// The wire values of a constrained node, as text, and whether they are integers.
fn values_of(s: &Shape) -> (bool, Vec<String>) {
    let vals = &s.constraints.enum_values;
    let int = !vals.is_empty() && vals.iter().all(|v| v.as_i64().is_some());
    let text = vals
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    (int, text)
}

/// Visits every node with an enum constraint: (node, its field name, the parent field name).
fn each_constrained(inv: &mut Inventory, f: &mut dyn FnMut(&mut Shape, &str, &str)) {
    fn walk(s: &mut Shape, field: &str, parent: &str, f: &mut dyn FnMut(&mut Shape, &str, &str)) {
        if !s.constraints.enum_values.is_empty() {
            f(s, field, parent);
        }
        for (name, child) in s.properties.iter_mut() {
            walk(child, name, field, f);
        }
        if let Some(i) = s.items.as_deref_mut() {
            walk(i, &item_name(field), parent, f);
        }
        if let Some(v) = s.map_values.as_deref_mut() {
            walk(v, field, parent, f);
        }
    }
    for op in &mut inv.operations {
        let name = op.name.clone();
        for p in &mut op.parameters {
            let field = p.name.clone();
            walk(&mut p.schema, &field, &name, f);
        }
        walk(&mut op.response, &name, &name, f);
    }
}

/// Gives every constrained node an `enum_name` (deterministic, see the module docs).
/// `reserved` are type names already taken in `shapes` (shared structs).
pub fn name_all(inv: &mut Inventory, reserved: &BTreeSet<String>) {
    // Explicit names keep the values of every occurrence.
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    each_constrained(inv, &mut |s, _, _| {
        if let Some(n) = &s.enum_name {
            taken.insert(n.clone(), String::from("\0explicit"));
        }
    });
    for r in reserved {
        taken.entry(r.clone()).or_insert_with(|| String::from("\0struct"));
    }
    each_constrained(inv, &mut |s, field, parent| {
        if s.enum_name.is_some() {
            return;
        }
        let signature = format!("{:?}", values_of(s));
        let base = pascal(field);
        let mut candidates = vec![base.clone(), format!("{}{base}", pascal(parent))];
        candidates.extend((2..).take(50).map(|i| format!("{}{base}{i}", pascal(parent))));
        let name = candidates
            .into_iter()
            .find(|c| taken.get(c).is_none_or(|sig| *sig == signature))
            .unwrap_or_else(|| panic!("no free enum name for field {field}"));
        taken.insert(name.clone(), signature);
        s.enum_name = Some(name);
    });
}

/// Per enum name: integer values?, the values, and (alias, value) pairs.
type Found = BTreeMap<String, (bool, Vec<String>, Vec<(String, String)>)>;

/// One model per enum name, sorted by name (call after [`name_all`]).
pub fn collect(inv: &Inventory) -> Vec<EnumModel> {
    let mut inv = inv.clone();
    let mut found: Found = BTreeMap::new();
    each_constrained(&mut inv, &mut |s, field, _| {
        let name = s.enum_name.clone().expect("named by name_all");
        let (int, vals) = values_of(s);
        let entry = found.entry(name.clone()).or_insert_with(|| (int, Vec::new(), Vec::new()));
        assert_eq!(entry.0, int, "enum {name} mixes integer and text values (field {field})");
        for v in vals {
            if !entry.1.contains(&v) {
                entry.1.push(v);
            }
        }
        for (canonical, spellings) in &s.enum_aliases {
            for a in spellings {
                let pair = (canonical.clone(), a.clone());
                if !entry.2.contains(&pair) {
                    entry.2.push(pair);
                }
            }
        }
    });
    found
        .into_iter()
        .map(|(name, (int, values, aliases))| {
            let variant_of = |v: &str| {
                let base = if int { format!("V{}", v.replace('-', "Minus")) } else { variant(v) };
                if base == "Unknown" { format!("{base}Value") } else { base }
            };
            let values: Vec<(String, String)> =
                values.iter().map(|v| (variant_of(v), v.clone())).collect();
            let distinct: BTreeSet<&String> = values.iter().map(|(v, _)| v).collect();
            assert_eq!(distinct.len(), values.len(), "enum {name}: two values give one variant");
            let mut spellings: BTreeSet<&String> = values.iter().map(|(_, w)| w).collect();
            for (_, a) in &aliases {
                assert!(spellings.insert(a), "enum {name}: spelling {a} is given twice");
            }
            let aliases = aliases
                .into_iter()
                .map(|(canonical, alias)| {
                    assert!(
                        values.iter().any(|(_, w)| *w == canonical),
                        "enum {name}: alias {alias} for unknown value {canonical}"
                    );
                    (variant_of(&canonical), alias)
                })
                .collect();
            EnumModel { module: snake(&name), name, int, values, aliases }
        })
        .collect()
}

//! Response objects shared by structure.
//!
//! Two response objects are one shape when they have the same wire names with the same
//! Rust types, nested the same way. Rules (required, ranges, value sets) are not part of
//! the structure: responses never enforce them, and each operation's static metadata keeps
//! its own. A structure found in two or more operations is emitted once under `shapes`;
//! an override can merge a subset into a larger shape (`same_as`) or keep an occurrence
//! apart (`distinct`).

use crate::naming::{item_name, pascal, snake};
use api_meta::inventory::{Inventory, Shape, Type};
use std::collections::{BTreeMap, BTreeSet};

/// The structural key of a shape: wire names and Rust types, nothing else.
pub fn key(inv: &Inventory, s: &Shape, path: &str) -> String {
    if let Some(target) = &s.same_as {
        return key(inv, resolve(inv, s, path), target);
    }
    if let Some(r) = &s.shape_ref {
        return format!("ref:{r}");
    }
    if let Some(e) = &s.enum_name {
        return format!("enum:{e}");
    }
    match s.ty.unwrap_or(Type::Any) {
        Type::String if s.format.as_deref() == Some("json-text") => "json".into(),
        Type::String => "s".into(),
        Type::Integer if s.format.as_deref() == Some("int64") => "i64".into(),
        Type::Integer => "i32".into(),
        Type::Number => "f64".into(),
        Type::Boolean => "b".into(),
        Type::Any => "any".into(),
        Type::Array => {
            let item = s.items.as_deref().cloned().unwrap_or_default();
            format!("[{}]", key(inv, &item, &format!("{path}[]")))
        }
        Type::Object => match &s.map_values {
            Some(v) => format!("map{}", key(inv, v, &format!("{path}{{}}"))),
            None => {
                let fields: Vec<String> = s
                    .properties
                    .iter()
                    .map(|(n, c)| format!("{n:?}:{}", key(inv, c, &format!("{path}.{n}"))))
                    .collect();
                let own = if s.distinct { format!("#{path}") } else { String::new() };
                format!("{own}{{{}}}", fields.join(","))
            }
        },
    }
}

/// The shape an occurrence is read as: its `same_as` target, checked to hold every field
/// of the occurrence with the same structure, or itself.
pub fn resolve<'i>(inv: &'i Inventory, s: &'i Shape, path: &str) -> &'i Shape {
    let Some(target) = &s.same_as else { return s };
    let t = api_meta::overrides::find_shape(inv, target)
        .unwrap_or_else(|| panic!("{path}: same_as target {target} not found"));
    if let Err(at) = fits(inv, s, t, path) {
        panic!("{path}: same_as {target} does not fit at `{at}` (missing or another type)");
    }
    t
}

/// Whether every field of `sub` is in `sup` with the same structure (nested objects may
/// again be subsets; a plain string may be read as an open enum).
fn fits(inv: &Inventory, sub: &Shape, sup: &Shape, path: &str) -> Result<(), String> {
    let is_object = |s: &Shape| s.ty == Some(Type::Object) && s.map_values.is_none();
    if is_object(sub) && is_object(sup) && sub.shape_ref.is_none() && sup.shape_ref.is_none() {
        for (n, c) in &sub.properties {
            let p = format!("{path}.{n}");
            fits(inv, c, sup.properties.get(n).ok_or_else(|| p.clone())?, &p)?;
        }
        return Ok(());
    }
    if let (Some(a), Some(b)) = (&sub.items, &sup.items) {
        return fits(inv, a, b, &format!("{path}[]"));
    }
    let (a, b) = (key(inv, sub, path), key(inv, sup, path));
    if a == b || (a == "s" && b.starts_with("enum:")) { Ok(()) } else { Err(path.to_string()) }
}

/// Where the shared response structs live and what they are called.
#[derive(Debug, Default)]
pub struct Plan {
    /// Structural key -> (module under `shapes`, struct name).
    pub by_key: BTreeMap<String, (String, String)>,
    /// Shared structs in emission order: (key, module, name, canonical shape, paths).
    pub structs: Vec<SharedStruct>,
    /// Objects with one name but different structures, for NAMES.md.
    pub variants: BTreeMap<String, Vec<Variant>>,
}

#[derive(Debug, Clone)]
pub struct SharedStruct {
    pub module: String,
    pub name: String,
    pub shape: Shape,
    /// Every path this struct is used at, first one first.
    pub paths: Vec<String>,
}

/// One structure found under a name: where, on which side, and its fields' keys.
#[derive(Debug, Clone)]
pub struct Variant {
    pub key: String,
    pub paths: Vec<String>,
    pub request: bool,
    pub fields: BTreeMap<String, String>,
}

struct Seen {
    ops: BTreeSet<String>,
    paths: Vec<String>,
    wanted: String,
    parent: String,
    parent_key: Option<String>,
    shape: Shape,
}

struct Walk<'i> {
    inv: &'i Inventory,
    order: Vec<String>,
    seen: BTreeMap<String, Seen>,
    variants: BTreeMap<String, Vec<Variant>>,
}

impl Walk<'_> {
    #[allow(clippy::too_many_arguments)]
    fn node(
        &mut self,
        op: &str,
        s: &Shape,
        wanted: &str,
        parent: &str,
        parent_key: Option<&str>,
        path: &str,
        request: bool,
    ) {
        if s.shape_ref.is_some() || (s.enum_name.is_some() && !request) {
            return;
        }
        match s.ty.unwrap_or(Type::Any) {
            Type::Array => {
                let item = s.items.as_deref().cloned().unwrap_or_default();
                let p = format!("{path}[]");
                self.node(op, &item, &item_name(wanted), parent, parent_key, &p, request);
            }
            Type::Object if s.map_values.is_some() => {
                let v = s.map_values.as_deref().cloned().unwrap_or_default();
                let p = format!("{path}{{}}");
                self.node(op, &v, wanted, parent, parent_key, &p, request);
            }
            Type::Object => self.object(op, s, wanted, parent, parent_key, path, request),
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn object(
        &mut self,
        op: &str,
        s: &Shape,
        wanted: &str,
        parent: &str,
        parent_key: Option<&str>,
        path: &str,
        request: bool,
    ) {
        let inv = self.inv;
        let canonical = resolve(inv, s, path);
        let k = key(inv, s, path);
        // A merged occurrence takes the name of the shape it is read as.
        let wanted = s.same_as.as_deref().map_or(wanted, |t| t.rsplit('.').next().unwrap_or(t));
        let name = pascal(wanted);
        let fields =
            s.properties.iter().map(|(n, c)| (n.clone(), key(inv, c, &format!("{path}.{n}"))));
        let list = self.variants.entry(name.clone()).or_default();
        match list.iter_mut().find(|v| v.key == k && v.request == request) {
            Some(v) => v.paths.push(path.to_string()),
            None => list.push(Variant {
                key: k.clone(),
                paths: vec![path.to_string()],
                request,
                fields: fields.collect(),
            }),
        }
        if !request {
            let seen = self.seen.entry(k.clone()).or_insert_with(|| Seen {
                ops: BTreeSet::new(),
                paths: vec![],
                wanted: wanted.to_string(),
                parent: parent.to_string(),
                parent_key: parent_key.map(String::from),
                shape: canonical.clone(),
            });
            if seen.ops.is_empty() {
                self.order.push(k.clone());
            }
            seen.ops.insert(op.to_string());
            seen.paths.push(path.to_string());
        }
        for (n, c) in &canonical.properties {
            let p = format!("{path}.{n}");
            self.node(op, c, n, &name, Some(&k), &p, request);
        }
    }
}

/// Finds the response structures used by two or more operations and names them.
/// `taken_modules` are module names under `shapes` already in use.
pub fn plan(inv: &Inventory, taken_modules: &BTreeSet<String>) -> Plan {
    let mut w = Walk { inv, order: vec![], seen: BTreeMap::new(), variants: BTreeMap::new() };
    for op in &inv.operations {
        for p in &op.parameters {
            let path = format!("{}.request.{}", op.name, p.name);
            w.node(&op.name, &p.schema, &p.name, &op.name, None, &path, true);
        }
        for (n, c) in &op.response.properties {
            let path = format!("{}.response.{n}", op.name);
            w.node(&op.name, c, n, &op.name, None, &path, false);
        }
    }
    let mut plan = Plan::default();
    let mut names = BTreeSet::new();
    for k in &w.order {
        let seen = &w.seen[k];
        if seen.ops.len() < 2 {
            continue;
        }
        let wanted = pascal(&seen.wanted);
        let mut candidates = vec![wanted.clone(), format!("{}{wanted}", seen.parent)];
        candidates.extend((2..52).map(|i| format!("{}{wanted}{i}", seen.parent)));
        let name = candidates
            .into_iter()
            .find(|c| !names.contains(c))
            .unwrap_or_else(|| panic!("no free shared name for {}", seen.paths[0]));
        names.insert(name.clone());
        let module = match seen.parent_key.as_ref().and_then(|p| plan.by_key.get(p)) {
            Some((m, _)) => m.clone(),
            None => {
                let own = snake(&name);
                if taken_modules.contains(&own) { format!("{own}_response") } else { own }
            }
        };
        plan.by_key.insert(k.clone(), (module.clone(), name.clone()));
        plan.structs.push(SharedStruct {
            module,
            name,
            shape: seen.shape.clone(),
            paths: seen.paths.clone(),
        });
    }
    plan.variants = w.variants.into_iter().filter(|(_, v)| v.len() > 1).collect();
    plan
}

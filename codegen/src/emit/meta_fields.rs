//! Field lists of the static metadata that several places describe alike (the Scene tree in
//! SavePtsScene's request, GetPtsScene's response and the report snapshot; header, export and
//! checkpoint lists; ...). Each distinct list that occurs more than once is emitted once in
//! `meta_fields.rs` and referenced by name, decided by structural equality of the emitted
//! tokens, so a list that differs in one constraint stays inline.

use super::meta::{self, SharedRefs};
use api_meta::inventory::{Operation, Shape};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// A list this small is clearer inline than behind a name.
const MIN_FIELDS: usize = 2;

/// Names every field list that would be written at least twice across the operations'
/// parameters and responses and the shared shapes: key -> constant name (from the field that
/// holds the object; numbered when two different lists would take the same name). A list
/// whose every occurrence sits inside one larger shared list is written once anyway, so it
/// gets no constant of its own.
pub fn plan<'a>(
    ops: impl Iterator<Item = &'a Operation>,
    shared: &[&'a Shape],
    refs: &SharedRefs,
) -> BTreeMap<String, String> {
    let roots = roots(ops, shared);
    let mut seen: BTreeMap<String, (usize, String, &Shape)> = BTreeMap::new();
    for (holder, root) in &roots {
        walk(holder, root, refs, &mut seen);
    }
    // Keys stand in for names until the set is final.
    let mut lists: BTreeMap<String, String> =
        seen.iter().filter(|(_, v)| v.0 > 1).map(|(k, _)| (k.clone(), k.clone())).collect();
    loop {
        let trial = SharedRefs { targets: refs.targets.clone(), lists: lists.clone() };
        let mut uses: BTreeMap<String, usize> = BTreeMap::new();
        for (_, root) in &roots {
            count_uses(root, &trial, &mut uses);
        }
        for key in lists.keys() {
            let body = seen[key].2;
            body.properties.values().for_each(|c| count_uses(c, &trial, &mut uses));
        }
        let before = lists.len();
        lists.retain(|key, _| uses.get(key).copied().unwrap_or(0) > 1);
        if lists.len() == before {
            break;
        }
    }
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    lists
        .into_keys()
        .map(|key| {
            let holder = &seen[&key].1;
            let base = heck::ToShoutySnakeCase::to_shouty_snake_case(holder.as_str());
            let n = taken.entry(base.clone()).or_default();
            *n += 1;
            let name =
                if *n == 1 { format!("{base}_FIELDS") } else { format!("{base}_{n}_FIELDS") };
            (key, name)
        })
        .collect()
}

/// Where field lists are written, each with the name of the field that holds it: every
/// operation's parameters and response, and the fields inside each shared shape (a shared
/// shape's own list is its `*_FIELDS` constant).
fn roots<'a>(
    ops: impl Iterator<Item = &'a Operation>,
    shared: &[&'a Shape],
) -> Vec<(String, &'a Shape)> {
    let mut roots: Vec<(String, &Shape)> = Vec::new();
    for op in ops {
        roots.extend(op.parameters.iter().map(|p| (p.name.clone(), &p.schema)));
        roots.push((response_name(&op.response), &op.response));
    }
    for s in shared {
        roots.extend(s.properties.iter().map(|(name, child)| (name.clone(), child)));
    }
    roots
}

/// Counts the references `s` would write to shared lists (by the name `refs` gives them).
fn count_uses(s: &Shape, refs: &SharedRefs, uses: &mut BTreeMap<String, usize>) {
    if refs.is_shared_object(s) {
        return;
    }
    if let Some(name) = refs.list_name(s) {
        *uses.entry(name).or_default() += 1;
        return;
    }
    s.properties.values().for_each(|c| count_uses(c, refs, uses));
    if let Some(i) = s.items.as_deref().or(s.map_values.as_deref()) {
        count_uses(i, refs, uses);
    }
}

/// Every response carries the service's envelope; a response list is named by what it adds.
fn response_name(s: &Shape) -> String {
    const ENVELOPE: [&str; 5] = ["Code", "HttpStatusCode", "Message", "RequestId", "Success"];
    let extra: Vec<&str> =
        s.properties.keys().map(String::as_str).filter(|k| !ENVELOPE.contains(k)).collect();
    if extra.is_empty() { "Envelope".into() } else { format!("ResponseWith{}", extra.concat()) }
}

fn walk<'a>(
    holder: &str,
    s: &'a Shape,
    refs: &SharedRefs,
    seen: &mut BTreeMap<String, (usize, String, &'a Shape)>,
) {
    if refs.is_shared_object(s) {
        return;
    }
    if s.properties.len() >= MIN_FIELDS {
        let entry = seen.entry(meta::key(s, refs)).or_insert_with(|| (0, holder.to_string(), s));
        entry.0 += 1;
        // The smallest holder name wins, so the name does not depend on operation order.
        if holder < entry.1.as_str() {
            entry.1 = holder.to_string();
        }
    }
    for (name, child) in &s.properties {
        walk(name, child, refs, seen);
    }
    if let Some(i) = s.items.as_deref().or(s.map_values.as_deref()) {
        walk(holder, i, refs, seen);
    }
}

/// The `meta_fields.rs` file: one constant per shared list, nested lists by name too.
pub fn file<'a>(
    ops: impl Iterator<Item = &'a Operation>,
    shared: &[&'a Shape],
    refs: &SharedRefs,
) -> TokenStream {
    let mut bodies: BTreeMap<String, TokenStream> = BTreeMap::new();
    for (_, root) in roots(ops, shared) {
        collect(root, refs, &mut bodies);
    }
    let consts = bodies.into_iter().map(|(name, body)| {
        let id = format_ident!("{}", name);
        quote!(pub(crate) const #id: &[meta::FieldMeta] = #body;)
    });
    // `format_file` adds `use crate::meta;` (before any inner doc, so none is written here).
    quote!(#(#consts)*)
}

fn collect(s: &Shape, refs: &SharedRefs, out: &mut BTreeMap<String, TokenStream>) {
    if refs.is_shared_object(s) {
        return;
    }
    if let Some(name) = refs.list_name(s) {
        out.entry(name).or_insert_with(|| meta::fields(s, refs));
    }
    for child in s.properties.values() {
        collect(child, refs, out);
    }
    if let Some(i) = s.items.as_deref().or(s.map_values.as_deref()) {
        collect(i, refs, out);
    }
}

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

/// Names every field list that occurs at least twice across the operations' parameters and
/// responses: key -> constant name (from the field that holds the object; numbered when two
/// different lists would take the same name).
pub fn plan<'a>(
    ops: impl Iterator<Item = &'a Operation>,
    refs: &SharedRefs,
) -> BTreeMap<String, String> {
    let mut seen: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for op in ops {
        for p in &op.parameters {
            walk(&p.name, &p.schema, refs, &mut seen);
        }
        walk(&response_name(&op.response), &op.response, refs, &mut seen);
    }
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    seen.into_iter()
        .filter(|(_, (count, _))| *count > 1)
        .map(|(key, (_, holder))| {
            let base = heck::ToShoutySnakeCase::to_shouty_snake_case(holder.as_str());
            let n = taken.entry(base.clone()).or_default();
            *n += 1;
            let name =
                if *n == 1 { format!("{base}_FIELDS") } else { format!("{base}_{n}_FIELDS") };
            (key, name)
        })
        .collect()
}

/// Every response carries the service's envelope; a response list is named by what it adds.
fn response_name(s: &Shape) -> String {
    const ENVELOPE: [&str; 5] = ["Code", "HttpStatusCode", "Message", "RequestId", "Success"];
    let extra: Vec<&str> =
        s.properties.keys().map(String::as_str).filter(|k| !ENVELOPE.contains(k)).collect();
    if extra.is_empty() { "Envelope".into() } else { format!("ResponseWith{}", extra.concat()) }
}

fn walk(holder: &str, s: &Shape, refs: &SharedRefs, seen: &mut BTreeMap<String, (usize, String)>) {
    if refs.is_shared_object(s) {
        return;
    }
    if s.properties.len() >= MIN_FIELDS {
        let entry = seen.entry(meta::key(s, refs)).or_insert_with(|| (0, holder.to_string()));
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
pub fn file<'a>(ops: impl Iterator<Item = &'a Operation>, refs: &SharedRefs) -> TokenStream {
    let mut bodies: BTreeMap<String, TokenStream> = BTreeMap::new();
    for op in ops {
        for p in &op.parameters {
            collect(&p.schema, refs, &mut bodies);
        }
        collect(&op.response, refs, &mut bodies);
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

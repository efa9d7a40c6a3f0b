//! Static metadata (`crate::meta::*` literals, written `meta::*` under an import of
//! `crate::meta`) from inventory nodes.

use api_meta::inventory::{Constraints, KeyCase, Location, Operation, Shape, Style, Type};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Number, Value};

/// Shapes reached through `shape_ref` are emitted as a reference to the shared fields
/// constant: target path -> (shapes module, constant name).
/// Field lists that several places share are emitted as a reference to their constant in
/// `meta_fields.rs`: structural key -> constant name (see `meta_fields`).
#[derive(Debug, Default, Clone)]
pub struct SharedRefs {
    pub targets: std::collections::BTreeMap<String, (String, String)>,
    pub lists: std::collections::BTreeMap<String, String>,
}

impl SharedRefs {
    fn lookup(&self, target: &str) -> Option<(String, String)> {
        self.targets.get(target).cloned()
    }

    /// The same references without the shared lists: what a list's key is computed from.
    pub fn without_lists(&self) -> SharedRefs {
        SharedRefs { targets: self.targets.clone(), lists: Default::default() }
    }

    /// A node that takes a shared shape's fields constant.
    pub fn is_shared_object(&self, s: &Shape) -> bool {
        s.shape_ref.as_deref().is_some_and(|r| self.targets.contains_key(r))
    }

    /// The constant naming this node's field list, when the list is shared.
    pub fn list_name(&self, s: &Shape) -> Option<String> {
        if self.lists.is_empty() || s.properties.is_empty() {
            return None;
        }
        self.lists.get(&key(s, self)).cloned()
    }
}

fn num(n: &Number) -> TokenStream {
    match n.as_i64() {
        Some(i) => {
            let l = Literal::i64_suffixed(i);
            quote!(meta::Num::Int(#l))
        }
        None => {
            let l = Literal::f64_suffixed(n.as_f64().unwrap_or(0.0));
            quote!(meta::Num::Float(#l))
        }
    }
}

fn u64_lit(v: u64) -> Literal {
    Literal::u64_suffixed(v)
}

pub fn constraints(c: &Constraints) -> TokenStream {
    let mut out = Vec::new();
    if let Some(m) = &c.minimum {
        let n = num(m);
        out.push(if c.exclusive_minimum {
            quote!(meta::Constraint::ExclusiveMinimum(#n))
        } else {
            quote!(meta::Constraint::Minimum(#n))
        });
    }
    if let Some(m) = &c.maximum {
        let n = num(m);
        out.push(if c.exclusive_maximum {
            quote!(meta::Constraint::ExclusiveMaximum(#n))
        } else {
            quote!(meta::Constraint::Maximum(#n))
        });
    }
    if let Some(m) = c.multiple_of.as_ref().and_then(Number::as_i64) {
        let l = Literal::i64_suffixed(m);
        out.push(quote!(meta::Constraint::MultipleOf(#l)));
    }
    if let Some(v) = c.min_length {
        let l = u64_lit(v);
        out.push(quote!(meta::Constraint::MinLength(#l)));
    }
    if let Some(v) = c.max_length {
        let l = u64_lit(v);
        out.push(quote!(meta::Constraint::MaxLength(#l)));
    }
    if let Some(p) = &c.pattern {
        out.push(quote!(meta::Constraint::Pattern(#p)));
    }
    if !c.enum_values.is_empty() {
        let vals = c.enum_values.iter().map(|v| match v {
            Value::Number(n) if n.is_i64() => {
                let l = Literal::i64_suffixed(n.as_i64().unwrap_or_default());
                quote!(meta::EnumValue::Int(#l))
            }
            Value::String(s) => quote!(meta::EnumValue::Str(#s)),
            other => {
                let s = other.to_string();
                quote!(meta::EnumValue::Str(#s))
            }
        });
        out.push(quote!(meta::Constraint::OneOf(&[#(#vals),*])));
    }
    if let Some(v) = c.min_items {
        let l = u64_lit(v);
        out.push(quote!(meta::Constraint::MinItems(#l)));
    }
    if let Some(v) = c.max_items {
        let l = u64_lit(v);
        out.push(quote!(meta::Constraint::MaxItems(#l)));
    }
    if let Some(f) = &c.less_than_field {
        out.push(quote!(meta::Constraint::LessThanField(#f)));
    }
    if let Some(f) = &c.at_most_field {
        out.push(quote!(meta::Constraint::AtMostField(#f)));
    }
    quote!(&[#(#out),*])
}

/// The structural key of an object node: its field list as emitted without any sharing.
pub fn key(s: &Shape, refs: &SharedRefs) -> String {
    fields(s, &refs.without_lists()).to_string()
}

/// The fields slice of an object shape.
pub fn fields(s: &Shape, refs: &SharedRefs) -> TokenStream {
    let fields = s.properties.iter().map(|(name, child)| {
        let shape = shape(child, refs);
        quote!(meta::FieldMeta::of(#name, #shape))
    });
    quote!(&[#(#fields),*])
}

/// `&ShapeMeta { .. }` for one node, written with struct-update syntax over a typed base
/// (`ShapeMeta::STRING`, ...) so that plain nodes are one short line.
pub fn shape(s: &Shape, refs: &SharedRefs) -> TokenStream {
    let base = base_const(s);
    let mut parts = Vec::new();
    if s.required {
        parts.push(quote!(required: true));
    }
    if !s.constraints.is_empty() {
        let c = constraints(&s.constraints);
        parts.push(quote!(constraints: #c));
    }
    match s.shape_ref.as_deref().and_then(|r| refs.lookup(r)) {
        Some((module, stat)) => {
            let m = format_ident!("{}", module);
            let st = format_ident!("{}", stat);
            parts.push(quote!(fields: crate::generated::shapes::#m::#st));
        }
        None if !s.properties.is_empty() => match refs.list_name(s) {
            Some(name) => {
                let id = format_ident!("{}", name);
                parts.push(quote!(fields: crate::generated::meta_fields::#id));
            }
            None => {
                let f = fields(s, refs);
                parts.push(quote!(fields: #f));
            }
        },
        None => {}
    }
    if let Some(i) = s.items.as_deref().or(s.map_values.as_deref()) {
        let inner = shape(i, refs);
        parts.push(quote!(items: Some(#inner)));
    }
    if s.format.as_deref() == Some("json-text") {
        parts.push(quote!(json_text: true));
    }
    if parts.is_empty() {
        quote!(&meta::ShapeMeta::#base)
    } else {
        quote!(&meta::ShapeMeta { #(#parts,)* ..meta::ShapeMeta::#base })
    }
}

fn base_const(s: &Shape) -> proc_macro2::Ident {
    let name = match s.ty.unwrap_or(Type::Any) {
        _ if s.shape_ref.is_some() => "OBJECT",
        Type::String => "STRING",
        Type::Integer if s.format.as_deref() == Some("int64") => "INT64",
        Type::Integer => "INT32",
        Type::Number => "FLOAT",
        Type::Boolean => "BOOLEAN",
        Type::Object if s.map_values.is_some() => "MAP",
        Type::Object => "OBJECT",
        Type::Array => "ARRAY",
        Type::Any => "ANY",
    };
    format_ident!("{}", name)
}

pub fn operation(op: &Operation, purpose: Option<&str>, refs: &SharedRefs) -> TokenStream {
    let name = &op.name;
    let purpose = match purpose {
        Some(p) => quote!(Some(#p)),
        None => quote!(None),
    };
    let access = format_ident!(
        "{}",
        match op.access {
            api_meta::inventory::Access::Read => "Read",
            api_meta::inventory::Access::Write => "Write",
            api_meta::inventory::Access::ReadAndWrite => "ReadAndWrite",
        }
    );
    let paging = match &op.paging {
        Some(p) => {
            let (n, s, i) = (&p.page_number, &p.page_size, &p.items);
            let total = match &p.total_count {
                Some(t) => quote!(Some(#t)),
                None => quote!(None),
            };
            quote!(Some(meta::PagingMeta { page_number: #n, page_size: #s, items: #i, total_count: #total }))
        }
        None => quote!(None),
    };
    let params = op.parameters.iter().map(|p| {
        let pname = &p.name;
        let location = match p.location {
            Location::Query => quote!(meta::Location::Query),
            Location::FormData => quote!(meta::Location::FormData),
        };
        let style = match p.style {
            Style::Plain => quote!(meta::Style::Plain),
            Style::Json => quote!(meta::Style::Json),
            Style::JsonString => match p.schema.key_case {
                Some(KeyCase::LowerCamel) => {
                    quote!(meta::Style::JsonString(meta::KeyCase::LowerCamel))
                }
                _ => quote!(meta::Style::JsonString(meta::KeyCase::Pascal)),
            },
        };
        let shape = shape(&p.schema, refs);
        quote!(meta::ParamMeta { name: #pname, location: #location, style: #style, shape: #shape })
    });
    let response = shape(&op.response, refs);
    let codes = op.error_codes.iter().map(|e| {
        let (s, c) = (e.http_status, &e.code);
        quote!((#s, #c))
    });
    quote! {
        /// Static metadata of this operation, from the inventory.
        pub static META: crate::meta::OperationMeta = meta::OperationMeta {
            name: #name,
            purpose: #purpose,
            access: meta::Access::#access,
            paging: #paging,
            params: &[#(#params),*],
            response: #response,
            error_codes: &[#(#codes),*],
        };
    }
}

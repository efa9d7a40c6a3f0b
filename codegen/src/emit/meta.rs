//! Static metadata (`crate::meta::*` literals) from inventory nodes.

use api_meta::inventory::{Constraints, KeyCase, Location, Operation, Shape, Style, Type};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Number, Value};

/// Shapes reached through `shape_ref` are emitted as a reference to the shared fields static.
pub struct SharedRefs<'a> {
    pub lookup: &'a dyn Fn(&str) -> Option<(String, String)>,
}

fn num(n: &Number) -> TokenStream {
    match n.as_i64() {
        Some(i) => {
            let l = Literal::i64_suffixed(i);
            quote!(crate::meta::Num::Int(#l))
        }
        None => {
            let l = Literal::f64_suffixed(n.as_f64().unwrap_or(0.0));
            quote!(crate::meta::Num::Float(#l))
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
            quote!(crate::meta::Constraint::ExclusiveMinimum(#n))
        } else {
            quote!(crate::meta::Constraint::Minimum(#n))
        });
    }
    if let Some(m) = &c.maximum {
        let n = num(m);
        out.push(if c.exclusive_maximum {
            quote!(crate::meta::Constraint::ExclusiveMaximum(#n))
        } else {
            quote!(crate::meta::Constraint::Maximum(#n))
        });
    }
    if let Some(m) = c.multiple_of.as_ref().and_then(Number::as_i64) {
        let l = Literal::i64_suffixed(m);
        out.push(quote!(crate::meta::Constraint::MultipleOf(#l)));
    }
    if let Some(v) = c.min_length {
        let l = u64_lit(v);
        out.push(quote!(crate::meta::Constraint::MinLength(#l)));
    }
    if let Some(v) = c.max_length {
        let l = u64_lit(v);
        out.push(quote!(crate::meta::Constraint::MaxLength(#l)));
    }
    if let Some(p) = &c.pattern {
        out.push(quote!(crate::meta::Constraint::Pattern(#p)));
    }
    if !c.enum_values.is_empty() {
        let vals = c.enum_values.iter().map(|v| match v {
            Value::Number(n) if n.is_i64() => {
                let l = Literal::i64_suffixed(n.as_i64().unwrap_or_default());
                quote!(crate::meta::EnumValue::Int(#l))
            }
            Value::String(s) => quote!(crate::meta::EnumValue::Str(#s)),
            other => {
                let s = other.to_string();
                quote!(crate::meta::EnumValue::Str(#s))
            }
        });
        out.push(quote!(crate::meta::Constraint::OneOf(&[#(#vals),*])));
    }
    if let Some(v) = c.min_items {
        let l = u64_lit(v);
        out.push(quote!(crate::meta::Constraint::MinItems(#l)));
    }
    if let Some(v) = c.max_items {
        let l = u64_lit(v);
        out.push(quote!(crate::meta::Constraint::MaxItems(#l)));
    }
    if let Some(f) = &c.less_than_field {
        out.push(quote!(crate::meta::Constraint::LessThanField(#f)));
    }
    if let Some(f) = &c.at_most_field {
        out.push(quote!(crate::meta::Constraint::AtMostField(#f)));
    }
    quote!(&[#(#out),*])
}

fn value_type(s: &Shape) -> TokenStream {
    let t = match s.ty.unwrap_or(Type::Any) {
        Type::String => "String",
        Type::Integer if s.format.as_deref() == Some("int64") => "Int64",
        Type::Integer => "Int32",
        Type::Number => "Float",
        Type::Boolean => "Boolean",
        Type::Object if s.map_values.is_some() => "Map",
        Type::Object => "Object",
        Type::Array => "Array",
        Type::Any => "Any",
    };
    let id = format_ident!("{}", t);
    quote!(crate::meta::ValueType::#id)
}

/// The fields slice of an object shape.
pub fn fields(s: &Shape, refs: &SharedRefs<'_>) -> TokenStream {
    let fields = s.properties.iter().map(|(name, child)| {
        let shape = shape(child, refs);
        quote!(crate::meta::FieldMeta { name: #name, shape: #shape })
    });
    quote!(&[#(#fields),*])
}

/// `&ShapeMeta { .. }` for one node.
pub fn shape(s: &Shape, refs: &SharedRefs<'_>) -> TokenStream {
    let ty = value_type(s);
    let required = s.required;
    let constraints = constraints(&s.constraints);
    let json_text = s.format.as_deref() == Some("json-text");
    let (ty, fields) = match s.shape_ref.as_deref().and_then(|r| (refs.lookup)(r)) {
        Some((module, stat)) => {
            let m = format_ident!("{}", module);
            let st = format_ident!("{}", stat);
            (quote!(crate::meta::ValueType::Object), quote!(crate::generated::shapes::#m::#st))
        }
        None => (ty, fields(s, refs)),
    };
    let items = match s.items.as_deref().or(s.map_values.as_deref()) {
        Some(i) => {
            let inner = shape(i, refs);
            quote!(Some(#inner))
        }
        None => quote!(None),
    };
    quote! {
        &crate::meta::ShapeMeta {
            ty: #ty,
            required: #required,
            constraints: #constraints,
            fields: #fields,
            items: #items,
            json_text: #json_text,
        }
    }
}

pub fn operation(op: &Operation, refs: &SharedRefs<'_>) -> TokenStream {
    let name = &op.name;
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
            quote!(Some(crate::meta::PagingMeta { page_number: #n, page_size: #s, items: #i, total_count: #total }))
        }
        None => quote!(None),
    };
    let params = op.parameters.iter().map(|p| {
        let pname = &p.name;
        let location = match p.location {
            Location::Query => quote!(crate::meta::Location::Query),
            Location::FormData => quote!(crate::meta::Location::FormData),
        };
        let style = match p.style {
            Style::Plain => quote!(crate::meta::Style::Plain),
            Style::Json => quote!(crate::meta::Style::Json),
            Style::JsonString => match p.schema.key_case {
                Some(KeyCase::LowerCamel) => {
                    quote!(crate::meta::Style::JsonString(crate::meta::KeyCase::LowerCamel))
                }
                _ => quote!(crate::meta::Style::JsonString(crate::meta::KeyCase::Pascal)),
            },
        };
        let shape = shape(&p.schema, refs);
        quote!(crate::meta::ParamMeta { name: #pname, location: #location, style: #style, shape: #shape })
    });
    let response = shape(&op.response, refs);
    let codes = op.error_codes.iter().map(|e| {
        let (s, c) = (e.http_status, &e.code);
        quote!((#s, #c))
    });
    quote! {
        /// Static metadata of this operation, from the inventory.
        pub static META: crate::meta::OperationMeta = crate::meta::OperationMeta {
            name: #name,
            access: crate::meta::Access::#access,
            paging: #paging,
            params: &[#(#params),*],
            response: #response,
            error_codes: &[#(#codes),*],
        };
    }
}

//! Struct and enum definitions for requests, responses and shared shapes.

use crate::model::{EnumModel, FieldModel, RustType, Side, StructModel};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn rust_type(t: &RustType) -> TokenStream {
    match t {
        RustType::String => quote!(String),
        RustType::I32 => quote!(i32),
        RustType::I64 => quote!(i64),
        RustType::F64 => quote!(f64),
        RustType::Bool => quote!(bool),
        RustType::Value => quote!(serde_json::Value),
        RustType::Vec(inner) => {
            let i = rust_type(inner);
            quote!(Vec<#i>)
        }
        RustType::Map(inner) => {
            let i = rust_type(inner);
            quote!(std::collections::BTreeMap<String, #i>)
        }
        RustType::Local(name) => {
            let n = format_ident!("{}", name);
            quote!(#n)
        }
        RustType::Shared { module, name } => {
            let m = format_ident!("{}", module);
            let n = format_ident!("{}", name);
            quote!(crate::generated::shapes::#m::#n)
        }
        RustType::JsonText(inner) => {
            let i = rust_type(inner);
            quote!(crate::json_text::JsonText<#i>)
        }
    }
}

/// The lenient deserializer for a response scalar, if it has one.
fn lenient(t: &RustType) -> Option<&'static str> {
    Some(match t {
        RustType::String => "lenient::str",
        RustType::I32 => "lenient::i32",
        RustType::I64 => "lenient::i64",
        RustType::F64 => "lenient::f64",
        RustType::Bool => "lenient::bool",
        _ => return None,
    })
}

/// serde's `rename_all = "PascalCase"` spelling of a snake_case field name.
fn serde_pascal(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper = true;
    for c in field.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.push(c.to_ascii_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

fn field_tokens(f: &FieldModel, side: Side) -> TokenStream {
    let name = format_ident!("{}", f.rust);
    let wire = &f.wire;
    let ty = rust_type(&f.ty);
    let doc = &f.doc;
    // Containers rename to PascalCase; only names that do not follow it are spelled out.
    let mut attrs = Vec::new();
    if serde_pascal(&f.rust) != *wire {
        attrs.push(quote!(rename = #wire));
    }
    let ty = match side {
        Side::Request if f.required => ty,
        Side::Request => {
            attrs.push(quote!(default, skip_serializing_if = "Option::is_none"));
            quote!(Option<#ty>)
        }
        Side::Response => {
            attrs.push(quote!(skip_serializing_if = "Option::is_none"));
            if let Some(path) = lenient(&f.ty) {
                attrs.push(quote!(deserialize_with = #path));
            }
            quote!(Option<#ty>)
        }
    };
    let attr = (!attrs.is_empty()).then(|| quote!(#[serde(#(#attrs),*)]));
    quote! {
        #[doc = #doc]
        #attr
        pub #name: #ty,
    }
}

/// `top` marks a request's own struct: it has a builder instead of `Default` when any
/// field is required.
pub fn struct_tokens(s: &StructModel, top: bool) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let fields = s.fields.iter().map(|f| field_tokens(f, s.side));
    let has_required = s.side == Side::Request && s.fields.iter().any(|f| f.required);
    let default = if top && has_required { quote!() } else { quote!(Default,) };
    // Every response field is optional: the container default fills the missing ones.
    let container = match s.side {
        Side::Request => quote!(#[serde(rename_all = "PascalCase", deny_unknown_fields)]),
        Side::Response => quote!(#[serde(rename_all = "PascalCase", default)]),
    };
    let decoders = json_decoders(s);
    let doc = &s.doc;
    // Non-exhaustive: a field the API adds later is not a breaking change. Other crates
    // build requests with their builder and everything else from `Default`.
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        #container
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #decoders
    }
}

/// `<field>_json()` for string fields that carry JSON text.
fn json_decoders(s: &StructModel) -> TokenStream {
    let methods: Vec<TokenStream> = s
        .fields
        .iter()
        .filter(|f| f.json_text && s.side == Side::Response)
        .map(|f| {
            let field = format_ident!("{}", f.rust);
            let method = format_ident!("{}_json", f.rust);
            if matches!(f.ty, RustType::Vec(_)) {
                quote! {
                    /// Each item parsed as the JSON text it carries.
                    pub fn #method(&self) -> Vec<serde_json::Result<serde_json::Value>> {
                        self.#field.iter().flatten().map(|s| serde_json::from_str(s)).collect()
                    }
                }
            } else {
                quote! {
                    /// The field parsed as the JSON text it carries.
                    pub fn #method(&self) -> Option<serde_json::Result<serde_json::Value>> {
                        self.#field.as_deref().map(serde_json::from_str)
                    }
                }
            }
        })
        .collect();
    if methods.is_empty() {
        return quote!();
    }
    let name = format_ident!("{}", s.name);
    quote! {
        impl #name {
            #(#methods)*
        }
    }
}

/// An open enum: known values as variants, anything else kept in `Unknown` and written
/// back unchanged; aliases read as their canonical value.
pub fn enum_tokens(e: &EnumModel) -> TokenStream {
    let name = format_ident!("{}", e.name);
    let variants: Vec<_> = e.values.iter().map(|(v, _)| format_ident!("{}", v)).collect();
    let values: Vec<&String> = e.values.iter().map(|(_, w)| w).collect();
    let variant_docs = values.iter().map(|w| format!(" `{w}` on the wire."));
    let listed = values.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ");
    let mut doc = format!(
        " The known values of `{}`: {listed}. A value this client does not know is kept in \
         `Unknown` and written back unchanged.",
        e.name
    );
    if !e.aliases.is_empty() {
        let spelled =
            e.aliases.iter().map(|(v, a)| format!("`{a}` as `{v}`")).collect::<Vec<_>>().join(", ");
        doc.push_str(&format!(" Other spellings the service accepts read as: {spelled}."));
    }
    let alias_variants = e.aliases.iter().map(|(v, _)| format_ident!("{}", v));
    let alias_values = e.aliases.iter().map(|(_, a)| a);
    if e.int {
        return int_enum(e, doc);
    }
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#[doc = #variant_docs] #variants,)*
            /// A value this client does not know yet, kept as sent.
            Unknown(String),
        }

        impl #name {
            /// Every known value in its canonical spelling, in documentation order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as it travels on the wire (the canonical spelling).
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(s) => s,
                }
            }

            /// Whether the value is one of the known ones.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl Default for #name {
            /// The empty value, as an unset text field reads.
            fn default() -> Self {
                Self::from("")
            }
        }

        impl From<&str> for #name {
            fn from(s: &str) -> Self {
                match s {
                    #(#values => Self::#variants,)*
                    #(#alias_values => Self::#alias_variants,)*
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        impl From<String> for #name {
            fn from(s: String) -> Self {
                Self::from(s.as_str())
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(s))
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::lenient::enum_text(d).map(Self::from)
            }
        }
    }
}

/// An open enum of integers: numbers stay numbers on the wire.
fn int_enum(e: &EnumModel, doc: String) -> TokenStream {
    let name = format_ident!("{}", e.name);
    let variants: Vec<_> = e.values.iter().map(|(v, _)| format_ident!("{}", v)).collect();
    let numbers: Vec<proc_macro2::Literal> = e
        .values
        .iter()
        .map(|(_, w)| proc_macro2::Literal::i64_unsuffixed(w.parse().expect("integer value")))
        .collect();
    let variant_docs = e.values.iter().map(|(_, w)| format!(" `{w}` on the wire."));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#[doc = #variant_docs] #variants,)*
            /// A value this client does not know yet, kept as sent.
            Unknown(i64),
        }

        impl #name {
            /// Every known value, in documentation order.
            pub const VALUES: &'static [i64] = &[#(#numbers),*];

            /// The value as it travels on the wire.
            pub fn as_i64(&self) -> i64 {
                match self {
                    #(Self::#variants => #numbers,)*
                    Self::Unknown(n) => *n,
                }
            }

            /// Whether the value is one of the known ones.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl Default for #name {
            /// Zero, as an unset number field reads.
            fn default() -> Self {
                Self::from(0)
            }
        }

        impl From<i64> for #name {
            fn from(n: i64) -> Self {
                match n {
                    #(#numbers => Self::#variants,)*
                    other => Self::Unknown(other),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.as_i64())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.as_i64())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::lenient::enum_int(d).map(Self::from)
            }
        }
    }
}

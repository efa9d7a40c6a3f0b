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

fn field_tokens(f: &FieldModel, side: Side) -> TokenStream {
    let name = format_ident!("{}", f.rust);
    let ty = rust_type(&f.ty);
    let ty = if side == Side::Request && f.required { ty } else { quote!(Option<#ty>) };
    let doc = &f.doc;
    quote! {
        #[doc = #doc]
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
    let json = json_tokens(s);
    let decoders = json_decoders(s);
    let doc = &s.doc;
    // Non-exhaustive: a field the API adds later is not a breaking change. Other crates
    // build requests with their builder and everything else from `Default`.
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #json
        #decoders
    }
}

/// The struct's JSON: its field names and wire keys, read and written by `crate::json`
/// (responses leniently, requests strictly, with their required fields marked).
fn json_tokens(s: &StructModel) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let fields = s.fields.iter().map(|f| {
        let field = format_ident!("{}", f.rust);
        let wire = &f.wire;
        let required = (s.side == Side::Request && f.required).then(|| quote!(required));
        quote!(#field: #wire #required)
    });
    match s.side {
        Side::Request => quote!(crate::json::request!(#name { #(#fields),* });),
        Side::Response => quote!(crate::json::object!(#name { #(#fields),* });),
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

        crate::json::text_enum!(#name);
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

        crate::json::int_enum!(#name);
    }
}

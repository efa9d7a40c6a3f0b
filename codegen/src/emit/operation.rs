//! One file per operation: marker type, request with builder, response, nested structs,
//! trait impls and static metadata.

use crate::emit::meta::{self, SharedRefs};
use crate::emit::types::{rust_type, struct_tokens};
use crate::model::{OpModel, RustType, StructModel};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn operation_file(op: &OpModel, refs: &SharedRefs) -> TokenStream {
    let marker = format_ident!("{}", op.wire);
    let wire = &op.wire;
    let req = format_ident!("{}", op.request.name);
    let resp = format_ident!("{}", op.response.name);
    let request = struct_tokens(&op.request, true);
    let builder = builder(&op.request, wire);
    let response = struct_tokens(&op.response, false);
    let nested = op.structs.iter().map(|s| struct_tokens(s, false));
    let static_meta = meta::operation(&op.op, op.purpose.as_deref(), refs);
    let envelope = envelope(&op.response);
    let paging = paging(op);
    let doc = operation_doc(op);
    quote! {
        #(#[doc = #doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct #marker;

        impl crate::operation::Operation for #marker {
            const NAME: &'static str = #wire;
            type Request = #req;
            type Response = #resp;
            fn meta() -> &'static crate::meta::OperationMeta {
                &META
            }
        }

        #request
        #builder

        impl crate::operation::Request for #req {
            fn meta(&self) -> &'static crate::meta::OperationMeta {
                &META
            }
        }

        #response

        #envelope

        #paging
        #(#nested)*
        #static_meta
    }
}

/// The marker type's doc lines: our purpose, then the facts that matter to a caller.
fn operation_doc(op: &OpModel) -> [String; 3] {
    let wire = &op.wire;
    let purpose =
        op.purpose.as_deref().unwrap_or("(No purpose written yet in codegen/purposes.json.)");
    let access = if op.op.access.is_mutating() {
        "Mutating: changes state, so it is retried only when it cannot have reached the server."
    } else {
        "Read-only: safe to repeat."
    };
    let mut doc = format!(" The `{wire}` operation. {access}");
    if let Some(p) = &op.op.paging {
        doc.push_str(&format!(
            " Paged by `{}`/`{}`; the items are in `{}`.",
            p.page_number, p.page_size, p.items
        ));
    }
    [format!(" {purpose}"), String::new(), doc]
}

/// A builder whose `build` checks required fields and every constraint; `build_unchecked`
/// checks only that required fields are present (the raw path for tests and odd cases).
fn builder(s: &StructModel, wire: &str) -> TokenStream {
    let req = format_ident!("{}", s.name);
    let name = format_ident!("{}Builder", s.name);
    let slots = s.fields.iter().map(|f| {
        let n = format_ident!("{}", f.rust);
        let t = rust_type(&f.ty);
        quote!(#n: Option<#t>,)
    });
    let setters = s.fields.iter().map(|f| {
        let n = format_ident!("{}", f.rust);
        let t = rust_type(&f.ty);
        let doc = format!(" Sets `{}`{}.", f.wire, if f.required { " (required)" } else { "" });
        quote! {
            #[doc = #doc]
            pub fn #n(mut self, value: impl Into<#t>) -> Self {
                self.#n = Some(value.into());
                self
            }
        }
    });
    let inits = s.fields.iter().map(|f| {
        let n = format_ident!("{}", f.rust);
        let w = &f.wire;
        if f.required {
            quote!(#n: self.#n.ok_or_else(|| crate::validate::missing(#wire, #w))?,)
        } else {
            quote!(#n: self.#n,)
        }
    });
    let new_doc =
        format!(" A builder of [`{req}`]; `build` checks every rule before anything is sent.");
    let builder_doc = format!(" Builds a [`{req}`] field by field.");
    quote! {
        impl #req {
            #[doc = #new_doc]
            pub fn builder() -> #name {
                #name::default()
            }
        }

        #[doc = #builder_doc]
        #[derive(Debug, Clone, Default)]
        pub struct #name {
            #(#slots)*
        }

        impl #name {
            #(#setters)*

            /// Builds the request and checks every rule of the inventory.
            pub fn build(self) -> Result<#req, crate::validate::ValidationError> {
                let request = self.build_unchecked()?;
                crate::operation::Request::validate(&request)?;
                Ok(request)
            }

            /// Builds the request checking only that required fields are set.
            pub fn build_unchecked(self) -> Result<#req, crate::validate::ValidationError> {
                Ok(#req { #(#inits)* })
            }
        }
    }
}

fn envelope(resp: &StructModel) -> TokenStream {
    let name = format_ident!("{}", resp.name);
    let has = |w: &str| resp.fields.iter().find(|f| f.wire == w);
    let typed =
        |w: &str, rust: &str, ty: RustType| has(w).is_some_and(|f| f.rust == rust && f.ty == ty);
    let standard = typed("RequestId", "request_id", RustType::String)
        && typed("Success", "success", RustType::Bool)
        && typed("Code", "code", RustType::String)
        && typed("Message", "message", RustType::String)
        && typed("HttpStatusCode", "http_status_code", RustType::I32);
    let text = |w: &str| match has(w) {
        Some(f) if f.ty == RustType::String => {
            let n = format_ident!("{}", f.rust);
            quote!(self.#n.as_deref())
        }
        _ => quote!(None),
    };
    let (rid, code, msg) = (text("RequestId"), text("Code"), text("Message"));
    let success = match has("Success") {
        Some(f) if f.ty == RustType::Bool => {
            let n = format_ident!("{}", f.rust);
            quote!(self.#n)
        }
        _ => quote!(None),
    };
    let status = match has("HttpStatusCode") {
        Some(f) if f.ty == RustType::I32 => {
            let n = format_ident!("{}", f.rust);
            quote!(self.#n.map(i64::from))
        }
        Some(f) if f.ty == RustType::I64 => {
            let n = format_ident!("{}", f.rust);
            quote!(self.#n)
        }
        _ => quote!(None),
    };
    if standard {
        return quote!(crate::envelope::envelope!(#name););
    }
    quote! {
        impl crate::operation::Response for #name {
        fn request_id(&self) -> Option<&str> { #rid }
        fn success(&self) -> Option<bool> { #success }
        fn code(&self) -> Option<&str> { #code }
        fn message(&self) -> Option<&str> { #msg }
        fn http_status_code(&self) -> Option<i64> { #status }
        }
    }
}

fn paging(op: &OpModel) -> TokenStream {
    let Some(p) = &op.paging else {
        return quote!();
    };
    let marker = format_ident!("{}", op.wire);
    let item = rust_type(&p.item_ty);
    let field_ty = |rust: &str| {
        let f = op.request.fields.iter().find(|f| f.rust == rust).expect("paging field");
        rust_type(&f.ty)
    };
    let (pn, ps) = (format_ident!("{}", p.page_number), format_ident!("{}", p.page_size));
    let pn_ty = field_ty(&p.page_number);
    // i64 fields are returned as they are; narrower ones widen (no useless conversions).
    let is_i64 =
        |rust: &str| op.request.fields.iter().any(|f| f.rust == rust && f.ty == RustType::I64);
    let read = |id: &proc_macro2::Ident, required: bool, wide: bool| match (required, wide) {
        (true, true) => quote!(Some(req.#id)),
        (true, false) => quote!(Some(i64::from(req.#id))),
        (false, true) => quote!(req.#id),
        (false, false) => quote!(req.#id.map(i64::from)),
    };
    let get_pn = read(&pn, p.page_number_required, is_i64(&p.page_number));
    let get_ps = read(&ps, p.page_size_required, is_i64(&p.page_size));
    let set_pn = if p.page_number_required {
        quote!(req.#pn = <#pn_ty>::try_from(page).unwrap_or(<#pn_ty>::MAX);)
    } else {
        quote!(req.#pn = Some(<#pn_ty>::try_from(page).unwrap_or(<#pn_ty>::MAX));)
    };
    let items = format_ident!("{}", p.items);
    let total = match &p.total_count {
        Some(t) => {
            let wide = op.response.fields.iter().any(|f| f.rust == *t && f.ty == RustType::I64);
            let t = format_ident!("{}", t);
            if wide { quote!(resp.#t) } else { quote!(resp.#t.map(i64::from)) }
        }
        None => quote!({
            let _ = resp;
            None
        }),
    };
    quote! {
        impl crate::operation::Paginated for #marker {
            type Item = #item;
            fn page_number(req: &Self::Request) -> Option<i64> { #get_pn }
            fn page_size(req: &Self::Request) -> Option<i64> { #get_ps }
            fn set_page_number(req: &mut Self::Request, page: i64) { #set_pn }
            fn take_items(resp: &mut Self::Response) -> Vec<Self::Item> {
                resp.#items.take().unwrap_or_default()
            }
            fn total_count(resp: &Self::Response) -> Option<i64> { #total }
        }
    }
}

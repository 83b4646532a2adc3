//! Small helpers shared by the emitters: identifiers, type paths, formatting.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Api, Ty};

pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Where a type is named from: inside `types.rs`, or from another module.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum From {
    Types,
    Elsewhere,
}

pub fn ty(api: &Api, ty: &Ty, from: From) -> TokenStream {
    let prefix = |name: &str| {
        let id = ident(name);
        match from {
            From::Types => quote!(#id),
            From::Elsewhere => quote!(types::#id),
        }
    };
    match ty {
        Ty::String => quote!(String),
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F32 => quote!(f32),
        Ty::F64 => quote!(f64),
        Ty::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        Ty::Date => quote!(chrono::NaiveDate),
        Ty::Binary => quote!(sdk_runtime::FilePart),
        Ty::Any => quote!(serde_json::Value),
        Ty::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        Ty::Vec(inner) => {
            let inner = self::ty(api, inner, from);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = self::ty(api, inner, from);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        Ty::Named(id) => prefix(&api.types[id.0].name),
        Ty::Sid(i) => prefix(&api.sids[*i].name),
    }
}

/// How a setter or argument accepts a value, and how it is converted.
pub fn accept(api: &Api, t: &Ty, from: From) -> (TokenStream, bool) {
    match t {
        Ty::String => (quote!(impl Into<String>), true),
        other => (ty(api, other, from), false),
    }
}

/// Parses generated tokens and pretty-prints them. A failure here is a generator bug.
pub fn format_file(tokens: TokenStream, what: &str) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("generated {what} is not valid Rust ({e}); this is a generator bug"))?;
    Ok(space_items(&prettyplease::unparse(&file)))
}

const ITEM_STARTS: &[&str] = &["///", "//!", "#[", "pub ", "pub(", "impl", "fn ", "async fn", "static ", "const ", "struct ", "enum ", "type ", "mod ", "use "];

/// prettyplease puts items back to back; a blank line between top-level items (and between
/// items in a block) makes the output read like hand-written code.
fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut prev = "";
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let prev_indent = prev.len() - prev.trim_start().len();
        let prev_trimmed = prev.trim();
        let ends_item = indent == prev_indent && (prev_trimmed == "}" || prev_trimmed == "};" || (prev_trimmed.ends_with(';') && !prev_trimmed.starts_with("//")));
        // Only items start a new paragraph; match arms and statements stay together.
        let starts_item = ITEM_STARTS.iter().any(|k| line.trim_start().starts_with(k));
        let in_item_list = indent == 0 || prev_trimmed == "}";
        if ends_item && starts_item && in_item_list && !prev_trimmed.starts_with("use ") {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        prev = line;
    }
    out
}

//! Small helpers shared by the emitters: identifiers, type paths, formatting.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{names, Api, Ty};

/// The identifier for a name from the model. Names come from `model::names`, which only
/// returns valid ones; anything else is escaped rather than panicking (see [`names::escaped`]).
pub(crate) fn ident(name: &str) -> Ident {
    if !names::is_ident(name) {
        return Ident::new(&names::escaped(name), Span::call_site());
    }
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// A path such as `sdk_runtime::extensions::twilio::ENV_AUTH`, as tokens.
pub(crate) fn path(p: &str) -> TokenStream {
    let segments = p.split("::").map(ident);
    quote!(#(#segments)::*)
}

/// Whether code names something in the crate's `types` module outside doc comments (so
/// the module needs `use crate::types`).
pub(crate) fn mentions_types(code: &TokenStream) -> bool {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = code.clone().into_iter().collect();
    trees.iter().enumerate().any(|(i, tree)| match tree {
        TokenTree::Ident(ident) => {
            ident == "types"
                && matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':')
                // `a::types::X` is a path into another module, not this crate's `types`.
                && ![1, 2].iter().all(|back| {
                    matches!(trees.get(i.wrapping_sub(*back)), Some(TokenTree::Punct(p)) if p.as_char() == ':')
                })
        }
        // Doc attributes are string literals, so a doc example naming `types::` does not count.
        TokenTree::Group(g) => mentions_types(&g.stream()),
        _ => false,
    })
}

/// Where a type is named from: inside `types.rs`, or from another module.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum From {
    Types,
    Elsewhere,
}

pub(crate) fn ty(api: &Api, ty: &Ty, from: From) -> TokenStream {
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
        Ty::Bytes => quote!(sdk_runtime::bytes::Bytes),
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
        Ty::Nullable(inner) => {
            let inner = self::ty(api, inner, from);
            quote!(Option<#inner>)
        }
        Ty::Named(id) => prefix(&api.types[id.0].name),
        Ty::Sid(i) => prefix(&api.sids[*i].name),
    }
}

/// Whether a type is `String`, directly or through aliases.
pub(crate) fn is_string(api: &Api, t: &Ty) -> bool {
    match t {
        Ty::String => true,
        // Alias chains are finite: lowering refuses alias cycles.
        Ty::Named(id) => {
            matches!(&api.types[id.0].kind, crate::model::TypeKind::Alias(inner) if is_string(api, inner))
        }
        _ => false,
    }
}

/// How a setter or argument accepts a value, and how it is converted. Strings, named or
/// not, take `impl Into<..>` so callers can pass a `&str`.
pub(crate) fn accept(api: &Api, t: &Ty, from: From) -> (TokenStream, bool) {
    match t {
        Ty::String => (quote!(impl Into<String>), true),
        Ty::Bytes => (quote!(impl Into<sdk_runtime::bytes::Bytes>), true),
        named @ Ty::Named(_) if is_string(api, named) => {
            let named = ty(api, named, from);
            (quote!(impl Into<#named>), true)
        }
        other => (ty(api, other, from), false),
    }
}

/// Parses generated tokens and pretty-prints them. A failure here is a generator bug.
pub(crate) fn format_file(tokens: TokenStream, what: &str) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        format!("generated {what} is not valid Rust ({e}); this is a generator bug")
    })?;
    Ok(space_items(&prettyplease::unparse(&file)))
}

const ITEM_STARTS: &[&str] = &[
    "///", "//!", "#[", "pub ", "pub(", "impl", "fn ", "async fn", "static ", "const ", "struct ",
    "enum ", "type ", "mod ", "use ",
];

/// prettyplease puts items back to back; a blank line between top-level items (and between
/// items in a block) makes the output read like hand-written code.
fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    // The previous line's indent and trimmed text, kept so each line is trimmed once: this
    // runs on every line of every generated file (see BENCHMARKS.md).
    let mut prev_indent = 0;
    let mut prev_trimmed = "";
    for line in text.lines() {
        let unindented = line.trim_start();
        let indent = line.len() - unindented.len();
        let ends_item = indent == prev_indent
            && (prev_trimmed == "}"
                || prev_trimmed == "};"
                || (prev_trimmed.ends_with(';') && !prev_trimmed.starts_with("//")));
        let in_item_list = indent == 0 || prev_trimmed == "}";
        // Only items start a new paragraph; match arms and statements stay together.
        if ends_item
            && in_item_list
            && !prev_trimmed.starts_with("use ")
            && ITEM_STARTS.iter().any(|k| unindented.starts_with(k))
        {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        prev_indent = indent;
        prev_trimmed = unindented.trim_end();
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// Whatever text reaches the emitters, `ident` gives an identifier and never panics;
        /// valid names are kept as they are.
        #[test]
        fn ident_is_total(name in prop_oneof![any::<String>(), "(r#)?[a-z_][a-z0-9_]{0,6}", "[0-9]{1,3}"]) {
            let id = super::ident(&name).to_string();
            prop_assert!(syn::parse_str::<syn::Ident>(&id).is_ok(), "{name:?} -> {id:?}");
            if crate::model::names::is_ident(&name) {
                prop_assert_eq!(id, name);
            }
        }
    }
}

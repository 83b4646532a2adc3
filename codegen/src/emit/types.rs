//! `types.rs`: one Rust type per schema, plus the SID newtypes.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::rust::{self, ident, From};
use crate::model::{
    Api, Docs, Field, FieldStep, Pii, StringEnum, Struct, TypeDef, TypeKind, Union,
};

pub(crate) fn emit(api: &Api) -> TokenStream {
    let types = api.types.iter().map(|t| {
        crate::guard::at(&t.pointer);
        type_def(api, t)
    });
    let sids = sids(api);
    let pages = pages(api);
    let round_trip = round_trip(api);
    quote! {
        //! Request and response types, one per schema in the spec.
        //!
        //! Structs are `#[non_exhaustive]` so that a field added to the spec is not a breaking
        //! change: build them with `new` (which takes the required fields) and set optional
        //! fields directly. Enums keep values the spec does not list in an `Unknown` variant.
        #(#types)*
        #pages
        #sids
        #round_trip
    }
}

/// Maps each schema's place in the spec to its type, so tests can check every example the
/// spec carries against the type generated for it. Hidden: not part of the crate's API.
fn round_trip(api: &Api) -> TokenStream {
    if api.types.is_empty() {
        return quote! {
            /// Test support, not part of the API: no schema has a type here.
            #[doc(hidden)]
            pub fn __round_trip(_pointer: &str, _value: serde_json::Value) -> Option<Result<serde_json::Value, serde_json::Error>> {
                None
            }
        };
    }
    let arms = api.types.iter().map(|t| {
        let pointer = &t.pointer;
        let name = ident(&t.name);
        quote!(#pointer => sdk_runtime::__round_trip::<#name>(value),)
    });
    quote! {
        /// Decodes `value` as the type generated for the schema at `pointer` (a JSON pointer
        /// into the normalised spec) and encodes it again. `None` when no type was generated
        /// for that place. Test support, not part of the API.
        #[doc(hidden)]
        pub fn __round_trip(pointer: &str, value: serde_json::Value) -> Option<Result<serde_json::Value, serde_json::Error>> {
            Some(match pointer {
                #(#arms)*
                _ => return None,
            })
        }
    }
}

/// `Page` impls for the response types of list operations, so `.stream()` can follow them.
fn pages(api: &Api) -> TokenStream {
    let mut done = std::collections::BTreeSet::new();
    let impls = api
        .operations
        .iter()
        .filter_map(|op| op.pagination.as_ref())
        .filter(|p| done.insert(p.page_type))
        .map(|p| {
            let page = ident(&api.types[p.page_type.0].name);
            let item = rust::ty(api, &p.item_ty, From::Types);
            let items = ident(&p.items.rust_name);
            let (items_ref, into_items) = if p.items.optional {
                (
                    quote!(self.#items.as_deref().unwrap_or_default()),
                    quote!(self.#items.unwrap_or_default()),
                )
            } else {
                (quote!(&self.#items), quote!(self.#items))
            };
            let next = next_page_url(&p.next_link);
            quote! {
                impl sdk_runtime::ListPage for #page {
                    type Item = #item;
                    fn next_page_url(&self) -> Option<&str> { #next }
                    fn items(&self) -> &[Self::Item] { #items_ref }
                    fn into_items(self) -> Vec<Self::Item> { #into_items }
                }
            }
        });
    quote!(#(#impls)*)
}

/// `self.meta.as_ref()?.next_page_url.as_deref()` and the like: the way to the link, with `?`
/// through optional objects.
fn next_page_url(steps: &[FieldStep]) -> TokenStream {
    let mut owner = quote!(self);
    let Some((link, objects)) = steps.split_last() else {
        return quote!(None);
    };
    for step in objects {
        let n = ident(&step.rust_name);
        owner = if step.optional {
            quote!(#owner.#n.as_ref()?)
        } else {
            quote!(#owner.#n)
        };
    }
    let n = ident(&link.rust_name);
    if link.optional {
        quote!(#owner.#n.as_deref())
    } else {
        quote!(Some(#owner.#n.as_str()))
    }
}

fn type_def(api: &Api, t: &TypeDef) -> TokenStream {
    let name = ident(&t.name);
    let doc = docs::attrs(&docs::render(
        &t.docs,
        &format!("The {} schema.", docs::code(&schema_name(&t.pointer))),
    ));
    match &t.kind {
        TypeKind::Struct(s) => structure(api, &name, &doc, s),
        TypeKind::Enum(e) => string_enum(&name, &doc, e),
        TypeKind::Union(u) => union(api, &name, &doc, u),
        TypeKind::Alias(ty) => {
            let target = rust::ty(api, ty, From::Types);
            quote! { #doc pub type #name = #target; }
        }
    }
}

fn schema_name(pointer: &str) -> String {
    pointer
        .rsplit('/')
        .next()
        .unwrap_or(pointer)
        .replace("~1", "/")
        .replace("~0", "~")
}

fn field_ty(api: &Api, f: &Field) -> TokenStream {
    let mut t = rust::ty(api, &f.ty, From::Types);
    if f.boxed {
        t = quote!(Box<#t>);
    }
    if f.is_option() {
        t = quote!(Option<#t>);
    }
    t
}

/// A field's docs: what the spec says, then how PII in it is handled; `None` when the spec
/// says nothing (no placeholder is written in its place).
pub(crate) fn field_doc(docs: &Docs, pii: Option<&Pii>) -> Option<String> {
    let pii = pii.map(|pii| {
        let sla = pii
            .delete_sla
            .map(|d| format!(", deleted within {d} days"))
            .unwrap_or_default();
        format!(
            "**PII** (handling: {}{sla}): redacted in `Debug` output; serialised as is.",
            pii.handling
        )
    });
    match (docs::render_or_none(docs), pii) {
        (Some(text), Some(pii)) => Some(format!("{text}\n\n{pii}")),
        (text, pii) => text.or(pii),
    }
}

/// Doc attributes for an item, or an `allow` that says why there are none.
fn doc_or_allow(text: Option<String>) -> TokenStream {
    match text {
        Some(text) => docs::attrs(&text),
        None => quote!(#[allow(missing_docs, reason = "the spec does not describe it")]),
    }
}

fn structure(api: &Api, name: &proc_macro2::Ident, doc: &TokenStream, s: &Struct) -> TokenStream {
    let has_pii = s.fields.iter().any(|f| f.pii.is_some());
    let all_optional = s.fields.iter().all(Field::is_option);
    let mut derives = vec![quote!(Clone)];
    // A struct holding personal data gets a Debug that redacts it (below), not the derive.
    if !has_pii {
        derives.push(quote!(Debug));
    }
    if all_optional {
        derives.push(quote!(Default));
    }
    derives.push(quote!(PartialEq));
    derives.push(quote!(serde::Serialize));
    derives.push(quote!(serde::Deserialize));
    let fields = s.fields.iter().map(|f| struct_field(api, f));
    let constructor = constructor(api, s);
    let debug = has_pii.then(|| redacting_debug(name, s));
    quote! {
        #doc
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub struct #name { #(#fields)* }

        impl #name {
            #constructor
        }
        #debug
    }
}

/// A field with its docs and serde attributes: renamed where the Rust name differs from the
/// wire's, skipped when unset if optional, defaulted when absent if nullable.
fn struct_field(api: &Api, f: &Field) -> TokenStream {
    let fname = ident(&f.rust_name);
    let ty = field_ty(api, f);
    let doc = doc_or_allow(field_doc(&f.docs, f.pii.as_ref()));
    let wire = &f.wire_name;
    let rename =
        (f.rust_name.trim_start_matches("r#") != wire).then(|| quote!(#[serde(rename = #wire)]));
    let opt = if !f.required {
        quote!(#[serde(default, skip_serializing_if = "Option::is_none")])
    } else if f.nullable {
        quote!(#[serde(default)])
    } else {
        quote!()
    };
    quote! { #doc #rename #opt pub #fname: #ty, }
}

/// `new`, taking the required fields in the spec's order; optional fields start unset.
fn constructor(api: &Api, s: &Struct) -> TokenStream {
    let required: Vec<&Field> = s.fields.iter().filter(|f| !f.is_option()).collect();
    let params = required.iter().map(|f| {
        let n = ident(&f.rust_name);
        let (accept, _) = rust::accept(api, &f.ty, From::Types);
        quote!(#n: #accept)
    });
    let inits = s.fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        if f.is_option() {
            quote!(#n: None)
        } else {
            let (_, into) = rust::accept(api, &f.ty, From::Types);
            match (into, f.boxed) {
                (false, false) => quote!(#n),
                (true, false) => quote!(#n: #n.into()),
                (false, true) => quote!(#n: Box::new(#n)),
                (true, true) => quote!(#n: Box::new(#n.into())),
            }
        }
    });
    let new_doc = if required.is_empty() {
        " Creates a value with every field unset.".to_owned()
    } else {
        " Creates a value from the required fields; optional fields start unset.".to_owned()
    };
    let many = (required.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments, reason = "one argument per required field, in the spec's order")]));
    quote! {
        #[doc = #new_doc]
        #many
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits),* }
        }
    }
}

/// `Debug` for a struct with personal data: those fields print as `Redacted`.
fn redacting_debug(name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let entries = s.fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        let label = f.rust_name.trim_start_matches("r#");
        if f.pii.is_some() {
            quote!(.field(#label, &sdk_runtime::Redacted))
        } else {
            quote!(.field(#label, &self.#n))
        }
    });
    let label = name.to_string();
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label) #(#entries)* .finish()
            }
        }
    }
}

fn string_enum(name: &proc_macro2::Ident, doc: &TokenStream, e: &StringEnum) -> TokenStream {
    let fallback = ident(&e.fallback_name);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let wires: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|w| format!(" {}", docs::code(w)));
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(from = "String", into = "String")]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value this version of the crate does not know. It is kept as received and
            /// serialises back unchanged.
            #fallback(sdk_runtime::UnknownValue),
        }

        impl #name {
            /// Every value the spec lists, in the spec's order.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::#fallback(value) => value.as_str(),
                }
            }

            /// The variant of a value the spec lists.
            fn known(value: &str) -> Option<Self> {
                match value {
                    #( #wires => Some(Self::#variants), )*
                    _ => None,
                }
            }
        }

        // From<&str>, From<String>, Into<String>, FromStr and Display, from the two above.
        sdk_runtime::open_enum!(#name, #fallback);
    }
}

fn union(api: &Api, name: &proc_macro2::Ident, doc: &TokenStream, u: &Union) -> TokenStream {
    let names: Vec<_> = u.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let tys: Vec<_> = u
        .variants
        .iter()
        .map(|v| rust::ty(api, &v.ty, From::Types))
        .collect();
    match &u.tag {
        Some(tag) => tagged_union(name, doc, u, tag, &names, &tys),
        None => {
            let variant_docs = u
                .variants
                .iter()
                .map(|v| format!(" One of the alternatives: {}.", v.rust_name));
            quote! {
                #doc
                #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(untagged)]
                #[non_exhaustive]
                pub enum #name {
                    #( #[doc = #variant_docs] #names(#tys), )*
                    /// A value matching none of the alternatives, as received.
                    Unknown(serde_json::Value),
                }
            }
        }
    }
}

/// A union with a discriminator: serialised with serde's internal tag, decoded by hand so
/// that a tag this crate does not know becomes `Unknown` instead of an error.
fn tagged_union(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    u: &Union,
    tag: &str,
    names: &[proc_macro2::Ident],
    tys: &[TokenStream],
) -> TokenStream {
    let renames = u.variants.iter().map(|v| {
        let first = v
            .tags
            .first()
            .cloned()
            .unwrap_or_else(|| v.rust_name.clone());
        let aliases = v.tags.iter().skip(1);
        quote!(#[serde(rename = #first #(, alias = #aliases)*)])
    });
    let variant_docs = u.variants.iter().map(|v| {
        format!(
            " {}",
            v.tags
                .iter()
                .map(|t| docs::code(&format!("{tag}: {t}")))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    });
    let arms = decode_arms(u, names);
    let label = name.to_string();
    let deser_doc = format!(
        " Decodes by the {} property; a tag this crate does not know becomes `Unknown`.",
        docs::code(tag)
    );
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, serde::Serialize)]
        #[serde(tag = #tag)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #renames #names(#tys), )*
            /// A variant this version of the crate does not know, as received.
            #[serde(untagged)]
            Unknown(serde_json::Value),
        }

        #[doc = #deser_doc]
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                if !value.is_object() {
                    return Err(serde::de::Error::custom(concat!("expected a JSON object for ", #label)));
                }
                match value.get(#tag).and_then(serde_json::Value::as_str) {
                    #(#arms)*
                    _ => Ok(Self::Unknown(value)),
                }
            }
        }
    }
}

/// The match arms of a tagged union's decoder: one per set of variants a tag names, its tags
/// or-ed, in the order the variants come. A tag that several variants carry (OpenAI's input
/// items: three variants say `type: message`) tries them in order, the first that decodes
/// winning, rather than repeating an arm that could never be reached.
fn decode_arms(u: &Union, names: &[proc_macro2::Ident]) -> Vec<TokenStream> {
    let mut by_tag: Vec<(&String, Vec<&proc_macro2::Ident>)> = Vec::new();
    for (v, n) in u.variants.iter().zip(names) {
        for tag in &v.tags {
            match by_tag.iter_mut().find(|(t, _)| *t == tag) {
                Some((_, variants)) => variants.push(n),
                None => by_tag.push((tag, vec![n])),
            }
        }
    }
    let mut arms: Vec<(Vec<&String>, Vec<&proc_macro2::Ident>)> = Vec::new();
    for (tag, variants) in by_tag {
        match arms.iter_mut().find(|(_, v)| *v == variants) {
            Some((tags, _)) => tags.push(tag),
            None => arms.push((vec![tag], variants)),
        }
    }
    arms.into_iter()
        .map(|(tags, variants)| {
            // Every attempt but the last needs its own copy of the value.
            let (last, earlier) = variants.split_last().expect("a tag names a variant");
            let attempts: Vec<TokenStream> = earlier
                .iter()
                .map(|n| quote!(serde_json::from_value(value.clone()).map(Self::#n)))
                .chain([quote!(serde_json::from_value(value).map(Self::#last))])
                .collect();
            let (first, rest) = attempts.split_first().expect("one attempt per variant");
            quote! {
                #(Some(#tags))|* => #first #(.or_else(|_| #rest))* .map_err(serde::de::Error::custom),
            }
        })
        .collect()
}

fn sids(api: &Api) -> TokenStream {
    let aliases = api.sids.iter().map(|s| {
        let name = ident(&s.name);
        let runtime = super::rust::path(s.runtime_type);
        let [a, b] = s.prefix;
        let doc = format!(
            " A SID: `{}` followed by 32 hexadecimal digits. Parse one with `str::parse`, which checks the prefix and length. The same type in every generated crate of this vendor.",
            s.prefix_text()
        );
        quote! { #[doc = #doc] pub type #name = #runtime<#a, #b>; }
    });
    quote!(#(#aliases)*)
}

//! `webhooks.rs`, for a spec that declares webhooks or callbacks: one `Webhook` enum with a
//! variant per webhook, decoded from a delivery's body by the webhook's name.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::rust::{self, ident, From};
use crate::model::{Api, PayloadKind, Webhook};

pub(crate) fn emit(api: &Api) -> TokenStream {
    let variants = api.webhooks.iter().map(|w| variant(api, w));
    let decoders = api.webhooks.iter().map(decoder);
    let names: Vec<&str> = api.webhooks.iter().map(|w| w.name.as_str()).collect();
    let name_arms = api.webhooks.iter().map(|w| {
        let v = ident(&w.variant);
        let name = &w.name;
        let pattern = match &w.payload {
            Some(_) => quote!(Self::#v(_)),
            None => quote!(Self::#v),
        };
        quote!(#pattern => #name,)
    });
    let variants: TokenStream = variants.collect();
    let import = rust::mentions_types(&variants).then(|| {
        quote!(
            use crate::types;
        )
    });
    let module_doc = docs::inner_attrs(&module_doc(api));
    quote! {
        #module_doc
        #import

        /// A request the API sent to one of your endpoints, decoded by its webhook's name
        /// (see the [module docs](self)).
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        #[allow(
            clippy::large_enum_variant,
            reason = "one delivery is decoded per request: its size is not worth a box"
        )]
        pub enum Webhook {
            #variants
            /// A webhook this version of the crate does not know, kept as received.
            Unknown(sdk_runtime::webhook::UnknownWebhook),
        }

        impl Webhook {
            /// The name of every webhook [`Webhook::decode`] knows, in the spec's order.
            pub const NAMES: &'static [&'static str] = &[#(#names),*];

            /// Decodes the body of a delivery of the webhook `name` (one of
            /// [`Webhook::NAMES`]; any other name gives [`Webhook::Unknown`]).
            ///
            /// This only decodes: check the request's signature first (the vendor's
            /// verifier in [`sdk_runtime::extensions`], or your own).
            pub fn decode(name: &str, body: &[u8]) -> Result<Self, sdk_runtime::Rejection> {
                Ok(match name {
                    #(#decoders)*
                    _ => Self::Unknown(sdk_runtime::webhook::UnknownWebhook::new(name, body)),
                })
            }

            /// The webhook's name, as [`Webhook::decode`] takes it.
            pub fn name(&self) -> &str {
                match self {
                    #(#name_arms)*
                    Self::Unknown(unknown) => unknown.name(),
                }
            }
        }
    }
}

fn module_doc(api: &Api) -> String {
    let list: Vec<String> = api
        .webhooks
        .iter()
        .map(|w| format!("- {}: [`Webhook::{}`]", docs::code(&w.name), w.variant))
        .collect();
    let first = &api.webhooks[0].name;
    format!(
        "Webhooks: requests the API sends to endpoints of yours, as the spec declares them.\n\n\
         {}\n\n\
         A receiver verifies the request, then decodes its body by the webhook's name:\n\n\
         ```no_run\n\
         # fn receive(body: &[u8]) -> Result<(), sdk_runtime::Rejection> {{\n\
         # use {krate}::sdk_runtime;\n\
         use {krate}::webhooks::Webhook;\n\n\
         match Webhook::decode({first:?}, body)? {{\n    \
             Webhook::Unknown(other) => println!(\"not in this version of the spec: {{}}\", other.name()),\n    \
             known => println!(\"{{}}\", known.name()),\n\
         }}\n\
         # Ok(()) }}\n\
         ```",
        list.join("\n"),
        krate = api.crate_name,
    )
}

fn variant(api: &Api, webhook: &Webhook) -> TokenStream {
    let v = ident(&webhook.variant);
    let doc = docs::attrs(&variant_doc(webhook));
    let payload = webhook.payload.as_ref().map(|p| match &p.kind {
        PayloadKind::Json(ty) | PayloadKind::Form(ty) => rust::ty(api, ty, From::Elsewhere),
        PayloadKind::Raw => quote!(sdk_runtime::webhook::RawBody),
    });
    match payload {
        Some(payload) => quote! { #doc #v(#payload), },
        None => quote! { #doc #v, },
    }
}

fn decoder(webhook: &Webhook) -> TokenStream {
    let v = ident(&webhook.variant);
    let name = &webhook.name;
    let value = match webhook.payload.as_ref().map(|p| &p.kind) {
        None => return quote!(#name => Self::#v,),
        Some(PayloadKind::Json(_)) => quote!(sdk_runtime::webhook::decode_json(body)?),
        Some(PayloadKind::Form(_)) => quote!(sdk_runtime::webhook::decode_form(body)?),
        Some(PayloadKind::Raw) => quote!(sdk_runtime::webhook::RawBody::from(body)),
    };
    quote!(#name => Self::#v(#value),)
}

fn variant_doc(webhook: &Webhook) -> String {
    let mut parts = docs::summary_then_description(
        webhook.summary.as_deref(),
        webhook.description.as_deref(),
        || format!("The webhook {}.", docs::code(&webhook.name)),
    );
    let mut facts = vec![format!(
        "Name: {}; sent as {}",
        docs::code(&webhook.name),
        docs::code(webhook.method.as_str())
    )];
    if let Some(of) = &webhook.callback_of {
        let url = docs::code(&of.expression);
        facts.push(match &of.operation {
            Some(operation) => {
                let operation = operation.trim_start_matches("r#");
                format!("A callback of [`Client::{operation}`](crate::Client::{operation}), sent to the URL {url}")
            }
            None => format!("Sent to the URL {url}"),
        });
    }
    match &webhook.payload {
        Some(p) => {
            let how = match p.kind {
                PayloadKind::Json(_) => "decoded as JSON",
                PayloadKind::Form(_) => "decoded as form data",
                PayloadKind::Raw => "kept as raw bytes",
            };
            facts.push(format!("Body: {}, {how}", docs::code(&p.media_type)));
        }
        None => facts.push("No body".into()),
    }
    if webhook.deprecated {
        facts.push("**Deprecated** by the spec".into());
    }
    parts.push(
        facts
            .iter()
            .map(|f| format!("- {f}."))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    parts.join("\n\n")
}

//! What an operation's `send` returns and how the response becomes it: the `send` family of
//! builder methods (typed, with metadata, streamed), their docs (retries, declared errors),
//! and the enum of an operation whose success statuses carry different bodies.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::rust::{self, ident, From};
use crate::model::{Api, Operation, StatusBody, StatusKind, Success, Ty};

/// What `send` returns.
fn success_ty(api: &Api, op: &Operation) -> TokenStream {
    match &op.success {
        Success::Empty => quote!(()),
        Success::Json(t) => rust::ty(api, t, From::Elsewhere),
        Success::Text => quote!(String),
        Success::Untyped => quote!(sdk_runtime::Body),
        Success::ByStatus { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// `send`'s docs: what it returns, when it is retried, and the error statuses declared.
fn send_doc(api: &Api, op: &Operation) -> String {
    let returns = match &op.success {
        Success::Json(_) => "Sends the request and decodes the response.".to_owned(),
        Success::ByStatus { name, .. } => format!("Sends the request and decodes the response by its status: the spec declares success statuses with different bodies, one variant of [`{name}`] each."),
        Success::Text => "Sends the request and returns the response's text (the spec declares a `text/*` body; invalid UTF-8 is replaced with U+FFFD).".to_owned(),
        Success::Untyped => "Sends the request. The spec declares no schema for the response, so its body is returned as [`sdk_runtime::Body`]: bytes with their content type, decoded on request with `.json::<T>()` (`serde_json::Value` for any JSON).".to_owned(),
        Success::Empty => "Sends the request. The spec declares `204 No Content`, so there is no body to decode.".to_owned(),
    };
    let method = op.method.as_str();
    let retries = if crate::model::Method::is_idempotent(op.method) {
        format!("Retried on throttling (429), unavailability (503), timeouts and failed connections: {method} is idempotent.")
    } else {
        format!("Retried on throttling (429) and on connections that could not be opened, which the server never saw; not on 503 or timeouts, since a {method} may already have taken effect.")
    };
    let mut text = format!(
        "{returns}\n\n{retries}\n\n[`send_with_metadata`](Self::send_with_metadata) also gives the status, headers and request id."
    );
    let errors: Vec<String> =
        op.responses
            .iter()
            .filter(|r| !r.status.starts_with('2'))
            .map(|r| {
                let typed =
                    r.body
                        .as_ref()
                        .map(|t| {
                            format!(
                        " (body: `{}`, from [`ApiError::typed`](sdk_runtime::ApiError::typed))",
                        rust::ty(api, t, From::Elsewhere).to_string().replace(' ', "")
                    )
                        })
                        .unwrap_or_default();
                format!(
                    "- `{}`: {}{typed}",
                    r.status,
                    docs::markdown(&r.description)
                )
            })
            .collect();
    if !errors.is_empty() {
        text.push_str(&format!(
            "\n\n# Errors\n\nError responses the spec declares (as [`sdk_runtime::Error::Api`]):\n{}",
            errors.join("\n")
        ));
    }
    text
}

pub(super) fn send_methods(api: &Api, op: &Operation) -> TokenStream {
    let ok = success_ty(api, op);
    let decode = match &op.success {
        Success::Json(_) => quote!(self
            .client
            .execute_with(self.request(), &self.options)
            .await?
            .json()),
        Success::Text => quote!(Ok(self
            .client
            .execute_with(self.request(), &self.options)
            .await?
            .text())),
        Success::Untyped => quote!(Ok(self
            .client
            .execute_with(self.request(), &self.options)
            .await?
            .untyped())),
        Success::Empty => quote!(Ok(self
            .client
            .execute_with(self.request(), &self.options)
            .await?
            .empty())),
        Success::ByStatus { name, statuses } => by_status_decode(api, name, statuses),
    };
    let send_doc = docs::attrs(&send_doc(api, op));
    let send_body = match &op.success {
        // `Ok(<unit expression>)` reads as if a value were returned (clippy: unit_arg).
        Success::Empty => quote! {
            self.send_with_metadata().await?;
            Ok(())
        },
        _ => quote!(Ok(self.send_with_metadata().await?.into_body())),
    };
    let streaming = matches!(op.success, Success::Untyped).then(send_streaming);
    let events = op.events.as_ref().map(|ty| send_events(api, ty));
    quote! {
        #send_doc
        pub async fn send(self) -> Result<#ok, sdk_runtime::Error> {
            #send_body
        }

        /// Like [`send`](Self::send), with the response's status, headers, request id and
        /// rate limits.
        pub async fn send_with_metadata(self) -> Result<sdk_runtime::Response<#ok>, sdk_runtime::Error> {
            #decode
        }

        #streaming
        #events
    }
}

/// For a success that streams server-sent events: the events as they arrive, typed.
fn send_events(api: &Api, data: &Ty) -> TokenStream {
    let data = rust::ty(api, data, From::Elsewhere);
    quote! {
        /// Sends the request asking for `text/event-stream` and hands back the server-sent
        /// events as they arrive ([`sdk_runtime::EventStream`]), each event's `data` decoded
        /// as the spec's event schema. An event larger than
        /// [`sdk_runtime::client::DEFAULT_MAX_EVENT_SIZE`] ends the stream with an error; the
        /// data `[DONE]` ends it. An error status is returned as by [`send`](Self::send).
        pub async fn send_events(self) -> Result<sdk_runtime::EventStream<#data>, sdk_runtime::Error> {
            self.client.execute_events(self.request(), &self.options).await
        }
    }
}

/// For a response of no declared schema (a file, a recording, an export): the body as a
/// stream, so that its size costs no memory.
fn send_streaming() -> TokenStream {
    quote! {
        /// Sends the request and hands back the successful response as soon as its head
        /// arrives, its body a stream of chunks ([`sdk_runtime::Streaming`]; also an
        /// `AsyncRead`) never held whole: for downloads of any size. No body-size limit
        /// applies; each chunk must arrive within the attempt timeout. An error status is
        /// read and returned as [`sdk_runtime::Error`], as by [`send`](Self::send).
        pub async fn send_streaming(self) -> Result<sdk_runtime::Streaming, sdk_runtime::Error> {
            self.client
                .execute_streaming(self.request(), &self.options)
                .await
        }
    }
}

/// Decodes by status, exact statuses before ranges; an undeclared 2xx is kept as bytes.
fn by_status_decode(api: &Api, name: &str, statuses: &[StatusBody]) -> TokenStream {
    let enum_name = ident(name);
    let mut ordered: Vec<&StatusBody> = statuses
        .iter()
        .filter(|s| s.status.parse::<u16>().is_ok())
        .collect();
    ordered.extend(statuses.iter().filter(|s| s.status.parse::<u16>().is_err()));
    let arms = ordered.iter().map(|s| {
        let variant = ident(&s.variant);
        let pattern = match s.status.parse::<u16>() {
            Ok(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            // `2XX`: the range.
            Err(_) => quote!(200..=299),
        };
        let value = match &s.body {
            StatusKind::Json(ty) => {
                let ty = rust::ty(api, ty, From::Elsewhere);
                quote!(raw.json::<#ty>().map(|r| r.map(#enum_name::#variant)))
            }
            StatusKind::Text => quote!(Ok(raw.text().map(#enum_name::#variant))),
            StatusKind::Untyped => quote!(Ok(raw.untyped().map(#enum_name::#variant))),
            StatusKind::Empty => quote!(Ok(raw.empty().map(|()| #enum_name::#variant))),
        };
        quote!(#pattern => #value,)
    });
    quote! {
        let raw = self.client.execute_with(self.request(), &self.options).await?;
        match raw.status().as_u16() {
            #(#arms)*
            _ => Ok(raw.untyped().map(#enum_name::Other)),
        }
    }
}

/// The enum a by-status operation returns.
pub(super) fn status_enum(api: &Api, op: &Operation) -> Option<TokenStream> {
    let Success::ByStatus { name, statuses } = &op.success else {
        return None;
    };
    let enum_name = ident(name);
    let doc = docs::attrs(&format!(
        "What [`{}`] answers: one variant per success status the spec declares, each with its body.",
        op.builder_name
    ));
    let variants = statuses.iter().map(|s| {
        let variant = ident(&s.variant);
        let doc = docs::attrs(&format!(
            "`{}`: {}",
            s.status,
            docs::one_line(&docs::markdown(&s.description))
        ));
        let payload = match &s.body {
            StatusKind::Json(ty) => Some(rust::ty(api, ty, From::Elsewhere)),
            StatusKind::Text => Some(quote!(String)),
            StatusKind::Untyped => Some(quote!(sdk_runtime::Body)),
            StatusKind::Empty => None,
        };
        match payload {
            Some(p) => quote!(#doc #variant(#p),),
            None => quote!(#doc #variant,),
        }
    });
    Some(quote! {
        #doc
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        #[allow(
            clippy::large_enum_variant,
            reason = "one response is decoded per call: its size is not worth a box"
        )]
        pub enum #enum_name {
            #(#variants)*
            /// A success status the spec does not declare, kept as received.
            Other(sdk_runtime::Body),
        }
    })
}

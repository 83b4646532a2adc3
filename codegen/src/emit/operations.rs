//! `operations.rs` (one request builder per operation, and a struct of required inputs where
//! an operation takes them by name) and the `Client` methods that start them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::examples;
use super::responses::{send_methods, status_enum};
use super::rust::{self, ident, From};
use crate::model::{
    Api, Body, BodyEncoding, Input, InputSource, Operation, PartKind, Success, Taken, Ty, TypeKind,
};

pub(crate) fn emit(api: &Api) -> TokenStream {
    let builders: TokenStream = api
        .operations
        .iter()
        .map(|op| {
            let method = op.method.as_str().to_ascii_lowercase();
            let path = crate::diagnostics::pointer_token(&op.path);
            crate::guard::at(&format!("/paths/{path}/{method}"));
            builder(api, op)
        })
        .collect();
    let import = super::rust::mentions_types(&builders).then(|| {
        quote!(
            use crate::types;
        )
    });
    quote! {
        //! Request builders, one per operation. Start one from a [`Client`](crate::Client)
        //! method, set optional inputs, then `.send().await`.
        #import
        #builders
    }
}

/// The docs of an input: what it is, and where it goes on the wire.
pub(crate) fn input_doc(input: &Input) -> String {
    match &input.source {
        InputSource::Param(location) => {
            let place = format!(
                "Sent as the {} {} parameter.",
                docs::code(&input.wire_name),
                location.as_str()
            );
            match docs::render_or_none(&input.docs) {
                Some(text) => format!("{text}\n\n{place}"),
                None => place,
            }
        }
        InputSource::BodyField { .. } => {
            let place = format!("Sent as the {} body field.", docs::code(&input.wire_name));
            match super::types::field_doc(&input.docs, input.pii.as_ref()) {
                Some(text) => format!("{text}\n\n{place}"),
                None => place,
            }
        }
        InputSource::Body => input
            .docs
            .description
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .map(docs::markdown)
            .unwrap_or_else(|| "The request body.".into()),
    }
}

/// The type an argument or setter accepts, and whether it converts with `.into()`. A whole
/// body is taken as its own type, and fields of a required-inputs struct hold their type.
fn accept(api: &Api, input: &Input) -> (TokenStream, bool) {
    // A text or bytes body converts like any string: `&str`, `Vec<u8>`, `&'static [u8]`.
    let raw = matches!(input.ty, Ty::String | Ty::Bytes);
    match (input.source == InputSource::Body && !raw, input.taken) {
        (true, _) | (_, Taken::Field) => (rust::ty(api, &input.ty, From::Elsewhere), false),
        _ => rust::accept(api, &input.ty, From::Elsewhere),
    }
}

pub(crate) fn static_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!(
        "{}",
        op.method_name.trim_start_matches("r#").to_ascii_uppercase()
    )
}

/// The `Operation` static, with a decoder for each error response the spec types.
fn operation_static(api: &Api, op: &Operation) -> TokenStream {
    let stat = static_name(op);
    let id = &op.id;
    let path = &op.path;
    let server = proc_macro2::Literal::usize_unsuffixed(op.server);
    let method = format_ident!("{}", op.method.as_str());
    let errors = op.responses.iter().filter_map(|r| {
        let body = r.body.as_ref()?;
        let ty = rust::ty(api, body, From::Elsewhere);
        let status = &r.status;
        let pii = pii_fields(api, body);
        Some(quote! {
            sdk_runtime::ErrorSchema {
                status: #status,
                decode: sdk_runtime::error::decode_error_body::<#ty>,
                pii: &[#(#pii),*],
            }
        })
    });
    quote! {
        pub(crate) static #stat: sdk_runtime::Operation = sdk_runtime::Operation {
            id: #id,
            method: sdk_runtime::http::Method::#method,
            path: #path,
            server: #server,
            errors: &[#(#errors),*],
        };
    }
}

/// The wire names of an error body's fields marked as personal data, at the top level and
/// inside Front's `_error` envelope: the runtime keeps them out of the error's `Display`
/// and `Debug`.
fn pii_fields(api: &Api, body: &Ty) -> Vec<String> {
    let fields = |ty: &Ty| match ty {
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Struct(s) => s.fields.clone(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let top = fields(body);
    let envelope = top
        .iter()
        .filter(|f| f.wire_name == "_error")
        .flat_map(|f| fields(&f.ty));
    let mut names: Vec<String> = top
        .iter()
        .cloned()
        .chain(envelope)
        .filter(|f| f.pii.is_some())
        .map(|f| f.wire_name)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The builder's fields: the client, each parameter, the body (as its struct when the body
/// is taken field by field), and a saved link to resume a listing from.
fn fields(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let mut fields = vec![
        quote!(client: sdk_runtime::Client),
        quote!(options: sdk_runtime::CallOptions),
    ];
    for input in &op.inputs {
        let n = ident(&input.name);
        let t = rust::ty(api, &input.ty, From::Elsewhere);
        match input.source {
            InputSource::Param(_) | InputSource::Body if input.required => {
                fields.push(quote!(#n: #t))
            }
            InputSource::Param(_) | InputSource::Body => fields.push(quote!(#n: Option<#t>)),
            InputSource::BodyField { .. } => {}
        }
    }
    if let Some(id) = op.body.as_ref().and_then(|b| b.flattened) {
        let t = rust::ty(api, &Ty::Named(id), From::Elsewhere);
        fields.push(quote!(body: #t));
    }
    if op.pagination.is_some() {
        fields.push(quote!(resume: Option<sdk_runtime::NextLink>));
    }
    fields
}

/// The body of `new`: required inputs are moved in, optional ones start unset.
fn new_body(api: &Api, op: &Operation) -> TokenStream {
    let destructure = op.required_struct.as_ref().map(|s| {
        let s = ident(s);
        let names = op.fields().map(|i| ident(&i.name));
        quote!(let #s { #(#names),* } = required;)
    });
    let mut inits = vec![quote!(client), quote!(options: Default::default())];
    for input in &op.inputs {
        let n = ident(&input.name);
        match (
            input.source == InputSource::Body,
            &input.source,
            input.taken,
        ) {
            (_, InputSource::BodyField { .. }, _) => {}
            (_, _, Taken::Setter) => inits.push(quote!(#n: None)),
            // `accept` converts only what is taken as `impl Into<..>` (a text or bytes body).
            (_, _, Taken::Argument) if accept(api, input).1 => inits.push(quote!(#n: #n.into())),
            _ => inits.push(quote!(#n)),
        }
    }
    if let Some(id) = op.body.as_ref().and_then(|b| b.flattened) {
        let t = rust::ty(api, &Ty::Named(id), From::Elsewhere);
        // The body's own constructor does the `Into` conversions.
        let args = op
            .inputs
            .iter()
            .filter(|i| i.required && matches!(i.source, InputSource::BodyField { .. }))
            .map(|i| ident(&i.name));
        inits.push(quote!(body: #t::new(#(#args),*)));
    }
    if op.pagination.is_some() {
        inits.push(quote!(resume: None));
    }
    quote! {
        #destructure
        Self { #(#inits),* }
    }
}

fn setter(api: &Api, input: &Input) -> TokenStream {
    let n = ident(&input.name);
    let (accept, into) = accept(api, input);
    let value = if into {
        quote!(value.into())
    } else {
        quote!(value)
    };
    let doc = docs::attrs(&input_doc(input));
    let assign = match &input.source {
        InputSource::Param(_) => quote!(self.#n = Some(#value);),
        InputSource::BodyField {
            field,
            boxed: false,
        } => {
            let field = ident(field);
            quote!(self.body.#field = Some(#value);)
        }
        InputSource::BodyField { field, boxed: true } => {
            let field = ident(field);
            quote!(self.body.#field = Some(Box::new(#value));)
        }
        InputSource::Body => quote!(self.body = Some(#value);),
    };
    quote! {
        #doc
        pub fn #n(mut self, value: #accept) -> Self {
            #assign
            self
        }
    }
}

/// The statements that put each parameter and the body into the request.
fn request_steps(op: &Operation) -> Vec<TokenStream> {
    let mut steps = Vec::new();
    for input in &op.inputs {
        let InputSource::Param(location) = input.source else {
            continue;
        };
        steps.push(super::params::step(input, location));
    }
    if let Some(body) = &op.body {
        steps.push(body_step(body));
    }
    steps
}

fn pagination_methods(api: &Api, op: &Operation) -> Option<TokenStream> {
    let p = op.pagination.as_ref()?;
    let page = rust::ty(api, &Ty::Named(p.page_type), From::Elsewhere);
    let item = rust::ty(api, &p.item_ty, From::Elsewhere);
    let size = p
        .page_size_input
        .as_ref()
        .map(|s| format!(" Set the page size with [`{s}`](Self::{s})."))
        .unwrap_or_default();
    let stream_doc = docs::attrs(&format!(
        "Every item of every page, fetching the next page only when the previous one is used up.{size} Stop early with [`limit`](sdk_runtime::Items::limit); collect with [`try_collect`](sdk_runtime::Items::try_collect).\n\nNext-page links are followed only to the host this request went to, so credentials never leave it."
    ));
    Some(quote! {
        /// Every page of the listing, fetched as the stream is polled. Each page has the
        /// link to the next one, to save and [`resume_from`](Self::resume_from) later.
        pub fn pages(self) -> sdk_runtime::Pages<#page> {
            self.client.pages_with(self.request(), self.resume, self.options)
        }

        #stream_doc
        pub fn stream(self) -> sdk_runtime::Items<#item> {
            self.pages().items()
        }

        /// Starts the listing at a link saved from an earlier page
        /// ([`Page::next_link`](sdk_runtime::Page::next_link)) instead of the first page.
        /// The link carries the listing's query; links to another host are refused.
        pub fn resume_from(mut self, link: sdk_runtime::NextLink) -> Self {
            self.resume = Some(link);
            self
        }
    })
}

/// The struct of required inputs taken by name.
fn required_struct(api: &Api, op: &Operation) -> Option<TokenStream> {
    let name = ident(op.required_struct.as_ref()?);
    let doc = docs::attrs(&format!(
        "The required inputs of [`Client::{m}`](crate::Client::{m}), by name, so that values of one type cannot be passed in the wrong order. Optional inputs are setters on [`{b}`].",
        m = op.method_name.trim_start_matches("r#"),
        b = op.builder_name
    ));
    let label = name.to_string();
    let fields = op.fields().map(|input| {
        let n = ident(&input.name);
        let (t, _) = accept(api, input);
        let doc = docs::attrs(&input_doc(input));
        quote!(#doc pub #n: #t,)
    });
    Some(quote! {
        #doc
        #[derive(Clone)]
        pub struct #name { #(#fields)* }

        impl std::fmt::Debug for #name {
            // The values may be personal data, so only the type is shown.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label).finish_non_exhaustive()
            }
        }
    })
}

/// `new`'s parameters: positional arguments, then the required-inputs struct.
fn new_params(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let mut params: Vec<TokenStream> = op
        .arguments()
        .map(|i| {
            let n = ident(&i.name);
            let (a, _) = accept(api, i);
            quote!(#n: #a)
        })
        .collect();
    if let Some(s) = &op.required_struct {
        let s = ident(s);
        params.push(quote!(required: #s));
    }
    params
}

fn builder(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.builder_name);
    let stat = static_name(op);
    let operation_static = operation_static(api, op);
    let required_struct = required_struct(api, op);
    let status_enum = status_enum(api, op);
    let fields = fields(api, op);
    let new_params = new_params(api, op);
    let new_body = new_body(api, op);
    let setters = op
        .inputs
        .iter()
        .filter(|i| i.taken == Taken::Setter)
        .map(|i| setter(api, i));
    let steps = request_steps(op);
    let send_methods = send_methods(api, op);
    let pagination = pagination_methods(api, op);
    let scopes = (!op.scopes.is_empty()).then(|| {
        let scopes = &op.scopes;
        quote! {
            /// OAuth scopes a token needs for this operation, as the spec declares them.
            pub const REQUIRED_SCOPES: &'static [&'static str] = &[#(#scopes),*];
        }
    });
    let doc = docs::attrs(&format!(
        "Request builder for [`Client::{m}`](crate::Client::{m}): {}. Cloning it gives a request that can be sent again.",
        docs::code(&format!("{} {}", op.method.as_str(), op.path)),
        m = op.method_name.trim_start_matches("r#")
    ));
    let label = op.builder_name.clone();
    let request_fn = request_fn(&stat, &steps);

    quote! {
        #operation_static

        #required_struct
        #status_enum

        #doc
        #[derive(Clone)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #name { #(#fields),* }

        impl std::fmt::Debug for #name {
            // Parameters and bodies may carry PII, so only the operation is shown.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label).finish_non_exhaustive()
            }
        }

        impl #name {
            #scopes

            pub(crate) fn new(client: sdk_runtime::Client #(, #new_params)*) -> Self {
                #new_body
            }

            #(#setters)*

            /// Settings for this call alone that beat the client's: an attempt or call
            /// timeout, a retry policy, extra headers
            /// ([`CallOptions`](sdk_runtime::CallOptions)).
            pub fn customize(
                mut self,
                options: impl FnOnce(sdk_runtime::CallOptions) -> sdk_runtime::CallOptions,
            ) -> Self {
                self.options = options(self.options);
                self
            }

            #request_fn

            #send_methods

            #pagination
        }
    }
}

/// `request()`: the operation's request with every input the builder holds applied.
fn request_fn(stat: &proc_macro2::Ident, steps: &[TokenStream]) -> TokenStream {
    // Without parameters or a body the request is returned as it is (clippy: let_and_return).
    let body = if steps.is_empty() {
        quote!(sdk_runtime::Request::new(&#stat))
    } else {
        quote! {
            let mut request = sdk_runtime::Request::new(&#stat);
            #(#steps)*
            request
        }
    };
    quote! {
        /// The request this builder sends: to send it yourself with
        /// [`Client::runtime`](crate::Client::runtime)`().`[`execute`](sdk_runtime::Client::execute),
        /// or to inspect it.
        pub fn request(&self) -> sdk_runtime::Request {
            #body
        }
    }
}

fn body_step(body: &Body) -> TokenStream {
    let optional_whole = body.flattened.is_none() && !body.required;
    match body.encoding {
        BodyEncoding::Json if optional_whole => {
            quote!(if let Some(body) = &self.body {
                request.json_body(body);
            })
        }
        BodyEncoding::Form if optional_whole => {
            quote!(if let Some(body) = &self.body {
                request.form_body(body);
            })
        }
        BodyEncoding::Json => quote!(request.json_body(&self.body);),
        BodyEncoding::Form => quote!(request.form_body(&self.body);),
        BodyEncoding::Text | BodyEncoding::Bytes => {
            let media_type = &body.media_type;
            // A `Content-Type` header input, when the spec offers several, overrides it.
            if optional_whole {
                quote!(if let Some(body) = &self.body {
                    request.raw_body(#media_type, body.clone());
                })
            } else {
                quote!(request.raw_body(#media_type, self.body.clone());)
            }
        }
        BodyEncoding::Multipart => {
            let parts = body.parts.iter().map(|part| {
                let n = ident(&part.field);
                let wire = &part.wire_name;
                match (part.kind, part.optional) {
                    (PartKind::File, false) => quote!(form.file(#wire, self.body.#n.clone());),
                    (PartKind::File, true) => {
                        quote!(if let Some(part) = &self.body.#n { form.file(#wire, part.clone()); })
                    }
                    (PartKind::Files, optional) => {
                        let list = if optional {
                            quote!(self.body.#n.iter().flatten())
                        } else {
                            quote!(self.body.#n.iter())
                        };
                        quote!(for part in #list { form.file(#wire, part.clone()); })
                    }
                    (PartKind::Text, _) => quote!(form.text(#wire, &self.body.#n);),
                }
            });
            quote! {
                let mut form = sdk_runtime::Multipart::new();
                #(#parts)*
                request.multipart_body(form);
            }
        }
    }
}

/// The `Client` method that starts an operation.
pub(crate) fn client_method(api: &Api, op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let mut params: Vec<TokenStream> = op
        .arguments()
        .map(|i| {
            let n = ident(&i.name);
            let (a, _) = accept(api, i);
            quote!(#n: #a)
        })
        .collect();
    let mut args: Vec<TokenStream> = op
        .arguments()
        .map(|i| {
            let n = ident(&i.name);
            quote!(#n)
        })
        .collect();
    if let Some(s) = &op.required_struct {
        let s = ident(s);
        params.push(quote!(required: operations::#s));
        args.push(quote!(required));
    }
    let doc = docs::attrs(&method_doc(api, op));
    let deprecated = op
        .deprecated
        .then(|| quote!(#[deprecated(note = "deprecated in the API spec")]));
    let many = (params.len() > 6).then(|| {
        quote!(#[allow(clippy::too_many_arguments, reason = "path parameters are positional, in URL order")])
    });
    quote! {
        #doc
        #deprecated
        #many
        pub fn #method(&self #(, #params)*) -> operations::#builder {
            operations::#builder::new(self.inner.clone() #(, #args)*)
        }
    }
}

fn method_doc(api: &Api, op: &Operation) -> String {
    let mut parts =
        docs::summary_then_description(op.summary.as_deref(), op.description.as_deref(), || {
            format!("Calls {}.", docs::code(&op.id))
        });
    parts.push(format!(
        "{} (operation {})",
        docs::code(&format!("{} {}", op.method.as_str(), op.path)),
        docs::code(&op.id)
    ));
    for level in &op.maturity {
        let description = api
            .maturity_levels
            .iter()
            .find(|l| l.name == *level)
            .map(|l| l.description.as_str())
            .unwrap_or("");
        if level != "GA" || !description.is_empty() {
            parts.push(
                format!("**Maturity: {level}.** {}", docs::markdown(description))
                    .trim_end()
                    .to_owned(),
            );
        }
    }
    if !op.scopes.is_empty() {
        parts.push(format!(
            "**Required scopes:** {} (also available as [`{b}::REQUIRED_SCOPES`](operations::{b}::REQUIRED_SCOPES)).",
            op.scopes.iter().map(|s| docs::code(s)).collect::<Vec<_>>().join(", "),
            b = op.builder_name
        ));
    }
    let arguments: Vec<String> = op
        .arguments()
        .map(|i| {
            format!(
                "- `{}`: {}",
                i.name.trim_start_matches("r#"),
                first_line(&input_doc(i))
            )
        })
        .collect();
    if !arguments.is_empty() {
        parts.push(format!("Arguments:\n{}", arguments.join("\n")));
    }
    if let Some(s) = &op.required_struct {
        parts.push(format!(
            "The other required inputs are the fields of [`{s}`](operations::{s}); optional ones are setters on the builder."
        ));
    }
    match &op.success {
        Success::Untyped => parts.push(
            "The spec declares no schema for the response: `.send()` returns its body as [`sdk_runtime::Body`].".into(),
        ),
        Success::Empty => parts.push("The response has no body (`204 No Content`): `.send()` returns `()`.".into()),
        Success::Json(_) | Success::Text | Success::ByStatus { .. } => {}
    }
    if op.pagination.is_some() {
        parts.push(
            "A list operation: `.send()` returns one page, `.stream()` every item across pages, `.pages()` every page with its next-page link."
                .into(),
        );
    }
    if let Some(resource) = &op.resource {
        let facts = resource_facts(resource);
        if !facts.is_empty() {
            parts.push(format!(
                "{} resource: {}.",
                resource.vendor,
                facts.join("; ")
            ));
        }
    }
    parts.push(format!(
        "# Example\n\n```no_run\n{}\n```",
        examples::operation(api, op)
    ));
    parts.join("\n\n")
}

fn resource_facts(r: &crate::model::Resource) -> Vec<String> {
    let list = |items: &[String]| {
        items
            .iter()
            .map(|p| docs::code(p))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut facts = Vec::new();
    if let Some(p) = &r.path_type {
        facts.push(format!("path type {}", docs::code(p)));
    }
    if let Some(m) = &r.mount_name {
        facts.push(format!("mounted as {}", docs::code(m)));
    }
    if let Some(c) = &r.class_name {
        facts.push(format!("class {}", docs::code(c)));
    }
    if let Some(p) = &r.parent {
        facts.push(format!("parent {}", docs::code(p)));
    }
    if !r.default_output_properties.is_empty() {
        facts.push(format!(
            "default output properties {}",
            list(&r.default_output_properties)
        ));
    }
    if !r.dependent_properties.is_empty() {
        facts.push(format!(
            "dependent properties {}",
            list(&r.dependent_properties)
        ));
    }
    facts
}

fn first_line(text: &str) -> String {
    text.split("\n\n").next().unwrap_or("").replace('\n', " ")
}

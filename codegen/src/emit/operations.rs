//! `operations.rs` (one request builder per operation) and the `Client` methods that start them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::rust::{self, ident, From};
use crate::model::{Api, Body, BodyEncoding, Input, InputSource, Operation, PartKind, Success, Ty};

pub(crate) fn emit(api: &Api) -> TokenStream {
    let builders = api.operations.iter().map(|op| builder(api, op));
    let import = (!api.operations.is_empty()).then(|| {
        quote!(
            use crate::types;
        )
    });
    quote! {
        //! Request builders, one per operation. Start one from a [`Client`](crate::Client)
        //! method, set optional parameters, then `.send().await`.
        #import
        #(#builders)*
    }
}

/// The docs of an input: what it is, and where it goes on the wire.
fn input_doc(input: &Input) -> String {
    match &input.source {
        InputSource::Param(location) => format!(
            "{}\n\nSent as the {} {} parameter.",
            docs::render(&input.docs, "No description in the spec."),
            docs::code(&input.wire_name),
            location.as_str()
        ),
        InputSource::BodyField { .. } => format!(
            "{}\n\nSent as the {} body field.",
            super::types::field_doc(&input.docs, input.pii.as_ref(), &input.wire_name),
            docs::code(&input.wire_name)
        ),
        InputSource::Body => input
            .docs
            .description
            .as_deref()
            .map(docs::markdown)
            .unwrap_or_else(|| "The request body.".into()),
    }
}

/// The type an argument or setter accepts, and whether it converts with `.into()`. A whole
/// body is taken as its own type.
fn accept(api: &Api, input: &Input) -> (TokenStream, bool) {
    match input.source {
        InputSource::Body => (rust::ty(api, &input.ty, From::Elsewhere), false),
        _ => rust::accept(api, &input.ty, From::Elsewhere),
    }
}

fn static_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!(
        "{}",
        op.method_name.trim_start_matches("r#").to_ascii_uppercase()
    )
}

fn success_ty(api: &Api, op: &Operation) -> TokenStream {
    match &op.success {
        Success::Empty => quote!(()),
        Success::Json(t) => rust::ty(api, t, From::Elsewhere),
    }
}

/// The builder's fields: the client, each parameter, the body (as its struct when the body
/// is taken field by field), and the stream limit of a list operation.
fn fields(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let mut fields = vec![quote!(client: sdk_runtime::Client)];
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
        fields.push(quote!(limit: Option<u64>));
    }
    fields
}

/// The initialisers of `new`: required inputs are moved in, optional ones start unset.
fn inits(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let mut inits = vec![quote!(client)];
    for input in &op.inputs {
        let n = ident(&input.name);
        match input.source {
            InputSource::BodyField { .. } => {}
            _ if !input.required => inits.push(quote!(#n: None)),
            _ if accept(api, input).1 => inits.push(quote!(#n: #n.into())),
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
        inits.push(quote!(limit: None));
    }
    inits
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
fn request_steps(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let mut steps = Vec::new();
    for input in &op.inputs {
        let InputSource::Param(location) = input.source else {
            continue;
        };
        let n = ident(&input.name);
        let wire = &input.wire_name;
        steps.push(match location {
            // `path_param` takes the value by `Display`: numbers and booleans are passed as
            // they are (clippy flags a needless borrow), everything else by reference.
            crate::model::ParamLocation::Path if rust::is_copy(api, &input.ty) => {
                quote!(request.path_param(#wire, self.#n);)
            }
            crate::model::ParamLocation::Path => quote!(request.path_param(#wire, &self.#n);),
            crate::model::ParamLocation::Query => quote!(request.query(#wire, &self.#n);),
            crate::model::ParamLocation::Header => quote!(request.header(#wire, &self.#n);),
        });
    }
    if let Some(body) = &op.body {
        steps.push(body_step(body));
    }
    steps
}

fn send_doc(op: &Operation) -> TokenStream {
    let errors: Vec<String> = op
        .responses
        .iter()
        .filter(|r| !r.status.starts_with('2'))
        .map(|r| format!("- `{}`: {}", r.status, docs::markdown(&r.description)))
        .collect();
    let mut text = "Sends the request and decodes the response.\n\nRetried on throttling (429) and unavailability (503) only when the method is idempotent.".to_owned();
    if !errors.is_empty() {
        text.push_str(&format!(
            "\n\nError responses the spec declares (returned as [`sdk_runtime::Error::Api`]):\n{}",
            errors.join("\n")
        ));
    }
    docs::attrs(&text)
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
    let stream_doc = format!(
        " Streams every item of every page, fetching the next page only when the previous one is used up.{size}\n\n Next-page links are followed only to the host this request went to, so credentials never leave it."
    );
    Some(quote! {
        /// Stops the stream after this many items (pages beyond them are never fetched).
        pub fn limit(mut self, limit: u64) -> Self {
            self.limit = Some(limit);
            self
        }

        #[doc = #stream_doc]
        pub fn stream(self) -> impl futures_core::Stream<Item = Result<#item, sdk_runtime::Error>> + Send + 'static {
            let limit = self.limit;
            self.request().paginate::<#page>(limit)
        }
    })
}

fn builder(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.builder_name);
    let stat = static_name(op);
    let id = &op.id;
    let path = &op.path;
    let server = proc_macro2::Literal::usize_unsuffixed(op.server);
    let method = format_ident!("{}", op.method.as_str());
    let fields = fields(api, op);
    let inits = inits(api, op);
    let required: Vec<&Input> = op.required_inputs().collect();
    let new_params = required.iter().map(|i| {
        let n = ident(&i.name);
        let (a, _) = accept(api, i);
        quote!(#n: #a)
    });
    let setters = op
        .inputs
        .iter()
        .filter(|i| !i.required)
        .map(|i| setter(api, i));
    let steps = request_steps(api, op);
    let ok = success_ty(api, op);
    let send_call = match op.success {
        Success::Empty => quote!(send_empty),
        Success::Json(_) => quote!(send_json),
    };
    let send_doc = send_doc(op);
    let pagination = pagination_methods(api, op);
    let scopes = (!op.scopes.is_empty()).then(|| {
        let scopes = &op.scopes;
        quote! {
            /// OAuth scopes a token needs for this operation (Front's `x-required-scopes`).
            pub const REQUIRED_SCOPES: &'static [&'static str] = &[#(#scopes),*];
        }
    });
    let doc = docs::attrs(&format!(
        "Request builder for [`Client::{m}`](crate::Client::{m}): {}.",
        docs::code(&format!("{} {}", op.method.as_str(), op.path)),
        m = op.method_name.trim_start_matches("r#")
    ));
    let label = op.builder_name.clone();
    let many = (required.len() > 5).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // Without parameters or a body the request is returned as it is (clippy: let_and_return).
    let request_fn = if steps.is_empty() {
        quote!(self.client.request(&#stat))
    } else {
        quote! {
            let mut request = self.client.request(&#stat);
            #(#steps)*
            request
        }
    };

    quote! {
        static #stat: sdk_runtime::Operation = sdk_runtime::Operation {
            id: #id,
            method: sdk_runtime::reqwest::Method::#method,
            path: #path,
            server: #server,
        };

        #doc
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

            #many
            pub(crate) fn new(client: sdk_runtime::Client #(, #new_params)*) -> Self {
                Self { #(#inits),* }
            }

            #(#setters)*

            fn request(&self) -> sdk_runtime::RequestBuilder {
                #request_fn
            }

            #send_doc
            pub async fn send(self) -> Result<#ok, sdk_runtime::Error> {
                self.request().#send_call().await
            }

            #pagination
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
    let required: Vec<&Input> = op.required_inputs().collect();
    let params = required.iter().map(|i| {
        let n = ident(&i.name);
        let (a, _) = accept(api, i);
        quote!(#n: #a)
    });
    let args = required.iter().map(|i| ident(&i.name));
    let doc = docs::attrs(&method_doc(api, op, &required));
    let deprecated = op
        .deprecated
        .then(|| quote!(#[deprecated(note = "deprecated in the API spec")]));
    let many = (required.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #doc
        #deprecated
        #many
        pub fn #method(&self #(, #params)*) -> operations::#builder {
            operations::#builder::new(self.inner.clone() #(, #args)*)
        }
    }
}

fn method_doc(api: &Api, op: &Operation, required: &[&Input]) -> String {
    let mut parts = Vec::new();
    let summary = op
        .summary
        .as_deref()
        .or(op.description.as_deref())
        .map(docs::markdown)
        .unwrap_or_else(|| format!("Calls {}.", docs::code(&op.id)));
    parts.push(summary);
    if let (Some(s), Some(d)) = (&op.summary, &op.description) {
        if s.trim() != d.trim() {
            parts.push(docs::markdown(d));
        }
    }
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
    if !required.is_empty() {
        let lines: Vec<String> = required
            .iter()
            .map(|i| {
                format!(
                    "- `{}`: {}",
                    i.name.trim_start_matches("r#"),
                    first_line(&input_doc(i))
                )
            })
            .collect();
        parts.push(format!("Arguments:\n{}", lines.join("\n")));
    }
    if op.pagination.is_some() {
        parts.push(
            "A list operation: `.send()` returns one page, `.stream()` every item across pages."
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

//! `operations.rs` (one request builder per operation) and the `Client` methods that start them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::rust::{self, ident, From};
use crate::model::{
    Api, Body, BodyEncoding, Field, Operation, ParamLocation, Success, Ty, TypeKind,
};

/// One argument or setter of a builder.
struct Input {
    name: String,
    /// The builder field's type (`Option<T>` for setters).
    stored: TokenStream,
    accept: TokenStream,
    into: bool,
    required: bool,
    doc: String,
}

fn inputs(api: &Api, op: &Operation) -> Vec<Input> {
    let mut out = Vec::new();
    for p in &op.params {
        let t = rust::ty(api, &p.ty, From::Elsewhere);
        let (accept, into) = rust::accept(api, &p.ty, From::Elsewhere);
        let place = match p.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        };
        let doc = format!(
            "{}\n\nSent as the {} {place} parameter.",
            docs::render(&p.docs, "No description in the spec."),
            docs::code(&p.wire_name)
        );
        out.push(Input {
            name: p.rust_name.clone(),
            stored: if p.required { t } else { quote!(Option<#t>) },
            accept,
            into,
            required: p.required,
            doc,
        });
    }
    if let Some(body) = &op.body {
        match &body.flattened {
            Some(flat) => {
                let TypeKind::Struct(s) = &api.types[flat.type_id.0].kind else {
                    unreachable!("flattened bodies are structs")
                };
                for (index, name) in &flat.fields {
                    let f: &Field = &s.fields[*index];
                    let inner = rust::ty(api, &f.ty, From::Elsewhere);
                    let (accept, into) = rust::accept(api, &f.ty, From::Elsewhere);
                    let mut doc = super::types::field_doc(f);
                    doc.push_str(&format!(
                        "\n\nSent as the {} body field.",
                        docs::code(&f.wire_name)
                    ));
                    out.push(Input {
                        name: name.clone(),
                        stored: inner,
                        accept,
                        into,
                        required: !f.is_option(),
                        doc,
                    });
                }
            }
            None => {
                let t = rust::ty(api, &body.ty, From::Elsewhere);
                let doc = body
                    .description
                    .clone()
                    .map(|d| docs::markdown(&d))
                    .unwrap_or_else(|| "The request body.".into());
                out.push(Input {
                    name: "body".into(),
                    stored: if body.required {
                        t.clone()
                    } else {
                        quote!(Option<#t>)
                    },
                    accept: t,
                    into: false,
                    required: body.required,
                    doc,
                });
            }
        }
    }
    out
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

pub fn emit(api: &Api) -> TokenStream {
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

fn builder(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.builder_name);
    let stat = static_name(op);
    let id = &op.id;
    let path = &op.path;
    let server = proc_macro2::Literal::usize_unsuffixed(op.server);
    let method = format_ident!("{}", op.method.as_str());
    let inputs = inputs(api, op);
    let is_flat = op.body.as_ref().is_some_and(|b| b.flattened.is_some());

    // Fields of the builder. A flattened body is kept as its struct, built in `new`.
    let mut fields = vec![quote!(client: sdk_runtime::Client)];
    let param_count = op.params.len();
    for input in inputs.iter().take(param_count) {
        let n = ident(&input.name);
        let t = &input.stored;
        fields.push(quote!(#n: #t));
    }
    let body_ty = op
        .body
        .as_ref()
        .map(|b| rust::ty(api, &b.ty, From::Elsewhere));
    if is_flat {
        let t = body_ty.clone().expect("body");
        fields.push(quote!(body: #t));
    } else if op.body.is_some() {
        let input = inputs.last().expect("body input");
        let t = &input.stored;
        fields.push(quote!(body: #t));
    }
    if op.pagination.is_some() {
        fields.push(quote!(limit: Option<u64>));
    }

    // `new`: required inputs, in order.
    let required: Vec<&Input> = inputs.iter().filter(|i| i.required).collect();
    let new_params = required.iter().map(|i| {
        let n = ident(&i.name);
        let a = &i.accept;
        quote!(#n: #a)
    });
    let mut inits = vec![quote!(client)];
    for input in inputs.iter().take(param_count) {
        let n = ident(&input.name);
        inits.push(if !input.required {
            quote!(#n: None)
        } else if input.into {
            quote!(#n: #n.into())
        } else {
            quote!(#n)
        });
    }
    if let (Some(body), Some(t)) = (&op.body, &body_ty) {
        if let Some(flat) = &body.flattened {
            let TypeKind::Struct(s) = &api.types[flat.type_id.0].kind else {
                unreachable!()
            };
            // The body's own constructor does the `Into` conversions.
            let args = flat
                .fields
                .iter()
                .filter(|(i, _)| !s.fields[*i].is_option())
                .map(|(_, n)| ident(n));
            inits.push(quote!(body: #t::new(#(#args),*)));
        } else if body.required {
            inits.push(quote!(body));
        } else {
            inits.push(quote!(body: None));
        }
    }
    if op.pagination.is_some() {
        inits.push(quote!(limit: None));
    }

    // Setters for optional inputs.
    let setters = inputs.iter().enumerate().filter(|(_, i)| !i.required).map(|(k, i)| {
        let n = ident(&i.name);
        let a = &i.accept;
        let value = if i.into { quote!(value.into()) } else { quote!(value) };
        let doc = docs::attrs(&i.doc);
        let target = if k < param_count {
            quote!(self.#n)
        } else if is_flat {
            let flat = op.body.as_ref().and_then(|b| b.flattened.as_ref()).expect("flat");
            let TypeKind::Struct(s) = &api.types[flat.type_id.0].kind else { unreachable!() };
            let (index, _) = flat.fields[k - param_count];
            let f = &s.fields[index];
            let field = ident(&f.rust_name);
            if f.boxed {
                return quote! { #doc pub fn #n(mut self, value: #a) -> Self { self.body.#field = Some(Box::new(#value)); self } };
            }
            quote!(self.body.#field)
        } else {
            quote!(self.body)
        };
        quote! {
            #doc
            pub fn #n(mut self, value: #a) -> Self {
                #target = Some(#value);
                self
            }
        }
    });

    // Building the request.
    let mut steps = Vec::new();
    for (p, input) in op.params.iter().zip(&inputs) {
        let n = ident(&input.name);
        let wire = &p.wire_name;
        steps.push(match p.location {
            // `path_param` takes the value by `Display`: numbers and booleans are passed as
            // they are (clippy flags a needless borrow), everything else by reference.
            ParamLocation::Path if rust::is_copy(api, &p.ty) => {
                quote!(request.path_param(#wire, self.#n);)
            }
            ParamLocation::Path => quote!(request.path_param(#wire, &self.#n);),
            ParamLocation::Query => quote!(request.query(#wire, &self.#n);),
            ParamLocation::Header => quote!(request.header(#wire, &self.#n);),
        });
    }
    if let Some(body) = &op.body {
        steps.push(body_step(api, body));
    }

    let ok = success_ty(api, op);
    let send_call = match op.success {
        Success::Empty => quote!(send_empty),
        Success::Json(_) => quote!(send_json),
    };
    let errors: Vec<String> = op
        .responses
        .iter()
        .filter(|(c, _)| !c.starts_with('2'))
        .map(|(c, d)| format!("`{c}`: {}", docs::markdown(d)))
        .collect();
    let mut send_doc = "Sends the request and decodes the response.\n\nRetried on throttling (429) and unavailability (503) only when the method is idempotent.".to_owned();
    if !errors.is_empty() {
        send_doc.push_str(&format!(
            "\n\nError responses the spec declares (returned as [`sdk_runtime::Error::Api`]):\n{}",
            errors
                .iter()
                .map(|e| format!("- {e}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    let send_doc = docs::attrs(&send_doc);

    let pagination = op.pagination.as_ref().map(|p| {
        let page = rust::ty(api, &Ty::Named(p.page_type), From::Elsewhere);
        let item = rust::ty(api, &p.item_ty, From::Elsewhere);
        let size = p.page_size_param.as_ref().map(|s| format!(" Set the page size with [`{s}`](Self::{s}).")).unwrap_or_default();
        let stream_doc = format!(
            " Streams every item of every page, fetching the next page only when the previous one is used up.{size}\n\n Next-page links are followed only to the host this request went to, so credentials never leave it."
        );
        quote! {
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
        }
    });

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

fn body_step(api: &Api, body: &Body) -> TokenStream {
    let optional_whole = body.flattened.is_none() && !body.required;
    match body.encoding {
        BodyEncoding::Json if optional_whole => quote!(if let Some(body) = &self.body {
            request.json_body(body);
        }),
        BodyEncoding::Form if optional_whole => quote!(if let Some(body) = &self.body {
            request.form_body(body);
        }),
        BodyEncoding::Json => quote!(request.json_body(&self.body);),
        BodyEncoding::Form => quote!(request.form_body(&self.body);),
        BodyEncoding::Multipart => {
            let flat = body
                .flattened
                .as_ref()
                .expect("multipart bodies are objects");
            let TypeKind::Struct(s) = &api.types[flat.type_id.0].kind else {
                unreachable!()
            };
            let parts = s.fields.iter().map(|f| {
                let n = ident(&f.rust_name);
                let wire = &f.wire_name;
                match (&f.ty, f.is_option()) {
                    (Ty::Binary, false) => quote!(form.file(#wire, self.body.#n.clone());),
                    (Ty::Binary, true) => quote!(if let Some(part) = &self.body.#n { form.file(#wire, part.clone()); }),
                    (Ty::Vec(inner), opt) if **inner == Ty::Binary => {
                        let list = if opt { quote!(self.body.#n.iter().flatten()) } else { quote!(self.body.#n.iter()) };
                        quote!(for part in #list { form.file(#wire, part.clone()); })
                    }
                    _ => quote!(form.text(#wire, &self.body.#n);),
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
pub fn client_method(api: &Api, op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let inputs = inputs(api, op);
    let required: Vec<&Input> = inputs.iter().filter(|i| i.required).collect();
    let params = required.iter().map(|i| {
        let n = ident(&i.name);
        let a = &i.accept;
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
            .find(|(n, _)| n == level)
            .map(|(_, d)| d.as_str())
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
        parts.push(format!(
            "Arguments:\n{}",
            required
                .iter()
                .map(|i| format!(
                    "- `{}`: {}",
                    i.name.trim_start_matches("r#"),
                    first_line(&i.doc)
                ))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    if op.pagination.is_some() {
        parts.push(
            "A list operation: `.send()` returns one page, `.stream()` every item across pages."
                .into(),
        );
    }
    if let Some(t) = &op.twilio {
        let mut facts = Vec::new();
        if let Some(p) = &t.path_type {
            facts.push(format!("path type {}", docs::code(p)));
        }
        if let Some(m) = &t.mount_name {
            facts.push(format!("mounted as {}", docs::code(m)));
        }
        if let Some(c) = &t.class_name {
            facts.push(format!("class {}", docs::code(c)));
        }
        if let Some(p) = &t.parent {
            facts.push(format!("parent {}", docs::code(p)));
        }
        if !t.default_output_properties.is_empty() {
            facts.push(format!(
                "default output properties {}",
                t.default_output_properties
                    .iter()
                    .map(|p| docs::code(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !t.dependent_properties.is_empty() {
            facts.push(format!(
                "dependent properties {}",
                t.dependent_properties
                    .iter()
                    .map(|p| docs::code(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !facts.is_empty() {
            parts.push(format!("Twilio resource: {}.", facts.join("; ")));
        }
    }
    parts.join("\n\n")
}

fn first_line(text: &str) -> String {
    text.split("\n\n").next().unwrap_or("").replace('\n', " ")
}

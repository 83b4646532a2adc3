//! `src/mock.rs` (feature `test-util`): a typed rule per operation over the runtime's mock
//! transport, so a user's unit test answers this API in-process with its own types.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::operations::static_name;
use super::rust::{self, From};
use crate::model::{Api, BodyEncoding, Operation, Success};

pub(crate) fn emit(api: &Api) -> TokenStream {
    let rules = api.operations.iter().map(|op| rule(api, op));
    quote! {
        //! Typed mocks of every operation (feature `test-util`): no socket, no server, no
        //! sleeping. Rules match an operation (and, with `when`, its decoded request body);
        //! answers are the operation's own response type or any
        //! [`MockResponse`](sdk_runtime::mock::MockResponse); every request is recorded.
        //! Retries, pagination and body limits behave against it as against the API.

        #[allow(unused_imports, reason = "an API whose operations use no named type")]
        use crate::types;

        /// A mock of this API. Clones share rules and records.
        #[derive(Clone, Debug, Default)]
        pub struct Mock {
            http: sdk_runtime::mock::MockHttp,
        }

        impl Mock {
            /// A mock with no rules: a request no rule matches fails as a connection that
            /// was never made.
            pub fn new() -> Self {
                Self::default()
            }

            /// A builder of a client answered by this mock, without credentials and on a
            /// manual clock (retries wait no time); set anything else on it.
            pub fn client_builder(&self) -> sdk_runtime::ClientBuilder<crate::Client> {
                self.http.client_builder()
            }

            /// A client answered by this mock.
            pub fn client(&self) -> Result<crate::Client, sdk_runtime::Error> {
                self.client_builder().build()
            }

            /// The untyped mock underneath: rules for any request, and every request received.
            pub fn http(&self) -> &sdk_runtime::mock::MockHttp {
                &self.http
            }

            #(#rules)*
        }
    }
}

/// `on_<operation>`: the typed rule of one operation.
fn rule(api: &Api, op: &Operation) -> TokenStream {
    let name = format_ident!("on_{}", op.method_name.trim_start_matches("r#"));
    let stat = static_name(op);
    let (input, decode) = input(api, op);
    let (output, encode) = output(api, op);
    let doc = format!(
        " Rules for [`Client::{m}`](crate::Client::{m}) (`{} {}`).",
        op.method.as_str(),
        op.path,
        m = op.method_name.trim_start_matches("r#")
    );
    quote! {
        #[doc = #doc]
        pub fn #name(&self) -> sdk_runtime::mock::Typed<'_, #input, #output> {
            sdk_runtime::mock::Typed::new(
                self.http.on(&crate::operations::#stat),
                #decode,
                #encode,
            )
        }
    }
}

/// The request type a rule matches on, and how it is decoded from the request.
fn input(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
    match &op.body {
        Some(body) => {
            let ty = rust::ty(api, &body.ty, From::Elsewhere);
            match body.encoding {
                BodyEncoding::Json => (ty, quote!(sdk_runtime::mock::json_input)),
                BodyEncoding::Form => (ty, quote!(sdk_runtime::mock::form_input)),
                _ => (quote!(()), quote!(sdk_runtime::mock::no_input)),
            }
        }
        None => (quote!(()), quote!(sdk_runtime::mock::no_input)),
    }
}

/// The response type a rule answers with, and how it is encoded.
fn output(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
    match &op.success {
        Success::Json(ty) => (
            rust::ty(api, ty, From::Elsewhere),
            quote!(sdk_runtime::mock::json_answer),
        ),
        Success::Empty => (quote!(()), quote!(sdk_runtime::mock::empty_answer)),
        Success::Text => (quote!(String), quote!(sdk_runtime::mock::text_answer)),
        Success::Untyped | Success::ByStatus { .. } => (
            quote!(serde_json::Value),
            quote!(sdk_runtime::mock::json_answer),
        ),
    }
}

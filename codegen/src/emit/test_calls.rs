//! The SDK tests' driver: for each API, a function that calls any of its operations through
//! the generated client, with values a test supplies. Generated from the same model as the
//! crate, so a new operation in a spec is called by the wire and contract tests without a
//! hand edit. `cargo xtask regen` writes the modules into `generated/sdk-calls`.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{self, ident, From};
use crate::model::{Api, Input, InputSource, Operation, ParamLocation, Taken, Ty};

/// The driver module for one API.
pub(crate) fn module(api: &Api, spec_name: &str) -> TokenStream {
    let krate = ident(&api.crate_name);
    let calls = api.operations.iter().map(call_static);
    let arms: TokenStream = api.operations.iter().map(|op| arm(api, op)).collect();
    let types = rust::mentions_types(&arms).then(|| quote!(use #krate::types;));
    let operations = api
        .operations
        .iter()
        .any(|op| op.required_struct.is_some())
        .then(|| quote!(use #krate::operations;));
    let doc = format!(
        " Every operation of `{spec_name}`, called through `{}`.",
        api.crate_name
    );
    quote! {
        #![doc = #doc]
        #operations
        #types
        use crate::{Call, Input, Inputs, Place, Values};

        /// The operations, in spec order.
        pub static CALLS: &[Call] = &[#(#calls),*];

        impl crate::Driver for #krate::Client {
            async fn call(
                &self,
                operation: &Call,
                values: &impl Values,
                inputs: Inputs,
            ) -> Result<sdk_runtime::Metadata, sdk_runtime::Error> {
                call(self, operation, values, inputs).await
            }
        }

        /// Calls `call` through `client`: its required inputs always, its optional ones when
        /// `inputs` is [`Inputs::All`]. Returns the response's metadata once the body decoded.
        pub async fn call(
            client: &#krate::Client,
            call: &Call,
            values: &impl Values,
            inputs: Inputs,
        ) -> Result<sdk_runtime::Metadata, sdk_runtime::Error> {
            let all = inputs == Inputs::All;
            match call.operation {
                #arms
                other => Err(sdk_runtime::Error::Config(format!("no operation {other:?} in {}", #spec_name))),
            }
        }
    }
}

fn place(input: &Input) -> TokenStream {
    match &input.source {
        InputSource::Param(ParamLocation::Path) => quote!(Place::Path),
        InputSource::Param(ParamLocation::Query) => quote!(Place::Query),
        // The driver's places are the specs' in specs/, which have no cookie parameters.
        InputSource::Param(ParamLocation::Header | ParamLocation::Cookie) => quote!(Place::Header),
        InputSource::BodyField { .. } => quote!(Place::BodyField),
        InputSource::Body => quote!(Place::Body),
    }
}

fn call_static(op: &Operation) -> TokenStream {
    let id = &op.id;
    let inputs = op.inputs.iter().map(|i| {
        let name = i.name.trim_start_matches("r#");
        let wire = &i.wire_name;
        let place = place(i);
        quote!(Input::new(#name, #wire, #place))
    });
    quote! {
        Call {
            operation: #id,
            inputs: &[#(#inputs),*],
        }
    }
}

/// `values.value::<T>(call, &call.inputs[i])`, or a file part for binary inputs.
fn value(api: &Api, index: usize, input: &Input) -> TokenStream {
    let at = proc_macro2::Literal::usize_unsuffixed(index);
    match &input.ty {
        Ty::Binary => quote!(values.file(call, &call.inputs[#at])),
        Ty::Bytes => quote!(sdk_runtime::bytes::Bytes::from(
            values.value::<String>(call, &call.inputs[#at])
        )),
        Ty::Vec(item) if **item == Ty::Binary => {
            quote!(Vec::from([values.file(call, &call.inputs[#at])]))
        }
        ty => {
            let t = rust::ty(api, ty, From::Elsewhere);
            quote!(values.value::<#t>(call, &call.inputs[#at]))
        }
    }
}

fn arm(api: &Api, op: &Operation) -> TokenStream {
    let id = &op.id;
    let method = ident(&op.method_name);
    let indexed: Vec<(usize, &Input)> = op.inputs.iter().enumerate().collect();
    let mut args: Vec<TokenStream> = indexed
        .iter()
        .filter(|(_, i)| i.taken == Taken::Argument)
        .map(|(k, i)| value(api, *k, i))
        .collect();
    if let Some(s) = &op.required_struct {
        let s = ident(s);
        let fields = indexed
            .iter()
            .filter(|(_, i)| i.taken == Taken::Field)
            .map(|(k, i)| {
                let n = ident(&i.name);
                let v = value(api, *k, i);
                quote!(#n: #v)
            });
        args.push(quote!(operations::#s { #(#fields),* }));
    }
    let setters: Vec<TokenStream> = indexed
        .iter()
        .filter(|(_, i)| i.taken == Taken::Setter)
        .map(|(k, i)| {
            let n = ident(&i.name);
            let v = value(api, *k, i);
            quote!(request = request.#n(#v);)
        })
        .collect();
    let set_optional = (!setters.is_empty()).then(|| {
        quote! {
            if all {
                #(#setters)*
            }
        }
    });
    let binding = if setters.is_empty() {
        quote!(let request)
    } else {
        quote!(let mut request)
    };
    quote! {
        #id => {
            #binding = client.#method(#(#args),*);
            #set_optional
            Ok(request.send_with_metadata().await?.into_parts().1)
        }
    }
}

/// The driver crate's `lib.rs`: the shared types, and one module per API.
pub(crate) fn lib_rs(modules: &[&str]) -> TokenStream {
    let mods = modules.iter().map(|m| {
        let m = ident(m);
        quote!(pub mod #m;)
    });
    let traits = driver_traits();
    let tables = call_tables();
    quote! {
        //! Every operation of every SDK in this workspace, called through its generated client
        //! with values a test supplies: the driver of the wire and contract tests in
        //! `codegen/sdk-tests`. Generated from the specs by `cargo xtask regen`, so a new
        //! operation is tested without a hand edit.

        #(#mods)*

        #traits
        #tables
    }
}

/// What a test implements (`Values`) and what every SDK's client does for it (`Driver`).
fn driver_traits() -> TokenStream {
    quote! {
        /// Where the values of a call's inputs come from (in the tests: the spec itself).
        pub trait Values {
            /// A value for `input` of `call`, of the type the SDK takes.
            fn value<T: serde::de::DeserializeOwned>(&self, call: &Call, input: &Input) -> T;

            /// A file for a binary `input` of `call`.
            fn file(&self, call: &Call, input: &Input) -> sdk_runtime::FilePart;
        }

        /// Calls any operation of one SDK: implemented for each SDK's `Client`.
        pub trait Driver {
            /// Calls `operation`: its required inputs always, its optional ones when `inputs`
            /// is [`Inputs::All`]. Returns the response's metadata once the body decoded.
            fn call(
                &self,
                operation: &Call,
                values: &impl Values,
                inputs: Inputs,
            ) -> impl std::future::Future<Output = Result<sdk_runtime::Metadata, sdk_runtime::Error>>;
        }
    }
}

/// The types of the per-SDK call tables: an operation, its inputs and where they go.
fn call_tables() -> TokenStream {
    quote! {
        /// One operation of a spec, as the driver calls it. Where its inputs go on the wire
        /// is for the tests to take from the spec, not from here.
        #[derive(Debug)]
        pub struct Call {
            /// The operationId.
            pub operation: &'static str,
            /// Every input the builder takes, in order.
            pub inputs: &'static [Input],
        }

        /// One input of an operation.
        #[derive(Debug)]
        pub struct Input {
            /// Its name on the builder.
            pub name: &'static str,
            /// Its name on the wire (empty for a whole body).
            pub wire: &'static str,
            /// Which part of the spec its value comes from.
            pub place: Place,
        }

        impl Input {
            /// An input with these names and place: one line per input in the call tables.
            pub const fn new(name: &'static str, wire: &'static str, place: Place) -> Self {
                Input { name, wire, place }
            }
        }

        /// Where an input goes on the wire.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Place {
            /// A path parameter.
            Path,
            /// A query parameter.
            Query,
            /// A header parameter.
            Header,
            /// A field of the request body.
            BodyField,
            /// The whole request body.
            Body,
        }

        /// Which inputs a call sets.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Inputs {
            /// Every input the operation has.
            All,
            /// Only the required ones.
            RequiredOnly,
        }
    }
}

/// The driver crate's `Cargo.toml`.
pub(crate) fn manifest(header: &str, runtime_path: &str, packages: &[&str]) -> String {
    let mut out = format!("# {header}\n[package]\nname = \"sdk-calls\"\nversion = \"0.1.0\"\nedition = \"2024\"\nrust-version = \"{}\"\npublish = false\ndescription = \"Every operation of every SDK in this workspace, called with values a test supplies (the SDK tests' driver).\"\n\n[dependencies]\n", super::crate_files::RUST_VERSION);
    out.push_str(&format!(
        "{} = {{ path = {runtime_path:?} }}\n",
        super::crate_files::RUNTIME_PACKAGE
    ));
    for (name, spec) in super::crate_files::DEPENDENCIES {
        out.push_str(&format!("{name} = {spec}\n"));
    }
    for package in packages {
        out.push_str(&format!("{package} = {{ path = \"../{package}\" }}\n"));
    }
    out.push_str("\n[lints.rust]\nmissing_docs = \"warn\"\nunsafe_code = \"forbid\"\n");
    out
}

//! `client.rs`: the API's static description for the runtime, the `Client` type, its
//! constructors, and one method per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::operations::client_method;
use super::rust::path;
use crate::extensions::EnvCredentials;
use crate::model::{Api, AuthKind};

pub(crate) fn emit(api: &Api) -> TokenStream {
    let api_info = api_info(api);
    let methods: TokenStream = api
        .operations
        .iter()
        .map(|op| client_method(api, op))
        .collect();
    let title = format!(" A client for the {}.", docs::one_line(&api.product));
    let from_env_doc = docs::attrs(&format!(
        "Creates a client from the environment: {}\n\n# Errors\n\n[`Error::Config`](sdk_runtime::Error::Config) naming the variables, when none are set.",
        env_sentence(api)
    ));
    let imports = (!api.operations.is_empty()).then(|| {
        let types = super::rust::mentions_types(&methods).then(|| {
            quote!(
                use crate::types;
            )
        });
        quote!(use crate::operations; #types)
    });
    quote! {
        #imports

        #api_info

        #[doc = #title]
        ///
        /// Cheap to clone: clones share one connection pool, configuration and auth provider.
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: sdk_runtime::Client,
        }

        impl sdk_runtime::ApiClient for Client {
            const API: &'static sdk_runtime::ApiInfo = &API;

            fn from_runtime(client: sdk_runtime::Client, _: sdk_runtime::ClientToken) -> Self {
                Client { inner: client }
            }
        }

        impl Client {
            /// Creates a client with default settings (timeouts, retries, user agent) that
            /// authenticates with `auth`.
            ///
            /// # Panics
            ///
            /// When the TLS backend cannot be initialised; [`Client::builder`] returns that
            /// as an error instead.
            pub fn new(auth: impl sdk_runtime::AuthProvider) -> Self {
                Self::builder().auth(auth).build().unwrap_or_else(|e| panic!("{e}"))
            }

            #from_env_doc
            pub fn from_env() -> Result<Self, sdk_runtime::Error> {
                Self::builder().from_env()?.build()
            }

            /// A builder to set credentials, the base URL, HTTP client, timeouts, user agent
            /// and retry policy.
            pub fn builder() -> sdk_runtime::ClientBuilder<Self> {
                sdk_runtime::ClientBuilder::new()
            }

            /// The runtime client underneath: send a builder's `request()` yourself with
            /// [`execute`](sdk_runtime::Client::execute), for responses the spec does not type.
            pub fn runtime(&self) -> &sdk_runtime::Client {
                &self.inner
            }

            #methods
        }
    }
}

/// The `API` static: servers, auth scheme, credential sources, host rules.
fn api_info(api: &Api) -> TokenStream {
    let crate_name = &api.crate_name;
    let servers = &api.servers;
    let auth = match api.auth {
        AuthKind::None => quote!(None),
        AuthKind::Basic => quote!(Basic),
        AuthKind::Bearer => quote!(Bearer),
    };
    let conventions = &api.client.conventions;
    let env = match (&conventions.env, api.auth) {
        (_, AuthKind::None) => quote!(&[]),
        (EnvCredentials::Runtime { path: p, .. }, _) => {
            let p = path(p);
            quote!(#p)
        }
        (
            EnvCredentials::Vars {
                basic: (user, password),
                ..
            },
            AuthKind::Basic,
        ) => {
            quote!(&[sdk_runtime::EnvAuth::Basic { user: #user, password: #password }])
        }
        (EnvCredentials::Vars { bearer, .. }, AuthKind::Bearer) => {
            quote!(&[sdk_runtime::EnvAuth::Bearer { token: #bearer }])
        }
    };
    let hosts = match &conventions.hosts {
        Some(h) => {
            let p = path(h.path);
            quote!(Some(&#p))
        }
        None => quote!(None),
    };
    let request_id = match conventions.request_id_header {
        Some(p) => {
            let p = path(p);
            quote!(Some(#p))
        }
        None => quote!(None),
    };
    quote! {
        /// Servers, authentication and credential sources, as the spec declares them.
        pub(crate) static API: sdk_runtime::ApiInfo = sdk_runtime::ApiInfo {
            crate_name: #crate_name,
            crate_version: env!("CARGO_PKG_VERSION"),
            servers: &[#(#servers),*],
            auth: sdk_runtime::AuthScheme::#auth,
            env: #env,
            hosts: #hosts,
            request_id_header: #request_id,
        };
    }
}

/// What `from_env` reads, as Markdown.
pub(crate) fn env_sentence(api: &Api) -> String {
    let conventions = &api.client.conventions;
    let vars = |vars: &[&str]| {
        vars.iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let mut text = match (&conventions.env, api.auth) {
        (_, AuthKind::None) => "nothing: the API needs no credentials.".to_owned(),
        (EnvCredentials::Runtime { sources, .. }, _) => {
            let lines: Vec<String> = sources
                .iter()
                .map(|(v, what)| format!("- {} ({what})", vars(v)))
                .collect();
            format!(
                "the first of these that is set (empty counts as unset):\n\n{}",
                lines.join("\n")
            )
        }
        (EnvCredentials::Vars { basic: (u, p), .. }, AuthKind::Basic) => {
            format!("{} (HTTP basic authentication).", vars(&[u, p]))
        }
        (EnvCredentials::Vars { bearer, .. }, AuthKind::Bearer) => {
            format!("{} (a bearer token).", vars(&[bearer]))
        }
    };
    if let Some(h) = &conventions.hosts {
        text.push_str(&format!(
            "\n\n`{}` and `{}`, when set, pick {}'s regional host.",
            h.region_var, h.edge_var, api.client.vendor
        ));
    }
    text
}

//! `client.rs`: the `Client` type, its constructors, and one method per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::client_method;
use crate::model::{Api, AuthKind};

pub(crate) fn emit(api: &Api) -> TokenStream {
    let crate_name = &api.crate_name;
    let servers = &api.servers;
    let auth = match api.auth {
        AuthKind::None => quote!(None),
        AuthKind::Basic => quote!(Basic),
        AuthKind::Bearer => quote!(Bearer),
    };
    let conventions = &api.client.conventions;
    let (basic_user, basic_pass): (Vec<_>, Vec<_>) = conventions.basic_env.iter().cloned().unzip();
    let bearer_env = &conventions.bearer_env;
    let hosts = match &conventions.regional_hosts {
        Some((r, e)) => quote!(Some(sdk_runtime::TwilioHosts { region_var: #r, edge_var: #e })),
        None => quote!(None),
    };
    let env_doc = match api.auth {
        AuthKind::Basic => conventions
            .basic_env
            .iter()
            .map(|(u, p)| format!("`{u}` and `{p}`"))
            .collect::<Vec<_>>()
            .join(", or "),
        AuthKind::Bearer => bearer_env
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(" or "),
        AuthKind::None => "no credentials".into(),
    };
    let region_doc = match &conventions.regional_hosts {
        Some((r, e)) => format!(
            " `{r}` and `{e}`, when set, pick {}'s regional host.",
            api.client.vendor
        ),
        None => String::new(),
    };
    let from_env_doc = format!(" Creates a client from the environment: {env_doc}.{region_doc}");
    let methods = api.operations.iter().map(|op| client_method(api, op));
    let title = format!(
        " A client for the {} API.",
        super::docs::one_line(&api.title)
    );
    let imports = (!api.operations.is_empty()).then(|| {
        let types = api.operations.iter().any(uses_types).then(|| {
            quote!(
                use crate::types;
            )
        });
        quote!(use crate::operations; #types)
    });
    quote! {
        #imports

        /// Servers, authentication and credential sources, as the spec declares them.
        pub(crate) static API: sdk_runtime::ApiInfo = sdk_runtime::ApiInfo {
            crate_name: #crate_name,
            crate_version: env!("CARGO_PKG_VERSION"),
            servers: &[#(#servers),*],
            auth: sdk_runtime::AuthKind::#auth,
            env: sdk_runtime::EnvCredentials {
                basic: &[#((#basic_user, #basic_pass)),*],
                bearer: &[#(#bearer_env),*],
            },
            twilio_hosts: #hosts,
        };

        #[doc = #title]
        ///
        /// Cheap to clone: clones share one connection pool and configuration.
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: sdk_runtime::Client,
        }

        impl From<sdk_runtime::Client> for Client {
            fn from(inner: sdk_runtime::Client) -> Self {
                Client { inner }
            }
        }

        impl Client {
            /// Creates a client with default settings (timeouts, retries, user agent) and these credentials.
            pub fn new(credentials: sdk_runtime::Credentials) -> Self {
                Client { inner: sdk_runtime::Client::new(&API, credentials) }
            }

            #[doc = #from_env_doc]
            pub fn from_env() -> Result<Self, sdk_runtime::Error> {
                Self::builder().from_env()?.build()
            }

            /// A builder to set the base URL, HTTP client, timeouts, user agent and retry policy.
            pub fn builder() -> sdk_runtime::ClientBuilder<Self> {
                sdk_runtime::ClientBuilder::new(&API)
            }

            /// The runtime client underneath, for requests the spec does not describe.
            pub fn runtime(&self) -> &sdk_runtime::Client {
                &self.inner
            }

            #(#methods)*
        }
    }
}

/// Whether a client method names anything from `types` (a parameter of a generated type).
fn uses_types(op: &crate::model::Operation) -> bool {
    use crate::model::Ty;
    fn named(t: &Ty) -> bool {
        match t {
            Ty::Named(_) | Ty::Sid(_) => true,
            Ty::Vec(i) | Ty::Map(i) => named(i),
            _ => false,
        }
    }
    op.required_inputs().any(|i| named(&i.ty))
}

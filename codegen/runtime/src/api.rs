//! What a generated crate tells the runtime about its API: servers, auth scheme, where
//! credentials come from and host rules. Its operations are [`Operation`] statics.

use std::fmt;

use crate::auth::SharedAuth;
use crate::error::Error;
pub use crate::operation::{ErrorSchema, Operation};

/// Static description of one generated API crate.
#[derive(Clone, Copy, Debug)]
pub struct ApiInfo {
    /// The generated crate's name, e.g. `twilio_flex_v2`.
    pub crate_name: &'static str,
    /// The generated crate's version.
    pub crate_version: &'static str,
    /// The spec's server URLs; [`Operation::server`] indexes into this.
    pub servers: &'static [&'static str],
    /// The authentication scheme the spec declares.
    pub auth: AuthScheme,
    /// Where [`ClientBuilder::from_env`](crate::ClientBuilder::from_env) looks for
    /// credentials, in priority order.
    pub env: &'static [EnvAuth],
    /// The vendor's rules for picking a host (Twilio's regions and edges), if any.
    pub hosts: Option<&'static dyn HostResolver>,
    /// The response header carrying the vendor's request id, if it has its own.
    pub request_id_header: Option<&'static str>,
}

/// The authentication scheme an API's `securitySchemes` declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthScheme {
    /// No authentication.
    None,
    /// HTTP basic authentication.
    Basic,
    /// A bearer token.
    Bearer,
}

/// One place [`ClientBuilder::from_env`](crate::ClientBuilder::from_env) looks for
/// credentials.
#[derive(Clone, Copy)]
pub enum EnvAuth {
    /// Basic auth from two variables; used when both are set.
    Basic {
        /// The variable holding the user name.
        user: &'static str,
        /// The variable holding the password.
        password: &'static str,
    },
    /// A bearer token from one variable.
    Bearer {
        /// The variable holding the token.
        token: &'static str,
    },
    /// A provider that reads its own variables (an OAuth client, a JWT signer): `Ok(None)`
    /// when they are not set.
    Provider {
        /// The variables it reads, for error messages and docs.
        vars: &'static [&'static str],
        /// What it is, e.g. `OAuth client credentials`.
        what: &'static str,
        /// Builds the provider from the environment.
        read: fn() -> Result<Option<SharedAuth>, Error>,
    },
}

impl EnvAuth {
    /// The variables this source reads.
    pub fn vars(&self) -> Vec<&'static str> {
        match self {
            EnvAuth::Basic { user, password } => vec![user, password],
            EnvAuth::Bearer { token } => vec![token],
            EnvAuth::Provider { vars, .. } => vars.to_vec(),
        }
    }
}

impl fmt::Debug for EnvAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("EnvAuth").field(&self.vars()).finish()
    }
}

/// A vendor's rule for the host of a server: Twilio's `{product}.{edge}.{region}.twilio.com`.
///
/// A generated crate names the vendor's resolver in its [`ApiInfo`]; the client applies it
/// to every server when the user picks a region or an edge.
pub trait HostResolver: Send + Sync + fmt::Debug {
    /// The environment variables naming the region and the edge.
    fn env_vars(&self) -> (&'static str, &'static str);

    /// The server URL for a region and edge. Hosts the rule does not cover are returned
    /// unchanged. `Err` says why the URL cannot be rewritten.
    fn resolve(
        &self,
        server: &str,
        region: Option<&str>,
        edge: Option<&str>,
    ) -> Result<String, String>;
}

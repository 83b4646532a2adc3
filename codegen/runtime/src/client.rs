//! The client, its static API description and its configuration.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::HeaderValue;
use reqwest::Url;

use crate::credentials::Credentials;
use crate::error::Error;
use crate::request::{Operation, RequestBuilder};
use crate::retry::RetryPolicy;

/// The authentication scheme an API's `securitySchemes` declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthKind {
    /// No authentication.
    None,
    /// HTTP basic authentication.
    Basic,
    /// Bearer token.
    Bearer,
}

/// The environment variables [`ClientBuilder::from_env`] reads, in priority order.
#[derive(Clone, Copy, Debug)]
pub struct EnvCredentials {
    /// `(username, password)` variable pairs for basic auth; the first pair with
    /// both variables set wins.
    pub basic: &'static [(&'static str, &'static str)],
    /// Variables holding a bearer token; the first one set wins.
    pub bearer: &'static [&'static str],
}

/// The environment variables selecting a Twilio region and edge.
#[derive(Clone, Copy, Debug)]
pub struct TwilioHosts {
    /// The region variable, e.g. `TWILIO_REGION`.
    pub region_var: &'static str,
    /// The edge variable, e.g. `TWILIO_EDGE`.
    pub edge_var: &'static str,
}

/// Static description of one generated API crate.
#[derive(Clone, Copy, Debug)]
pub struct ApiInfo {
    /// The generated crate's name, e.g. `twilio_flex_v2`.
    pub crate_name: &'static str,
    /// The generated crate's version.
    pub crate_version: &'static str,
    /// The spec's server URLs; [`Operation::server`] indexes into this.
    pub servers: &'static [&'static str],
    /// The spec's authentication scheme.
    pub auth: AuthKind,
    /// Where [`ClientBuilder::from_env`] looks for credentials.
    pub env: EnvCredentials,
    /// `Some` for Twilio APIs, enabling region/edge host selection from the environment.
    pub twilio_hosts: Option<TwilioHosts>,
}

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A configured API client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) api: &'static ApiInfo,
    credentials: Option<Credentials>,
    /// Kept as a `Result` so [`Client::new`], which cannot fail, reports an
    /// unusable credential (say, a token with a newline) on the first request.
    pub(crate) auth_header: Result<Option<HeaderValue>, String>,
    pub(crate) user_agent: Result<HeaderValue, String>,
    servers: Vec<String>,
    pub(crate) http: reqwest::Client,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
}

impl Client {
    /// A client with default settings and the given credentials.
    ///
    /// # Panics
    ///
    /// Only where [`reqwest::Client::new`] panics: when the TLS backend cannot be
    /// initialised. Use [`ClientBuilder::build`] to get that as an error instead.
    /// Credentials that cannot be sent as a header are reported by the first request.
    pub fn new(api: &'static ApiInfo, credentials: Credentials) -> Client {
        let http = default_http_client(DEFAULT_CONNECT_TIMEOUT).expect("Client::new()");
        Client {
            inner: Arc::new(Inner {
                api,
                auth_header: auth_header(api.auth, Some(&credentials)),
                credentials: Some(credentials),
                user_agent: user_agent(api, None),
                servers: api
                    .servers
                    .iter()
                    .map(|s| s.trim_end_matches('/').to_owned())
                    .collect(),
                http,
                timeout: DEFAULT_TIMEOUT,
                retry: RetryPolicy::standard(),
            }),
        }
    }

    /// A builder for a client with non-default settings.
    pub fn builder(api: &'static ApiInfo) -> ClientBuilder {
        ClientBuilder::new(api)
    }

    /// The API this client talks to.
    pub fn api(&self) -> &'static ApiInfo {
        self.inner.api
    }

    /// Starts a request for `op`.
    pub fn request(&self, op: &'static Operation) -> RequestBuilder {
        RequestBuilder::new(self.clone(), op)
    }

    /// The effective URL of `servers[index]` after base URL, region and edge
    /// overrides, without a trailing slash.
    ///
    /// # Panics
    ///
    /// If `index` is not an index into [`ApiInfo::servers`].
    pub fn server_url(&self, index: usize) -> String {
        self.inner.servers[index].clone()
    }

    pub(crate) fn server(&self, index: usize) -> Option<&str> {
        self.inner.servers.get(index).map(String::as_str)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("api", &inner.api.crate_name)
            .field("servers", &inner.servers)
            .field("credentials", &inner.credentials)
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`], or a generated crate's wrapper `C` around one.
pub struct ClientBuilder<C = Client> {
    api: &'static ApiInfo,
    credentials: Option<Credentials>,
    host_override: Option<HostOverride>,
    region: Option<String>,
    edge: Option<String>,
    http: Option<reqwest::Client>,
    connect_timeout: Duration,
    timeout: Duration,
    user_agent: Option<String>,
    retry: RetryPolicy,
    _client: PhantomData<fn() -> C>,
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder with default settings and no credentials.
    pub fn new(api: &'static ApiInfo) -> Self {
        Self {
            api,
            credentials: None,
            host_override: None,
            region: None,
            edge: None,
            http: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            user_agent: None,
            retry: RetryPolicy::standard(),
            _client: PhantomData,
        }
    }

    /// Sets the credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Reads credentials (and, for Twilio, region and edge) from the environment.
    ///
    /// Credentials come from the first complete entry of [`ApiInfo::env`] for the
    /// API's [`AuthKind`]; empty variables count as unset. Region and edge are
    /// optional. Fails with [`Error::Config`] naming the variables it looked for.
    pub fn from_env(mut self) -> Result<Self, Error> {
        let env = &self.api.env;
        match self.api.auth {
            AuthKind::None => {}
            AuthKind::Basic => {
                let mut found = None;
                for (user_var, pass_var) in env.basic {
                    if let (Some(user), Some(pass)) = (env_var(user_var)?, env_var(pass_var)?) {
                        found = Some(Credentials::basic(user, pass));
                        break;
                    }
                }
                let looked_for = env
                    .basic
                    .iter()
                    .map(|(u, p)| format!("{u} and {p}"))
                    .collect::<Vec<_>>()
                    .join(", or ");
                self.credentials = Some(found.ok_or_else(|| {
                    Error::Config(format!(
                        "no basic-auth credentials in the environment: set {looked_for}"
                    ))
                })?);
            }
            AuthKind::Bearer => {
                let mut found = None;
                for var in env.bearer {
                    if let Some(token) = env_var(var)? {
                        found = Some(Credentials::bearer(token));
                        break;
                    }
                }
                self.credentials = Some(found.ok_or_else(|| {
                    Error::Config(format!(
                        "no bearer token in the environment: set {}",
                        env.bearer.join(" or ")
                    ))
                })?);
            }
        }
        if let Some(hosts) = self.api.twilio_hosts {
            if let Some(region) = env_var(hosts.region_var)? {
                self.region = Some(region);
            }
            if let Some(edge) = env_var(hosts.edge_var)? {
                self.edge = Some(edge);
            }
        }
        Ok(self)
    }

    /// Sends every request to `url` instead of the spec's hosts (a proxy, a mock
    /// server). Replaces scheme, host and port of every server; the server's path
    /// (e.g. `/v1`) is kept, after any path `url` has. Takes precedence over
    /// [`region`](Self::region) and [`edge`](Self::edge). Validated by [`build`](Self::build).
    /// Replaces an earlier [`server_url`](Self::server_url).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.host_override = Some(HostOverride::KeepServerPath(url.into()));
        self
    }

    /// Sends every request to exactly `url`: scheme, host, port *and* path replace
    /// every spec server, whose path (e.g. `/v1`) is dropped. For mock servers that
    /// serve a spec's paths at their root, such as Prism. Takes precedence over
    /// [`region`](Self::region) and [`edge`](Self::edge). Validated by [`build`](Self::build).
    /// Replaces an earlier [`base_url`](Self::base_url).
    pub fn server_url(mut self, url: impl Into<String>) -> Self {
        self.host_override = Some(HostOverride::ReplaceServer(url.into()));
        self
    }

    /// Selects a Twilio region, e.g. `au1` (hosts ending in `.twilio.com` only).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Selects a Twilio edge location, e.g. `sydney`; implies region `us1` if none is set.
    pub fn edge(mut self, edge: impl Into<String>) -> Self {
        self.edge = Some(edge.into());
        self
    }

    /// Uses a caller-configured reqwest client. Its connection settings (including
    /// connect timeout) are then the caller's; [`timeout`](Self::timeout) still applies.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Timeout for establishing a connection; default 10 s.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// Total timeout of one attempt, including reading the body; default 60 s.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// The `User-Agent` header; default `<crate_name>/<crate_version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The retry policy; default [`RetryPolicy::standard`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`Error::Config`] for a bad base URL or server URL, missing or
    /// unusable credentials, a bad user agent, or a reqwest client that cannot be built.
    pub fn build(self) -> Result<C, Error> {
        let api = self.api;
        if api.auth != AuthKind::None && self.credentials.is_none() {
            return Err(Error::Config(format!(
                "{} requires credentials: call credentials() or from_env()",
                api.crate_name
            )));
        }
        let auth_header = auth_header(api.auth, self.credentials.as_ref());
        auth_header.clone().map_err(Error::Config)?;
        let user_agent = user_agent(api, self.user_agent.as_deref());
        user_agent.clone().map_err(Error::Config)?;
        let servers = match &self.host_override {
            Some(HostOverride::ReplaceServer(url)) => {
                let url = parse_base_url(url)?;
                let url = url.as_str().trim_end_matches('/');
                vec![url.to_owned(); api.servers.len()]
            }
            Some(HostOverride::KeepServerPath(url)) => {
                let base_url = parse_base_url(url)?;
                api.servers
                    .iter()
                    .map(|server| effective_server(server, Some(&base_url), None, None))
                    .collect::<Result<_, _>>()?
            }
            None => api
                .servers
                .iter()
                .map(|server| {
                    effective_server(server, None, self.region.as_deref(), self.edge.as_deref())
                })
                .collect::<Result<_, _>>()?,
        };
        let http = match self.http {
            Some(http) => http,
            None => default_http_client(self.connect_timeout)
                .map_err(|e| Error::Config(format!("cannot build HTTP client: {e}")))?,
        };
        Ok(C::from(Client {
            inner: Arc::new(Inner {
                api,
                credentials: self.credentials,
                auth_header,
                user_agent,
                servers,
                http,
                timeout: self.timeout,
                retry: self.retry,
            }),
        }))
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api", &self.api.crate_name)
            .field("credentials", &self.credentials)
            .field("host_override", &self.host_override)
            .field("region", &self.region)
            .field("edge", &self.edge)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Where [`ClientBuilder::base_url`] or [`ClientBuilder::server_url`] sends requests.
#[derive(Debug)]
enum HostOverride {
    KeepServerPath(String),
    ReplaceServer(String),
}

fn default_http_client(connect_timeout: Duration) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .use_rustls_tls()
        .connect_timeout(connect_timeout)
        .build()
}

/// Reads an environment variable; unset and empty are the same, since an empty
/// credential is never meant.
fn env_var(name: &str) -> Result<Option<String>, Error> {
    match std::env::var(name) {
        Ok(v) if v.is_empty() => Ok(None),
        Ok(v) => Ok(Some(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::Config(format!(
            "environment variable {name} is not valid UTF-8"
        ))),
    }
}

fn auth_header(
    auth: AuthKind,
    credentials: Option<&Credentials>,
) -> Result<Option<HeaderValue>, String> {
    if auth == AuthKind::None {
        return Ok(None);
    }
    let value = match credentials {
        None => return Ok(None),
        Some(Credentials::Basic { username, password }) => {
            let pair = format!("{username}:{}", password.expose());
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            )
        }
        Some(Credentials::Bearer(token)) => format!("Bearer {}", token.expose()),
    };
    // The error deliberately does not echo the value: it holds the secret.
    let mut value = HeaderValue::from_str(&value)
        .map_err(|_| "credentials contain characters not allowed in an HTTP header".to_owned())?;
    value.set_sensitive(true);
    Ok(Some(value))
}

fn user_agent(api: &ApiInfo, custom: Option<&str>) -> Result<HeaderValue, String> {
    let ua = match custom {
        Some(ua) => ua.to_owned(),
        None => format!("{}/{}", api.crate_name, api.crate_version),
    };
    HeaderValue::from_str(&ua).map_err(|_| format!("invalid user agent {ua:?}"))
}

fn parse_base_url(raw: &str) -> Result<Url, Error> {
    let bad = |why: &str| Error::Config(format!("invalid base URL {raw:?}: {why}"));
    let url = Url::parse(raw).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("scheme must be http or https"));
    }
    if url.host_str().is_none() {
        return Err(bad("no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "credentials belong in ClientBuilder::credentials, not the URL",
        ));
    }
    Ok(url)
}

fn effective_server(
    server: &str,
    base_url: Option<&Url>,
    region: Option<&str>,
    edge: Option<&str>,
) -> Result<String, Error> {
    let bad = |e: String| Error::Config(format!("invalid server URL {server:?}: {e}"));
    if let Some(base) = base_url {
        // Relative server URLs (allowed by OpenAPI) are just a path prefix.
        let server_url;
        let path = if server.starts_with('/') {
            server
        } else {
            server_url = Url::parse(server).map_err(|e| bad(e.to_string()))?;
            server_url.path()
        };
        let mut url = base.clone();
        url.set_path(&format!("{}{}", base.path().trim_end_matches('/'), path));
        return Ok(url.as_str().trim_end_matches('/').to_owned());
    }
    if region.is_none() && edge.is_none() {
        return Ok(server.trim_end_matches('/').to_owned());
    }
    let mut url = Url::parse(server).map_err(|e| bad(e.to_string()))?;
    if let Some(host) = url.host_str().and_then(|h| twilio_host(h, region, edge)) {
        url.set_host(Some(&host)).map_err(|e| bad(e.to_string()))?;
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Twilio's regional host rule: `{product}[.{edge}][.{region}].twilio.com`.
///
/// Mirrors Twilio's official SDKs, including keeping an edge or region already in
/// the host unless overridden, and defaulting the region to `us1` when only an
/// edge is given (edges are only reachable through a region). Returns `None` for
/// non-Twilio hosts.
pub(crate) fn twilio_host(host: &str, region: Option<&str>, edge: Option<&str>) -> Option<String> {
    let prefix = host.strip_suffix(".twilio.com")?;
    let mut pieces = prefix.split('.');
    let product = pieces.next()?;
    let rest: Vec<&str> = pieces.collect();
    let (host_edge, host_region) = match rest.as_slice() {
        [region] => (None, Some(*region)),
        [edge, region] => (Some(*edge), Some(*region)),
        _ => (None, None),
    };
    let edge = edge.or(host_edge);
    let region = region.or(host_region).or(edge.map(|_| "us1"));
    let mut out = String::from(product);
    for piece in [edge, region].into_iter().flatten() {
        out.push('.');
        out.push_str(piece);
    }
    out.push_str(".twilio.com");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::twilio_host;

    #[test]
    fn twilio_host_rules() {
        let h = "flex-api.twilio.com";
        assert_eq!(twilio_host(h, None, None).unwrap(), h);
        assert_eq!(
            twilio_host(h, Some("au1"), Some("sydney")).unwrap(),
            "flex-api.sydney.au1.twilio.com"
        );
        assert_eq!(
            twilio_host(h, None, Some("dublin")).unwrap(),
            "flex-api.dublin.us1.twilio.com"
        );
        assert_eq!(
            twilio_host(h, Some("ie1"), None).unwrap(),
            "flex-api.ie1.twilio.com"
        );
        assert_eq!(
            twilio_host("api.dublin.ie1.twilio.com", Some("au1"), None).unwrap(),
            "api.dublin.au1.twilio.com"
        );
        assert_eq!(twilio_host("api2.frontapp.com", Some("au1"), None), None);
        assert_eq!(twilio_host("eviltwilio.com", Some("au1"), None), None);
    }
}

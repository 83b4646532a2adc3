//! The client: its configuration and the builder that makes it; a call from start to end
//! is in `send.rs`, on top of the transport, [`retry`](crate::retry) and
//! [`auth`].

mod events;
mod interceptor;
mod options;
mod send;
mod streaming;
mod telemetry;

pub use events::{Event, EventStream, DEFAULT_MAX_EVENT_SIZE};
pub use interceptor::{Interceptor, InterceptorError, RequestContext, ResponseContext};
pub use options::CallOptions;
pub use streaming::Streaming;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::Url;

use crate::api::{ApiInfo, AuthScheme, EnvAuth};
use crate::auth::{self, AuthProvider, Basic, Bearer, SharedAuth};
use crate::error::Error;
use crate::retry::{RetryBudget, RetryPolicy};
use crate::time::{Timer, TokioTimer};
use crate::transport::{
    HttpClient, Limits, ReqwestClient, DEFAULT_BODY_LIMIT, DEFAULT_ERROR_BODY_LIMIT,
    DEFAULT_MAX_REDIRECTS,
};

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A generated crate's client: a thin wrapper around [`Client`] for one API.
///
/// Only the runtime creates one (through [`ClientBuilder::build`]), for the API its
/// generated crate declares, so a client of one API never becomes a client of another.
pub trait ApiClient: Sized {
    /// The API this client calls.
    const API: &'static ApiInfo;

    /// Wraps a runtime client built for [`Self::API`]. Not callable outside the runtime:
    /// nothing else can make a [`ClientToken`].
    #[doc(hidden)]
    fn from_runtime(client: Client, token: ClientToken) -> Self;
}

/// Proof that the runtime built the client; see [`ApiClient::from_runtime`].
#[doc(hidden)]
#[derive(Debug)]
pub struct ClientToken(());

/// A configured API client. Cheap to clone: clones share one connection pool, auth
/// provider (and so its token cache) and configuration.
#[derive(Clone)]
pub struct Client {
    pub(crate) config: Arc<Config>,
}

pub(crate) struct Config {
    pub(crate) api: &'static ApiInfo,
    pub(crate) auth: SharedAuth,
    /// The names of the headers a fixed provider adds, to leave behind on a redirect to
    /// another origin (empty for a provider asked per attempt).
    pub(crate) fixed_credentials: Vec<reqwest::header::HeaderName>,
    pub(crate) servers: Vec<String>,
    /// What picked the servers, to pick them again for another API of the vendor.
    hosts: HostChoice,
    /// A user agent the caller set (else each API's own).
    custom_user_agent: Option<HeaderValue>,
    pub(crate) http: Arc<dyn HttpClient>,
    pub(crate) limits: Limits,
    pub(crate) call_timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) retry_budget: RetryBudget,
    pub(crate) pages: PageLimits,
    pub(crate) interceptors: Vec<Arc<dyn Interceptor>>,
    pub(crate) timer: Arc<dyn Timer>,
    pub(crate) user_agent: HeaderValue,
}

/// Base URL, region and edge as the caller chose them.
#[derive(Clone, Debug, Default)]
struct HostChoice {
    host_override: Option<HostOverride>,
    region: Option<String>,
    edge: Option<String>,
}

impl Client {
    /// A client of another API of the same vendor (`twilio_flex_v2::Client` from a
    /// `twilio_flex_v1` one) that shares this one's connection pool, credentials (and so
    /// their token cache), retry budget, clock, interceptors, limits and host choice (base
    /// URL, region, edge); only the API's own servers and user agent differ. Fails with
    /// [`Error::Config`] for an API that reads its credentials from other places (another
    /// vendor), whose credentials these cannot be.
    ///
    /// ```
    /// # use sdk_runtime::{ApiClient, ApiInfo, AuthScheme, Client, ClientBuilder, ClientToken};
    /// # use sdk_runtime::extensions::twilio;
    /// # macro_rules! api { ($api:ident, $client:ident, $server:literal) => {
    /// #     static $api: ApiInfo = ApiInfo { crate_name: stringify!($api), crate_version: "1",
    /// #         servers: &[$server], auth: AuthScheme::Basic, env: twilio::ENV_AUTH,
    /// #         hosts: Some(&twilio::REGIONAL_HOSTS), request_id_header: None };
    /// #     struct $client(Client);
    /// #     impl ApiClient for $client { const API: &'static ApiInfo = &$api;
    /// #         fn from_runtime(c: Client, _: ClientToken) -> Self { $client(c) } }
    /// # } }
    /// # api!(FLEX_V1, FlexV1, "https://flex-api.twilio.com/v1");
    /// # api!(FLEX_V2, FlexV2, "https://flex-api.twilio.com/v2");
    /// # fn main() -> Result<(), sdk_runtime::Error> {
    /// // In an application: twilio_flex_v1::Client and twilio_flex_v2::Client.
    /// let FlexV1(v1) = ClientBuilder::<FlexV1>::new().basic_auth("AC…", "token").region("au1").build()?;
    /// let FlexV2(v2) = v1.share::<FlexV2>()?;
    /// assert_eq!(v2.server_url(0), Some("https://flex-api.au1.twilio.com/v2"));
    /// # Ok(()) }
    /// ```
    pub fn share<C: ApiClient>(&self) -> Result<C, Error> {
        let c = &self.config;
        let api = C::API;
        // The same vendor reads the same variables; addresses of the lists would not do, as
        // the compiler may give each crate its own copy.
        let sources = |api: &ApiInfo| api.env.iter().map(EnvAuth::vars).collect::<Vec<_>>();
        let same_credentials = sources(c.api) == sources(api) && c.api.auth == api.auth;
        if !same_credentials && api.auth != AuthScheme::None {
            return Err(Error::Config(format!(
                "{} reads its credentials elsewhere than {}: build its own client",
                api.crate_name, c.api.crate_name
            )));
        }
        let hosts = &c.hosts;
        let servers = servers(
            api,
            hosts.host_override.as_ref(),
            hosts.region.as_deref(),
            hosts.edge.as_deref(),
        )?;
        let user_agent = match &c.custom_user_agent {
            Some(custom) => custom.clone(),
            None => default_user_agent(api)?,
        };
        let config = Config {
            api,
            auth: c.auth.clone(),
            fixed_credentials: c.fixed_credentials.clone(),
            servers,
            hosts: hosts.clone(),
            custom_user_agent: c.custom_user_agent.clone(),
            http: c.http.clone(),
            limits: c.limits.clone(),
            call_timeout: c.call_timeout,
            retry: c.retry.clone(),
            retry_budget: c.retry_budget.clone(),
            pages: c.pages,
            interceptors: c.interceptors.clone(),
            timer: c.timer.clone(),
            user_agent,
        };
        let client = Client {
            config: Arc::new(config),
        };
        Ok(C::from_runtime(client, ClientToken(())))
    }

    /// The API this client talks to.
    pub fn api(&self) -> &'static ApiInfo {
        self.config.api
    }

    /// The effective URL of `servers[index]` after base URL, region and edge
    /// overrides, without a trailing slash.
    pub fn server_url(&self, index: usize) -> Option<&str> {
        self.config.servers.get(index).map(String::as_str)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.config;
        f.debug_struct("Client")
            .field("api", &c.api.crate_name)
            .field("servers", &c.servers)
            .field("auth", &c.auth)
            .field("limits", &c.limits)
            .field("call_timeout", &c.call_timeout)
            .field("retry", &c.retry)
            .field("retry_budget", &c.retry_budget)
            .field("pages", &c.pages)
            .field("interceptors", &c.interceptors)
            .finish_non_exhaustive()
    }
}

/// What bounds a listing ([`pagination`](crate::pagination)); set with [`ClientBuilder`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct PageLimits {
    pub(crate) max_pages: u32,
    pub(crate) max_empty_pages: u32,
}

impl Default for PageLimits {
    fn default() -> Self {
        PageLimits {
            max_pages: 100_000,
            max_empty_pages: 5,
        }
    }
}

/// Configures a generated crate's client `C`.
pub struct ClientBuilder<C> {
    api: &'static ApiInfo,
    auth: Option<SharedAuth>,
    host_override: Option<HostOverride>,
    region: Option<String>,
    edge: Option<String>,
    http: Option<Arc<dyn HttpClient>>,
    connect_timeout: Duration,
    limits: Limits,
    call_timeout: Option<Duration>,
    user_agent: Option<String>,
    retry: RetryPolicy,
    retry_budget: Option<RetryBudget>,
    pages: PageLimits,
    interceptors: Vec<Arc<dyn Interceptor>>,
    timer: Arc<dyn Timer>,
    _client: PhantomData<fn() -> C>,
}

impl<C: ApiClient> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: ApiClient> ClientBuilder<C> {
    /// A builder with default settings and no credentials.
    pub fn new() -> Self {
        Self {
            api: C::API,
            auth: None,
            host_override: None,
            region: None,
            edge: None,
            http: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            limits: Limits {
                body: DEFAULT_BODY_LIMIT,
                error_body: DEFAULT_ERROR_BODY_LIMIT,
                max_redirects: DEFAULT_MAX_REDIRECTS,
                attempt_timeout: DEFAULT_TIMEOUT,
            },
            call_timeout: None,
            user_agent: None,
            retry: RetryPolicy::standard(),
            retry_budget: None,
            pages: PageLimits::default(),
            interceptors: Vec::new(),
            timer: Arc::new(TokioTimer),
            _client: PhantomData,
        }
    }

    /// Authenticates with `provider` (asked before every attempt).
    pub fn auth(self, provider: impl AuthProvider) -> Self {
        self.shared_auth(Arc::new(provider))
    }

    /// Authenticates with a provider shared with other clients (one token cache for all).
    pub fn shared_auth(mut self, provider: SharedAuth) -> Self {
        self.auth = Some(provider);
        self
    }

    /// HTTP basic authentication.
    pub fn basic_auth(
        self,
        username: impl Into<String>,
        password: impl Into<auth::Secret>,
    ) -> Self {
        self.auth(Basic::new(username, password))
    }

    /// A fixed bearer token.
    pub fn bearer_auth(self, token: impl Into<auth::Secret>) -> Self {
        self.auth(Bearer::new(token))
    }

    /// Reads credentials (and the host selection, where the API has one) from the
    /// environment: the first of the API's sources whose variables are all set wins
    /// (empty counts as unset). Fails with [`Error::Config`] naming the variables it
    /// looked for.
    pub fn from_env(mut self) -> Result<Self, Error> {
        if self.api.auth != AuthScheme::None || !self.api.env.is_empty() {
            self.auth = Some(auth_from_env(self.api)?);
        }
        if let Some(hosts) = self.api.hosts {
            let (region_var, edge_var) = hosts.env_vars();
            if let Some(region) = auth::env_var(region_var)? {
                self.region = Some(region);
            }
            if let Some(edge) = auth::env_var(edge_var)? {
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

    /// Selects a region (Twilio: e.g. `au1`), for APIs whose vendor has regional hosts.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Selects an edge location (Twilio: e.g. `sydney`), for APIs whose vendor has them.
    pub fn edge(mut self, edge: impl Into<String>) -> Self {
        self.edge = Some(edge.into());
        self
    }

    /// Uses a caller-configured reqwest client (proxies, TLS roots, pool sizes). Its
    /// connection settings, including the connect timeout, are then the caller's;
    /// [`timeout`](Self::timeout) still applies to each attempt. Build it from
    /// [`transport::reqwest_builder`](crate::transport::reqwest_builder), which sets the TLS
    /// provider and turns reqwest's own redirects off (this client follows them by its rules,
    /// see [`max_redirects`](Self::max_redirects)).
    pub fn http_client(self, client: reqwest::Client) -> Self {
        self.transport(ReqwestClient::new(client))
    }

    /// Sends every request through `transport` instead of reqwest: a mock in tests
    /// (`sdk_runtime::mock`, feature `test-util`), a recorder, or a wrapper around
    /// [`ReqwestClient`] (a tower stack, a circuit breaker). The client's timeouts, limits,
    /// redirects, retries and credentials all still apply around it; the connect timeout
    /// is then the transport's.
    pub fn transport(mut self, transport: impl HttpClient) -> Self {
        self.http = Some(Arc::new(transport));
        self
    }

    /// Timeout for establishing a connection; default 10 s.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// Total timeout of one attempt, from connecting to the body's last byte; default 60 s.
    /// A server that accepts the connection and never answers fails the attempt with
    /// [`Error::Timeout`] after it.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.limits.attempt_timeout = d;
        self
    }

    /// Timeout of a whole call, retries and the waits between them included; default none
    /// (a call is then bounded by its attempts' timeouts and the retry policy's
    /// [`max_elapsed`](RetryPolicy::max_elapsed)). Past it the call ends with
    /// [`Error::Timeout`]. Needs a tokio runtime with its timer, as reqwest does.
    pub fn call_timeout(mut self, d: Duration) -> Self {
        self.call_timeout = Some(d);
        self
    }

    /// The largest 2xx response body read into memory, in bytes; default 64 MiB. A larger
    /// one fails the call with [`Error::BodyTooLarge`] (a `Content-Length` over the limit
    /// before a byte is read) and drops the connection. `u64::MAX` lifts the limit.
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.limits.body = bytes;
        self
    }

    /// The largest body of a non-2xx response read, in bytes; default 8 MiB. A larger one
    /// fails the call with [`Error::BodyTooLarge`] instead of [`Error::Api`].
    pub fn max_error_body_size(mut self, bytes: u64) -> Self {
        self.limits.error_body = bytes;
        self
    }

    /// Redirects followed per attempt; default 5, `0` follows none (a 3xx is then an
    /// [`Error::Api`]). Whatever the number, a redirect from `https` to `http` is refused
    /// with [`Error::Redirect`], and credentials (`Authorization`, cookies, and every
    /// header the auth provider set) never go to another origin.
    pub fn max_redirects(mut self, hops: u8) -> Self {
        self.limits.max_redirects = hops;
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

    /// The budget retries draw from; default a new [`RetryBudget::standard`] per built
    /// client, shared by its clones. Pass a clone of one budget to several builders to
    /// make their clients share it.
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.retry_budget = Some(budget);
        self
    }

    /// The most pages one listing fetches before it ends with [`Error::Pagination`];
    /// default 100,000.
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.pages.max_pages = pages;
        self
    }

    /// The most empty pages in a row that still link to a next page before a listing ends
    /// with [`Error::Pagination`]; default 5.
    pub fn max_empty_pages(mut self, pages: u32) -> Self {
        self.pages.max_empty_pages = pages;
        self
    }

    /// Adds an [`Interceptor`], run in every attempt after those added before it.
    pub fn interceptor(mut self, interceptor: impl Interceptor) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// The clock and sleep used for retries, `Retry-After` dates and token expiry; default
    /// the system clock and tokio's timer. Tests can use a
    /// [`ManualTimer`](crate::time::ManualTimer).
    pub fn timer(mut self, timer: impl Timer) -> Self {
        self.timer = Arc::new(timer);
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`Error::Config`] for a bad base URL or server URL, missing
    /// credentials, a bad user agent, a region or edge for an API without regional
    /// hosts, or a reqwest client that cannot be built.
    pub fn build(self) -> Result<C, Error> {
        let api = self.api;
        let auth = match self.auth {
            Some(auth) => auth,
            None if api.auth == AuthScheme::None => Arc::new(auth::NoAuth),
            None => {
                return Err(Error::Config(format!(
                "{} requires credentials: call auth(), basic_auth(), bearer_auth() or from_env()",
                api.crate_name
            )))
            }
        };
        let custom_user_agent = match &self.user_agent {
            Some(ua) => Some(
                HeaderValue::from_str(ua)
                    .map_err(|_| Error::Config(format!("invalid user agent {ua:?}")))?,
            ),
            None => None,
        };
        let user_agent = match &custom_user_agent {
            Some(custom) => custom.clone(),
            None => default_user_agent(api)?,
        };
        let servers = servers(
            api,
            self.host_override.as_ref(),
            self.region.as_deref(),
            self.edge.as_deref(),
        )?;
        let http = match self.http {
            Some(http) => http,
            None => Arc::new(
                ReqwestClient::with_connect_timeout(self.connect_timeout)
                    .map_err(|e| Error::Config(format!("cannot build HTTP client: {e}")))?,
            ),
        };
        let hosts = HostChoice {
            host_override: self.host_override,
            region: self.region,
            edge: self.edge,
        };
        let client = Client {
            config: Arc::new(Config {
                api,
                fixed_credentials: fixed_credentials(&*auth),
                auth,
                servers,
                hosts,
                custom_user_agent,
                http,
                limits: self.limits,
                call_timeout: self.call_timeout,
                retry: self.retry,
                retry_budget: self.retry_budget.unwrap_or_default(),
                pages: self.pages,
                interceptors: self.interceptors,
                timer: self.timer,
                user_agent,
            }),
        };
        Ok(C::from_runtime(client, ClientToken(())))
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api", &self.api.crate_name)
            .field("auth", &self.auth)
            .field("host_override", &self.host_override)
            .field("region", &self.region)
            .field("edge", &self.edge)
            .field("limits", &self.limits)
            .field("call_timeout", &self.call_timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// The names of the headers `auth` adds, when they are the same for every request.
fn fixed_credentials(auth: &dyn AuthProvider) -> Vec<reqwest::header::HeaderName> {
    match auth.fixed_headers() {
        Some(Ok(fixed)) => fixed.iter().map(|(name, _)| name.clone()).collect(),
        _ => Vec::new(),
    }
}

/// `<crate_name>/<crate_version>`.
fn default_user_agent(api: &ApiInfo) -> Result<HeaderValue, Error> {
    let ua = format!("{}/{}", api.crate_name, api.crate_version);
    HeaderValue::from_str(&ua).map_err(|_| Error::Config(format!("invalid user agent {ua:?}")))
}

/// Where [`ClientBuilder::base_url`] or [`ClientBuilder::server_url`] sends requests.
#[derive(Clone, Debug)]
enum HostOverride {
    KeepServerPath(String),
    ReplaceServer(String),
}

/// The first of the API's environment sources that is complete.
fn auth_from_env(api: &ApiInfo) -> Result<SharedAuth, Error> {
    for source in api.env {
        match source {
            EnvAuth::Basic { user, password } => {
                if let Some((u, p)) = auth::env_pair(user, password)? {
                    return Ok(Arc::new(Basic::new(u, p)));
                }
            }
            EnvAuth::Bearer { token } => {
                if let Some(t) = auth::env_var(token)? {
                    return Ok(Arc::new(Bearer::new(t)));
                }
            }
            EnvAuth::Provider { read, .. } => {
                if let Some(provider) = read()? {
                    return Ok(provider);
                }
            }
        }
    }
    let looked_for: Vec<String> = api
        .env
        .iter()
        .map(|s| match s {
            EnvAuth::Provider { what, vars, .. } => format!("{} ({what})", vars.join(" and ")),
            other => other.vars().join(" and "),
        })
        .collect();
    Err(Error::Config(if looked_for.is_empty() {
        format!(
            "{} reads no credentials from the environment: call auth() instead",
            api.crate_name
        )
    } else {
        format!(
            "no credentials in the environment: set {}",
            looked_for.join(", or ")
        )
    }))
}

/// Every server URL after the overrides, without trailing slashes.
fn servers(
    api: &ApiInfo,
    host_override: Option<&HostOverride>,
    region: Option<&str>,
    edge: Option<&str>,
) -> Result<Vec<String>, Error> {
    let bad =
        |server: &str, e: String| Error::Config(format!("invalid server URL {server:?}: {e}"));
    match host_override {
        Some(HostOverride::ReplaceServer(url)) => {
            let url = parse_base_url(url)?;
            let url = url.as_str().trim_end_matches('/');
            Ok(vec![url.to_owned(); api.servers.len()])
        }
        Some(HostOverride::KeepServerPath(url)) => {
            let base = parse_base_url(url)?;
            api.servers
                .iter()
                .map(|server| {
                    // Relative server URLs (allowed by OpenAPI) are just a path prefix.
                    let server_url;
                    let path = if server.starts_with('/') {
                        *server
                    } else {
                        server_url = Url::parse(server).map_err(|e| bad(server, e.to_string()))?;
                        server_url.path()
                    };
                    let mut url = base.clone();
                    url.set_path(&format!("{}{}", base.path().trim_end_matches('/'), path));
                    Ok(url.as_str().trim_end_matches('/').to_owned())
                })
                .collect()
        }
        None if region.is_none() && edge.is_none() => Ok(api
            .servers
            .iter()
            .map(|s| s.trim_end_matches('/').to_owned())
            .collect()),
        None => {
            let Some(hosts) = api.hosts else {
                return Err(Error::Config(format!(
                    "{} has no regional hosts: region() and edge() do not apply",
                    api.crate_name
                )));
            };
            api.servers
                .iter()
                .map(|server| {
                    hosts
                        .resolve(server, region, edge)
                        .map(|s| s.trim_end_matches('/').to_owned())
                        .map_err(|e| bad(server, e))
                })
                .collect()
        }
    }
}

fn parse_base_url(raw: &str) -> Result<Url, Error> {
    let bad = |why: &str| {
        Error::Config(format!(
            "invalid base URL {:?}: {why}",
            without_credentials(raw)
        ))
    };
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
            "credentials belong in ClientBuilder::auth, not the URL",
        ));
    }
    Ok(url)
}

/// `raw` with any `user:password@` replaced by `***@`, for error messages: the URL is
/// rejected because it holds credentials, and may not even parse. The userinfo ends at the
/// last `@` before any `?` or `#`, so a password holding `/` (which breaks the parse) is
/// hidden too; a path with an `@` in it is hidden with it, which costs only detail.
fn without_credentials(raw: &str) -> String {
    let start = raw.find("://").map_or(0, |i| i + 3);
    let end = raw[start..]
        .find(['?', '#'])
        .map_or(raw.len(), |i| start + i);
    match raw[start..end].rfind('@') {
        Some(at) => format!("{}***{}", &raw[..start], &raw[start + at..]),
        None => raw.to_owned(),
    }
}

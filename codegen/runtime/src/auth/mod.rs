//! Authentication as a provider the client asks on every attempt, so credentials that
//! change per request (Front's channel JWT) or expire (OAuth tokens) work like static ones.
//!
//! Built in: [`Basic`], [`Bearer`], [`NoAuth`], [`ClientCredentials`] (OAuth 2.0), and in
//! [`extensions`](crate::extensions) Twilio's credentials from the environment and Front's channel
//! JWT. Anything else implements [`AuthProvider`].

mod oauth;

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use base64::Engine as _;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::{Method, Url};

pub use crate::error::AuthError;
pub use crate::secret::Secret;
pub use oauth::{ClientAuthentication, ClientCredentials};

use crate::time::BoxFuture;
use crate::transport::HttpClient;

/// Adds credentials to requests. The client calls [`authorize`](Self::authorize) before
/// every attempt (retries included), so a provider may mint a fresh token each time or
/// refresh one that is about to expire.
pub trait AuthProvider: Send + Sync + fmt::Debug + 'static {
    /// The headers that authenticate `request`.
    fn authorize<'a>(
        &'a self,
        request: &'a AuthRequest<'a>,
    ) -> BoxFuture<'a, Result<AuthHeaders, AuthError>>;

    /// The headers, when they are the same for every request (fixed credentials): the client
    /// then adds them once per request instead of asking before each attempt, which saves a
    /// boxed future and a header map update per attempt. `None` (the default) means
    /// [`authorize`](Self::authorize) is asked every time.
    fn fixed_headers(&self) -> Option<Result<&AuthHeaders, AuthError>> {
        None
    }

    /// The server refused `headers`, which this provider gave, with HTTP 401. A provider
    /// whose credentials can be renewed (a cached token that the server revoked early)
    /// forgets them and returns `true`: the client then asks it again and repeats the
    /// request once. The default, for credentials that cannot change, returns `false`.
    fn rejected(&self, headers: &AuthHeaders) -> bool {
        let _ = headers;
        false
    }
}

/// A provider shared by every clone of a client.
pub type SharedAuth = Arc<dyn AuthProvider>;

/// What a provider may know about the request it authenticates.
#[derive(Debug)]
pub struct AuthRequest<'a> {
    pub(crate) operation: &'static str,
    pub(crate) method: &'a Method,
    pub(crate) url: &'a Url,
    pub(crate) path_params: &'a [(&'static str, String)],
    pub(crate) now: SystemTime,
    pub(crate) http: &'a Arc<dyn HttpClient>,
}

impl<'a> AuthRequest<'a> {
    /// The operation id, e.g. `CreateChannel`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        self.method
    }

    /// The URL the request goes to.
    pub fn url(&self) -> &Url {
        self.url
    }

    /// The value of a path parameter, as given (not percent-encoded).
    pub fn path_param(&self, name: &str) -> Option<&'a str> {
        self.path_params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The current time of the client's [`Timer`](crate::Timer).
    pub fn now(&self) -> SystemTime {
        self.now
    }

    /// The client's transport, for providers that fetch tokens: the same connections and
    /// TLS settings, and the same mock in a test.
    pub fn transport(&self) -> &'a Arc<dyn HttpClient> {
        self.http
    }
}

/// The headers a provider adds. Values should be marked sensitive, so that they never
/// appear in `Debug` output of requests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthHeaders(Vec<(HeaderName, HeaderValue)>);

impl AuthHeaders {
    /// No headers.
    pub fn none() -> Self {
        Self::default()
    }

    /// One `Authorization` header.
    pub fn authorization(mut value: HeaderValue) -> Self {
        value.set_sensitive(true);
        Self(vec![(AUTHORIZATION, value)])
    }

    /// `Authorization: Bearer <token>`.
    pub fn bearer(token: &str) -> Result<Self, AuthError> {
        header_value(&format!("Bearer {token}")).map(Self::authorization)
    }

    /// Adds a header.
    pub fn with(mut self, name: HeaderName, mut value: HeaderValue) -> Self {
        value.set_sensitive(true);
        self.0.push((name, value));
        self
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &(HeaderName, HeaderValue)> {
        self.0.iter()
    }
}

/// A header value from credentials; the error never echoes them.
fn header_value(text: &str) -> Result<HeaderValue, AuthError> {
    HeaderValue::from_str(text)
        .map_err(|_| AuthError::new("credentials contain characters not allowed in an HTTP header"))
}

/// HTTP basic authentication (Twilio: an account SID and auth token, or an API key and
/// its secret).
#[derive(Clone)]
pub struct Basic {
    username: String,
    headers: Result<AuthHeaders, String>,
}

impl Basic {
    /// Basic credentials. A password that cannot be sent in a header is reported by the
    /// first request.
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        let username = username.into();
        let password = password.into();
        let pair = format!("{username}:{}", password.expose());
        let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
        let headers = header_value(&format!("Basic {encoded}"))
            .map(AuthHeaders::authorization)
            .map_err(|e| e.to_string());
        Basic { username, headers }
    }

    /// The user name (not secret).
    pub fn username(&self) -> &str {
        &self.username
    }
}

impl fmt::Debug for Basic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Basic")
            .field("username", &self.username)
            .field("password", &crate::Redacted)
            .finish()
    }
}

impl AuthProvider for Basic {
    fn authorize<'a>(
        &'a self,
        _request: &'a AuthRequest<'a>,
    ) -> BoxFuture<'a, Result<AuthHeaders, AuthError>> {
        let result = fixed(&self.headers).cloned();
        Box::pin(std::future::ready(result))
    }

    fn fixed_headers(&self) -> Option<Result<&AuthHeaders, AuthError>> {
        Some(fixed(&self.headers))
    }
}

/// Fixed credentials, or why they cannot be sent.
fn fixed(headers: &Result<AuthHeaders, String>) -> Result<&AuthHeaders, AuthError> {
    headers
        .as_ref()
        .map_err(|message| AuthError::new(message.clone()))
}

/// A fixed bearer token (Front API token).
#[derive(Clone)]
pub struct Bearer {
    headers: Result<AuthHeaders, String>,
}

impl Bearer {
    /// A bearer token. One that cannot be sent in a header is reported by the first request.
    pub fn new(token: impl Into<Secret>) -> Self {
        let headers = AuthHeaders::bearer(token.into().expose()).map_err(|e| e.to_string());
        Bearer { headers }
    }
}

impl fmt::Debug for Bearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bearer")
            .field("token", &crate::Redacted)
            .finish()
    }
}

impl AuthProvider for Bearer {
    fn authorize<'a>(
        &'a self,
        _request: &'a AuthRequest<'a>,
    ) -> BoxFuture<'a, Result<AuthHeaders, AuthError>> {
        let result = fixed(&self.headers).cloned();
        Box::pin(std::future::ready(result))
    }

    fn fixed_headers(&self) -> Option<Result<&AuthHeaders, AuthError>> {
        Some(fixed(&self.headers))
    }
}

/// Sends requests without credentials.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoAuth;

/// The headers of [`NoAuth`]: none.
static NO_HEADERS: AuthHeaders = AuthHeaders(Vec::new());

impl AuthProvider for NoAuth {
    fn authorize<'a>(
        &'a self,
        _request: &'a AuthRequest<'a>,
    ) -> BoxFuture<'a, Result<AuthHeaders, AuthError>> {
        Box::pin(std::future::ready(Ok(AuthHeaders::none())))
    }

    fn fixed_headers(&self) -> Option<Result<&AuthHeaders, AuthError>> {
        Some(Ok(&NO_HEADERS))
    }
}

/// Reads an environment variable; unset and empty are the same, since an empty
/// credential is never meant.
pub(crate) fn env_var(name: &str) -> Result<Option<String>, crate::Error> {
    match std::env::var(name) {
        Ok(v) if v.is_empty() => Ok(None),
        Ok(v) => Ok(Some(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(crate::Error::Config(format!(
            "environment variable {name} is not valid UTF-8"
        ))),
    }
}

/// Reads two variables that only mean something together: `Some` when both are set.
pub(crate) fn env_pair(
    first: &str,
    second: &str,
) -> Result<Option<(String, String)>, crate::Error> {
    Ok(env_var(first)?.zip(env_var(second)?))
}

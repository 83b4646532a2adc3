//! OAuth 2.0 client credentials (RFC 6749, section 4.4): a token fetched from the token
//! endpoint, cached, and fetched again shortly before it expires. Twilio's is
//! `https://oauth.twilio.com/v2/token` (see `extensions::twilio`).
//!
//! Built for a token endpoint that is slow, failing or wrong: one fetch in flight at a time
//! that every caller shares (no lock is held across it), a deadline for those waiting, a
//! backoff after a failure instead of a fetch per caller, and lifetimes that are
//! range-checked and taken from `expires_in` before the JWT's `exp`.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use futures_util::future::{BoxFuture as SharedSource, FutureExt as _, Shared};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::{Method, Url};
use serde::Deserialize;

use super::{AuthError, AuthHeaders, AuthProvider, AuthRequest, Secret};
use crate::time::BoxFuture;
use crate::transport::body::{read_limited, ReadError};
use crate::transport::{HttpClient, HttpRequest};

/// How long before its expiry a token is replaced, at most.
const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// The lifetime assumed for a token that states none (no `expires_in`, not a JWT).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);
/// Longer lifetimes are not believed (one spec's example is a timestamp in ms).
const MAX_LIFETIME: Duration = Duration::from_secs(366 * 24 * 3600);
/// Shorter lifetimes are raised to it, so a server that says `expires_in: 0` is not asked
/// for a new token on every request.
const MIN_LIFETIME: Duration = Duration::from_secs(10);
/// The token request's own timeout; requests waiting for it wait as long at most.
const DEFAULT_TOKEN_TIMEOUT: Duration = Duration::from_secs(30);
/// A token response is a few hundred bytes; anything past this is not one.
const TOKEN_BODY_LIMIT: u64 = 1 << 20;
/// After a failed fetch the next waits this long, doubling per failure up to the maximum.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Where the client's id and secret go on the token request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientAuthentication {
    /// `client_id` and `client_secret` in the form body (Twilio's token endpoint).
    Body,
    /// HTTP basic authentication with the id and secret (RFC 6749, section 2.3.1).
    Basic,
}

/// An OAuth 2.0 client-credentials token source.
///
/// The first request fetches a token; later ones reuse it until it is within the refresh
/// margin (60 s, or half its lifetime if shorter) of expiring. Its lifetime is the
/// response's `expires_in` (relative, so a wrong local clock does not matter), else the
/// token's JWT `exp` claim when it is a JWT and lies in the future, else five minutes;
/// any of them is held between 10 s and a year.
///
/// **One fetch at a time.** Concurrent requests share one fetch and wait for it at most
/// its [`token_timeout`](Self::token_timeout) (30 s); while a token that is due for refresh is still valid, only one request waits for
/// the new one and the others go on with the old. No lock is held across the network call.
///
/// **Failures back off.** A failed fetch fails the requests that need a token with
/// [`Error::Auth`](crate::Error::Auth), and for the next second (doubling per failure up to
/// a minute) requests fail at once with the same error instead of each asking again; a
/// still-valid token is used meanwhile.
///
/// **A refused token is replaced once.** When the API answers 401 to a token that should
/// still be valid, the token is dropped and the request repeated once with a new one
/// ([`AuthProvider::rejected`]); a new token refused again is kept until it expires, since
/// then the credentials, not the token, are wrong.
pub struct ClientCredentials {
    inner: Arc<Inner>,
}

/// What the fetch (which outlives any one caller) needs.
struct Inner {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    scope: Option<String>,
    audience: Option<String>,
    client_auth: ClientAuthentication,
    refresh_margin: Duration,
    token_timeout: Duration,
    state: Mutex<State>,
}

type Fetch = Shared<SharedSource<'static, Result<AuthHeaders, String>>>;

/// The fetch in flight, and when it started: one older than the token timeout was
/// abandoned (every waiter gave up or was cancelled) and is replaced, never waited on.
struct InFlight {
    fetch: Fetch,
    started: Instant,
}

#[derive(Default)]
struct State {
    cached: Option<Cached>,
    fetching: Option<InFlight>,
    /// Consecutive failed fetches, and until when no new one starts.
    failures: u32,
    backoff_until: Option<SystemTime>,
    last_error: Option<String>,
    /// The next token is fetched because the API refused the current one.
    after_rejection: bool,
}

struct Cached {
    headers: AuthHeaders,
    expires_at: SystemTime,
    refresh_at: SystemTime,
    /// Fetched because the API refused its predecessor: not replaced again on a 401.
    after_rejection: bool,
}

/// What a caller does, decided under the lock and done after it.
enum Step {
    Use(AuthHeaders),
    Fail(String),
    /// Wait for the fetch; on failure or timeout, fall back to the token, if any.
    Await(Fetch, Option<AuthHeaders>),
}

impl ClientCredentials {
    /// A token source for `client_id` at `token_url`.
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        ClientCredentials {
            inner: Arc::new(Inner {
                token_url: token_url.into(),
                client_id: client_id.into(),
                client_secret: client_secret.into(),
                scope: None,
                audience: None,
                client_auth: ClientAuthentication::Body,
                refresh_margin: DEFAULT_REFRESH_MARGIN,
                token_timeout: DEFAULT_TOKEN_TIMEOUT,
                state: Mutex::new(State::default()),
            }),
        }
    }

    /// Settings can only change before the first request, while nothing else holds `inner`.
    fn configure(mut self, f: impl FnOnce(&mut Inner)) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            f(inner);
        }
        self
    }

    /// Asks for these scopes (space-separated).
    pub fn scope(self, scope: impl Into<String>) -> Self {
        let scope = scope.into();
        self.configure(|i| i.scope = Some(scope))
    }

    /// Asks for a token for this audience.
    pub fn audience(self, audience: impl Into<String>) -> Self {
        let audience = audience.into();
        self.configure(|i| i.audience = Some(audience))
    }

    /// Where the client id and secret go; default [`ClientAuthentication::Body`].
    pub fn client_authentication(self, how: ClientAuthentication) -> Self {
        self.configure(|i| i.client_auth = how)
    }

    /// Replaces a token this long before it expires, at most; default 60 s.
    pub fn refresh_margin(self, margin: Duration) -> Self {
        self.configure(|i| i.refresh_margin = margin)
    }

    /// How long the token request may take, and so how long requests wait for it at
    /// most; default 30 s.
    pub fn token_timeout(self, timeout: Duration) -> Self {
        self.configure(|i| i.token_timeout = timeout)
    }

    async fn token(&self, request: &AuthRequest<'_>) -> Result<AuthHeaders, AuthError> {
        let now = request.now();
        let step = self.inner.step(now, request.transport());
        match step {
            Step::Use(headers) => Ok(headers),
            Step::Fail(message) => Err(AuthError::new(message)),
            Step::Await(fetch, fallback) => {
                let wait = self.inner.token_timeout;
                let error = match tokio::time::timeout(wait, fetch.clone()).await {
                    Ok(Ok(headers)) => return Ok(headers),
                    Ok(Err(message)) => message,
                    Err(_) => self.inner.give_up(&fetch, now),
                };
                match fallback {
                    // A token due for refresh is still good until it expires: an endpoint
                    // that fails in the refresh margin does not fail requests it can make.
                    Some(headers) => {
                        tracing::warn!(%error, "OAuth token refresh failed; using the current token until it expires");
                        Ok(headers)
                    }
                    None => Err(AuthError::new(error)),
                }
            }
        }
    }
}

impl Inner {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // Every change under the lock is a few assignments that cannot panic halfway.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Decides, under the lock, whether the caller uses the cached token, fails at once
    /// (backing off), or waits for a fetch (starting one if none is in flight).
    fn step(self: &Arc<Self>, now: SystemTime, http: &Arc<dyn HttpClient>) -> Step {
        let mut state = self.lock();
        // A fetch nobody drove to its end (its waiters timed out or were cancelled) would
        // otherwise stand in for a refresh for ever.
        if state
            .fetching
            .as_ref()
            .is_some_and(|f| f.started.elapsed() > self.token_timeout)
        {
            state.fetching = None;
        }
        let valid = state
            .cached
            .as_ref()
            .filter(|c| now < c.expires_at)
            .map(|c| (c.headers.clone(), now < c.refresh_at));
        match valid {
            Some((headers, true)) => return Step::Use(headers),
            // Someone is already fetching its successor: no need to wait for it.
            Some((headers, false)) if state.fetching.is_some() => return Step::Use(headers),
            _ => {}
        }
        let fallback = valid.map(|(headers, _)| headers);
        if let Some(in_flight) = &state.fetching {
            return Step::Await(in_flight.fetch.clone(), fallback);
        }
        if state.backoff_until.is_some_and(|until| now < until) {
            return match fallback {
                Some(headers) => Step::Use(headers),
                None => Step::Fail(format!(
                    "{} (the token endpoint failed {} time(s) in a row; not asked again yet)",
                    state
                        .last_error
                        .as_deref()
                        .unwrap_or("the OAuth token request failed"),
                    state.failures
                )),
            };
        }
        let inner = Arc::clone(self);
        let http = Arc::clone(http);
        let fetch = async move {
            let started = Instant::now();
            let result = tokio::time::timeout(inner.token_timeout, inner.fetch(&*http, now))
                .await
                .unwrap_or_else(|_| Err(AuthError::new(inner.no_answer())));
            // Expiry counts from when the token was asked for (the safe side); a backoff from
            // when the failure came, to the second, so a slow failure still backs off.
            let took = Duration::from_secs(started.elapsed().as_secs());
            inner.settle(result, now, now + took)
        }
        .boxed()
        .shared();
        state.fetching = Some(InFlight {
            fetch: fetch.clone(),
            started: Instant::now(),
        });
        Step::Await(fetch, fallback)
    }

    fn no_answer(&self) -> String {
        format!(
            "no answer from the OAuth token endpoint within {:?}",
            self.token_timeout
        )
    }

    /// A waiter's deadline passed: if its fetch is still the one in flight, it counts as
    /// failed (with a backoff) rather than being left for nobody to finish.
    fn give_up(&self, fetch: &Fetch, now: SystemTime) -> String {
        let message = self.no_answer();
        let mut state = self.lock();
        if state
            .fetching
            .as_ref()
            .is_some_and(|f| Shared::ptr_eq(&f.fetch, fetch))
        {
            state.fetching = None;
            self.record_failure(&mut state, message.clone(), now + self.token_timeout);
        }
        message
    }

    fn record_failure(&self, state: &mut State, message: String, now: SystemTime) {
        state.failures = state.failures.saturating_add(1);
        let backoff = FIRST_BACKOFF
            .saturating_mul(2u32.saturating_pow(state.failures - 1))
            .min(MAX_BACKOFF);
        state.backoff_until = now.checked_add(backoff);
        state.last_error = Some(message);
    }

    /// Stores what a fetch brought, ends it, and hands its result to every waiter.
    fn settle(
        &self,
        result: Result<(AuthHeaders, Duration), AuthError>,
        now: SystemTime,
        failed_at: SystemTime,
    ) -> Result<AuthHeaders, String> {
        let mut state = self.lock();
        state.fetching = None;
        match result {
            Ok((headers, lifetime)) => {
                let margin = self.refresh_margin.min(lifetime / 2);
                // A clock at the end of time cannot hold the expiry: the token then counts
                // as expired at once, and the next request fetches again.
                let expires_at = now.checked_add(lifetime).unwrap_or(now);
                state.cached = Some(Cached {
                    headers: headers.clone(),
                    expires_at,
                    refresh_at: expires_at.checked_sub(margin).unwrap_or(now),
                    after_rejection: std::mem::take(&mut state.after_rejection),
                });
                state.failures = 0;
                state.backoff_until = None;
                state.last_error = None;
                Ok(headers)
            }
            Err(error) => {
                let message = error_chain(&error);
                self.record_failure(&mut state, message.clone(), failed_at);
                Err(message)
            }
        }
    }

    /// Fetches a token and its lifetime through the client's transport.
    async fn fetch(
        &self,
        http: &dyn HttpClient,
        now: SystemTime,
    ) -> Result<(AuthHeaders, Duration), AuthError> {
        let response = http
            .send(self.token_request()?)
            .await
            .map_err(|e| AuthError::new("the OAuth token request failed").with_source(e))?;
        let status = response.status;
        let bytes = read_limited(response.body, TOKEN_BODY_LIMIT)
            .await
            .map_err(|e| match e {
                ReadError::TooLarge { limit } => AuthError::new(format!(
                    "the OAuth token response is larger than {limit} bytes"
                )),
                ReadError::Transport(e) => {
                    AuthError::new("reading the OAuth token response failed").with_source(e)
                }
            })?;
        if !status.is_success() {
            return Err(AuthError::new(format!(
                "the OAuth token endpoint answered HTTP {status}{}",
                oauth_error(&bytes)
            )));
        }
        let token: TokenResponse = serde_json::from_slice(&bytes).map_err(|e| {
            AuthError::new("the OAuth token response is not the JSON RFC 6749 describes")
                .with_source(e)
        })?;
        if let Some(kind) = &token.token_type {
            if !kind.eq_ignore_ascii_case("bearer") {
                return Err(AuthError::new(format!(
                    "the OAuth token endpoint issued a {kind:?} token; only bearer tokens are supported"
                )));
            }
        }
        let lifetime = lifetime(&token, now);
        Ok((AuthHeaders::bearer(&token.access_token)?, lifetime))
    }

    /// The token request (RFC 6749, 4.4.2): a form POST, the client's id and secret in the
    /// body or as basic authentication.
    fn token_request(&self) -> Result<HttpRequest, AuthError> {
        let url = Url::parse(&self.token_url)
            .map_err(|e| AuthError::new("the OAuth token URL is not a URL").with_source(e))?;
        let mut form: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
        if let Some(scope) = &self.scope {
            form.push(("scope", scope));
        }
        if let Some(audience) = &self.audience {
            form.push(("audience", audience));
        }
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        match self.client_auth {
            ClientAuthentication::Body => {
                form.push(("client_id", &self.client_id));
                form.push(("client_secret", self.client_secret.expose()));
            }
            ClientAuthentication::Basic => {
                let basic = super::Basic::new(self.client_id.clone(), self.client_secret.clone());
                let fixed = basic.fixed_headers().into_iter().flatten();
                for (name, value) in fixed.flat_map(AuthHeaders::iter) {
                    headers.insert(name.clone(), value.clone());
                }
            }
        }
        let body = serde_html_form::to_string(&form)
            .map_err(|e| AuthError::new("cannot encode the token request").with_source(e))?;
        Ok(HttpRequest::new(Method::POST, url, headers, body.into()))
    }
}

/// `expires_in` first (relative to the response, so immune to a wrong local clock), then
/// the JWT's `exp` when it lies ahead of the local clock, then the default; held between
/// [`MIN_LIFETIME`] and [`MAX_LIFETIME`].
fn lifetime(token: &TokenResponse, now: SystemTime) -> Duration {
    let stated = token
        .expires_in
        .as_ref()
        .and_then(|v| match v {
            serde_json::Value::Number(n) => n.as_u64(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
        .map(Duration::from_secs)
        .filter(|d| *d <= MAX_LIFETIME);
    let claimed = || {
        jwt_expiry(&token.access_token)?
            .duration_since(now)
            .ok()
            .filter(|d| !d.is_zero() && *d <= MAX_LIFETIME)
    };
    stated
        .or_else(claimed)
        .unwrap_or(DEFAULT_LIFETIME)
        .max(MIN_LIFETIME)
}

/// The error's message followed by its sources', for a failure many callers will see.
fn error_chain(error: &AuthError) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let expires_at = i
            .state
            .try_lock()
            .ok()
            .and_then(|s| s.cached.as_ref().map(|c| c.expires_at));
        f.debug_struct("ClientCredentials")
            .field("token_url", &i.token_url)
            .field("client_id", &i.client_id)
            .field("client_secret", &crate::Redacted)
            .field("scope", &i.scope)
            .field("token_expires_at", &expires_at)
            .finish()
    }
}

impl AuthProvider for ClientCredentials {
    fn authorize<'a>(
        &'a self,
        request: &'a AuthRequest<'a>,
    ) -> BoxFuture<'a, Result<AuthHeaders, AuthError>> {
        Box::pin(self.token(request))
    }

    fn rejected(&self, headers: &AuthHeaders) -> bool {
        let mut state = self.inner.lock();
        match &state.cached {
            // A newer token is already there, on its way, or (the cache emptied by another
            // refused request) about to be fetched: try with it.
            Some(c) if &c.headers != headers => true,
            None => true,
            Some(c) if c.after_rejection => false,
            Some(_) => {
                state.cached = None;
                state.after_rejection = true;
                true
            }
        }
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    token_type: Option<String>,
    /// A number, or a number in a string as some servers send it; anything else (negative,
    /// fractional, huge) is read and then not believed.
    expires_in: Option<serde_json::Value>,
}

/// `: invalid_client (Client authentication failed)` from an RFC 6749 error body, if it is one.
fn oauth_error(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct OAuthError {
        error: String,
        error_description: Option<String>,
    }
    match serde_json::from_slice::<OAuthError>(body) {
        Ok(e) => match e.error_description {
            Some(d) => format!(": {} ({d})", e.error),
            None => format!(": {}", e.error),
        },
        Err(_) => String::new(),
    }
}

/// The `exp` claim of a JWT, read without verifying it: the client only needs to know when
/// to fetch a new token, and the server checks the signature.
fn jwt_expiry(token: &str) -> Option<SystemTime> {
    let claims = token.split('.').nth(1)?;
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(claims.trim_end_matches('='))
        .ok()?;
    let exp = serde_json::from_slice::<serde_json::Value>(&json)
        .ok()?
        .get("exp")?
        .as_u64()?;
    UNIX_EPOCH.checked_add(Duration::from_secs(exp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_expiry_reads_the_exp_claim() {
        // {"alg":"HS256"}.{"exp":1700000000}.sig
        let claims =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"exp":1700000000}"#);
        let token = format!("eyJhbGciOiJIUzI1NiJ9.{claims}.c2ln");
        assert_eq!(
            jwt_expiry(&token),
            Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
        assert_eq!(jwt_expiry("opaque-token"), None);
    }

    proptest::proptest! {
        /// Whatever `expires_in` and `exp` say, at whatever clock reading, the lifetime is
        /// one a clock can be moved by, between the floor and a year.
        #[test]
        fn lifetimes_are_bounded_whatever_the_server_says(
            expires_in in proptest::prelude::any::<Option<i128>>(),
            exp in proptest::prelude::any::<Option<u64>>(),
            now in proptest::prelude::any::<u32>(),
        ) {
            let access_token = match exp {
                Some(exp) => {
                    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
                        .encode(format!(r#"{{"exp":{exp}}}"#));
                    format!("e30.{claims}.sig")
                }
                None => "opaque".to_owned(),
            };
            let expires_in = expires_in.map(|n| serde_json::from_str(&n.to_string()).unwrap());
            let token = TokenResponse { access_token, token_type: None, expires_in };
            let now = UNIX_EPOCH + Duration::from_secs(u64::from(now));
            let d = lifetime(&token, now);
            proptest::prop_assert!((MIN_LIFETIME..=MAX_LIFETIME).contains(&d), "{d:?}");
            proptest::prop_assert!(now.checked_add(d).is_some());
        }
    }

    #[test]
    fn oauth_errors_are_described_without_the_request() {
        assert_eq!(
            oauth_error(br#"{"error":"invalid_client","error_description":"bad secret"}"#),
            ": invalid_client (bad secret)"
        );
        assert_eq!(oauth_error(b"<html>"), "");
    }
}

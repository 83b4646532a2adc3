//! OAuth 2.0 client credentials (RFC 6749, section 4.4): a token fetched from the token
//! endpoint, cached, and fetched again shortly before it expires. Twilio's is
//! `https://oauth.twilio.com/v2/token` (see `vendor::twilio`).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use reqwest::header::ACCEPT;
use serde::Deserialize;
use tokio::sync::Mutex;

use super::{AuthError, AuthHeaders, AuthProvider, AuthRequest, Secret};
use crate::time::BoxFuture;

/// How long before its expiry a token is replaced, at most.
const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// The lifetime assumed for a token that states none (no `expires_in`, not a JWT).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);
/// Longer `expires_in` values are not believed (one spec's example is a timestamp in ms).
const MAX_LIFETIME: Duration = Duration::from_secs(366 * 24 * 3600);
const TOKEN_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

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
/// margin (60 s, or half its lifetime if shorter) of expiring. Concurrent requests wait for
/// one fetch instead of each fetching. The expiry is the token's JWT `exp` claim when it is
/// a JWT, else `expires_in`, else five minutes. A failed fetch fails the request with
/// [`Error::Auth`](crate::Error::Auth); the next request tries again.
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    scope: Option<String>,
    audience: Option<String>,
    client_auth: ClientAuthentication,
    refresh_margin: Duration,
    cached: Mutex<Option<Cached>>,
}

struct Cached {
    headers: AuthHeaders,
    expires_at: SystemTime,
    refresh_at: SystemTime,
}

impl ClientCredentials {
    /// A token source for `client_id` at `token_url`.
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        ClientCredentials {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scope: None,
            audience: None,
            client_auth: ClientAuthentication::Body,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            cached: Mutex::new(None),
        }
    }

    /// Asks for these scopes (space-separated).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Asks for a token for this audience.
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// Where the client id and secret go; default [`ClientAuthentication::Body`].
    pub fn client_authentication(mut self, how: ClientAuthentication) -> Self {
        self.client_auth = how;
        self
    }

    /// Replaces a token this long before it expires, at most; default 60 s.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    async fn token(&self, request: &AuthRequest<'_>) -> Result<AuthHeaders, AuthError> {
        let mut cached = self.cached.lock().await;
        let now = request.now();
        if let Some(c) = cached.as_ref().filter(|c| now < c.refresh_at) {
            return Ok(c.headers.clone());
        }
        match self.fetch(request).await {
            Ok(fresh) => {
                let headers = fresh.headers.clone();
                *cached = Some(fresh);
                Ok(headers)
            }
            // A token due for refresh is still good until it expires: an endpoint that fails
            // in the refresh margin does not fail requests the old token can still make.
            Err(error) => match cached.as_ref().filter(|c| now < c.expires_at) {
                Some(c) => {
                    tracing::warn!(%error, "OAuth token refresh failed; using the current token until it expires");
                    Ok(c.headers.clone())
                }
                None => Err(error),
            },
        }
    }

    async fn fetch(&self, request: &AuthRequest<'_>) -> Result<Cached, AuthError> {
        let mut form: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
        if let Some(scope) = &self.scope {
            form.push(("scope", scope));
        }
        if let Some(audience) = &self.audience {
            form.push(("audience", audience));
        }
        let mut http = request
            .http_client()
            .post(&self.token_url)
            .header(ACCEPT, "application/json")
            .timeout(TOKEN_REQUEST_TIMEOUT);
        match self.client_auth {
            ClientAuthentication::Body => {
                form.push(("client_id", &self.client_id));
                form.push(("client_secret", self.client_secret.expose()));
            }
            ClientAuthentication::Basic => {
                http = http.basic_auth(&self.client_id, Some(self.client_secret.expose()));
            }
        }
        let body = serde_html_form::to_string(&form)
            .map_err(|e| AuthError::new("cannot encode the token request").with_source(e))?;
        let response = http
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body)
            .send()
            .await
            .map_err(|e| {
                AuthError::new("the OAuth token request failed").with_source(e.without_url())
            })?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| {
            AuthError::new("reading the OAuth token response failed").with_source(e.without_url())
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
        let now = request.now();
        let lifetime = jwt_expiry(&token.access_token)
            .map(|exp| exp.duration_since(now).unwrap_or_default())
            .or_else(|| {
                token
                    .expires_in
                    .map(Duration::from_secs)
                    .filter(|d| *d <= MAX_LIFETIME)
            })
            .unwrap_or(DEFAULT_LIFETIME);
        let margin = self.refresh_margin.min(lifetime / 2);
        Ok(Cached {
            headers: AuthHeaders::bearer(&token.access_token)?,
            expires_at: now + lifetime,
            refresh_at: now + lifetime - margin,
        })
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expires_at = self
            .cached
            .try_lock()
            .ok()
            .and_then(|c| c.as_ref().map(|c| c.expires_at));
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &crate::Redacted)
            .field("scope", &self.scope)
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
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    token_type: Option<String>,
    expires_in: Option<u64>,
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
    Some(UNIX_EPOCH + Duration::from_secs(exp))
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

    #[test]
    fn oauth_errors_are_described_without_the_request() {
        assert_eq!(
            oauth_error(br#"{"error":"invalid_client","error_description":"bad secret"}"#),
            ": invalid_client (bad secret)"
        );
        assert_eq!(oauth_error(b"<html>"), "");
    }
}

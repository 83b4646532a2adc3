//! Front: the Channel API's request signing. Front authenticates each Channel API request
//! with a short-lived JWT signed (HS256) with the app's secret, naming the app (`iss`), the
//! channel the request is about (`sub`), a unique id (`jti`) and an expiry a few seconds
//! ahead (`exp`). [`ChannelJwt`] mints one per attempt from the request's `channel_id`.
//!
//! The other direction, Front calling the channel, is verified by [`webhook`].

pub mod webhook;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::api::EnvAuth;
use crate::auth::{self, AuthError, AuthHeaders, AuthProvider, AuthRequest, Secret, SharedAuth};
use crate::error::Error;
use crate::time::BoxFuture;

/// How long a minted token is valid. Front asks for an expiry "a few seconds" ahead; each
/// attempt gets a new token, so a short one costs nothing.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(30);

/// The path parameter naming the channel in every Channel API operation.
const CHANNEL_PARAM: &str = "channel_id";

/// Where a Front client's `from_env` looks, in order: the app's UID and secret (channel
/// JWT), then an API token.
pub static ENV_AUTH: &[EnvAuth] = &[
    EnvAuth::Provider {
        vars: &["FRONT_APP_UID", "FRONT_APP_SECRET"],
        what: "Channel API JWT signing",
        read: jwt_from_env,
    },
    EnvAuth::Bearer {
        token: "FRONT_API_TOKEN",
    },
];

fn jwt_from_env() -> Result<Option<SharedAuth>, Error> {
    let pair = auth::env_pair("FRONT_APP_UID", "FRONT_APP_SECRET")?;
    Ok(pair.map(|(uid, secret)| Arc::new(ChannelJwt::new(uid, secret)) as SharedAuth))
}

/// Signs each request with a fresh Channel API JWT for the request's `channel_id`.
#[derive(Clone)]
pub struct ChannelJwt {
    app_uid: String,
    secret: Secret,
    lifetime: Duration,
}

impl ChannelJwt {
    /// A signer for the app `app_uid` (Front's "App UID") with its secret.
    pub fn new(app_uid: impl Into<String>, secret: impl Into<Secret>) -> Self {
        ChannelJwt {
            app_uid: app_uid.into(),
            secret: secret.into(),
            lifetime: DEFAULT_LIFETIME,
        }
    }

    /// How far ahead `exp` is; default 30 s.
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// The token for a request about `channel_id` at `now`, with `jti` as its unique id.
    fn token(&self, channel_id: &str, now: std::time::SystemTime, jti: &str) -> String {
        let exp = now
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .saturating_add(self.lifetime)
            .as_secs();
        let claims = serde_json::json!({
            "iss": self.app_uid,
            "jti": jti,
            "sub": channel_id,
            "exp": exp,
        });
        sign_hs256(
            claims.to_string().as_bytes(),
            self.secret.expose().as_bytes(),
        )
    }
}

/// A compact JWS with `{"alg":"HS256","typ":"JWT"}` over `claims` (JSON text).
fn sign_hs256(claims: &[u8], key: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = b64.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = b64.encode(claims);
    let signing_input = format!("{header}.{payload}");
    let mut mac =
        <Hmac<Sha256>>::new_from_slice(key).expect("HMAC takes keys of any length (RFC 2104)");
    mac.update(signing_input.as_bytes());
    let signature = b64.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

impl fmt::Debug for ChannelJwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChannelJwt")
            .field("app_uid", &self.app_uid)
            .field("secret", &crate::Redacted)
            .field("lifetime", &self.lifetime)
            .finish()
    }
}

impl AuthProvider for ChannelJwt {
    fn authorize<'a>(
        &'a self,
        request: &'a AuthRequest<'a>,
    ) -> BoxFuture<'a, Result<AuthHeaders, AuthError>> {
        let result = match request.path_param(CHANNEL_PARAM) {
            Some(channel) => {
                let jti = format!("{:032x}", fastrand::u128(..));
                AuthHeaders::bearer(&self.token(channel, request.now(), &jti))
            }
            None => Err(AuthError::new(format!(
                "a Front channel JWT names the channel, but {} has no `{CHANNEL_PARAM}` path parameter",
                request.operation()
            ))),
        };
        Box::pin(std::future::ready(result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The HS256 example token published on jwt.io: its claims and key give exactly this
    /// token.
    #[test]
    fn hs256_matches_the_published_jwt_io_example() {
        let claims = br#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#;
        assert_eq!(
            sign_hs256(claims, b"your-256-bit-secret"),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        );
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let jwt = ChannelJwt::new("app_1", "s3cret");
        assert!(!format!("{jwt:?}").contains("s3cret"));
    }
}

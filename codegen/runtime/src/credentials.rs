//! Credentials and the secret wrapper that keeps them out of logs.

use std::fmt;

/// A secret string (password, auth token, API key secret).
///
/// `Debug` and `Display` both print `<redacted>`, so a secret cannot leak through
/// `{:?}` of any struct that contains it; call [`Secret::expose`] to get the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Returns the secret itself. Only call this where the value must go on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// How a client authenticates.
///
/// The variant must match the scheme the API declares (see
/// [`AuthKind`](crate::AuthKind)); the client sends whatever was configured.
// Deriving Debug is safe: every secret field is a `Secret`, which redacts itself.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Credentials {
    /// HTTP basic authentication (Twilio: account SID + auth token, or API key + secret).
    Basic {
        /// The user name; not secret, so it may appear in `Debug` output.
        username: String,
        /// The password.
        password: Secret,
    },
    /// A bearer token (Front API token).
    Bearer(Secret),
}

impl Credentials {
    /// Basic-auth credentials.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::Basic {
            username: username.into(),
            password: Secret::new(password),
        }
    }

    /// Bearer-token credentials.
    pub fn bearer(token: impl Into<String>) -> Self {
        Self::Bearer(Secret::new(token))
    }
}

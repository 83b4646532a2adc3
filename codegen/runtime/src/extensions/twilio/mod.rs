//! Twilio: regional hosts (`{product}.{edge}.{region}.twilio.com`), credentials from the
//! environment (API key, auth token, OAuth client), the request id header, [`Sid`]s, and
//! validating the webhooks Twilio sends ([`RequestValidator`]).

mod sid;
pub mod webhook;

use reqwest::Url;

pub use sid::{Sid, SidError};
pub use webhook::{Callback, RequestValidator};

use crate::api::{EnvAuth, HostResolver};
use crate::auth::{self, ClientCredentials, SharedAuth};
use crate::error::Error;

/// Twilio's OAuth 2.0 token endpoint (client credentials), from Twilio's `oauth/v2` spec.
pub const OAUTH_TOKEN_URL: &str = "https://oauth.twilio.com/v2/token";

/// The response header carrying Twilio's request id.
pub const REQUEST_ID_HEADER: &str = "Twilio-Request-Id";

/// Where a Twilio client's `from_env` looks, in order: an API key and secret, an account
/// SID and auth token, an OAuth client id and secret.
pub static ENV_AUTH: &[EnvAuth] = &[
    EnvAuth::Basic {
        user: "TWILIO_API_KEY",
        password: "TWILIO_API_SECRET",
    },
    EnvAuth::Basic {
        user: "TWILIO_ACCOUNT_SID",
        password: "TWILIO_AUTH_TOKEN",
    },
    EnvAuth::Provider {
        vars: &["TWILIO_CLIENT_ID", "TWILIO_CLIENT_SECRET"],
        what: "OAuth client credentials",
        read: oauth_from_env,
    },
];

fn oauth_from_env() -> Result<Option<SharedAuth>, Error> {
    let pair = auth::env_pair("TWILIO_CLIENT_ID", "TWILIO_CLIENT_SECRET")?;
    Ok(pair.map(|(id, secret)| oauth(id, secret)))
}

/// An OAuth client-credentials provider for Twilio's token endpoint.
pub fn oauth(client_id: impl Into<String>, client_secret: impl Into<auth::Secret>) -> SharedAuth {
    std::sync::Arc::new(ClientCredentials::new(
        OAUTH_TOKEN_URL,
        client_id,
        client_secret,
    ))
}

/// Twilio's regional host rule, for generated Twilio crates' `ApiInfo`.
pub static REGIONAL_HOSTS: RegionalHosts = RegionalHosts;

/// `{product}[.{edge}][.{region}].twilio.com`, as Twilio's official SDKs build it.
#[derive(Debug)]
pub struct RegionalHosts;

impl HostResolver for RegionalHosts {
    fn env_vars(&self) -> (&'static str, &'static str) {
        ("TWILIO_REGION", "TWILIO_EDGE")
    }

    fn resolve(
        &self,
        server: &str,
        region: Option<&str>,
        edge: Option<&str>,
    ) -> Result<String, String> {
        let mut url = Url::parse(server).map_err(|e| e.to_string())?;
        if let Some(host) = url.host_str().and_then(|h| regional_host(h, region, edge)) {
            url.set_host(Some(&host)).map_err(|e| e.to_string())?;
        }
        Ok(url.as_str().to_owned())
    }
}

/// Keeps an edge or region already in the host unless overridden, and defaults the region
/// to `us1` when only an edge is given (edges are only reachable through a region), as
/// Twilio's SDKs do. `None` for hosts that are not Twilio's.
fn regional_host(host: &str, region: Option<&str>, edge: Option<&str>) -> Option<String> {
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
    use super::*;

    #[test]
    fn regional_host_rules() {
        let h = "flex-api.twilio.com";
        assert_eq!(regional_host(h, None, None).unwrap(), h);
        assert_eq!(
            regional_host(h, Some("au1"), Some("sydney")).unwrap(),
            "flex-api.sydney.au1.twilio.com"
        );
        assert_eq!(
            regional_host(h, None, Some("dublin")).unwrap(),
            "flex-api.dublin.us1.twilio.com"
        );
        assert_eq!(
            regional_host(h, Some("ie1"), None).unwrap(),
            "flex-api.ie1.twilio.com"
        );
        assert_eq!(
            regional_host("api.dublin.ie1.twilio.com", Some("au1"), None).unwrap(),
            "api.dublin.au1.twilio.com"
        );
        assert_eq!(regional_host("api2.frontapp.com", Some("au1"), None), None);
        assert_eq!(regional_host("eviltwilio.com", Some("au1"), None), None);
    }

    #[test]
    fn resolver_keeps_paths_and_foreign_hosts() {
        let r = RegionalHosts;
        assert_eq!(
            r.resolve("https://flex-api.twilio.com/v1", Some("au1"), None)
                .unwrap(),
            "https://flex-api.au1.twilio.com/v1"
        );
        assert_eq!(
            r.resolve("https://example.com/v1", Some("au1"), None)
                .unwrap(),
            "https://example.com/v1"
        );
    }
}

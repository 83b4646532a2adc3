//! Twilio's request validation: checking `X-Twilio-Signature` on status callbacks and
//! other webhooks, the way Twilio's official SDKs do.
//!
//! Twilio signs `url + name1 + value1 + name2 + value2 …` (the POST parameters sorted by
//! name, then by value) with HMAC-SHA1 keyed by the account's auth token, and sends the
//! base64 digest. A JSON body is not signed directly: Twilio adds `bodySHA256` (the body's
//! SHA-256, hex) to the URL's query and signs the URL alone. Twilio's own edge is not
//! consistent about writing the port, so the URL is tried as given, with the default port
//! (443 or 80) added and with any port removed, as every official SDK does. Credentials in
//! the URL (`https://user:pass@host/`) are part of what Twilio signs and are kept.

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::auth::Secret;
use crate::webhook::{self, Inbound, Rejection, Verifier};

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "x-twilio-signature";

/// The query parameter carrying a JSON body's hash.
const BODY_HASH_PARAM: &str = "bodySHA256";

/// Checks that requests were signed by Twilio with an account's auth token.
///
/// With API keys, Twilio still signs webhooks with the account's primary auth token.
#[derive(Clone)]
pub struct RequestValidator {
    auth_token: Secret,
}

impl std::fmt::Debug for RequestValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestValidator")
            .field("auth_token", &self.auth_token)
            .finish()
    }
}

/// A request proven to come from Twilio: its POST parameters, or its JSON body.
#[derive(Clone, PartialEq, Eq)]
pub struct Callback {
    params: Vec<(String, String)>,
    /// The body as received: form data or JSON.
    body: Vec<u8>,
    json: bool,
}

impl std::fmt::Debug for Callback {
    // Parameters carry phone numbers and message bodies: show only their names.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Callback")
            .field(
                "params",
                &self.params.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("body_bytes", &self.body.len())
            .field("json", &self.json)
            .finish()
    }
}

impl Callback {
    /// The POST parameters, in the order received (empty for a JSON body).
    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    /// The first value of the POST parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The POST parameters decoded as `T` (a generated webhook payload type, say), with
    /// repeated names collected into sequences.
    pub fn form<T: serde::de::DeserializeOwned>(&self) -> Result<T, Rejection> {
        if self.json {
            return Err(Rejection::Body {
                expected: "form data",
                why: "the request carried a JSON body".into(),
            });
        }
        serde_html_form::from_bytes(&self.body).map_err(|e| Rejection::Body {
            expected: "form data of the documented shape",
            why: e.to_string(),
        })
    }

    /// The JSON body (sent with `bodySHA256`) decoded as `T`.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Rejection> {
        if !self.json {
            return Err(Rejection::Body {
                expected: "JSON",
                why: "the request carried form parameters, not a JSON body".into(),
            });
        }
        webhook::json_body(&self.body)
    }
}

impl RequestValidator {
    /// A validator for the account whose auth token this is.
    pub fn new(auth_token: impl Into<Secret>) -> Self {
        RequestValidator {
            auth_token: auth_token.into(),
        }
    }

    /// The signature Twilio sends for a request to `url` with these POST parameters: for
    /// signing test requests, and for comparing with Twilio's documented examples.
    pub fn signature<'p>(
        &self,
        url: &str,
        params: impl IntoIterator<Item = (&'p str, &'p str)>,
    ) -> String {
        let params: Vec<(&[u8], &[u8])> = params
            .into_iter()
            .map(|(k, v)| (k.as_bytes(), v.as_bytes()))
            .collect();
        base64::engine::general_purpose::STANDARD
            .encode(self.mac(url, &params).finalize().into_bytes())
    }

    /// Checks `request` and returns what it carries.
    ///
    /// The signature is checked before anything else is read from the body, so a forged
    /// request is always a signature rejection, never a complaint about its content.
    pub fn validate(&self, request: &Inbound<'_>) -> Result<Callback, Rejection> {
        let signature = webhook::base64_signature(
            SIGNATURE_HEADER,
            request.required_header(SIGNATURE_HEADER)?,
        )?;
        let url = request.url();
        let authority = Authority::of(url).ok_or(Rejection::NotAbsoluteUrl)?;
        let body = request.body();

        let hash = query_value(url, BODY_HASH_PARAM);
        // Without a body hash in the URL, a form body's parameters are what Twilio signed
        // besides the URL: as bytes, so a body that is not UTF-8 is checked (and refused as
        // forged) like any other.
        let form = hash.is_none() && is_form(request);
        let signed_params = if form { form_pairs(body) } else { Vec::new() };
        let borrowed: Vec<(&[u8], &[u8])> = signed_params
            .iter()
            .map(|(k, v)| (k.as_slice(), v.as_slice()))
            .collect();
        let candidates = [
            url.to_owned(),
            authority.with_default_port(url),
            authority.without_port(url),
        ];
        let signed = candidates.iter().any(|candidate| {
            self.mac(candidate, &borrowed)
                .verify_slice(&signature)
                .is_ok()
        });
        if !signed {
            return Err(Rejection::SignatureMismatch {
                header: SIGNATURE_HEADER,
                checked: "the URL with and without its default port, and the POST parameters",
            });
        }

        let (params, json) = match hash {
            Some(expected) => {
                let actual = hex(&Sha256::digest(body));
                if !bool::from(
                    actual
                        .as_bytes()
                        .ct_eq(expected.to_ascii_lowercase().as_bytes()),
                ) {
                    return Err(Rejection::BodyHashMismatch);
                }
                (Vec::new(), true)
            }
            None if form => (utf8_params(signed_params)?, false),
            // Twilio signs a body only as form parameters or through `bodySHA256`: any
            // other body could be swapped under a valid signature of the URL.
            None if !body.is_empty() => return Err(Rejection::UnsignedBody),
            None => (Vec::new(), false),
        };
        Ok(Callback {
            params,
            body: body.to_vec(),
            json,
        })
    }

    fn mac(&self, url: &str, params: &[(&[u8], &[u8])]) -> Hmac<Sha1> {
        let mut mac = <Hmac<Sha1>>::new_from_slice(self.auth_token.expose().as_bytes())
            .expect("HMAC takes keys of any length (RFC 2104)");
        mac.update(url.as_bytes());
        let mut sorted = params.to_vec();
        // By name, then by value for repeated names, and a repeated pair counted once: what
        // twilio-python's `sorted(set(values))` and twilio-node's `new Set(values)` sign.
        // Byte order is the order of the UTF-8 text the SDKs sort.
        sorted.sort_unstable();
        sorted.dedup();
        for (name, value) in sorted {
            mac.update(name);
            mac.update(value);
        }
        mac
    }
}

impl Verifier for RequestValidator {
    type Event = Callback;

    fn verify(&self, request: &Inbound<'_>) -> Result<Callback, Rejection> {
        self.validate(request)
    }
}

fn is_form(request: &Inbound<'_>) -> bool {
    request
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        })
}

/// The body's form parameters, each name and value percent-decoded (`+` as a space), as
/// bytes: what Twilio signed, whatever they decode to.
fn form_pairs(body: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    body.split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = match pair.iter().position(|b| *b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &[][..]),
            };
            let decode = |part: &[u8]| -> Vec<u8> {
                let plus_as_space: Vec<u8> = part
                    .iter()
                    .map(|b| if *b == b'+' { b' ' } else { *b })
                    .collect();
                percent_encoding::percent_decode(&plus_as_space).collect()
            };
            (decode(name), decode(value))
        })
        .collect()
}

/// Verified parameters as text: Twilio sends UTF-8, so anything else is an authentic body
/// the SDK cannot decode.
fn utf8_params(pairs: Vec<(Vec<u8>, Vec<u8>)>) -> Result<Vec<(String, String)>, Rejection> {
    let not_utf8 = |_| Rejection::Body {
        expected: "UTF-8 form data",
        why: "a parameter is not valid UTF-8 once percent-decoded".into(),
    };
    pairs
        .into_iter()
        .map(|(name, value)| {
            Ok((
                String::from_utf8(name).map_err(not_utf8)?,
                String::from_utf8(value).map_err(not_utf8)?,
            ))
        })
        .collect()
}

/// The body's form parameters as text (see [`form_pairs`] and [`utf8_params`]).
fn form_params(body: &[u8]) -> Result<Vec<(String, String)>, Rejection> {
    utf8_params(form_pairs(body))
}

/// The first value of `name` in the URL's query, percent-decoded.
/// (A query that is not UTF-8 cannot hold Twilio's hex hash: it has none.)
fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or_default();
    let params = form_params(query.as_bytes()).ok()?;
    params.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where the host and port sit in a URL string. The URL is kept as text, not parsed and
/// reprinted: Twilio signed the exact characters it called.
struct Authority {
    /// Where `host[:port]` ends.
    end: usize,
    /// Where the `:port` starts, if there is one.
    port_at: Option<usize>,
    default_port: &'static str,
}

impl Authority {
    fn of(url: &str) -> Option<Authority> {
        let (scheme, rest) = url.split_once("://")?;
        let default_port = if scheme.eq_ignore_ascii_case("https") {
            "443"
        } else if scheme.eq_ignore_ascii_case("http") {
            "80"
        } else {
            return None;
        };
        let start = scheme.len() + 3;
        let end = start + rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &url[start..end];
        let host_start = start + authority.rfind('@').map_or(0, |at| at + 1);
        let host = &url[host_start..end];
        if host.is_empty() {
            return None;
        }
        // A colon after an IPv6 literal's closing bracket, or in a plain host.
        let port_at = match host.rfind(']') {
            Some(bracket) => host[bracket..].find(':').map(|c| bracket + c),
            None => host.find(':'),
        }
        .map(|at| host_start + at);
        Some(Authority {
            end,
            port_at,
            default_port,
        })
    }

    fn with_default_port(&self, url: &str) -> String {
        match self.port_at {
            Some(_) => url.to_owned(),
            None => format!(
                "{}:{}{}",
                &url[..self.end],
                self.default_port,
                &url[self.end..]
            ),
        }
    }

    fn without_port(&self, url: &str) -> String {
        match self.port_at {
            Some(at) => format!("{}{}", &url[..at], &url[self.end..]),
            None => url.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_added_and_removed_in_the_text() {
        let cases = [
            (
                "https://example.com/a?b=1",
                "https://example.com:443/a?b=1",
                "https://example.com/a?b=1",
            ),
            (
                "http://example.com",
                "http://example.com:80",
                "http://example.com",
            ),
            (
                "https://example.com:8443/a",
                "https://example.com:8443/a",
                "https://example.com/a",
            ),
            (
                "https://u:p@example.com/a",
                "https://u:p@example.com:443/a",
                "https://u:p@example.com/a",
            ),
            (
                "https://[::1]:443/a",
                "https://[::1]:443/a",
                "https://[::1]/a",
            ),
            ("https://[::1]/a", "https://[::1]:443/a", "https://[::1]/a"),
        ];
        for (url, with, without) in cases {
            let a = Authority::of(url).unwrap();
            assert_eq!(a.with_default_port(url), with, "{url}");
            assert_eq!(a.without_port(url), without, "{url}");
        }
        assert!(Authority::of("/relative/path").is_none());
        assert!(Authority::of("ftp://example.com/").is_none());
        assert!(Authority::of("https:///path").is_none());
    }

    #[test]
    fn form_bodies_decode_plus_and_percent_and_reject_invalid_utf8() {
        assert_eq!(
            form_params(b"Body=Hello+world%21&To=%2B1555&Empty=&Bare").unwrap(),
            vec![
                ("Body".to_owned(), "Hello world!".to_owned()),
                ("To".to_owned(), "+1555".to_owned()),
                ("Empty".to_owned(), String::new()),
                ("Bare".to_owned(), String::new()),
            ]
        );
        assert!(matches!(
            form_params(b"Body=%FF"),
            Err(Rejection::Body { .. })
        ));
        assert!(matches!(
            form_params(b"Body=\xff"),
            Err(Rejection::Body { .. })
        ));
    }

    #[test]
    fn debug_shows_neither_token_nor_values() {
        let validator = RequestValidator::new("s3cret-token");
        assert!(!format!("{validator:?}").contains("s3cret"));
        let callback = Callback {
            params: vec![("From".into(), "+15551234567".into())],
            body: b"From=%2B15551234567".to_vec(),
            json: false,
        };
        let shown = format!("{callback:?}");
        assert!(shown.contains("From") && !shown.contains("555"), "{shown}");
    }
}

//! Redirects, followed by rules of our own rather than reqwest's (the default client is
//! built with redirects off): at most a few hops, never from `https` to `http`, and no
//! credentials to another origin, including those an [`AuthProvider`](crate::AuthProvider)
//! put in headers reqwest does not know to be sensitive.

use std::borrow::Cow;

use bytes::Bytes;
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE,
    LOCATION, PROXY_AUTHORIZATION,
};
use reqwest::{Method, StatusCode, Url};

use super::seam::{HttpRequest, HttpResponse};
use super::Prepared;
use crate::encoding::Body;
use crate::error::Error;
use crate::wire::origin;

/// Redirects followed per attempt by default: enough for a moved resource or a media link
/// to its storage host, few enough that a redirect loop ends at once.
pub(crate) const DEFAULT_MAX_REDIRECTS: u8 = 5;

/// Headers that carry credentials whatever the provider: never sent to another origin.
const ALWAYS_CREDENTIALS: [HeaderName; 3] = [AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION];

/// One request of an attempt: the first, or one a redirect asked for.
pub(super) struct Hop<'a> {
    method: Method,
    // Borrowed on the first hop: a request is cloned once, into what is sent.
    url: Cow<'a, Url>,
    headers: Cow<'a, HeaderMap>,
    /// `None` once a redirect turned the request into a body-less GET.
    body: Option<&'a Body>,
}

impl<'a> Hop<'a> {
    pub(super) fn first(request: &'a Prepared, url: &'a Url, headers: Cow<'a, HeaderMap>) -> Self {
        Hop {
            method: request.method.clone(),
            url: Cow::Borrowed(url),
            headers,
            body: Some(&request.body),
        }
    }

    /// The request of this hop, its multipart body (if any) encoded afresh.
    pub(super) fn build(&self, op: &'static str) -> Result<HttpRequest, Error> {
        let mut headers = self.headers.clone().into_owned();
        let body = match self.body {
            Some(Body::Bytes { bytes, .. }) => bytes.clone(),
            Some(Body::Multipart(form)) => {
                let (content_type, bytes) =
                    form.encode().map_err(|e| Error::invalid_input(op, e))?;
                headers.insert(CONTENT_TYPE, content_type);
                bytes
            }
            Some(Body::Empty) | None => Bytes::new(),
        };
        Ok(HttpRequest::new(
            self.method.clone(),
            self.url.clone().into_owned(),
            headers,
            body,
        ))
    }

    /// The hop `response` redirects to, `None` when it is not a redirect to follow, or why
    /// following it is refused.
    pub(super) fn next(
        &self,
        response: &HttpResponse,
        credentials: &[HeaderName],
        max_redirects: u8,
        followed: &mut u8,
    ) -> Result<Option<Hop<'a>>, String> {
        let status = response.status;
        if max_redirects == 0 || !is_followed(status) {
            return Ok(None);
        }
        let Some(location) = response.headers.get(LOCATION) else {
            return Ok(None);
        };
        if *followed >= max_redirects {
            return Err(format!(
                "more than {max_redirects} redirects (the last to {})",
                describe(&self.url)
            ));
        }
        *followed += 1;
        let target = target(&self.url, location)?;
        let mut headers = self.headers.clone().into_owned();
        if origin(&target) != origin(&self.url) {
            for name in ALWAYS_CREDENTIALS.iter().chain(credentials) {
                headers.remove(name);
            }
        }
        let (method, body) = match status {
            // 303 always (HEAD stays HEAD), and 301/302 after a POST as every client does:
            // fetch with GET.
            StatusCode::SEE_OTHER if self.method != Method::HEAD => (Method::GET, None),
            StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND if self.method == Method::POST => {
                (Method::GET, None)
            }
            _ => (self.method.clone(), self.body),
        };
        if body.is_none() {
            headers.remove(CONTENT_TYPE);
            headers.remove(CONTENT_LENGTH);
        }
        Ok(Some(Hop {
            method,
            url: Cow::Owned(target),
            headers: Cow::Owned(headers),
            body,
        }))
    }
}

fn is_followed(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::MOVED_PERMANENTLY
            | StatusCode::FOUND
            | StatusCode::SEE_OTHER
            | StatusCode::TEMPORARY_REDIRECT
            | StatusCode::PERMANENT_REDIRECT
    )
}

/// Where `location` points from `current`, if the client may go there.
fn target(current: &Url, location: &HeaderValue) -> Result<Url, String> {
    let location = location
        .to_str()
        .map_err(|_| "the Location header is not text".to_owned())?;
    let target = current
        .join(location)
        .map_err(|e| format!("the Location header is not a URL: {e}"))?;
    match (current.scheme(), target.scheme()) {
        ("https", "https") | ("http", "http" | "https") => Ok(target),
        ("https", "http") => Err(format!(
            "refusing to follow a redirect from https to http ({})",
            describe(&target)
        )),
        (_, other) => Err(format!("refusing to follow a redirect to a {other}: URL")),
    }
}

/// A URL for a message: its scheme and host only. Userinfo, the path and the query may
/// all hold personal data or a signed token.
fn describe(url: &Url) -> String {
    format!("{}://{}", url.scheme(), url.host_str().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn downgrades_and_other_schemes_are_refused() {
        let here = url("https://api.example.com/v1/a");
        let to = |l: &'static str| target(&here, &HeaderValue::from_static(l));
        assert!(to("http://api.example.com/v1/b").is_err());
        assert!(to("file:///etc/passwd").is_err());
        assert_eq!(
            to("/v1/b").unwrap().as_str(),
            "https://api.example.com/v1/b"
        );
        let plain = url("http://127.0.0.1:1/a");
        assert!(target(&plain, &HeaderValue::from_static("https://example.com/")).is_ok());
    }

    #[test]
    fn messages_never_carry_userinfo_or_query() {
        let u = url("https://user:pw@example.com/p/+15551234567?token=secret");
        assert_eq!(describe(&u), "https://example.com");
    }
}

//! Lazy iteration over paginated list operations.

use futures_core::Stream;
use reqwest::Url;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::request::Prepared;

/// One page of a list response; generated code implements this for each list type.
pub trait Page: DeserializeOwned + Send + 'static {
    /// The element type.
    type Item: Send + 'static;

    /// The link to the next page, absolute (Twilio's `meta.next_page_url`) or
    /// host-relative (the older top-level `next_page_uri`); `None` or empty on the
    /// last page.
    fn next_page_url(&self) -> Option<&str>;

    /// The page's items, in order.
    fn into_items(self) -> Vec<Self::Item>;
}

struct State<I> {
    /// The request for the next page, or the error to report in its place.
    next: Option<Result<Prepared, Error>>,
    items: std::vec::IntoIter<I>,
    remaining: Option<u64>,
}

pub(crate) fn stream<P: Page>(
    first: Result<Prepared, Error>,
    limit: Option<u64>,
) -> impl Stream<Item = Result<P::Item, Error>> + Send + 'static {
    let state = State::<P::Item> {
        next: Some(first),
        items: Vec::new().into_iter(),
        remaining: limit,
    };
    futures_util::stream::unfold(state, |mut state| async move {
        loop {
            if state.remaining == Some(0) {
                return None;
            }
            if let Some(item) = state.items.next() {
                if let Some(remaining) = &mut state.remaining {
                    *remaining -= 1;
                }
                return Some((Ok(item), state));
            }
            let request = match state.next.take()? {
                Ok(request) => request,
                Err(error) => return Some((Err(error), state)),
            };
            let page = match request.execute().await {
                Ok(raw) => raw.json::<P>(request.op.id),
                Err(error) => Err(error),
            };
            let page = match page {
                Ok(page) => page,
                Err(error) => return Some((Err(error), state)),
            };
            state.next = page
                .next_page_url()
                .and_then(|link| next_request(&request, link));
            state.items = page.into_items().into_iter();
        }
    })
}

/// The request for `link`, `None` at the end, or an error for a link not to follow.
fn next_request(current: &Prepared, link: &str) -> Option<Result<Prepared, Error>> {
    let link = link.trim();
    if link.is_empty() {
        return None;
    }
    let operation = current.op.id;
    let fail = |message: String| Some(Err(Error::Pagination { operation, message }));
    let mut url = match current.url.join(link) {
        Ok(url) => url,
        Err(e) => return fail(format!("invalid next page URL: {e}")),
    };
    if origin(&url) != origin(&current.url) {
        // The server knows only its public host; behind a base URL (proxy, mock)
        // its links must be mapped back onto the configured origin.
        let declared = current
            .client
            .api()
            .servers
            .get(current.op.server)
            .and_then(|s| Url::parse(s).ok());
        if declared.is_some_and(|d| origin(&d) == origin(&url)) {
            let same_scheme = url.scheme() == current.url.scheme();
            let moved = (same_scheme || url.set_scheme(current.url.scheme()).is_ok())
                && url.set_host(current.url.host_str()).is_ok()
                && url.set_port(current.url.port()).is_ok();
            if !moved {
                return fail("cannot map the next page URL onto the configured host".to_owned());
            }
        } else {
            return fail(format!(
                "the next page is on another host ({}); not following it, so credentials stay with the configured host",
                url.host_str().unwrap_or("none")
            ));
        }
    }
    if url == current.url {
        return None;
    }
    Some(Ok(current.follow(url)))
}

fn origin(url: &Url) -> (&str, Option<&str>, Option<u16>) {
    (url.scheme(), url.host_str(), url.port_or_known_default())
}

//! Lazy iteration over paginated list operations.

use futures_core::Stream;
use futures_util::future::{self, Either};
use futures_util::stream::{self, StreamExt as _};
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

pub(crate) fn stream<P: Page>(
    first: Result<Prepared, Error>,
    limit: Option<u64>,
) -> impl Stream<Item = Result<P::Item, Error>> + Send + 'static {
    // Pages are fetched lazily, one at a time, and their items handed out from a plain
    // iterator: a state machine per item (as `unfold` over items was) cost more than the
    // requests themselves on long streams (see BENCHMARKS.md).
    let pages = stream::unfold(Some(first), |next| async move {
        let request = match next? {
            Ok(request) => request,
            // The first error ends the stream.
            Err(error) => return Some((Err(error), None)),
        };
        let page = match request.execute().await {
            Ok(raw) => raw.json::<P>(request.op.id),
            Err(error) => Err(error),
        };
        match page {
            Ok(page) => {
                let next = page
                    .next_page_url()
                    .and_then(|link| next_request(&request, link));
                Some((Ok(page.into_items()), next))
            }
            Err(error) => Some((Err(error), None)),
        }
    });
    // `take` stops polling once the limit is reached, so no page beyond it is fetched.
    let limit = limit.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
    pages
        .flat_map(|page| match page {
            Ok(items) => Either::Left(stream::iter(items.into_iter().map(Ok))),
            Err(error) => Either::Right(stream::once(future::ready(Err(error)))),
        })
        .take(limit)
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

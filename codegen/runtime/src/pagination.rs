//! Lazy iteration over list operations: a stream of pages ([`Pages`]), a stream of items
//! ([`Items`]), and resuming a listing from a saved [`NextLink`].
//!
//! Next-page links are followed only to the scheme, host and port the first request went
//! to, so credentials never go elsewhere; a link to the spec's own host is mapped onto a
//! configured base URL (a proxy, a mock). Anything else ends the stream with
//! [`Error::Pagination`].
//!
//! Every listing ends, whatever the server links to: a next link to a page this stream
//! already fetched (query parameters in any order), a cursor value seen before, more pages
//! than [`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages), or a run of empty
//! pages that still link onwards each end it with [`Error::Pagination`], never silently.

use std::collections::HashSet;
use std::fmt;
use std::hash::{DefaultHasher, Hasher as _};
use std::pin::Pin;
use std::str::FromStr;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::future::{self, Either};
use futures_util::stream::{self, StreamExt as _};
use reqwest::Url;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::{CallOptions, Client, PageLimits};
use crate::encoding::Request;
use crate::error::Error;
use crate::response::{Metadata, RawResponse};
use crate::transport::Prepared;
use crate::wire::origin;

/// One page of a list response; generated code implements this for each list type.
pub trait ListPage: DeserializeOwned + Send + 'static {
    /// The element type.
    type Item: Send + 'static;

    /// The link to the next page, absolute (Twilio's `meta.next_page_url`) or
    /// host-relative (the older top-level `next_page_uri`); `None` or empty on the
    /// last page.
    fn next_page_url(&self) -> Option<&str>;

    /// The page's items, in order.
    fn items(&self) -> &[Self::Item];

    /// The page's items, in order, by value.
    fn into_items(self) -> Vec<Self::Item>;
}

/// A link to the next page of a listing, as the server sent it. Save it (it is
/// `Serialize`) to resume the listing later with the list builder's `resume_from`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NextLink(String);

impl NextLink {
    /// A link saved earlier.
    pub fn new(link: impl Into<String>) -> Self {
        NextLink(link.into())
    }

    /// The link as the server sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NextLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for NextLink {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(NextLink(s.to_owned()))
    }
}

/// Query parameters that carry a per-page cursor: a value seen twice in one listing is a
/// loop even when the other parameters (a page number, a timestamp) change. Compared
/// without case, `_` or `-`. Names that are as often a fixed filter (`after`) or a cursor
/// meant to stay fixed (a scroll id) are not on the list.
const CURSOR_PARAMS: &[&str] = &[
    "pagetoken",
    "cursor",
    "nextcursor",
    "pagecursor",
    "nexttoken",
    "continuationtoken",
    "startingafter",
];

/// What one listing has fetched so far: hashes of its URLs and cursors (so a long listing
/// costs 8 bytes a page, not a URL a page), and the pages counted.
#[derive(Default)]
struct Seen {
    urls: HashSet<u64>,
    cursors: HashSet<u64>,
    pages: u32,
    empty_run: u32,
}

impl Seen {
    /// Records `url` as fetched; `Err` says why the listing must end instead.
    fn visit(&mut self, url: &Url, limits: PageLimits) -> Result<(), String> {
        self.pages += 1;
        if self.pages > limits.max_pages {
            return Err(format!(
                "more than {} pages; raise ClientBuilder::max_pages if the listing is really that long",
                limits.max_pages
            ));
        }
        let mut pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        pairs.sort();
        if !self.urls.insert(hash(&(url.path(), &pairs))) {
            return Err(
                "the next page link leads back to a page of this listing: the server's links loop"
                    .to_owned(),
            );
        }
        for (name, value) in &pairs {
            let key: String = name
                .chars()
                .filter(|c| !matches!(c, '_' | '-'))
                .flat_map(char::to_lowercase)
                .collect();
            if CURSOR_PARAMS.contains(&key.as_str()) && !self.cursors.insert(hash(&(&key, value))) {
                return Err(format!(
                    "the next page link repeats a cursor ({name}) of this listing: the server's cursors loop"
                ));
            }
        }
        Ok(())
    }

    /// Counts a fetched page; `Err` when too many empty pages in a row still link onwards.
    fn page(&mut self, items: usize, has_next: bool, limits: PageLimits) -> Result<(), String> {
        if items > 0 || !has_next {
            self.empty_run = 0;
            return Ok(());
        }
        self.empty_run += 1;
        if self.empty_run > limits.max_empty_pages {
            return Err(format!(
                "{} empty pages in a row, each linking to another",
                self.empty_run
            ));
        }
        Ok(())
    }
}

fn hash(value: &impl std::hash::Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// One page: the decoded body, the link to the next page, and the response metadata.
#[derive(Clone, Debug)]
pub struct Page<P> {
    body: P,
    next: Option<NextLink>,
    metadata: Metadata,
}

impl<P: ListPage> Page<P> {
    /// The page's items.
    pub fn items(&self) -> &[P::Item] {
        self.body.items()
    }

    /// The page's items, by value.
    pub fn into_items(self) -> Vec<P::Item> {
        self.body.into_items()
    }

    /// The whole page as decoded (with the vendor's paging fields).
    pub fn body(&self) -> &P {
        &self.body
    }

    /// Where the next page is; `None` on the last page. Save it to resume later.
    pub fn next_link(&self) -> Option<&NextLink> {
        self.next.as_ref()
    }

    /// Status, headers and request id of the page's response.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }
}

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>;

/// Every page of a listing, fetched one at a time as the stream is polled. `Unpin`, so
/// `.next().await` works without pinning; the first error ends it.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<P: ListPage> {
    inner: BoxStream<Page<P>>,
}

impl<P: ListPage> Pages<P> {
    /// The items of every page, in order.
    pub fn items(self) -> Items<P::Item> {
        let items = self.inner.flat_map(|page| match page {
            Ok(page) => Either::Left(stream::iter(page.into_items().into_iter().map(Ok))),
            Err(error) => Either::Right(stream::once(future::ready(Err(error)))),
        });
        Items {
            inner: Box::pin(items),
        }
    }
}

impl<P: ListPage> Stream for Pages<P> {
    type Item = Result<Page<P>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<P: ListPage> fmt::Debug for Pages<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

/// Every item of every page, fetching the next page only when the previous one is used
/// up (one page in memory). `Unpin`; the first error ends it.
#[must_use = "streams do nothing unless polled"]
pub struct Items<T> {
    inner: BoxStream<T>,
}

impl<T: Send + 'static> Items<T> {
    /// Stops after `n` items; pages beyond them are never fetched.
    pub fn limit(self, n: usize) -> Items<T> {
        Items {
            inner: Box::pin(self.inner.take(n)),
        }
    }

    /// Collects every item, or returns the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(item) = self.inner.next().await {
            all.push(item?);
        }
        Ok(all)
    }
}

impl<T> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

impl Client {
    /// The pages of a list operation, starting with `request`, or with `resume` (a link
    /// saved from an earlier listing, checked like any next-page link).
    pub fn pages<P: ListPage>(&self, request: Request, resume: Option<NextLink>) -> Pages<P> {
        self.pages_with(request, resume, CallOptions::default())
    }

    /// [`pages`](Self::pages) with per-call settings, applied to every page's request.
    pub fn pages_with<P: ListPage>(
        &self,
        request: Request,
        resume: Option<NextLink>,
        options: CallOptions,
    ) -> Pages<P> {
        let first = request
            .encode()
            .and_then(|encoded| self.prepare(encoded, &options))
            .map(|prepared| match resume {
                None => Some(Ok(prepared)),
                // An empty saved link is the end of a listing: there is nothing to resume.
                Some(link) if link.as_str().trim().is_empty() => None,
                Some(link) => next_request(self, &prepared, link.as_str())
                    .or_else(|| Some(Ok(prepared.clone()))),
            })
            .unwrap_or_else(|e| Some(Err(e)));
        let client = self.clone();
        let limits = self.config.pages;
        // Pages are fetched lazily, one at a time, and their items handed out from a plain
        // iterator: a state machine per item (as `unfold` over items was) cost more than the
        // requests themselves on long streams (see BENCHMARKS.md).
        let pages = stream::unfold((first, Seen::default()), move |(next, mut seen)| {
            let client = client.clone();
            let options = options.clone();
            async move {
                let request = match next? {
                    Ok(request) => request,
                    // The first error ends the stream.
                    Err(error) => return Some((Err(error), (None, seen))),
                };
                let fail = |message| Error::Pagination {
                    operation: request.op.id,
                    message,
                };
                if let Err(message) = seen.visit(&request.url, limits) {
                    return Some((Err(fail(message)), (None, seen)));
                }
                let response = match client
                    .send(&request, &options)
                    .await
                    .and_then(|raw: RawResponse| raw.json::<P>())
                {
                    Ok(response) => response,
                    Err(error) => return Some((Err(error), (None, seen))),
                };
                let (body, metadata) = response.into_parts();
                let link = body
                    .next_page_url()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(NextLink::new);
                let next = link
                    .as_ref()
                    .and_then(|l| next_request(&client, &request, l.as_str()));
                if let Err(message) = seen.page(body.items().len(), next.is_some(), limits) {
                    return Some((Err(fail(message)), (None, seen)));
                }
                let page = Page {
                    body,
                    next: link,
                    metadata,
                };
                Some((Ok(page), (next, seen)))
            }
        });
        Pages {
            inner: Box::pin(pages),
        }
    }
}

/// The request for `link`, `None` at the end, or an error for a link not to follow.
fn next_request(
    client: &Client,
    current: &Prepared,
    link: &str,
) -> Option<Result<Prepared, Error>> {
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
        let declared = client
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
    Some(Ok(current.follow(url)))
}

//! Pagination against a mock server: `Pages` and `Items` streams (used without pinning),
//! next-page links (absolute, relative, the spec's host mapped onto the base URL, foreign
//! hosts refused), resuming from a saved link, `limit`, and errors ending the stream.

mod common;

use common::*;
use futures_util::StreamExt;
use sdk_runtime::{Client, Error, Items, ListPage, NextLink, Page, Pages, Request};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{any, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize)]
struct ThingPage {
    things: Vec<u32>,
    #[serde(default)]
    meta: Option<Meta>,
    #[serde(default)]
    next_page_uri: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Meta {
    next_page_url: Option<String>,
}

impl ListPage for ThingPage {
    type Item = u32;

    fn next_page_url(&self) -> Option<&str> {
        self.meta
            .as_ref()
            .and_then(|m| m.next_page_url.as_deref())
            .or(self.next_page_uri.as_deref())
    }

    fn items(&self) -> &[u32] {
        &self.things
    }

    fn into_items(self) -> Vec<u32> {
        self.things
    }
}

fn page(items: &[u32], next: Option<String>) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({ "things": items, "meta": { "next_page_url": next } }))
}

/// Mounts `pages`; page `i` answers `?Page=i` (the first answers no `Page`).
async fn serve(server: &MockServer, pages: Vec<ResponseTemplate>) {
    for (i, template) in pages.into_iter().enumerate() {
        let mock = if i == 0 {
            Mock::given(query_param_is_missing("Page"))
        } else {
            Mock::given(query_param("Page", i.to_string()))
        };
        mock.respond_with(template).mount(server).await;
    }
}

/// The absolute link to page `i` on `server`.
fn next(server: &MockServer, i: usize) -> Option<String> {
    Some(format!("{}/v1/Things?Page={i}&PageSize=2", server.uri()))
}

/// A server with pages [1, 2], [3, 4], [5, 6], [7].
async fn four_pages() -> MockServer {
    let server = MockServer::start().await;
    serve(
        &server,
        vec![
            page(&[1, 2], next(&server, 1)),
            page(&[3, 4], next(&server, 2)),
            page(&[5, 6], next(&server, 3)),
            page(&[7], None),
        ],
    )
    .await;
    server
}

fn list() -> Request {
    let mut req = Request::new(&LIST);
    req.query("PageSize", &2);
    req
}

fn pages(client: &Client) -> Pages<ThingPage> {
    client.pages::<ThingPage>(list(), None)
}

/// Every item, with errors as they come.
async fn collect(items: Items<u32>) -> Vec<Result<u32, Error>> {
    items.collect().await
}

async fn request_count(server: &MockServer) -> usize {
    received(server).await.len()
}

#[tokio::test]
async fn items_follow_all_pages_in_order() {
    let server = four_pages().await;
    let items = pages(&client(&server)).items().try_collect().await.unwrap();
    assert_eq!(items, [1, 2, 3, 4, 5, 6, 7]);
    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 4);
    assert_eq!(reqs[0].url.query(), Some("PageSize=2"));
    assert_eq!(reqs[3].url.query(), Some("Page=3&PageSize=2"));
    assert!(reqs
        .iter()
        .all(|r| header(r, "authorization") == BASIC_HEADER));
}

#[tokio::test]
async fn next_pages_keep_the_first_requests_headers() {
    let server = four_pages().await;
    let mut req = list();
    req.header("X-Trace", "t-1");
    let items = client(&server)
        .pages::<ThingPage>(req, None)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 7);
    let reqs = received(&server).await;
    assert!(reqs.iter().all(|r| header(r, "x-trace") == "t-1"));
    assert!(reqs.iter().all(|r| r.method.as_str() == "GET"));
}

#[tokio::test]
async fn pages_are_an_unpin_stream_with_next_links_and_metadata() {
    let server = MockServer::start().await;
    serve(
        &server,
        vec![
            page(&[1, 2], next(&server, 1)).insert_header("Twilio-Request-Id", "RQpage0"),
            page(&[3], None),
        ],
    )
    .await;
    let mut pages = pages(&client(&server));
    // No `pin!`: `Pages` is `Unpin`.
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.items(), [1, 2]);
    assert_eq!(first.body().things, [1, 2]);
    assert_eq!(
        first.next_link().map(NextLink::as_str),
        next(&server, 1).as_deref()
    );
    assert_eq!(first.metadata().request_id(), Some("RQpage0"));
    assert_eq!(first.metadata().status().as_u16(), 200);
    assert_eq!(request_count(&server).await, 1);

    let second: Page<ThingPage> = pages.next().await.unwrap().unwrap();
    assert_eq!(second.next_link(), None);
    assert_eq!(second.into_items(), [3]);
    assert!(pages.next().await.is_none());
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn items_are_an_unpin_stream_fetching_pages_as_needed() {
    let server = four_pages().await;
    let mut items = pages(&client(&server)).items();
    // No `pin!`: `Items` is `Unpin`.
    assert_eq!(items.next().await.unwrap().unwrap(), 1);
    assert_eq!(items.next().await.unwrap().unwrap(), 2);
    assert_eq!(request_count(&server).await, 1);
    assert_eq!(items.next().await.unwrap().unwrap(), 3);
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn limit_stops_without_fetching_further_pages() {
    let server = four_pages().await;
    let client = client(&server);
    let items = pages(&client).items().limit(3).try_collect().await.unwrap();
    assert_eq!(items, [1, 2, 3]);
    assert_eq!(request_count(&server).await, 2);

    let items = pages(&client).items().limit(2).try_collect().await.unwrap();
    assert_eq!(items, [1, 2]);
    assert_eq!(request_count(&server).await, 3);

    assert!(pages(&client)
        .items()
        .limit(0)
        .try_collect()
        .await
        .unwrap()
        .is_empty());
    assert_eq!(request_count(&server).await, 3);

    let items = pages(&client)
        .items()
        .limit(100)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 7);
    assert_eq!(request_count(&server).await, 7);
}

#[tokio::test]
async fn resuming_starts_at_the_saved_link() {
    let server = four_pages().await;
    let client = client(&server);
    let mut pages = pages(&client);
    let first = pages.next().await.unwrap().unwrap();
    let second = pages.next().await.unwrap().unwrap();
    drop(pages);
    assert_eq!(second.items(), [3, 4]);
    // Saved (say, to a database) and read back.
    let saved = serde_json::to_string(second.next_link().unwrap()).unwrap();
    assert_eq!(saved, serde_json::to_string(&next(&server, 2)).unwrap());
    let link: NextLink = serde_json::from_str(&saved).unwrap();
    assert_ne!(first.next_link(), Some(&link));

    let before = request_count(&server).await;
    let items = client
        .pages::<ThingPage>(list(), Some(link))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, [5, 6, 7]);
    let reqs = received(&server).await;
    assert_eq!(reqs.len(), before + 2);
    assert_eq!(reqs[before].url.query(), Some("Page=2&PageSize=2"));
}

#[tokio::test]
async fn an_empty_saved_link_is_the_end_of_the_listing() {
    let server = four_pages().await;
    let items = client(&server)
        .pages::<ThingPage>(list(), Some(NextLink::new("")))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(items.is_empty(), "{items:?}");
    assert_eq!(request_count(&server).await, 0);
}

#[tokio::test]
async fn a_saved_link_to_the_specs_host_resumes_on_the_base_url() {
    let server = four_pages().await;
    let link: NextLink = "https://flex-api.twilio.com/v1/Things?Page=3&PageSize=2"
        .parse()
        .unwrap();
    let items = client(&server)
        .pages::<ThingPage>(list(), Some(link))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, [7]);
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn a_saved_link_to_another_host_is_refused_before_sending() {
    let server = four_pages().await;
    let foreign = MockServer::start().await;
    Mock::given(any())
        .respond_with(page(&[9], None))
        .mount(&foreign)
        .await;
    let link = NextLink::new(next(&foreign, 1).unwrap());
    let mut pages = client(&server).pages::<ThingPage>(list(), Some(link));
    let err = pages.next().await.unwrap().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Pagination {
                operation: "ListThings",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("another host"), "{err}");
    assert!(pages.next().await.is_none());
    assert_eq!(request_count(&server).await, 0);
    assert_eq!(request_count(&foreign).await, 0);
}

#[tokio::test]
async fn empty_page_ends_cleanly() {
    let server = MockServer::start().await;
    serve(&server, vec![page(&[], None)]).await;
    assert!(collect(pages(&client(&server)).items()).await.is_empty());
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn empty_string_next_url_ends() {
    let server = MockServer::start().await;
    serve(&server, vec![page(&[1], Some("  ".into()))]).await;
    let mut pages = pages(&client(&server));
    let only = pages.next().await.unwrap().unwrap();
    assert_eq!(only.next_link(), None);
    assert!(pages.next().await.is_none());
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn a_next_link_to_another_host_is_refused() {
    let server = MockServer::start().await;
    let foreign = MockServer::start().await;
    Mock::given(any())
        .respond_with(page(&[9], None))
        .mount(&foreign)
        .await;
    serve(&server, vec![page(&[1, 2], next(&foreign, 1))]).await;
    let results = collect(pages(&client(&server)).items()).await;
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().unwrap(), &1);
    assert_eq!(results[1].as_ref().unwrap(), &2);
    assert!(
        matches!(
            &results[2],
            Err(Error::Pagination {
                operation: "ListThings",
                ..
            })
        ),
        "{:?}",
        results[2]
    );
    assert_eq!(request_count(&foreign).await, 0);
}

#[tokio::test]
async fn an_error_on_a_later_page_ends_the_stream() {
    let server = MockServer::start().await;
    serve(
        &server,
        vec![
            page(&[1, 2], next(&server, 1)),
            ResponseTemplate::new(500).set_body_string("boom"),
        ],
    )
    .await;
    let results = collect(pages(&client(&server)).items()).await;
    assert_eq!(results.len(), 3);
    assert_eq!(*results[1].as_ref().unwrap(), 2);
    assert_eq!(
        results[2].as_ref().unwrap_err().status().unwrap().as_u16(),
        500
    );
    let err = pages(&client(&server))
        .items()
        .try_collect()
        .await
        .unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 500);
}

#[tokio::test]
async fn a_page_that_does_not_decode_ends_the_stream_with_a_decode_error() {
    let server = MockServer::start().await;
    serve(
        &server,
        vec![ResponseTemplate::new(200).set_body_json(json!({ "things": ["x"] }))],
    )
    .await;
    let mut pages = pages(&client(&server));
    let err = pages.next().await.unwrap().unwrap_err();
    assert!(
        matches!(&err, Error::Decode { path, .. } if path == "things[0]"),
        "{err:?}"
    );
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn relative_next_page_uri_is_resolved() {
    let server = MockServer::start().await;
    serve(
        &server,
        vec![
            ResponseTemplate::new(200)
                .set_body_json(json!({ "things": [1], "next_page_uri": "/v1/Things?Page=1" })),
            ResponseTemplate::new(200)
                .set_body_json(json!({ "things": [2], "next_page_uri": null })),
        ],
    )
    .await;
    let items = pages(&client(&server)).items().try_collect().await.unwrap();
    assert_eq!(items, [1, 2]);
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn a_next_url_equal_to_the_current_one_ends_with_an_error_not_silently() {
    let server = MockServer::start().await;
    let same = format!("{}/v1/Things?PageSize=2", server.uri());
    serve(&server, vec![page(&[1], Some(same))]).await;
    let items = collect(pages(&client(&server)).items()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(*items[0].as_ref().unwrap(), 1);
    assert!(
        matches!(&items[1], Err(Error::Pagination { message, .. }) if message.contains("loop")),
        "{items:?}"
    );
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn links_to_the_declared_host_follow_the_base_url() {
    let server = MockServer::start().await;
    serve(
        &server,
        vec![
            page(
                &[1],
                Some("https://flex-api.twilio.com/v1/Things?Page=1".into()),
            ),
            page(&[2], None),
        ],
    )
    .await;
    let items = pages(&client(&server)).items().try_collect().await.unwrap();
    assert_eq!(items, [1, 2]);
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn invalid_input_is_reported_by_the_stream_without_sending() {
    let server = MockServer::start().await;
    let mut req = list();
    req.header("X-Bad", "a\nb");
    let results = collect(client(&server).pages::<ThingPage>(req, None).items()).await;
    assert!(
        matches!(results.as_slice(), [Err(Error::InvalidInput { .. })]),
        "{results:?}"
    );
    assert_eq!(request_count(&server).await, 0);
}

#[test]
fn streams_are_send_static_and_unpin() {
    fn assert_stream<T: Send + Unpin + 'static>(_: &T) {}
    let client = sdk_runtime::ClientBuilder::<TwilioClient>::new()
        .basic_auth("u", "p")
        .build()
        .unwrap()
        .0;
    let pages = pages(&client);
    assert_stream(&pages);
    assert_stream(&pages.items());
}

#[test]
fn next_links_display_and_parse_as_the_server_sent_them() {
    let link = NextLink::new("/v1/Things?Page=1");
    assert_eq!(link.to_string(), "/v1/Things?Page=1");
    assert_eq!(link.as_str(), "/v1/Things?Page=1");
    assert_eq!("/v1/Things?Page=1".parse::<NextLink>().unwrap(), link);
    assert_eq!(
        serde_json::to_value(&link).unwrap(),
        json!("/v1/Things?Page=1")
    );
}

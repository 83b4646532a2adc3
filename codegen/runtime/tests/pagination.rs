//! Pagination over a local mock server.

use futures_util::StreamExt;
use sdk_runtime::{
    ApiInfo, AuthKind, Client, ClientBuilder, Credentials, EnvCredentials, Error, Operation, Page,
    RetryPolicy,
};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{any, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

static API: ApiInfo = ApiInfo {
    crate_name: "twilio_test",
    crate_version: "0.0.0",
    servers: &["https://flex-api.twilio.com/v1"],
    auth: AuthKind::Basic,
    env: EnvCredentials {
        basic: &[],
        bearer: &[],
    },
    twilio_hosts: None,
};

static LIST: Operation = Operation {
    id: "ListThings",
    method: sdk_runtime::reqwest::Method::GET,
    path: "/Things",
    server: 0,
};

#[derive(Deserialize)]
struct ThingPage {
    things: Vec<u32>,
    #[serde(default)]
    meta: Option<Meta>,
    #[serde(default)]
    next_page_uri: Option<String>,
}

#[derive(Deserialize)]
struct Meta {
    next_page_url: Option<String>,
}

impl Page for ThingPage {
    type Item = u32;

    fn next_page_url(&self) -> Option<&str> {
        self.meta
            .as_ref()
            .and_then(|m| m.next_page_url.as_deref())
            .or(self.next_page_uri.as_deref())
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

fn next(server: &MockServer, i: usize) -> Option<String> {
    Some(format!("{}/v1/Things?Page={i}&PageSize=2", server.uri()))
}

fn client(server: &MockServer) -> Client {
    ClientBuilder::new(&API)
        .credentials(Credentials::basic("u", "p"))
        .base_url(server.uri())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

async fn collect(client: &Client, limit: Option<u64>) -> Vec<Result<u32, Error>> {
    let mut req = client.request(&LIST);
    req.query("PageSize", &2);
    req.paginate::<ThingPage>(limit).collect().await
}

fn ok(results: Vec<Result<u32, Error>>) -> Vec<u32> {
    results.into_iter().map(Result::unwrap).collect()
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn follows_all_pages_in_order() {
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
    assert_eq!(
        ok(collect(&client(&server), None).await),
        [1, 2, 3, 4, 5, 6, 7]
    );
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 4);
    assert_eq!(reqs[0].url.query(), Some("PageSize=2"));
    assert_eq!(reqs[3].url.query(), Some("Page=3&PageSize=2"));
    assert!(reqs
        .iter()
        .all(|r| r.headers.get("authorization").is_some()));
}

#[tokio::test]
async fn empty_page_ends_cleanly() {
    let server = MockServer::start().await;
    serve(&server, vec![page(&[], None)]).await;
    assert!(collect(&client(&server), None).await.is_empty());
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn empty_string_next_url_ends() {
    let server = MockServer::start().await;
    serve(&server, vec![page(&[1], Some(String::new()))]).await;
    assert_eq!(ok(collect(&client(&server), None).await), [1]);
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn limit_stops_mid_page_without_fetching_more() {
    let server = MockServer::start().await;
    serve(
        &server,
        vec![
            page(&[1, 2], next(&server, 1)),
            page(&[3, 4], next(&server, 2)),
            page(&[5, 6], None),
        ],
    )
    .await;
    let client = client(&server);
    assert_eq!(ok(collect(&client, Some(3)).await), [1, 2, 3]);
    assert_eq!(request_count(&server).await, 2);
    assert_eq!(ok(collect(&client, Some(2)).await), [1, 2]);
    assert_eq!(request_count(&server).await, 3);
    assert!(collect(&client, Some(0)).await.is_empty());
    assert_eq!(request_count(&server).await, 3);
}

#[tokio::test]
async fn foreign_next_url_is_refused() {
    let server = MockServer::start().await;
    let foreign = MockServer::start().await;
    Mock::given(any())
        .respond_with(page(&[9], None))
        .mount(&foreign)
        .await;
    serve(&server, vec![page(&[1, 2], next(&foreign, 1))]).await;
    let results = collect(&client(&server), None).await;
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
async fn error_on_second_page_ends_stream() {
    let server = MockServer::start().await;
    serve(
        &server,
        vec![
            page(&[1, 2], next(&server, 1)),
            ResponseTemplate::new(500).set_body_string("boom"),
        ],
    )
    .await;
    let results = collect(&client(&server), None).await;
    assert_eq!(results.len(), 3);
    assert_eq!(*results[1].as_ref().unwrap(), 2);
    assert_eq!(
        results[2].as_ref().unwrap_err().status().unwrap().as_u16(),
        500
    );
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
    assert_eq!(ok(collect(&client(&server), None).await), [1, 2]);
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn next_url_equal_to_current_stops() {
    let server = MockServer::start().await;
    let same = format!("{}/v1/Things?PageSize=2", server.uri());
    serve(&server, vec![page(&[1], Some(same))]).await;
    assert_eq!(ok(collect(&client(&server), None).await), [1]);
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
    assert_eq!(ok(collect(&client(&server), None).await), [1, 2]);
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn invalid_input_is_reported_by_the_stream() {
    let server = MockServer::start().await;
    let mut req = client(&server).request(&LIST);
    req.header("X-Bad", "a\nb");
    let results: Vec<_> = req.paginate::<ThingPage>(None).collect().await;
    assert!(matches!(
        results.as_slice(),
        [Err(Error::InvalidInput { .. })]
    ));
    assert_eq!(request_count(&server).await, 0);
}

#[test]
fn stream_is_send_and_static() {
    fn assert_send_static<T: Send + 'static>(_: &T) {}
    let client = Client::new(&API, Credentials::basic("u", "p"));
    let stream = client.request(&LIST).paginate::<ThingPage>(None);
    assert_send_static(&stream);
}

//! Shared by the integration tests: API descriptions as generated crates declare them,
//! client wrappers like the generated ones, and mock-server helpers.
#![allow(dead_code, reason = "each test binary uses only some of these helpers")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use sdk_runtime::reqwest::Method;
use sdk_runtime::time::ManualTimer;
use sdk_runtime::{ApiClient, ApiInfo, AuthScheme, Client, ClientBuilder, ClientToken, Operation};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// A Twilio API, declared as the generator declares one.
pub(crate) static TWILIO: ApiInfo = ApiInfo {
    crate_name: "twilio_test",
    crate_version: "1.2.3",
    servers: &["https://flex-api.twilio.com/v1"],
    auth: AuthScheme::Basic,
    env: sdk_runtime::extensions::twilio::ENV_AUTH,
    hosts: Some(&sdk_runtime::extensions::twilio::REGIONAL_HOSTS),
    request_id_header: Some(sdk_runtime::extensions::twilio::REQUEST_ID_HEADER),
};

/// A Front API: bearer auth, no regional hosts, no vendor request id header.
pub(crate) static FRONT: ApiInfo = ApiInfo {
    crate_name: "front_test",
    crate_version: "0.1.0",
    servers: &["https://api2.frontapp.com"],
    auth: AuthScheme::Bearer,
    env: sdk_runtime::extensions::front::ENV_AUTH,
    hosts: None,
    request_id_header: None,
};

/// An API without authentication.
pub(crate) static OPEN: ApiInfo = ApiInfo {
    crate_name: "open_test",
    crate_version: "0.0.1",
    servers: &["https://api.example.com/v3"],
    auth: AuthScheme::None,
    env: &[],
    hosts: None,
    request_id_header: None,
};

/// The client of [`TWILIO`], as a generated crate wraps the runtime's.
#[derive(Debug)]
pub(crate) struct TwilioClient(pub(crate) Client);

impl ApiClient for TwilioClient {
    const API: &'static ApiInfo = &TWILIO;
    fn from_runtime(client: Client, _: ClientToken) -> Self {
        TwilioClient(client)
    }
}

/// The client of [`FRONT`].
#[derive(Debug)]
pub(crate) struct FrontClient(pub(crate) Client);

impl ApiClient for FrontClient {
    const API: &'static ApiInfo = &FRONT;
    fn from_runtime(client: Client, _: ClientToken) -> Self {
        FrontClient(client)
    }
}

/// The client of [`OPEN`].
#[derive(Debug)]
pub(crate) struct OpenClient(pub(crate) Client);

impl ApiClient for OpenClient {
    const API: &'static ApiInfo = &OPEN;
    fn from_runtime(client: Client, _: ClientToken) -> Self {
        OpenClient(client)
    }
}

pub(crate) static FETCH_USER: Operation = Operation {
    id: "FetchUser",
    method: Method::GET,
    path: "/Users/{Sid}",
    server: 0,
    errors: &[],
};

pub(crate) static LIST: Operation = Operation {
    id: "ListThings",
    method: Method::GET,
    path: "/Things",
    server: 0,
    errors: &[],
};

pub(crate) static CREATE: Operation = Operation {
    id: "CreateThing",
    method: Method::POST,
    path: "/Things",
    server: 0,
    errors: &[],
};

/// A Front Channel API operation: its path names the channel.
pub(crate) static SYNC_MESSAGE: Operation = Operation {
    id: "SyncInboundMessage",
    method: Method::POST,
    path: "/channels/{channel_id}/inbound_messages",
    server: 0,
    errors: &[],
};

pub(crate) const USER: &str = "ACuser";
pub(crate) const PASSWORD: &str = "s3cr3t-auth-token";
/// `Basic base64("ACuser:s3cr3t-auth-token")`.
pub(crate) const BASIC_HEADER: &str = "Basic QUN1c2VyOnMzY3IzdC1hdXRoLXRva2Vu";

/// 2023-11-14T22:13:20Z: where every test clock starts unless a test needs the real time.
pub(crate) fn start_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// A clock standing at [`start_time`]: sleeps return at once and are recorded.
pub(crate) fn timer() -> ManualTimer {
    ManualTimer::new(start_time())
}

/// A Twilio client builder with basic auth, sending to `server`, on a manual clock (so
/// retries never wait).
pub(crate) fn builder(server: &MockServer) -> ClientBuilder<TwilioClient> {
    ClientBuilder::<TwilioClient>::new()
        .basic_auth(USER, PASSWORD)
        .base_url(server.uri())
        .timer(timer())
}

pub(crate) fn client(server: &MockServer) -> Client {
    builder(server).build().unwrap().0
}

/// A client of `server` that sends each request once, so a test sees the first failure.
pub(crate) fn no_retries(server: &MockServer) -> Client {
    builder(server)
        .retry_policy(sdk_runtime::RetryPolicy::disabled())
        .build()
        .unwrap()
        .0
}

/// A server answering every request with `template`.
pub(crate) async fn server_with(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

/// A server answering with `first` in turn, then with `then` for good.
pub(crate) async fn server_answering(
    first: Vec<ResponseTemplate>,
    then: ResponseTemplate,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(InTurn::new(first, then))
        .mount(&server)
        .await;
    server
}

/// Answers with each template in turn, then with the last one for good.
pub(crate) struct InTurn {
    first: Vec<ResponseTemplate>,
    then: ResponseTemplate,
    next: AtomicUsize,
}

impl InTurn {
    pub(crate) fn new(first: Vec<ResponseTemplate>, then: ResponseTemplate) -> Self {
        InTurn {
            first,
            then,
            next: AtomicUsize::new(0),
        }
    }
}

impl Respond for InTurn {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        self.first.get(i).unwrap_or(&self.then).clone()
    }
}

pub(crate) fn json_ok(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

pub(crate) async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

/// A header of a received request; panics if it is missing.
pub(crate) fn header<'a>(request: &'a wiremock::Request, name: &str) -> &'a str {
    request
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

/// The body of a received request as text.
pub(crate) fn body_text(request: &wiremock::Request) -> String {
    String::from_utf8_lossy(&request.body).into_owned()
}

/// A port nothing listens on (very likely): bound, then released.
pub(crate) fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A page of `things` with a `next` link: the list shape of the fault and mock tests.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct ThingPage {
    pub(crate) things: Vec<u32>,
    pub(crate) next: Option<String>,
}

impl sdk_runtime::ListPage for ThingPage {
    type Item = u32;
    fn next_page_url(&self) -> Option<&str> {
        self.next.as_deref()
    }
    fn items(&self) -> &[u32] {
        &self.things
    }
    fn into_items(self) -> Vec<u32> {
        self.things
    }
}

/// A Twilio client of the server at `uri`, with the test credentials, on a manual clock (retry
/// waits take no time): the client most loopback tests start from.
pub(crate) fn twilio_builder(uri: &str) -> ClientBuilder<TwilioClient> {
    ClientBuilder::<TwilioClient>::new()
        .basic_auth(USER, PASSWORD)
        .base_url(uri)
        .timer(ManualTimer::new(start_time()))
}

/// [`twilio_builder`], built.
pub(crate) fn twilio_client(uri: &str) -> Client {
    twilio_builder(uri).build().unwrap().0
}

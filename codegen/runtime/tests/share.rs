//! One client's connection pool, credentials, retry budget and host choice serve every
//! API of the same vendor (`Client::share`); another vendor's API is refused.
#![cfg(feature = "test-util")]

mod common;

use common::*;
use sdk_runtime::auth::ClientCredentials;
use sdk_runtime::mock::{MockHttp, MockResponse};
use sdk_runtime::time::ManualTimer;
use sdk_runtime::{
    ApiClient, ApiInfo, AuthScheme, Client, ClientBuilder, ClientToken, Error, Request, RetryBudget,
};

/// A second Twilio API, as another generated Twilio crate declares it.
static TWILIO_V2: ApiInfo = ApiInfo {
    crate_name: "twilio_test_v2",
    crate_version: "2.0.0",
    servers: &["https://flex-api.twilio.com/v2"],
    auth: AuthScheme::Basic,
    env: sdk_runtime::extensions::twilio::ENV_AUTH,
    hosts: Some(&sdk_runtime::extensions::twilio::REGIONAL_HOSTS),
    request_id_header: Some(sdk_runtime::extensions::twilio::REQUEST_ID_HEADER),
};

struct TwilioV2(Client);

impl ApiClient for TwilioV2 {
    const API: &'static ApiInfo = &TWILIO_V2;
    fn from_runtime(client: Client, _: ClientToken) -> Self {
        TwilioV2(client)
    }
}

#[tokio::test]
async fn a_shared_client_sends_through_the_same_transport_with_the_same_token() {
    let mock = MockHttp::new();
    mock.on_any()
        .when(|r| r.url.path() == "/v2/token")
        .answer(MockResponse::json(
            200,
            &serde_json::json!({"access_token": "tok", "expires_in": 3600}),
        ));
    mock.on(&LIST)
        .answer(MockResponse::json(200, &serde_json::json!({})));
    let TwilioClient(v1) = ClientBuilder::<TwilioClient>::new()
        .auth(ClientCredentials::new(
            "https://oauth.twilio.com/v2/token",
            "id",
            "secret",
        ))
        .transport(mock.clone())
        .region("au1")
        .timer(ManualTimer::new(start_time()))
        .build()
        .unwrap();
    let TwilioV2(v2) = v1.share::<TwilioV2>().unwrap();
    assert_eq!(v2.server_url(0), Some("https://flex-api.au1.twilio.com/v2"));
    v1.execute(Request::new(&LIST)).await.unwrap();
    v2.execute(Request::new(&LIST)).await.unwrap();
    let calls = mock.calls(&LIST);
    let hosts: Vec<String> = calls.iter().map(|c| c.url.as_str().to_owned()).collect();
    assert_eq!(
        hosts,
        [
            "https://flex-api.au1.twilio.com/v1/Things",
            "https://flex-api.au1.twilio.com/v2/Things"
        ]
    );
    assert_eq!(calls[1].headers["user-agent"], "twilio_test_v2/2.0.0");
    assert!(calls
        .iter()
        .all(|c| c.headers["authorization"] == "Bearer tok"));
    assert_eq!(mock.requests().len(), 3, "one token for both APIs");
}

#[tokio::test]
async fn shared_clients_draw_on_one_retry_budget() {
    let mock = MockHttp::new();
    mock.on(&LIST).answer(MockResponse::status(503));
    let TwilioClient(v1) = ClientBuilder::<TwilioClient>::new()
        .basic_auth(USER, PASSWORD)
        .transport(mock.clone())
        .retry_budget(RetryBudget::with_capacity(2))
        .timer(ManualTimer::new(start_time()))
        .build()
        .unwrap();
    let TwilioV2(v2) = v1.share::<TwilioV2>().unwrap();
    v1.execute(Request::new(&LIST)).await.unwrap_err();
    assert_eq!(mock.requests().len(), 3, "two retries: the whole budget");
    v2.execute(Request::new(&LIST)).await.unwrap_err();
    assert_eq!(mock.requests().len(), 4, "nothing left for the other API");
}

#[test]
fn another_vendor_s_api_cannot_share_the_credentials() {
    let TwilioClient(twilio) = ClientBuilder::<TwilioClient>::new()
        .basic_auth(USER, PASSWORD)
        .build()
        .unwrap();
    let err = twilio.share::<FrontClient>().unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m.contains("front_test")),
        "{err}"
    );
    assert!(!format!("{err:?}").contains(PASSWORD));
}

//! `ClientBuilder::from_env`. Kept in its own test binary because setting
//! environment variables while other threads may read them is not thread-safe.

use sdk_runtime::{ApiInfo, AuthKind, Client, ClientBuilder, EnvCredentials, TwilioHosts};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

static API: ApiInfo = ApiInfo {
    crate_name: "twilio_test",
    crate_version: "1.2.3",
    servers: &["https://flex-api.twilio.com/v1"],
    auth: AuthKind::Basic,
    env: EnvCredentials {
        basic: &[
            ("SDKRT_T_KEY", "SDKRT_T_SECRET"),
            ("SDKRT_T_SID", "SDKRT_T_TOKEN"),
        ],
        bearer: &[],
    },
    twilio_hosts: Some(TwilioHosts {
        region_var: "SDKRT_T_REGION",
        edge_var: "SDKRT_T_EDGE",
    }),
};

static BEARER_API: ApiInfo = ApiInfo {
    crate_name: "front_test",
    crate_version: "0.1.0",
    servers: &["https://api2.frontapp.com"],
    auth: AuthKind::Bearer,
    env: EnvCredentials {
        basic: &[],
        bearer: &["SDKRT_F_TOKEN"],
    },
    twilio_hosts: None,
};

static LIST: sdk_runtime::Operation = sdk_runtime::Operation {
    id: "ListThings",
    method: sdk_runtime::reqwest::Method::GET,
    path: "/Things",
    server: 0,
};

async fn server_with(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

fn header<'a>(req: &'a wiremock::Request, name: &str) -> &'a str {
    req.headers.get(name).unwrap().to_str().unwrap()
}

#[tokio::test]
async fn from_env_uses_first_complete_pair_and_names_variables() {
    // The only test in this binary, so nothing else reads the environment concurrently.
    // Only the second pair is complete; the first is half-set.
    std::env::set_var("SDKRT_T_KEY", "SKkey");
    std::env::set_var("SDKRT_T_SID", "ACsid");
    std::env::set_var("SDKRT_T_TOKEN", "tok");
    std::env::set_var("SDKRT_T_REGION", "au1");
    let builder = ClientBuilder::<Client>::new(&API).from_env().unwrap();
    let client = builder.build().unwrap();
    assert_eq!(client.server_url(0), "https://flex-api.au1.twilio.com/v1");

    let server = server_with(ResponseTemplate::new(200)).await;
    let client = ClientBuilder::<Client>::new(&API)
        .from_env()
        .unwrap()
        .base_url(server.uri())
        .build()
        .unwrap();
    client.request(&LIST).send_empty().await.unwrap();
    // base64("ACsid:tok")
    assert_eq!(
        header(&received(&server).await[0], "authorization"),
        "Basic QUNzaWQ6dG9r"
    );

    let err = ClientBuilder::<Client>::new(&BEARER_API)
        .from_env()
        .unwrap_err();
    assert!(err.to_string().contains("SDKRT_F_TOKEN"), "{err}");
}

//! `ClientBuilder::from_env` with Twilio's and Front's credential sources and Twilio's
//! region and edge variables.
//!
//! A test binary of its own with a single test: environment variables are process-global,
//! and setting them while another thread reads them is not thread-safe.

mod common;

use common::*;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use sdk_runtime::{
    ApiClient, ApiInfo, AuthScheme, Client, ClientBuilder, ClientToken, Error, Request,
};
use wiremock::MockServer;

const VARS: &[&str] = &[
    "TWILIO_API_KEY",
    "TWILIO_API_SECRET",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_CLIENT_ID",
    "TWILIO_CLIENT_SECRET",
    "TWILIO_REGION",
    "TWILIO_EDGE",
    "FRONT_APP_UID",
    "FRONT_APP_SECRET",
    "FRONT_API_TOKEN",
];

/// Exactly these variables set, out of [`VARS`].
fn env(vars: &[(&str, &str)]) {
    for var in VARS {
        std::env::remove_var(var);
    }
    for (name, value) in vars {
        assert!(VARS.contains(name), "{name}");
        std::env::set_var(name, value);
    }
}

fn config_message(err: Error) -> String {
    match err {
        Error::Config(message) => message,
        other => panic!("expected a Config error, got {other:?}"),
    }
}

/// The `Authorization` header a Twilio client built from the environment sends.
async fn twilio_authorization(server: &MockServer) -> String {
    let client = ClientBuilder::<TwilioClient>::new()
        .from_env()
        .unwrap()
        .base_url(server.uri())
        .build()
        .unwrap()
        .0;
    client.execute(Request::new(&LIST)).await.unwrap();
    header(received(server).await.last().unwrap(), "authorization").to_owned()
}

/// The `Authorization` header a Front client built from the environment sends to a
/// Channel API operation.
async fn front_authorization(server: &MockServer) -> String {
    let client = ClientBuilder::<FrontClient>::new()
        .from_env()
        .unwrap()
        .base_url(server.uri())
        .build()
        .unwrap()
        .0;
    let mut req = Request::new(&SYNC_MESSAGE);
    req.path_param("channel_id", "cha_9");
    client.execute(req).await.unwrap();
    header(received(server).await.last().unwrap(), "authorization").to_owned()
}

fn twilio_server_url() -> String {
    let client = ClientBuilder::<TwilioClient>::new()
        .from_env()
        .unwrap()
        .build()
        .unwrap()
        .0;
    client.server_url(0).unwrap().to_owned()
}

/// Basic auth, but no environment sources.
static NO_ENV: ApiInfo = ApiInfo {
    crate_name: "no_env_test",
    crate_version: "0.0.0",
    servers: &["https://api.example.com"],
    auth: AuthScheme::Basic,
    env: &[],
    hosts: None,
    request_id_header: None,
};

#[derive(Debug)]
struct NoEnvClient;

impl ApiClient for NoEnvClient {
    const API: &'static ApiInfo = &NO_ENV;
    fn from_runtime(_: Client, _: ClientToken) -> Self {
        NoEnvClient
    }
}

#[tokio::test]
async fn from_env_reads_each_vendors_sources_in_order() {
    let server = server_with(json_ok("{}")).await;

    // Nothing set: the error names every variable looked for.
    env(&[]);
    let message = config_message(ClientBuilder::<TwilioClient>::new().from_env().unwrap_err());
    for var in &VARS[..6] {
        assert!(message.contains(var), "{message} lacks {var}");
    }
    assert!(message.contains("OAuth client credentials"), "{message}");
    let message = config_message(ClientBuilder::<FrontClient>::new().from_env().unwrap_err());
    for var in ["FRONT_APP_UID", "FRONT_APP_SECRET", "FRONT_API_TOKEN"] {
        assert!(message.contains(var), "{message} lacks {var}");
    }
    let message = config_message(ClientBuilder::<NoEnvClient>::new().from_env().unwrap_err());
    assert!(
        message.contains("no_env_test reads no credentials"),
        "{message}"
    );
    // An API without auth needs nothing from the environment.
    ClientBuilder::<OpenClient>::new()
        .from_env()
        .unwrap()
        .build()
        .unwrap();

    // Twilio: a half-set API key pair is skipped for the account SID and auth token.
    env(&[
        ("TWILIO_API_KEY", "SKkey"),
        ("TWILIO_ACCOUNT_SID", "ACsid"),
        ("TWILIO_AUTH_TOKEN", "tok"),
    ]);
    // base64("ACsid:tok")
    assert_eq!(twilio_authorization(&server).await, "Basic QUNzaWQ6dG9r");

    // A complete API key pair beats the account SID.
    env(&[
        ("TWILIO_API_KEY", "SKkey"),
        ("TWILIO_API_SECRET", "ksecret"),
        ("TWILIO_ACCOUNT_SID", "ACsid"),
        ("TWILIO_AUTH_TOKEN", "tok"),
    ]);
    // base64("SKkey:ksecret")
    assert_eq!(
        twilio_authorization(&server).await,
        "Basic U0trZXk6a3NlY3JldA=="
    );

    // Empty counts as unset.
    env(&[
        ("TWILIO_API_KEY", ""),
        ("TWILIO_API_SECRET", "ksecret"),
        ("TWILIO_ACCOUNT_SID", "ACsid"),
        ("TWILIO_AUTH_TOKEN", "tok"),
    ]);
    assert_eq!(twilio_authorization(&server).await, "Basic QUNzaWQ6dG9r");

    // Only an OAuth client: Twilio's token endpoint with that client.
    env(&[
        ("TWILIO_CLIENT_ID", "oauth-client"),
        ("TWILIO_CLIENT_SECRET", "oauth-s3cret"),
    ]);
    let client = ClientBuilder::<TwilioClient>::new()
        .from_env()
        .unwrap()
        .build()
        .unwrap()
        .0;
    let shown = format!("{client:?}");
    assert!(shown.contains("ClientCredentials"), "{shown}");
    assert!(
        shown.contains("https://oauth.twilio.com/v2/token"),
        "{shown}"
    );
    assert!(shown.contains("oauth-client"), "{shown}");
    assert!(!shown.contains("oauth-s3cret"), "{shown}");
    env(&[("TWILIO_CLIENT_ID", "oauth-client")]);
    assert!(ClientBuilder::<TwilioClient>::new().from_env().is_err());

    // Region and edge pick the regional host; an explicit region beats the variable.
    env(&[
        ("TWILIO_ACCOUNT_SID", "ACsid"),
        ("TWILIO_AUTH_TOKEN", "tok"),
        ("TWILIO_REGION", "au1"),
    ]);
    assert_eq!(twilio_server_url(), "https://flex-api.au1.twilio.com/v1");
    let explicit = ClientBuilder::<TwilioClient>::new()
        .from_env()
        .unwrap()
        .region("ie1")
        .build()
        .unwrap()
        .0;
    assert_eq!(
        explicit.server_url(0),
        Some("https://flex-api.ie1.twilio.com/v1")
    );
    env(&[
        ("TWILIO_ACCOUNT_SID", "ACsid"),
        ("TWILIO_AUTH_TOKEN", "tok"),
        ("TWILIO_REGION", "au1"),
        ("TWILIO_EDGE", "sydney"),
    ]);
    assert_eq!(
        twilio_server_url(),
        "https://flex-api.sydney.au1.twilio.com/v1"
    );
    env(&[
        ("TWILIO_ACCOUNT_SID", "ACsid"),
        ("TWILIO_AUTH_TOKEN", "tok"),
        ("TWILIO_EDGE", "dublin"),
    ]);
    assert_eq!(
        twilio_server_url(),
        "https://flex-api.dublin.us1.twilio.com/v1"
    );

    // Front: the app's UID and secret (a channel JWT) beat an API token; Twilio's region
    // means nothing to Front.
    env(&[
        ("FRONT_APP_UID", "app_env"),
        ("FRONT_APP_SECRET", "app-s3cret"),
        ("FRONT_API_TOKEN", "ftok"),
        ("TWILIO_REGION", "au1"),
    ]);
    let authorization = front_authorization(&server).await;
    let jwt = authorization.strip_prefix("Bearer ").unwrap();
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&["app_env"]);
    validation.sub = Some("cha_9".to_owned());
    jsonwebtoken::decode::<serde_json::Value>(
        jwt,
        &DecodingKey::from_secret(b"app-s3cret"),
        &validation,
    )
    .unwrap();

    env(&[("FRONT_APP_UID", "app_env"), ("FRONT_API_TOKEN", "ftok")]);
    assert_eq!(front_authorization(&server).await, "Bearer ftok");

    // A variable that is not UTF-8 is an error naming it, not "unset".
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt as _;
        env(&[
            ("TWILIO_ACCOUNT_SID", "ACsid"),
            ("TWILIO_AUTH_TOKEN", "tok"),
        ]);
        std::env::set_var("TWILIO_API_KEY", std::ffi::OsStr::from_bytes(b"SK\xff"));
        let message = config_message(ClientBuilder::<TwilioClient>::new().from_env().unwrap_err());
        assert!(message.contains("TWILIO_API_KEY"), "{message}");
        assert!(message.contains("UTF-8"), "{message}");
    }
    env(&[]);
}

//! Authentication: the built-in providers (basic, bearer, none), custom providers asked
//! before every attempt, OAuth 2.0 client credentials against a mock token endpoint, Front's
//! channel JWT checked with an independent JWT library, and secrets kept out of logs.

mod common;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::*;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sdk_runtime::auth::{
    AuthError, AuthHeaders, AuthRequest, ClientAuthentication, ClientCredentials, SharedAuth,
};
use sdk_runtime::extensions::front::ChannelJwt;
use sdk_runtime::reqwest::header::{HeaderName, HeaderValue};
use sdk_runtime::reqwest::Method;
use sdk_runtime::time::{BoxFuture, ManualTimer};
use sdk_runtime::{AuthProvider, Client, ClientBuilder, Error, Operation, Request, Secret};
use serde::Deserialize;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

// ---------------------------------------------------------------- built-in providers

#[tokio::test]
async fn bearer_auth_sends_the_token() {
    let server = server_with(ResponseTemplate::new(204)).await;
    let client = ClientBuilder::<FrontClient>::new()
        .bearer_auth("tok-123")
        .base_url(server.uri())
        .build()
        .unwrap()
        .0;
    client.execute(Request::new(&LIST)).await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(header(&reqs[0], "authorization"), "Bearer tok-123");
    assert_eq!(header(&reqs[0], "user-agent"), "front_test/0.1.0");
    assert_eq!(reqs[0].url.path(), "/Things");
}

#[tokio::test]
async fn an_api_without_auth_needs_no_credentials_and_sends_none() {
    let server = server_with(json_ok("{}")).await;
    let client = ClientBuilder::<OpenClient>::new()
        .base_url(server.uri())
        .build()
        .unwrap()
        .0;
    client.execute(Request::new(&LIST)).await.unwrap();
    let reqs = received(&server).await;
    assert!(reqs[0].headers.get("authorization").is_none());
    assert_eq!(reqs[0].url.path(), "/v3/Things");
}

#[test]
fn missing_credentials_is_a_config_error() {
    let err = ClientBuilder::<TwilioClient>::new().build().unwrap_err();
    match err {
        Error::Config(message) => {
            assert!(
                message.contains("twilio_test requires credentials"),
                "{message}"
            );
            assert!(message.contains("from_env()"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(ClientBuilder::<FrontClient>::new().build().is_err());
}

#[tokio::test]
async fn credentials_that_cannot_be_a_header_fail_with_auth_error_before_sending() {
    let server = server_with(json_ok("{}")).await;
    let client = ClientBuilder::<FrontClient>::new()
        .bearer_auth("tok\nInjected: yes")
        .base_url(server.uri())
        .build()
        .unwrap()
        .0;
    let err = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Auth {
                operation: "ListThings",
                ..
            }
        ),
        "{err:?}"
    );
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("Injected"), "{shown}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn secrets_never_appear_in_debug_or_display() {
    let server = server_with(
        ResponseTemplate::new(401).set_body_string(r#"{"code":20003,"message":"Authenticate"}"#),
    )
    .await;
    let builder = builder(&server);
    let shown = format!("{builder:?}");
    assert!(
        !shown.contains(PASSWORD) && shown.contains("<redacted>"),
        "{shown}"
    );
    let client = builder.build().unwrap().0;
    let shown = format!("{client:?}");
    assert!(
        !shown.contains(PASSWORD) && shown.contains("<redacted>"),
        "{shown}"
    );

    let basic = sdk_runtime::auth::Basic::new(USER, PASSWORD);
    assert_eq!(basic.username(), USER);
    assert!(!format!("{basic:?}").contains(PASSWORD));
    let bearer = sdk_runtime::auth::Bearer::new(PASSWORD);
    assert!(!format!("{bearer:?}").contains(PASSWORD));
    let oauth = ClientCredentials::new("https://auth.local/token", "client-1", PASSWORD);
    assert!(!format!("{oauth:?}").contains(PASSWORD));
    let jwt = ChannelJwt::new("app_1", PASSWORD);
    assert!(!format!("{jwt:?}").contains(PASSWORD));

    let secret = Secret::new(PASSWORD);
    assert_eq!(format!("{secret:?}"), "<redacted>");
    assert_eq!(secret.to_string(), "<redacted>");
    assert_eq!(secret.expose(), PASSWORD);
    assert_eq!(Secret::from(PASSWORD.to_owned()), secret);

    let err = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(!shown.contains(&BASIC_HEADER[6..]), "{shown}");
}

#[test]
fn request_debug_shows_the_operation_not_the_values() {
    let mut req = Request::new(&FETCH_USER);
    req.path_param("Sid", "+15551234567");
    req.query("To", "+15557654321");
    req.form_body(&[("Body", "a private message")]);
    let shown = format!("{req:?}");
    assert!(shown.contains("FetchUser"), "{shown}");
    for private in ["15551234567", "15557654321", "private message"] {
        assert!(!shown.contains(private), "{shown}");
    }
}

// ---------------------------------------------------------------- custom providers

/// What a provider saw of one attempt.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    operation: &'static str,
    method: Method,
    path: String,
    sid: Option<String>,
    now: SystemTime,
}

/// Adds `X-Api-Key: key-<n>` for its n-th call and records what it was asked.
#[derive(Debug, Default)]
struct Recording {
    seen: Mutex<Vec<Seen>>,
}

impl AuthProvider for Recording {
    fn authorize<'a>(
        &'a self,
        request: &'a AuthRequest<'a>,
    ) -> BoxFuture<'a, Result<AuthHeaders, AuthError>> {
        let mut seen = self.seen.lock().unwrap();
        seen.push(Seen {
            operation: request.operation(),
            method: request.method().clone(),
            path: request.url().path().to_owned(),
            sid: request.path_param("Sid").map(str::to_owned),
            now: request.now(),
        });
        let value = HeaderValue::from_str(&format!("key-{}", seen.len())).unwrap();
        let headers = AuthHeaders::none().with(HeaderName::from_static("x-api-key"), value);
        Box::pin(std::future::ready(Ok(headers)))
    }
}

#[tokio::test]
async fn a_custom_provider_is_asked_before_every_attempt_and_sees_the_request() {
    let server = server_answering(
        vec![ResponseTemplate::new(429).insert_header("Retry-After", "3")],
        json_ok("{}"),
    )
    .await;
    let recording = Arc::new(Recording::default());
    let client = ClientBuilder::<TwilioClient>::new()
        .shared_auth(recording.clone() as SharedAuth)
        .base_url(server.uri())
        .timer(timer())
        .build()
        .unwrap()
        .0;
    let mut req = Request::new(&FETCH_USER);
    req.path_param("Sid", "US 1");
    client.execute(req).await.unwrap();

    let reqs = received(&server).await;
    assert_eq!(header(&reqs[0], "x-api-key"), "key-1");
    assert_eq!(header(&reqs[1], "x-api-key"), "key-2");
    assert!(reqs[0].headers.get("authorization").is_none());
    let seen = recording.seen.lock().unwrap().clone();
    let first = Seen {
        operation: "FetchUser",
        method: Method::GET,
        path: "/v1/Users/US%201".to_owned(),
        // As given, not percent-encoded.
        sid: Some("US 1".to_owned()),
        now: start_time(),
    };
    let second = Seen {
        // The clock moved by the 3 s the client waited.
        now: start_time() + Duration::from_secs(3),
        ..first.clone()
    };
    assert_eq!(seen, [first, second]);
}

#[tokio::test]
async fn a_provider_error_is_an_auth_error_and_nothing_is_sent() {
    #[derive(Debug)]
    struct Refuses;
    impl AuthProvider for Refuses {
        fn authorize<'a>(
            &'a self,
            _: &'a AuthRequest<'a>,
        ) -> BoxFuture<'a, Result<AuthHeaders, AuthError>> {
            Box::pin(std::future::ready(Err(AuthError::new("no key today"))))
        }
    }
    let server = server_with(json_ok("{}")).await;
    let client = ClientBuilder::<TwilioClient>::new()
        .auth(Refuses)
        .base_url(server.uri())
        .timer(timer())
        .build()
        .unwrap()
        .0;
    let err = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "ListThings: authentication failed: no key today"
    );
    assert!(!err.is_retryable());
    assert!(received(&server).await.is_empty());
}

// ---------------------------------------------------------------- OAuth client credentials

const CLIENT_SECRET: &str = "oauth-client-s3cret";

/// Issues `tok-1`, `tok-2`, ... with the given lifetime, after `delay`.
struct TokenEndpoint {
    issued: Mutex<u32>,
    expires_in: u64,
    delay: Duration,
}

impl Respond for TokenEndpoint {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let mut issued = self.issued.lock().unwrap();
        *issued += 1;
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({
                "access_token": format!("tok-{issued}"),
                "token_type": "Bearer",
                "expires_in": self.expires_in,
            }))
            .set_delay(self.delay)
    }
}

/// A token endpoint at `/v2/token` issuing tokens valid for `expires_in` seconds.
async fn token_server(expires_in: u64, delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/token"))
        .respond_with(TokenEndpoint {
            issued: Mutex::new(0),
            expires_in,
            delay,
        })
        .mount(&server)
        .await;
    server
}

fn token_url(server: &MockServer) -> String {
    format!("{}/v2/token", server.uri())
}

/// Sends a request now, one at `at - 1 s` (still on the first token) and one at `at`, which
/// must fetch a second token: the token is replaced at `at`, not before.
async fn assert_token_replaced_at(
    client: &Client,
    timer: &ManualTimer,
    tokens: &MockServer,
    at: Duration,
) {
    client.execute(Request::new(&LIST)).await.unwrap();
    timer.advance(at - Duration::from_secs(1));
    client.execute(Request::new(&LIST)).await.unwrap();
    assert_eq!(received(tokens).await.len(), 1, "one token before {at:?}");
    timer.advance(Duration::from_secs(1));
    client.execute(Request::new(&LIST)).await.unwrap();
    assert_eq!(received(tokens).await.len(), 2, "a new token at {at:?}");
}

fn oauth_client(api: &MockServer, provider: ClientCredentials, timer: &ManualTimer) -> Client {
    ClientBuilder::<TwilioClient>::new()
        .auth(provider)
        .base_url(api.uri())
        .timer(timer.clone())
        .build()
        .unwrap()
        .0
}

/// The `Authorization` header of every request `api` received.
async fn authorizations(api: &MockServer) -> Vec<String> {
    received(api)
        .await
        .iter()
        .map(|r| header(r, "authorization").to_owned())
        .collect()
}

#[tokio::test]
async fn oauth_fetches_a_token_once_and_reuses_it() {
    let tokens = token_server(3600, Duration::ZERO).await;
    let api = server_with(json_ok("{}")).await;
    let provider = ClientCredentials::new(token_url(&tokens), "client-1", CLIENT_SECRET);
    let client = oauth_client(&api, provider, &timer());
    client.execute(Request::new(&LIST)).await.unwrap();
    client.execute(Request::new(&LIST)).await.unwrap();

    let token_requests = received(&tokens).await;
    assert_eq!(token_requests.len(), 1);
    let t = &token_requests[0];
    assert_eq!(
        header(t, "content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(header(t, "accept"), "application/json");
    assert!(t.headers.get("authorization").is_none());
    assert_eq!(
        form_pairs(t),
        pairs(&[
            ("grant_type", "client_credentials"),
            ("client_id", "client-1"),
            ("client_secret", CLIENT_SECRET),
        ])
    );
    assert_eq!(authorizations(&api).await, ["Bearer tok-1", "Bearer tok-1"]);
}

#[tokio::test]
async fn oauth_fetches_a_new_token_shortly_before_the_old_one_expires() {
    let tokens = token_server(3600, Duration::ZERO).await;
    let api = server_with(json_ok("{}")).await;
    let timer = timer();
    let provider = ClientCredentials::new(token_url(&tokens), "client-1", CLIENT_SECRET);
    let client = oauth_client(&api, provider, &timer);
    // The default margin is 60 s: the token is replaced from 3540 s on.
    assert_token_replaced_at(&client, &timer, &tokens, Duration::from_secs(3540)).await;
    client.execute(Request::new(&LIST)).await.unwrap();
    assert_eq!(
        authorizations(&api).await,
        [
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-2",
            "Bearer tok-2"
        ]
    );
}

#[tokio::test]
async fn a_failed_refresh_keeps_using_a_token_that_has_not_expired() {
    let tokens = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json_ok(
            r#"{"access_token":"tok-1","token_type":"bearer","expires_in":3600}"#,
        ))
        .up_to_n_times(1)
        .mount(&tokens)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&tokens)
        .await;
    let api = server_with(json_ok("{}")).await;
    let timer = timer();
    let provider = ClientCredentials::new(token_url(&tokens), "client-1", CLIENT_SECRET);
    let client = oauth_client(&api, provider, &timer);
    client.execute(Request::new(&LIST)).await.unwrap();
    // In the refresh margin the endpoint fails; the token is still valid for 10 s.
    timer.advance(Duration::from_secs(3590));
    client.execute(Request::new(&LIST)).await.unwrap();
    assert_eq!(authorizations(&api).await, ["Bearer tok-1", "Bearer tok-1"]);
    // Once it has expired, the failure is the request's.
    timer.advance(Duration::from_secs(10));
    let err = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    assert_eq!(
        received(&api).await.len(),
        2,
        "nothing sent without a valid token"
    );
}

#[tokio::test]
async fn oauth_refresh_margin_is_configurable_and_at_most_half_the_lifetime() {
    // A 100 s token with a 60 s margin would be replaced at 40 s; half its lifetime wins.
    let tokens = token_server(100, Duration::ZERO).await;
    let api = server_with(json_ok("{}")).await;
    let clock = timer();
    let provider = ClientCredentials::new(token_url(&tokens), "client-1", CLIENT_SECRET);
    let client = oauth_client(&api, provider, &clock);
    assert_token_replaced_at(&client, &clock, &tokens, Duration::from_secs(50)).await;

    // A 600 s margin replaces a one-hour token at 3000 s.
    let tokens = token_server(3600, Duration::ZERO).await;
    let clock = timer();
    let provider = ClientCredentials::new(token_url(&tokens), "client-1", CLIENT_SECRET)
        .refresh_margin(Duration::from_secs(600));
    let client = oauth_client(&api, provider, &clock);
    assert_token_replaced_at(&client, &clock, &tokens, Duration::from_secs(3000)).await;
}

#[tokio::test]
async fn concurrent_requests_wait_for_one_token_fetch() {
    // The token takes a while, so all five requests ask for it while it is being fetched.
    let tokens = token_server(3600, Duration::from_millis(100)).await;
    let api = server_with(json_ok("{}")).await;
    let provider = ClientCredentials::new(token_url(&tokens), "client-1", CLIENT_SECRET);
    let client = oauth_client(&api, provider, &timer());
    let results =
        futures_util::future::join_all((0..5).map(|_| client.execute(Request::new(&LIST)))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(received(&tokens).await.len(), 1);
    assert_eq!(authorizations(&api).await, ["Bearer tok-1"; 5]);
}

#[tokio::test]
async fn clients_sharing_a_provider_share_its_token() {
    let tokens = token_server(3600, Duration::ZERO).await;
    let api = server_with(json_ok("{}")).await;
    let provider: SharedAuth = Arc::new(ClientCredentials::new(
        token_url(&tokens),
        "client-1",
        CLIENT_SECRET,
    ));
    let build = || {
        ClientBuilder::<TwilioClient>::new()
            .shared_auth(provider.clone())
            .base_url(api.uri())
            .timer(timer())
            .build()
            .unwrap()
            .0
    };
    let (a, b) = (build(), build());
    a.execute(Request::new(&LIST)).await.unwrap();
    b.execute(Request::new(&LIST)).await.unwrap();
    a.clone().execute(Request::new(&LIST)).await.unwrap();
    assert_eq!(received(&tokens).await.len(), 1);
}

#[tokio::test]
async fn a_token_endpoint_error_is_an_auth_error_without_the_secret() {
    let tokens = MockServer::start().await;
    Mock::given(path("/v2/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": "Client authentication failed"
        })))
        .mount(&tokens)
        .await;
    let api = server_with(json_ok("{}")).await;
    let provider = ClientCredentials::new(token_url(&tokens), "client-1", CLIENT_SECRET);
    let timer = timer();
    let client = oauth_client(&api, provider, &timer);
    let err = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Auth {
                operation: "ListThings",
                ..
            }
        ),
        "{err:?}"
    );
    let display = err.to_string();
    assert!(display.contains("HTTP 401"), "{display}");
    assert!(
        display.contains("invalid_client (Client authentication failed)"),
        "{display}"
    );
    let shown = format!("{err} {err:?} {client:?}");
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    assert!(received(&api).await.is_empty());
    // The failure backs off: a request in the next second fails at once with the same
    // error, without asking the endpoint again...
    let again = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert!(again.to_string().contains("HTTP 401"), "{again}");
    assert_eq!(received(&tokens).await.len(), 1);
    // ...and once the backoff is over, the next request asks again.
    timer.advance(Duration::from_secs(1));
    assert!(client.execute(Request::new(&LIST)).await.is_err());
    assert_eq!(received(&tokens).await.len(), 2);
}

#[tokio::test]
async fn an_unreachable_or_malformed_token_endpoint_is_an_auth_error() {
    let api = server_with(json_ok("{}")).await;
    let unreachable = format!("http://127.0.0.1:{}/v2/token", closed_port());
    let client = oauth_client(
        &api,
        ClientCredentials::new(unreachable, "client-1", CLIENT_SECRET),
        &timer(),
    );
    let err = client.execute(Request::new(&LIST)).await.unwrap_err();
    assert!(matches!(err, Error::Auth { .. }), "{err:?}");

    for body in [
        serde_json::json!({"token_type": "Bearer"}),
        serde_json::json!({"access_token": "t", "token_type": "mac"}),
    ] {
        let tokens = server_with(ResponseTemplate::new(200).set_body_json(body)).await;
        let client = oauth_client(
            &api,
            ClientCredentials::new(token_url(&tokens), "client-1", CLIENT_SECRET),
            &timer(),
        );
        let err = client.execute(Request::new(&LIST)).await.unwrap_err();
        assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    }
    assert!(received(&api).await.is_empty());
}

/// A JWT whose `exp` lies `secs` after the test clock's start.
fn jwt_expiring_in(secs: u64) -> String {
    #[derive(serde::Serialize)]
    struct Claims {
        exp: u64,
        sub: &'static str,
    }
    let now = start_time().duration_since(UNIX_EPOCH).unwrap().as_secs();
    jsonwebtoken::encode(
        &Header::default(),
        &Claims {
            exp: now + secs,
            sub: "client-1",
        },
        &EncodingKey::from_secret(b"issuer-key"),
    )
    .unwrap()
}

#[tokio::test]
async fn expires_in_beats_the_jwt_exp_claim() {
    // `expires_in` says an hour, the token's own `exp` ten minutes: `expires_in` wins, as it
    // is relative to the response and so immune to a wrong local clock.
    let jwt = jwt_expiring_in(600);
    let tokens = server_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": jwt,
        "token_type": "bearer",
        "expires_in": 3600,
    })))
    .await;
    let api = server_with(json_ok("{}")).await;
    let timer = timer();
    let provider = ClientCredentials::new(token_url(&tokens), "client-1", CLIENT_SECRET);
    let client = oauth_client(&api, provider, &timer);
    // Replaced 60 s before `expires_in` runs out: at 3,540 s.
    assert_token_replaced_at(&client, &timer, &tokens, Duration::from_secs(3540)).await;
    assert_eq!(authorizations(&api).await[0], format!("Bearer {jwt}"));
}

#[tokio::test]
async fn without_expires_in_the_jwt_exp_claim_sets_the_expiry() {
    let jwt = jwt_expiring_in(600);
    let tokens = server_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": jwt,
        "token_type": "bearer",
    })))
    .await;
    let api = server_with(json_ok("{}")).await;
    let timer = timer();
    let provider = ClientCredentials::new(token_url(&tokens), "client-1", CLIENT_SECRET);
    let client = oauth_client(&api, provider, &timer);
    // Replaced 60 s before its `exp`: at 540 s.
    assert_token_replaced_at(&client, &timer, &tokens, Duration::from_secs(540)).await;
}

#[tokio::test]
async fn oauth_client_authentication_by_basic_auth_with_scope_and_audience() {
    let tokens = token_server(3600, Duration::ZERO).await;
    let api = server_with(json_ok("{}")).await;
    let provider = ClientCredentials::new(token_url(&tokens), "client-1", CLIENT_SECRET)
        .client_authentication(ClientAuthentication::Basic)
        .scope("read write")
        .audience("https://api.example.com");
    let client = oauth_client(&api, provider, &timer());
    client.execute(Request::new(&LIST)).await.unwrap();
    let t = &received(&tokens).await[0];
    // base64("client-1:oauth-client-s3cret")
    assert_eq!(
        header(t, "authorization"),
        "Basic Y2xpZW50LTE6b2F1dGgtY2xpZW50LXMzY3JldA=="
    );
    assert_eq!(
        form_pairs(t),
        pairs(&[
            ("grant_type", "client_credentials"),
            ("scope", "read write"),
            ("audience", "https://api.example.com"),
        ])
    );
}

/// The pairs of a received form body.
fn form_pairs(request: &wiremock::Request) -> BTreeSet<(String, String)> {
    sdk_runtime::reqwest::Url::parse(&format!("http://x/?{}", body_text(request)))
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

// ---------------------------------------------------------------- Front channel JWT

const APP_UID: &str = "app_5f3c";
const APP_SECRET: &str = "front-app-s3cret";

#[derive(Debug, Deserialize)]
struct ChannelClaims {
    iss: String,
    sub: String,
    jti: String,
    exp: u64,
}

/// Verifies a channel JWT as Front would, with an independent implementation.
fn verify(token: &str, secret: &str) -> jsonwebtoken::errors::Result<ChannelClaims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "iss", "sub"]);
    validation.set_issuer(&[APP_UID]);
    let data = jsonwebtoken::decode::<ChannelClaims>(
        token,
        &DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    )?;
    assert_eq!(data.header.alg, Algorithm::HS256);
    assert_eq!(data.header.typ.as_deref(), Some("JWT"));
    Ok(data.claims)
}

/// The JWT in a request's `Authorization: Bearer` header.
fn bearer_token(request: &wiremock::Request) -> &str {
    header(request, "authorization")
        .strip_prefix("Bearer ")
        .expect("a bearer token")
}

/// A Front client signing with `provider`, on a manual clock at the real time (so that
/// the tokens it signs are valid now).
fn front_client(server: &MockServer, provider: ChannelJwt) -> (Client, ManualTimer, u64) {
    let now = SystemTime::now();
    let timer = ManualTimer::new(now);
    let client = ClientBuilder::<FrontClient>::new()
        .auth(provider)
        .base_url(server.uri())
        .timer(timer.clone())
        .build()
        .unwrap()
        .0;
    let secs = now.duration_since(UNIX_EPOCH).unwrap().as_secs();
    (client, timer, secs)
}

#[tokio::test]
async fn channel_jwt_names_app_and_channel_and_expires_in_30_seconds() {
    let server = server_with(json_ok("{}")).await;
    let (client, _timer, now) = front_client(&server, ChannelJwt::new(APP_UID, APP_SECRET));
    let mut req = Request::new(&SYNC_MESSAGE);
    req.path_param("channel_id", "cha_1 2");
    req.json_body(&serde_json::json!({"body": "hi"}));
    client.execute(req).await.unwrap();

    let reqs = received(&server).await;
    assert_eq!(reqs[0].url.path(), "/channels/cha_1%202/inbound_messages");
    let claims = verify(bearer_token(&reqs[0]), APP_SECRET).unwrap();
    assert_eq!(claims.iss, APP_UID);
    // The channel as given, not as encoded in the path.
    assert_eq!(claims.sub, "cha_1 2");
    assert_eq!(claims.exp, now + 30);
    assert_eq!(claims.jti.len(), 32, "{}", claims.jti);
}

#[tokio::test]
async fn a_channel_jwt_signed_with_another_secret_does_not_verify() {
    let server = server_with(json_ok("{}")).await;
    let (client, _timer, _) = front_client(&server, ChannelJwt::new(APP_UID, APP_SECRET));
    let mut req = Request::new(&SYNC_MESSAGE);
    req.path_param("channel_id", "cha_1");
    client.execute(req).await.unwrap();
    let token = bearer_token(&received(&server).await[0]).to_owned();
    assert!(verify(&token, APP_SECRET).is_ok());
    let err = verify(&token, "not-the-secret").unwrap_err();
    assert_eq!(
        *err.kind(),
        jsonwebtoken::errors::ErrorKind::InvalidSignature
    );
}

#[tokio::test]
async fn every_attempt_gets_a_fresh_channel_jwt() {
    let server = server_answering(
        vec![ResponseTemplate::new(429).insert_header("Retry-After", "5")],
        json_ok("{}"),
    )
    .await;
    let (client, timer, now) = front_client(&server, ChannelJwt::new(APP_UID, APP_SECRET));
    let mut req = Request::new(&SYNC_MESSAGE);
    req.path_param("channel_id", "cha_1");
    client.execute(req).await.unwrap();
    assert_eq!(timer.sleeps(), [Duration::from_secs(5)]);

    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 2);
    let first = verify(bearer_token(&reqs[0]), APP_SECRET).unwrap();
    let second = verify(bearer_token(&reqs[1]), APP_SECRET).unwrap();
    assert_ne!(first.jti, second.jti);
    // Signed at the client's time of each attempt: 5 s apart.
    assert_eq!(first.exp, now + 30);
    assert_eq!(second.exp, now + 35);
}

#[tokio::test]
async fn channel_jwt_lifetime_is_configurable() {
    let server = server_with(json_ok("{}")).await;
    let provider = ChannelJwt::new(APP_UID, APP_SECRET).lifetime(Duration::from_secs(5));
    let (client, _timer, now) = front_client(&server, provider);
    let mut req = Request::new(&SYNC_MESSAGE);
    req.path_param("channel_id", "cha_1");
    client.execute(req).await.unwrap();
    let claims = verify(bearer_token(&received(&server).await[0]), APP_SECRET).unwrap();
    assert_eq!(claims.exp, now + 5);
}

#[tokio::test]
async fn an_operation_without_a_channel_id_cannot_be_signed_and_sends_nothing() {
    static LIST_CHANNELS: Operation = Operation {
        id: "ListChannels",
        method: Method::GET,
        path: "/channels",
        server: 0,
        errors: &[],
    };
    let server = server_with(json_ok("{}")).await;
    let (client, _timer, _) = front_client(&server, ChannelJwt::new(APP_UID, APP_SECRET));
    let err = client
        .execute(Request::new(&LIST_CHANNELS))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Auth {
                operation: "ListChannels",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("channel_id"), "{err}");
    assert!(received(&server).await.is_empty());
}

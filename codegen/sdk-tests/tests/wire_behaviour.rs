//! Cross-cutting behaviour through generated operations: API errors and their helpers,
//! response metadata, untyped and empty bodies, timeouts, retries (on a manual clock, so
//! they take no wall time), pagination, SIDs shared between crates, and injection through
//! path, query and header parameters.

mod common;

use std::time::{Duration, Instant, SystemTime};

use common::*;
use futures_util::StreamExt;
use sdk_runtime::time::ManualTimer;
use sdk_runtime::{Error, NextLink, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const INSTANCE: &str = "GO0123456789abcdef0123456789abcdef";
const FLEX_USER: &str = "FU00112233445566778899aabbccddeeff";
const USER_SID: &str = "US0123456789abcdef0123456789abcdef";

fn frontline(server: &MockServer, retry: RetryPolicy) -> twilio_frontline_v1::Client {
    twilio_frontline_v1::Client::builder()
        .auth(twilio_auth())
        .base_url(server.uri())
        .retry_policy(retry)
        .build()
        .unwrap()
}

/// A client of any Twilio crate, with the test credentials, sending to `server`.
fn twilio<C: sdk_runtime::ApiClient>(server: &MockServer) -> C {
    sdk_runtime::ClientBuilder::<C>::new()
        .auth(twilio_auth())
        .base_url(server.uri())
        .build()
        .unwrap()
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::standard().initial_backoff(Duration::from_millis(10))
}

/// A frontline client on a manual clock: retries sleep no wall time, and the clock records
/// every wait.
fn frontline_on(server: &MockServer, timer: &ManualTimer) -> twilio_frontline_v1::Client {
    twilio_frontline_v1::Client::builder()
        .auth(twilio_auth())
        .base_url(server.uri())
        .timer(timer.clone())
        .build()
        .unwrap()
}

/// `server` answers the first `method` request with a 429 asking for `retry_after` seconds,
/// and the next with a 200 carrying `body`; each exactly once.
async fn throttled_once_then(
    server: &MockServer,
    verb: &str,
    retry_after: &str,
    body: serde_json::Value,
) {
    Mock::given(method(verb))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", retry_after))
        .up_to_n_times(1)
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method(verb))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

fn user_body() -> serde_json::Value {
    json!({"sid": USER_SID, "identity": "jane@example.com", "state": "active", "is_available": true})
}

// ---------------------------------------------------------------- API errors

#[tokio::test]
async fn twilio_error_body_surfaces_as_api_error() {
    let server = MockServer::start().await;
    let body = json!({
        "code": 20404,
        "message": format!("The requested resource /v2/Instances/{INSTANCE}/Users/{FLEX_USER} was not found"),
        "more_info": "https://www.twilio.com/docs/errors/20404",
        "status": 404
    });
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_json(body.clone()))
        .expect(1) // a 404 is not retried
        .mount(&server)
        .await;

    let err = twilio::<twilio_flex_v2::Client>(&server)
        .fetch_flex_user(INSTANCE.parse().unwrap(), FLEX_USER.parse().unwrap())
        .send()
        .await
        .unwrap_err();

    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.operation(), "FetchFlexUser");
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(api.json::<serde_json::Value>().unwrap(), body);
    let details = api.details().expect("parsed Twilio error");
    assert_eq!(details.code, Some(20404));
    assert_eq!(details.message.as_deref(), body["message"].as_str());
    assert_eq!(
        details.more_info.as_deref(),
        Some("https://www.twilio.com/docs/errors/20404")
    );
    assert_eq!(details.status, Some(404));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(!err.is_retryable());
    let shown = err.to_string();
    assert!(
        shown.contains("20404") && shown.contains("FetchFlexUser"),
        "{shown}"
    );
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn declared_401_of_fetch_configuration_is_an_api_error() {
    let server = MockServer::start().await;
    mount_once(&server, "GET", "/v1/Configuration", ResponseTemplate::new(401).set_body_json(json!({
            "code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401
        }))).await;
    let client = twilio::<twilio_flex_v1::Client>(&server);
    let err = client.fetch_configuration().send().await.unwrap_err();
    let api = err.api_error().expect("Error::Api");
    assert_eq!(api.status().as_u16(), 401);
    assert_eq!(err.code(), Some(20003));
    assert_eq!(err.message(), Some("Authenticate"));
}

#[tokio::test]
async fn wrong_response_shape_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"sid": USER_SID, "is_available": "yes"})),
        )
        .mount(&server)
        .await;
    let err = frontline(&server, RetryPolicy::disabled())
        .fetch_user(USER_SID)
        .send()
        .await
        .unwrap_err();
    match err {
        Error::Decode {
            operation,
            status,
            path,
            ..
        } => {
            assert_eq!(operation, "FetchUser");
            assert_eq!(status, 200);
            assert_eq!(path, "is_available");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

// ---------------------------------------------------------------- Timeouts and retries

#[tokio::test]
async fn slow_server_gives_timeout() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(user_body())
                .set_delay(Duration::from_secs(2)),
        )
        .mount(&server)
        .await;
    let client = twilio_frontline_v1::Client::builder()
        .auth(twilio_auth())
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .retry_policy(fast_retries())
        .build()
        .unwrap();

    let started = Instant::now();
    let err = client.fetch_user(USER_SID).send().await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(
            err,
            Error::Timeout {
                operation: "FetchUser"
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    // Each attempt is cut at 200 ms; none waits for the 2 s response.
    assert!(elapsed < Duration::from_millis(1900), "took {elapsed:?}");
}

#[tokio::test]
async fn get_is_retried_on_503_until_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_body()))
        .expect(1)
        .mount(&server)
        .await;

    let timer = ManualTimer::new(SystemTime::now());
    let user = frontline_on(&server, &timer)
        .fetch_user(USER_SID)
        .send()
        .await
        .unwrap();
    assert_eq!(user.identity.as_deref(), Some("jane@example.com"));
    assert_eq!(timer.sleeps().len(), 2, "two waits: {:?}", timer.sleeps());

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    for r in &requests {
        assert_target(r, "GET", &format!("/v1/Users/{USER_SID}"), None);
        assert_auth(r, TWILIO_AUTH);
    }
}

#[tokio::test]
async fn get_gives_up_after_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    let timer = ManualTimer::new(SystemTime::now());
    let err = frontline_on(&server, &timer)
        .fetch_user(USER_SID)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(request_count(&server).await, 3);
}

#[tokio::test]
async fn post_is_not_retried_on_503() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;

    let timer = ManualTimer::new(SystemTime::now());
    let err = frontline_on(&server, &timer)
        .update_user(USER_SID)
        .is_available(false)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.api_error().map(|e| e.status().as_u16()), Some(503));
    assert_eq!(request_count(&server).await, 1);
    assert!(timer.sleeps().is_empty());
}

#[tokio::test]
async fn throttled_post_is_retried_after_the_servers_wait() {
    // 429 means the request was not processed, so even a POST is sent again.
    let server = MockServer::start().await;
    throttled_once_then(&server, "POST", "2", user_body()).await;

    let timer = ManualTimer::new(SystemTime::now());
    let user = frontline_on(&server, &timer)
        .update_user(USER_SID)
        .friendly_name("Jane")
        .send()
        .await
        .unwrap();
    assert_eq!(user.sid.as_ref().unwrap().as_str(), USER_SID);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body, "the same request again");
    assert_eq!(timer.sleeps(), [Duration::from_secs(2)]);
}

#[tokio::test]
async fn retry_after_on_429_is_honoured() {
    let server = MockServer::start().await;
    throttled_once_then(&server, "GET", "1", user_body()).await;

    let timer = ManualTimer::new(SystemTime::now());
    let user = frontline_on(&server, &timer)
        .fetch_user(USER_SID)
        .send()
        .await
        .unwrap();
    assert_eq!(user.sid.as_ref().unwrap().as_str(), USER_SID);
    assert_eq!(request_count(&server).await, 2);
    // The backoff alone would be at most 200 ms; Retry-After asks for 1 s.
    assert_eq!(timer.sleeps(), [Duration::from_secs(1)]);
}

#[tokio::test]
async fn throttling_that_outlasts_the_budget_is_reported_with_its_wait() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "120")
                .insert_header("Twilio-Request-Id", "RQ0123")
                .set_body_json(
                    json!({"code": 20429, "message": "Too Many Requests", "status": 429}),
                ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let timer = ManualTimer::new(SystemTime::now());
    let err = frontline_on(&server, &timer)
        .fetch_user(USER_SID)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_throttled() && !err.is_not_found());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(err.request_id(), Some("RQ0123"));
    assert_eq!(err.code(), Some(20429));
    assert!(
        timer.sleeps().is_empty(),
        "a 120 s wait is beyond the policy's 20 s Retry-After cap (and its 30 s budget)"
    );
}

#[tokio::test]
async fn a_call_can_have_its_own_retry_policy_and_headers() {
    use sdk_runtime::reqwest::header::{HeaderName, HeaderValue};
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let timer = ManualTimer::new(SystemTime::now());
    let client = frontline_on(&server, &timer);
    client
        .fetch_user(USER_SID)
        .customize(|o| {
            o.retry_policy(RetryPolicy::disabled()).header(
                HeaderName::from_static("x-trace"),
                HeaderValue::from_static("t-7"),
            )
        })
        .send()
        .await
        .unwrap_err();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 1, "this call alone is not retried");
    assert_eq!(sent[0].headers.get("x-trace").unwrap(), "t-7");
    client.fetch_user(USER_SID).send().await.unwrap_err();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(
        sent.len(),
        4,
        "the next call has the client's policy, and no extra header"
    );
    assert!(sent[1].headers.get("x-trace").is_none());
}

// ---------------------------------------------------------------- Metadata and bodies

#[tokio::test]
async fn metadata_carries_status_headers_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(user_body())
                .insert_header("Twilio-Request-Id", "RQ0123456789abcdef0123456789abcdef")
                .insert_header("X-RateLimit-Remaining", "99"),
        )
        .mount(&server)
        .await;
    let response = frontline(&server, RetryPolicy::disabled())
        .fetch_user(USER_SID)
        .send_with_metadata()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.request_id(),
        Some("RQ0123456789abcdef0123456789abcdef")
    );
    assert_eq!(
        response.metadata().rate_limit().unwrap().remaining,
        Some(99)
    );
    assert_eq!(
        response.body().identity.as_deref(),
        Some("jane@example.com")
    );
}

#[tokio::test]
async fn a_success_without_a_schema_keeps_its_body() {
    // add-call-summary declares `202 Accepted` with no content; whatever Front sends back
    // reaches the user.
    let server = MockServer::start().await;
    let answer = json!({"status": "accepted"});
    Mock::given(any())
        .respond_with(ResponseTemplate::new(202).set_body_json(answer.clone()))
        .mount(&server)
        .await;
    let client = front_channel::Client::builder()
        .auth(front_auth())
        .base_url(server.uri())
        .build()
        .unwrap();
    let required = front_channel::operations::AddCallSummaryRequired {
        content: "Resolved".into(),
    };
    let body: sdk_runtime::Body = client
        .add_call_summary("cha_123", "call-1", required)
        .send()
        .await
        .unwrap();
    assert_eq!(body.content_type(), Some("application/json"));
    assert_eq!(body.json::<serde_json::Value>().unwrap(), answer);
}

#[tokio::test]
async fn the_flex_v1_overlay_types_a_body_the_spec_left_untyped() {
    // twilio_flex_v1.yaml declares listPlugins' 200 without a schema;
    // specs/twilio_flex_v1.overlay.yaml adds Twilio's published one, so the page decodes.
    let server = MockServer::start().await;
    let page = json!({"plugins": [{"sid": "FP0123456789abcdef0123456789abcdef", "unique_name": "p"}], "meta": {"key": "plugins", "page": 0}});
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    let client = twilio::<twilio_flex_v1::Client>(&server);
    let page: twilio_flex_v1::types::PluginList = client.list_plugins().send().await.unwrap();
    let plugins = page.plugins.unwrap();
    assert_eq!(plugins[0].unique_name.as_deref(), Some("p"));
}

#[tokio::test]
async fn a_declared_204_is_unit() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = front_channel::Client::builder()
        .auth(front_auth())
        .base_url(server.uri())
        .build()
        .unwrap();
    // The type annotation is the check: a declared 204 returns `()`, not a body.
    let () = client.update_channel("cha_123").send().await.unwrap();
}

#[tokio::test]
async fn a_cloned_builder_sends_the_same_request_again() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(user_body()))
        .expect(2)
        .mount(&server)
        .await;
    let request = frontline(&server, RetryPolicy::disabled())
        .update_user(USER_SID)
        .friendly_name("Jane");
    request.clone().send().await.unwrap();
    request.send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(requests[0].url, requests[1].url);
}

// ---------------------------------------------------------------- Pagination

fn flow(i: u32) -> serde_json::Value {
    json!({"sid": format!("FO{i:032x}"), "friendly_name": format!("flow {i}")})
}

/// Serves `pages` pages of two flows each at /v1/FlexFlows?Page=n.
async fn serve_flows(server: &MockServer, pages: u32) {
    for page in 0..pages {
        let next = (page + 1 < pages)
            .then(|| format!("{}/v1/FlexFlows?PageSize=2&Page={}", server.uri(), page + 1));
        let body = json!({
            "flex_flows": [flow(page * 2), flow(page * 2 + 1)],
            "meta": {"key": "flex_flows", "next_page_url": next, "page": page, "page_size": 2}
        });
        let mock = if page == 0 {
            Mock::given(wiremock::matchers::query_param_is_missing("Page"))
        } else {
            Mock::given(wiremock::matchers::query_param("Page", page.to_string()))
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn streams_need_no_pinning_and_pages_resume_from_a_saved_link() {
    let server = MockServer::start().await;
    serve_flows(&server, 3).await;
    let client = twilio::<twilio_flex_v1::Client>(&server);

    // Unpin: `.next()` without `pin!`.
    let mut items = client.list_flex_flows().page_size(2).stream();
    let mut names = Vec::new();
    while let Some(flow) = items.next().await {
        names.push(flow.unwrap().friendly_name.unwrap());
    }
    assert_eq!(
        names,
        ["flow 0", "flow 1", "flow 2", "flow 3", "flow 4", "flow 5"]
    );

    // Read one page, keep its link, resume later from it.
    let mut pages = client.list_flex_flows().page_size(2).pages();
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.items().len(), 2);
    let saved: NextLink = first.next_link().cloned().expect("a next page");
    let stored = serde_json::to_string(&saved).unwrap();
    let restored: NextLink = serde_json::from_str(&stored).unwrap();
    let rest = client
        .list_flex_flows()
        .resume_from(restored)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<_> = rest.into_iter().map(|f| f.friendly_name.unwrap()).collect();
    assert_eq!(names, ["flow 2", "flow 3", "flow 4", "flow 5"]);

    // A limit stops before further pages are fetched.
    let before = request_count(&server).await;
    let two = client
        .list_flex_flows()
        .stream()
        .limit(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(two.len(), 2);
    assert_eq!(
        request_count(&server).await,
        before + 1,
        "one page for two items"
    );
}

#[tokio::test]
async fn a_saved_link_to_another_host_is_refused() {
    let server = MockServer::start().await;
    serve_flows(&server, 1).await;
    let err = twilio::<twilio_flex_v1::Client>(&server)
        .list_flex_flows()
        .resume_from(NextLink::new(
            "https://attacker.example/v1/FlexFlows?Page=1",
        ))
        .stream()
        .try_collect()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Pagination { .. }), "{err:?}");
    assert_eq!(
        request_count(&server).await,
        0,
        "nothing is sent to a foreign link"
    );
}

// ---------------------------------------------------------------- Auth providers

#[tokio::test]
async fn an_oauth_client_fetches_one_token_for_a_generated_clients_requests() {
    let tokens = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "oauth-token-1", "token_type": "bearer", "expires_in": 3600}),
        ))
        .expect(1)
        .mount(&tokens)
        .await;
    let api = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(user_body()))
        .expect(2)
        .mount(&api)
        .await;
    let oauth = sdk_runtime::auth::ClientCredentials::new(
        format!("{}/v2/token", tokens.uri()),
        "OQ0123456789abcdef0123456789abcdef",
        "client-secret",
    );
    let client = twilio_frontline_v1::Client::builder()
        .auth(oauth)
        .base_url(api.uri())
        .build()
        .unwrap();
    client.fetch_user(USER_SID).send().await.unwrap();
    client.fetch_user(USER_SID).send().await.unwrap();
    for request in api.received_requests().await.unwrap() {
        assert_eq!(
            header(&request, "authorization").as_deref(),
            Some("Bearer oauth-token-1")
        );
    }
    let token_request = &tokens.received_requests().await.unwrap()[0];
    let form = String::from_utf8_lossy(&token_request.body);
    assert!(form.contains("grant_type=client_credentials"), "{form}");
    assert!(!format!("{client:?}").contains("client-secret"));
}

// ---------------------------------------------------------------- One identity across crates

#[test]
fn a_sid_of_one_crate_is_the_sid_of_another() {
    let sid: twilio_flex_v1::types::AccountSid =
        "AC0123456789abcdef0123456789abcdef".parse().unwrap();
    // The same type, not a conversion: both crates alias `Sid<'A', 'C'>`. This compiles
    // only if they do.
    let _same: twilio_flex_v2::types::AccountSid = sid.clone();
    // Across products: Frontline's user SID is Flex v2's, `US…` in both.
    let user: twilio_frontline_v1::types::UserSid =
        "US0123456789abcdef0123456789abcdef".parse().unwrap();
    let flex_user: twilio_flex_v2::types::UserSid = user;
    assert_eq!(flex_user.as_str(), "US0123456789abcdef0123456789abcdef");
}

// ---------------------------------------------------------------- Injection

#[tokio::test]
async fn path_parameter_is_one_encoded_segment() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(user_body()))
        .expect(1)
        .mount(&server)
        .await;

    frontline(&server, RetryPolicy::disabled())
        .fetch_user("a/b?c#d")
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "GET", "/v1/Users/a%2Fb%3Fc%23d", None);
    assert_eq!(req.url.fragment(), None);
}

#[tokio::test]
async fn dot_segments_are_rejected_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = frontline(&server, RetryPolicy::disabled());

    for bad in ["..", ".", ""] {
        let err = client.fetch_user(bad).send().await.unwrap_err();
        match &err {
            Error::InvalidInput { operation, message } => {
                assert_eq!(*operation, "FetchUser");
                assert!(
                    message.contains("Sid"),
                    "message should name the parameter: {message}"
                );
            }
            other => panic!("{bad:?}: expected Error::InvalidInput, got {other:?}"),
        }
    }
    // Same for a POST.
    let err = client
        .update_user("..")
        .state(twilio_frontline_v1::types::UserState::Active)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                operation: "UpdateUser",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(request_count(&server).await, 0, "nothing may be sent");
}

#[tokio::test]
async fn header_injection_is_rejected_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201))
        .expect(0)
        .mount(&server)
        .await;

    let err = twilio::<twilio_flex_v2::Client>(&server)
        .create_web_channel("IGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .ui_version("x\r\nEvil: 1")
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::InvalidInput { operation, message } => {
            assert_eq!(*operation, "CreateWebChannel");
            assert!(message.contains("Ui-Version"), "{message}");
            assert!(
                !message.contains("Evil"),
                "the unsafe value must not be echoed: {message}"
            );
        }
        other => panic!("expected Error::InvalidInput, got {other:?}"),
    }
    assert_eq!(request_count(&server).await, 0, "nothing may be sent");
}

#[tokio::test]
async fn query_value_cannot_add_parameters() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = twilio::<twilio_flex_v1::Client>(&server);
    client
        .fetch_configuration()
        .ui_version("1.0&Evil=1#frag")
        .send()
        .await
        .unwrap();
    let req = only_request(&server).await;
    assert_target(
        &req,
        "GET",
        "/v1/Configuration",
        Some("UiVersion=1.0%26Evil%3D1%23frag"),
    );
    let pairs: Vec<(String, String)> = req
        .url
        .query_pairs()
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    assert_eq!(
        pairs,
        [("UiVersion".to_owned(), "1.0&Evil=1#frag".to_owned())]
    );
}

#[tokio::test]
async fn form_value_cannot_add_fields() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(user_body()))
        .expect(1)
        .mount(&server)
        .await;
    frontline(&server, RetryPolicy::disabled())
        .update_user(USER_SID)
        .friendly_name("Jane&State=deactivated")
        .send()
        .await
        .unwrap();
    let req = only_request(&server).await;
    assert_form_body(&req, "FriendlyName=Jane%26State%3Ddeactivated");
}

//! The example service end to end, over HTTP, against local mocks of Twilio and Front (its
//! logic alone is tested on the crates' typed mocks, in `service_logic.rs`): it pages, creates (through a
//! throttled first attempt), fetches (a 404 is `None`), reads request ids, and reports calls
//! to a Front mock that accepts only requests whose channel JWT verifies with the app's
//! secret (checked with the `jsonwebtoken` crate, not with the code that signs).

use std::time::{Duration, SystemTime};

use contact_centre_example::Service;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};
use twilio_flex_v1::sdk_runtime::extensions::front::ChannelJwt;
use twilio_flex_v1::sdk_runtime::time::ManualTimer;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const APP_UID: &str = "app_4f1d";
const APP_SECRET: &str = "front-app-secret";
const CHANNEL: &str = "cha_123";
const FLOW: &str = "FO0123456789abcdef0123456789abcdef";
const INSTANCE: &str = "GO0123456789abcdef0123456789abcdef";
const KNOWN_USER: &str = "FU0123456789abcdef0123456789abcdef";
const UNKNOWN_USER: &str = "FUffffffffffffffffffffffffffffffff";

/// Front's side of the channel JWT: 202 only for a token signed with the app's secret,
/// issued by the app, about the channel in the path, not expired.
struct FrontVerifiesJwt;

impl Respond for FrontVerifiesJwt {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let token = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let Some(token) = token else {
            return ResponseTemplate::new(401);
        };
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[APP_UID]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        let key = DecodingKey::from_secret(APP_SECRET.as_bytes());
        let Ok(data) = jsonwebtoken::decode::<Value>(token, &key, &validation) else {
            return ResponseTemplate::new(401)
                .set_body_json(json!({"_error": {"status": 401, "title": "Unauthenticated"}}));
        };
        let channel = request.url.path().split('/').nth(2).unwrap_or_default();
        if data.claims["sub"] != channel || data.claims["jti"].as_str().is_none_or(str::is_empty) {
            return ResponseTemplate::new(403);
        }
        ResponseTemplate::new(202).set_body_json(json!({"status": "accepted"}))
    }
}

fn flow(i: u32) -> Value {
    json!({"sid": format!("FO{i:032x}"), "friendly_name": format!("Flow {i}"), "url": "https://flex-api.twilio.com/v1/FlexFlows/x"})
}

async fn twilio_mock() -> MockServer {
    let twilio = MockServer::start().await;
    let next = format!("{}/v1/FlexFlows?PageSize=50&Page=1", twilio.uri());
    Mock::given(method("GET"))
        .and(path("/v1/FlexFlows"))
        .and(query_param_is_missing("Page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "flex_flows": [flow(0), flow(1)],
            "meta": {"key": "flex_flows", "next_page_url": next, "page": 0, "page_size": 50}
        })))
        .mount(&twilio)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/FlexFlows"))
        .and(query_param("Page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "flex_flows": [flow(2)],
            "meta": {"key": "flex_flows", "next_page_url": null, "page": 1, "page_size": 50}
        })))
        .mount(&twilio)
        .await;
    // The first attempt is throttled; the client waits as asked and sends it again.
    Mock::given(method("POST"))
        .and(path("/v1/WebChannels"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "3")
                .set_body_json(
                    json!({"code": 20429, "message": "Too Many Requests", "status": 429}),
                ),
        )
        .up_to_n_times(1)
        .mount(&twilio)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/WebChannels"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("Twilio-Request-Id", "RQ0123456789abcdef0123456789abcdef")
                .set_body_json(
                    json!({"sid": "CH0123456789abcdef0123456789abcdef", "flex_flow_sid": FLOW}),
                ),
        )
        .mount(&twilio)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/Instances/{INSTANCE}/Users/{KNOWN_USER}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "instance_sid": INSTANCE, "flex_user_sid": KNOWN_USER, "username": "agent.smith"
        })))
        .mount(&twilio)
        .await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/v2/Instances/{INSTANCE}/Users/{UNKNOWN_USER}"
        )))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "code": 20404, "message": "The requested resource was not found", "status": 404
        })))
        .mount(&twilio)
        .await;
    twilio
}

fn service(twilio: &MockServer, front: &MockServer, secret: &str, timer: &ManualTimer) -> Service {
    Service {
        flex_v1: twilio_flex_v1::Client::builder()
            .basic_auth("ACxxx", "auth-token")
            .base_url(twilio.uri())
            .timer(timer.clone())
            .build()
            .unwrap(),
        flex_v2: twilio_flex_v2::Client::builder()
            .basic_auth("ACxxx", "auth-token")
            .base_url(twilio.uri())
            .timer(timer.clone())
            .build()
            .unwrap(),
        front: front_channel::Client::builder()
            .auth(ChannelJwt::new(APP_UID, secret))
            .base_url(front.uri())
            .timer(timer.clone())
            .build()
            .unwrap(),
    }
}

#[tokio::test]
async fn the_service_pages_creates_fetches_and_reports_calls() {
    let twilio = twilio_mock().await;
    let front = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/channels/{CHANNEL}/calls")))
        .respond_with(FrontVerifiesJwt)
        .expect(1)
        .mount(&front)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("/channels/{CHANNEL}/calls/call-1")))
        .respond_with(FrontVerifiesJwt)
        .expect(1)
        .mount(&front)
        .await;
    // JWTs are checked against the real clock, so the manual one starts there.
    let timer = ManualTimer::new(SystemTime::now());
    let service = service(&twilio, &front, APP_SECRET, &timer);

    // Paging: every flow across two pages; or one page and the link to resume from.
    assert_eq!(
        service.all_flow_names().await.unwrap(),
        ["Flow 0", "Flow 1", "Flow 2"]
    );
    let first = service.flow_page(None).await.unwrap();
    assert_eq!(first.names, ["Flow 0", "Flow 1"]);
    let rest = service.flow_page(first.next).await.unwrap();
    assert_eq!(
        (rest.names.as_slice(), rest.next.is_none()),
        (&["Flow 2".to_owned()][..], true)
    );

    // Creating: the throttled POST is retried after Retry-After; the request id is kept.
    let channel = service.open_web_chat(FLOW, "visitor-42").await.unwrap();
    assert_eq!(channel.sid, "CH0123456789abcdef0123456789abcdef");
    assert_eq!(
        channel.request_id.as_deref(),
        Some("RQ0123456789abcdef0123456789abcdef")
    );
    assert_eq!(timer.sleeps(), [Duration::from_secs(3)]);
    let posts: Vec<_> = twilio
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.method.as_str() == "POST")
        .collect();
    assert_eq!(
        posts.len(),
        2,
        "one throttled attempt, one that went through"
    );
    assert_eq!(posts[0].body, posts[1].body);

    // Fetching: a user, and a 404 that is an answer.
    let known = service
        .flex_user(INSTANCE.parse().unwrap(), KNOWN_USER.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(
        known.and_then(|u| u.username).as_deref(),
        Some("agent.smith")
    );
    let unknown = service
        .flex_user(INSTANCE.parse().unwrap(), UNKNOWN_USER.parse().unwrap())
        .await
        .unwrap();
    assert!(unknown.is_none());

    // Front: both calls carry a JWT the mock verified (or it would have answered 401).
    service
        .report_call(CHANNEL, "call-1", "+15555550100")
        .await
        .unwrap();
    let tokens: Vec<String> = front
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers["authorization"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(tokens.len(), 2);
    assert_ne!(tokens[0], tokens[1], "a fresh token (new jti) per request");
}

#[tokio::test]
async fn front_refuses_a_token_signed_with_another_secret() {
    let twilio = twilio_mock().await;
    let front = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(FrontVerifiesJwt)
        .mount(&front)
        .await;
    let timer = ManualTimer::new(SystemTime::now());
    let service = service(&twilio, &front, "not-the-app-secret", &timer);
    let err = service
        .report_call(CHANNEL, "call-1", "+15555550100")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert!(!format!("{err:?} {err}").contains("not-the-app-secret"));
}

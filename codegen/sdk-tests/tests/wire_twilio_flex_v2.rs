//! Wire tests for every operation of specs/twilio_flex_v2.json.
//!
//! Server `https://flex-api.twilio.com` (no path prefix); paths carry `/v2`.
//! Auth: HTTP basic. Request bodies: application/x-www-form-urlencoded.
//! Responses are the spec's own examples.

mod common;

use common::*;
use serde_json::json;
use twilio_flex_v2::{types, Client};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SPEC: &str = "twilio_flex_v2.json";
const TESTED: &[&str] = &["FetchFlexUser", "UpdateFlexUser", "CreateWebChannel"];

const USER_PATH: &str = "/v2/Instances/{InstanceSid}/Users/{FlexUserSid}";
const INSTANCE: &str = "GO0123456789abcdef0123456789abcdef";
const FLEX_USER: &str = "FU00112233445566778899aabbccddeeff";

#[test]
fn every_operation_has_a_wire_test() {
    assert_all_operations_tested(SPEC, TESTED);
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .credentials(twilio_credentials())
        .base_url(server.uri())
        .build()
        .unwrap()
}

fn expected_user_path() -> String {
    format!("/v2/Instances/{INSTANCE}/Users/{FLEX_USER}")
}

fn assert_example_user(user: &types::FlexUser) {
    let a32 = "a".repeat(32);
    assert_eq!(
        user.account_sid.as_ref().unwrap().as_str(),
        format!("AC{a32}")
    );
    assert_eq!(
        user.instance_sid.as_ref().unwrap().as_str(),
        format!("GO{a32}")
    );
    assert_eq!(
        user.flex_user_sid.as_ref().unwrap().as_str(),
        format!("FU{a32}")
    );
    assert_eq!(user.user_sid.as_ref().unwrap().as_str(), format!("US{a32}"));
    assert_eq!(
        user.worker_sid.as_ref().unwrap().as_str(),
        format!("WK{a32}")
    );
    assert_eq!(
        user.workspace_sid.as_ref().unwrap().as_str(),
        format!("WS{a32}")
    );
    assert_eq!(
        user.flex_team_sid.as_ref().unwrap().as_str(),
        format!("QO{a32}")
    );
    assert_eq!(user.username.as_deref(), Some("username"));
    assert_eq!(user.email.as_deref(), Some("sample@example.com"));
    assert_eq!(user.locale.as_deref(), Some("en-US"));
    assert_eq!(user.roles.as_deref(), Some(&["agent".to_owned()][..]));
    let t: chrono::DateTime<chrono::Utc> = "2024-07-31T04:00:00Z".parse().unwrap();
    assert_eq!(user.created_date, Some(t));
    assert_eq!(user.updated_date, Some(t));
    assert_eq!(user.version, Some(1));
    assert_eq!(
        user.url.as_deref(),
        Some(&*format!(
            "https://flex-api.twilio.com/v2/Instances/GO{a32}/Users/FU{a32}"
        ))
    );
}

#[tokio::test]
async fn fetch_flex_user() {
    let server = MockServer::start().await;
    let example = response_example(SPEC, USER_PATH, "get", "200");
    mount_once(
        &server,
        "GET",
        expected_user_path(),
        ResponseTemplate::new(200).set_body_json(example),
    )
    .await;

    // FetchFlexUser has no optional parameters.
    let user = client(&server)
        .fetch_flex_user(INSTANCE.parse().unwrap(), FLEX_USER.parse().unwrap())
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "GET", &expected_user_path(), None);
    assert_auth(&req, TWILIO_AUTH);
    assert_eq!(header(&req, "accept").as_deref(), Some("application/json"));
    assert_no_body(&req);
    assert_example_user(&user);
}

#[tokio::test]
async fn update_flex_user() {
    let server = MockServer::start().await;
    let example = response_example(SPEC, USER_PATH, "post", "200");
    mount_once(
        &server,
        "POST",
        expected_user_path(),
        ResponseTemplate::new(200).set_body_json(example),
    )
    .await;

    // The spec's request example is {"Email": "sample@example.com"}; the other
    // two optional fields are set as well.
    let req_example = request_example(SPEC, USER_PATH, "post", "application/x-www-form-urlencoded");
    assert_eq!(req_example, json!({"Email": "sample@example.com"}));
    let user = client(&server)
        .update_flex_user(INSTANCE.parse().unwrap(), FLEX_USER.parse().unwrap())
        .email("sample@example.com")
        .user_sid("USaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().unwrap())
        .locale("en-US")
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "POST", &expected_user_path(), None);
    assert_auth(&req, TWILIO_AUTH);
    assert_form_body(
        &req,
        "Email=sample%40example.com&UserSid=USaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&Locale=en-US",
    );
    assert_example_user(&user);
}

#[tokio::test]
async fn create_web_channel() {
    let server = MockServer::start().await;
    let example = response_example(SPEC, "/v2/WebChats", "post", "201");
    mount_once(
        &server,
        "POST",
        "/v2/WebChats",
        ResponseTemplate::new(201).set_body_json(example),
    )
    .await;

    // Values from the spec's request example, plus the optional PreEngagementData
    // field and the optional Ui-Version header.
    let channel = client(&server)
        .create_web_channel("IGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .ui_version("2.8.0")
        .chat_friendly_name("LoquaciousLarry")
        .customer_friendly_name("LarryDavid")
        .pre_engagement_data(r#"{"question":"Hi there"}"#)
        .identity("seinfeld")
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "POST", "/v2/WebChats", None);
    assert_auth(&req, TWILIO_AUTH);
    assert_eq!(header(&req, "ui-version").as_deref(), Some("2.8.0"));
    assert_form_body(
        &req,
        "AddressSid=IGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
         &ChatFriendlyName=LoquaciousLarry\
         &CustomerFriendlyName=LarryDavid\
         &PreEngagementData=%7B%22question%22%3A%22Hi+there%22%7D\
         &Identity=seinfeld",
    );

    assert_eq!(
        channel.conversation_sid.as_ref().unwrap().as_str(),
        "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    );
    assert_eq!(channel.identity.as_deref(), Some("seinfeld"));
}

#[tokio::test]
async fn create_web_channel_without_optional_header() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "conversation_sid": "CH00000000000000000000000000000001",
            "identity": null
        })))
        .expect(1)
        .mount(&server)
        .await;
    let channel = client(&server)
        .create_web_channel("IG00000000000000000000000000000001")
        .send()
        .await
        .unwrap();
    let req = only_request(&server).await;
    assert_eq!(
        header(&req, "ui-version"),
        None,
        "unset optional header must not be sent"
    );
    assert_form_body(&req, "AddressSid=IG00000000000000000000000000000001");
    assert_eq!(channel.identity, None);
}

//! Wire tests for every operation of specs/twilio_frontline_v1.yaml.
//!
//! Server `https://frontline-api.twilio.com` (no path prefix); paths carry `/v1`.
//! Auth: HTTP basic. Request bodies: application/x-www-form-urlencoded.

mod common;

use common::*;
use serde_json::json;
use twilio_frontline_v1::{types, Client};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SPEC: &str = "twilio_frontline_v1.yaml";
const TESTED: &[&str] = &["FetchUser", "UpdateUser"];

const USER_SID: &str = "US0123456789abcdef0123456789abcdef";

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

/// A `frontline.v1.user` written from the schema.
fn user_body() -> serde_json::Value {
    json!({
        "sid": USER_SID,
        "identity": "jane@example.com",
        "friendly_name": "Jane Doe",
        "avatar": "https://example.com/avatars/jane.png",
        "state": "deactivated",
        "is_available": false,
        "url": format!("https://frontline-api.twilio.com/v1/Users/{USER_SID}")
    })
}

#[tokio::test]
async fn fetch_user() {
    let server = MockServer::start().await;
    mount_once(
        &server,
        "GET",
        format!("/v1/Users/{USER_SID}"),
        ResponseTemplate::new(200).set_body_json(user_body()),
    )
    .await;

    // FetchUser has no optional parameters.
    let user = client(&server).fetch_user(USER_SID).send().await.unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "GET", &format!("/v1/Users/{USER_SID}"), None);
    assert_auth(&req, TWILIO_AUTH);
    assert_eq!(header(&req, "accept").as_deref(), Some("application/json"));
    assert_no_body(&req);

    assert_eq!(user.sid, Some(USER_SID.parse().unwrap()));
    assert_eq!(user.identity.as_deref(), Some("jane@example.com"));
    assert_eq!(user.friendly_name.as_deref(), Some("Jane Doe"));
    assert_eq!(user.state, Some(types::UserState::Deactivated));
    assert_eq!(user.is_available, Some(false));
    assert_eq!(
        user.url.as_deref(),
        Some("https://frontline-api.twilio.com/v1/Users/US0123456789abcdef0123456789abcdef")
    );
}

#[tokio::test]
async fn fetch_user_by_identity() {
    // The Sid parameter may also be the user's identity; "@" is not unreserved, so it is encoded.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_body()))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .fetch_user("jane@example.com")
        .send()
        .await
        .unwrap();
    let req = only_request(&server).await;
    assert_target(&req, "GET", "/v1/Users/jane%40example.com", None);
}

#[tokio::test]
async fn update_user() {
    let server = MockServer::start().await;
    mount_once(
        &server,
        "POST",
        format!("/v1/Users/{USER_SID}"),
        ResponseTemplate::new(200).set_body_json(user_body()),
    )
    .await;

    let user = client(&server)
        .update_user(USER_SID)
        .friendly_name("Jane Doe")
        .avatar("https://example.com/avatars/jane.png")
        .state(types::UserState::Deactivated)
        .is_available(false)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "POST", &format!("/v1/Users/{USER_SID}"), None);
    assert_auth(&req, TWILIO_AUTH);
    assert_form_body(
        &req,
        "FriendlyName=Jane+Doe\
         &Avatar=https%3A%2F%2Fexample.com%2Favatars%2Fjane.png\
         &State=deactivated\
         &IsAvailable=false",
    );

    assert_eq!(user.sid.as_ref().map(|s| s.as_str()), Some(USER_SID));
    assert_eq!(
        user.avatar.as_deref(),
        Some("https://example.com/avatars/jane.png")
    );
    assert_eq!(user.state, Some(types::UserState::Deactivated));
}

#[tokio::test]
async fn update_user_sends_only_the_fields_set() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_body()))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .update_user(USER_SID)
        .is_available(true)
        .send()
        .await
        .unwrap();
    let req = only_request(&server).await;
    assert_form_body(&req, "IsAvailable=true");
}

#[tokio::test]
async fn fetch_user_decodes_nulls_of_nullable_fields() {
    // Every property of frontline.v1.user is `nullable: true`.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "sid": null, "identity": null, "friendly_name": null, "avatar": null,
            "state": null, "is_available": null, "url": null
        })))
        .expect(1)
        .mount(&server)
        .await;
    let user = client(&server).fetch_user(USER_SID).send().await.unwrap();
    assert_eq!(user, types::User::new());
}

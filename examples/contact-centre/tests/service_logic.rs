//! The service's own logic against the crates' typed mocks (`test-util`): paging and resuming,
//! riding out a throttled create and keeping the request id, and a 404 that is an answer. No
//! socket and no sleep. What crosses the wire (the form Twilio receives, the JWT Front
//! verifies) stays in `service.rs`, against wiremock.

use contact_centre_example::Service;
use twilio_flex_v1::sdk_runtime::mock::MockResponse;
use twilio_flex_v1::types::{FlexFlow, FlexFlowList, PaginationMeta, WebChannel};
use twilio_flex_v2::types::FlexUser;

const INSTANCE: &str = "GO0123456789abcdef0123456789abcdef";
const USER: &str = "FU0123456789abcdef0123456789abcdef";

struct Mocks {
    v1: twilio_flex_v1::mock::Mock,
    v2: twilio_flex_v2::mock::Mock,
    front: front_channel::mock::Mock,
}

impl Mocks {
    fn new() -> Mocks {
        Mocks {
            v1: twilio_flex_v1::mock::Mock::new(),
            v2: twilio_flex_v2::mock::Mock::new(),
            front: front_channel::mock::Mock::new(),
        }
    }

    fn service(&self) -> Service {
        Service {
            flex_v1: self.v1.client().unwrap(),
            flex_v2: self.v2.client().unwrap(),
            front: self.front.client().unwrap(),
        }
    }
}

fn page(names: &[&str], next: Option<&str>) -> FlexFlowList {
    let mut meta = PaginationMeta::new();
    meta.next_page_url = next.map(str::to_owned);
    let mut list = FlexFlowList::new();
    list.flex_flows = Some(
        names
            .iter()
            .map(|name| {
                let mut flow = FlexFlow::new();
                flow.friendly_name = Some((*name).to_owned());
                flow
            })
            .collect(),
    );
    list.meta = Some(meta);
    list
}

#[tokio::test]
async fn every_flow_is_listed_across_pages_and_a_saved_link_resumes_the_listing() {
    let mocks = Mocks::new();
    let next = "/v1/FlexFlows?PageSize=50&Page=1";
    mocks
        .v1
        .on_list_flex_flows()
        .respond(page(&["Sales", "Support"], Some(next)))
        .respond(page(&["Billing"], None))
        .respond(page(&["Sales", "Support"], Some(next)))
        .respond(page(&["Billing"], None));
    let service = mocks.service();

    assert_eq!(
        service.all_flow_names().await.unwrap(),
        ["Sales", "Support", "Billing"]
    );
    let first = service.flow_page(None).await.unwrap();
    assert_eq!(first.names, ["Sales", "Support"]);
    let rest = service.flow_page(first.next).await.unwrap();
    assert_eq!(rest.names, ["Billing"]);
    assert!(rest.next.is_none());
    let resumed = &mocks.v1.http().requests()[3].request.url;
    assert!(resumed.as_str().ends_with(next), "{resumed}");
}

#[tokio::test]
async fn a_throttled_web_chat_is_opened_on_the_retry_and_keeps_twilios_request_id() {
    let mocks = Mocks::new();
    let mut channel = WebChannel::new();
    channel.sid = Some("CH0123456789abcdef0123456789abcdef".into());
    mocks
        .v1
        .on_create_web_channel()
        .when(|request| {
            request.identity == "visitor-42"
                && request.chat_friendly_name == "Chat with visitor-42"
                && request.pre_engagement_data.as_deref() == Some(r#"{"source":"website"}"#)
        })
        .answer(MockResponse::status(429).header("retry-after", "3"))
        .answer(
            MockResponse::json(201, &channel)
                .header("twilio-request-id", "RQ0123456789abcdef0123456789abcdef"),
        );
    let service = mocks.service();

    let opened = service
        .open_web_chat("FO0123456789abcdef0123456789abcdef", "visitor-42")
        .await
        .unwrap();
    assert_eq!(opened.sid, "CH0123456789abcdef0123456789abcdef");
    assert_eq!(
        opened.request_id.as_deref(),
        Some("RQ0123456789abcdef0123456789abcdef")
    );
    assert_eq!(
        mocks.v1.http().requests().len(),
        2,
        "one throttled, one retried"
    );
}

#[tokio::test]
async fn a_missing_flex_user_is_none_and_other_failures_are_errors() {
    let mocks = Mocks::new();
    let mut user = FlexUser::new();
    user.username = Some("agent.smith".into());
    mocks
        .v2
        .on_fetch_flex_user()
        .respond(user)
        .answer(MockResponse::status(404))
        .answer(MockResponse::status(403));
    let service = mocks.service();
    let (instance, user) = (INSTANCE.parse().unwrap(), USER.parse().unwrap());

    let found = service.flex_user(instance, user).await.unwrap();
    assert_eq!(
        found.and_then(|u| u.username).as_deref(),
        Some("agent.smith")
    );
    let (instance, user) = (INSTANCE.parse().unwrap(), USER.parse().unwrap());
    assert!(service.flex_user(instance, user).await.unwrap().is_none());
    let (instance, user) = (INSTANCE.parse().unwrap(), USER.parse().unwrap());
    let refused = service.flex_user(instance, user).await.unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(403));
}

//! What a user of a generated crate writes to unit-test their own code: the crate's typed
//! mock (`test-util`), no socket and no sleep. The scenario of issue 26: create a flow,
//! page a list, and ride out a 429.

use twilio_flex_v1::mock::Mock;
use twilio_flex_v1::operations::CreateFlexFlowRequired;
use twilio_flex_v1::sdk_runtime::mock::MockResponse;
use twilio_flex_v1::types::{
    CreateFlexFlowRequestChannelType, FlexFlow, FlexFlowList, PaginationMeta,
};

fn flow(sid: &str) -> FlexFlow {
    let mut flow = FlexFlow::new();
    flow.sid = Some(sid.to_owned());
    flow
}

fn page(sids: &[&str], next: Option<&str>) -> FlexFlowList {
    let mut meta = PaginationMeta::new();
    meta.next_page_url = next.map(str::to_owned);
    let mut list = FlexFlowList::new();
    list.flex_flows = Some(sids.iter().map(|s| flow(s)).collect());
    list.meta = Some(meta);
    list
}

#[tokio::test]
async fn create_a_flow_page_a_list_and_ride_out_a_429() {
    let mock = Mock::new();
    mock.on_create_flex_flow()
        .when(|request| request.friendly_name == "Support")
        .answer(MockResponse::status(429).header("retry-after", "1"))
        .respond(flow("FO00000000000000000000000000000001"));
    mock.on_list_flex_flows()
        .respond(page(&["FO1", "FO2"], Some("/v1/FlexFlows?Page=1")))
        .respond(page(&["FO3"], None));
    let client = mock.client().unwrap();

    let created = client
        .create_flex_flow(CreateFlexFlowRequired {
            friendly_name: "Support".into(),
            chat_service_sid: "IS00000000000000000000000000000001".into(),
            channel_type: CreateFlexFlowRequestChannelType::Web,
        })
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.sid.as_deref(),
        Some("FO00000000000000000000000000000001")
    );
    let flows: Vec<FlexFlow> = client
        .list_flex_flows()
        .stream()
        .try_collect()
        .await
        .unwrap();
    let sids: Vec<_> = flows.iter().filter_map(|f| f.sid.as_deref()).collect();
    assert_eq!(sids, ["FO1", "FO2", "FO3"]);

    let creates = mock.http().requests();
    assert_eq!(
        creates
            .iter()
            .filter(|r| r.operation == Some("createFlexFlow"))
            .count(),
        2
    );
}

#[tokio::test]
async fn a_request_the_rule_does_not_match_is_refused() {
    let mock = Mock::new();
    mock.on_create_flex_flow()
        .when(|request| request.friendly_name == "Support")
        .respond(flow("FO1"));
    let err = mock
        .client()
        .unwrap()
        .create_flex_flow(CreateFlexFlowRequired {
            friendly_name: "Sales".into(),
            chat_service_sid: "IS1".into(),
            channel_type: CreateFlexFlowRequestChannelType::Sms,
        })
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, twilio_flex_v1::Error::Transport { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_response_of_no_schema_is_streamed_by_send_streaming_and_an_error_is_still_an_error() {
    use futures_util::TryStreamExt as _;
    let mock = front_channel::mock::Mock::new();
    let recording: Vec<u8> = (0..=255).cycle().take(3 << 20).collect();
    mock.on_create_call()
        .answer(MockResponse::status(200).body(recording.clone()))
        .answer(MockResponse::status(409).body(r#"{"_error":{"status":409}}"#));
    let client = mock.client().unwrap();

    let streaming = client.create_call("cha_1").send_streaming().await.unwrap();
    let chunks: Vec<_> = streaming.try_collect().await.unwrap();
    assert_eq!(chunks.concat(), recording);
    let err = client
        .create_call("cha_1")
        .send_streaming()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(409));
}

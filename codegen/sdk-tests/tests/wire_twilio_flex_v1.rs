//! Wire tests for every operation of specs/twilio_flex_v1.yaml.
//!
//! The spec's first server is `https://flex-api.twilio.com/v1`: the `/v1` prefix
//! is kept behind a base URL, so every path below starts with `/v1`.
//! Auth: HTTP basic. The spec has no response examples; response bodies are
//! written from the response schemas.

mod common;

use common::*;
use futures_util::StreamExt;
use serde_json::{json, Value};
use twilio_flex_v1::{types, Client};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SPEC: &str = "twilio_flex_v1.yaml";
const TESTED: &[&str] = &[
    "fetchConfiguration",
    "updateConfiguration",
    "listChannels",
    "createChannel",
    "fetchChannel",
    "deleteChannel",
    "listFlexFlows",
    "createFlexFlow",
    "fetchFlexFlow",
    "updateFlexFlow",
    "deleteFlexFlow",
    "createInteraction",
    "fetchInteraction",
    "listInteractionChannels",
    "fetchInteractionChannel",
    "updateInteractionChannel",
    "createWebChannel",
    "fetchWebChannel",
    "updateWebChannel",
    "deleteWebChannel",
    "listPlugins",
    "createPlugin",
    "listQuestionnaires",
    "createQuestionnaire",
];

const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
const CHANNEL: &str = "CH0123456789abcdef0123456789abcdef";
const FLEX_FLOW: &str = "FO0123456789abcdef0123456789abcdef";
const CHAT_SERVICE: &str = "IS0123456789abcdef0123456789abcdef";
const STUDIO_FLOW: &str = "FW0123456789abcdef0123456789abcdef";
const TASK: &str = "WT0123456789abcdef0123456789abcdef";
const WORKSPACE: &str = "WS0123456789abcdef0123456789abcdef";
const WORKFLOW: &str = "WW0123456789abcdef0123456789abcdef";
const INTERACTION: &str = "KD0123456789abcdef0123456789abcdef";
const INTERACTION_CHANNEL: &str = "UO0123456789abcdef0123456789abcdef";
const USER: &str = "US0123456789abcdef0123456789abcdef";
const DATE: &str = "2024-05-01T12:30:00Z";

#[test]
fn every_operation_has_a_wire_test() {
    assert_all_operations_tested(SPEC, TESTED);
}

#[test]
fn spec_server_has_v1_prefix() {
    // The paths asserted below rely on this.
    let spec = load_spec(SPEC);
    assert_eq!(spec["servers"][0]["url"], "https://flex-api.twilio.com/v1");
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .credentials(twilio_credentials())
        .base_url(server.uri())
        .build()
        .unwrap()
}

fn date() -> chrono::DateTime<chrono::Utc> {
    DATE.parse().unwrap()
}

/// Mounts one mock answering `status` with `body` (or no body).
async fn mock(server: &MockServer, m: &str, p: &str, status: u16, body: Option<Value>) {
    let mut response = ResponseTemplate::new(status);
    if let Some(body) = body {
        response = response.set_body_json(body);
    }
    mount_once(server, m, p, response).await;
}

fn configuration_body() -> Value {
    json!({
        "account_sid": ACCOUNT,
        "status": "ok",
        "task_router_workspace_sid": WORKSPACE,
        "chat_service_instance_sid": CHAT_SERVICE,
        "flex_service_instance_sid": "GO0123456789abcdef0123456789abcdef",
        "ui_language": "en",
        "ui_attributes": {"theme": {"isLight": true}},
        "ui_dependencies": {"react": "16.5.2"},
        "ui_version": "1.34.0",
        "flex_url": "https://flex.twilio.com/agent-desktop",
        "flex_insights_hr": {"workspace_id": "wid"},
        "flex_insights_drilldown": false,
        "channel_configs": [{"channel_type": "sms"}],
        "runtime_domain": "example-1234.twil.io",
        "messaging_service_instance_sid": "MG0123456789abcdef0123456789abcdef",
        "serverless_service_sids": ["ZS0123456789abcdef0123456789abcdef"],
        "date_created": DATE,
        "date_updated": DATE,
        "url": "https://flex-api.twilio.com/v1/Configuration"
    })
}

fn assert_configuration(c: &types::FlexConfiguration) {
    assert_eq!(c.account_sid.as_ref().unwrap().as_str(), ACCOUNT);
    assert_eq!(c.status, Some(types::FlexConfigurationStatus::Ok));
    assert_eq!(c.ui_language.as_deref(), Some("en"));
    assert_eq!(c.ui_version.as_deref(), Some("1.34.0"));
    assert_eq!(
        c.ui_attributes.as_ref().unwrap()["theme"],
        json!({"isLight": true})
    );
    assert_eq!(c.flex_insights_drilldown, Some(false));
    assert_eq!(c.channel_configs.as_ref().unwrap().len(), 1);
    assert_eq!(
        c.serverless_service_sids.as_deref(),
        Some(&["ZS0123456789abcdef0123456789abcdef".to_owned()][..])
    );
    assert_eq!(c.date_created, Some(date()));
    assert_eq!(c.runtime_domain.as_deref(), Some("example-1234.twil.io"));
}

fn channel_body(sid: &str) -> Value {
    json!({
        "sid": sid,
        "account_sid": ACCOUNT,
        "flex_flow_sid": FLEX_FLOW,
        "user_sid": USER,
        "task_sid": TASK,
        "date_created": DATE,
        "date_updated": DATE,
        "url": format!("https://flex-api.twilio.com/v1/Channels/{sid}")
    })
}

fn assert_channel(c: &types::FlexChannel, sid: &str) {
    assert_eq!(c.sid.as_deref(), Some(sid));
    assert_eq!(c.account_sid.as_ref().unwrap().as_str(), ACCOUNT);
    assert_eq!(c.flex_flow_sid.as_deref(), Some(FLEX_FLOW));
    assert_eq!(c.user_sid.as_deref(), Some(USER));
    assert_eq!(c.task_sid.as_deref(), Some(TASK));
    assert_eq!(c.date_updated, Some(date()));
    assert_eq!(
        c.url.as_deref(),
        Some(&*format!("https://flex-api.twilio.com/v1/Channels/{sid}"))
    );
}

fn flex_flow_body(sid: &str, name: &str) -> Value {
    json!({
        "sid": sid,
        "account_sid": ACCOUNT,
        "friendly_name": name,
        "chat_service_sid": CHAT_SERVICE,
        "channel_type": "web",
        "contact_identity": "+15555550100",
        "enabled": true,
        "integration_type": "studio",
        "integration": {"flow_sid": STUDIO_FLOW, "retry_count": 1},
        "long_lived": false,
        "janitor_enabled": true,
        "date_created": DATE,
        "date_updated": DATE,
        "url": format!("https://flex-api.twilio.com/v1/FlexFlows/{sid}")
    })
}

fn assert_flex_flow(f: &types::FlexFlow, sid: &str, name: &str) {
    assert_eq!(f.sid.as_deref(), Some(sid));
    assert_eq!(f.friendly_name.as_deref(), Some(name));
    assert_eq!(f.chat_service_sid.as_deref(), Some(CHAT_SERVICE));
    assert_eq!(f.channel_type, Some(types::FlexFlowChannelType::Web));
    assert_eq!(
        f.integration_type,
        Some(types::FlexFlowIntegrationType::Studio)
    );
    assert_eq!(
        f.integration.as_ref().unwrap()["flow_sid"],
        json!(STUDIO_FLOW)
    );
    assert_eq!(f.enabled, Some(true));
    assert_eq!(f.long_lived, Some(false));
    assert_eq!(f.janitor_enabled, Some(true));
    assert_eq!(f.date_created, Some(date()));
}

fn interaction_body() -> Value {
    json!({
        "sid": INTERACTION,
        "account_sid": ACCOUNT,
        "channel": {"type": "sms", "sid": INTERACTION_CHANNEL},
        "routing": {"properties": {"workspace_sid": WORKSPACE}},
        "date_created": DATE,
        "date_updated": DATE,
        "url": format!("https://flex-api.twilio.com/v1/Interactions/{INTERACTION}"),
        "links": {"channels": format!("https://flex-api.twilio.com/v1/Interactions/{INTERACTION}/Channels")}
    })
}

fn assert_interaction(i: &types::Interaction) {
    assert_eq!(i.sid.as_deref(), Some(INTERACTION));
    assert_eq!(i.account_sid.as_ref().unwrap().as_str(), ACCOUNT);
    assert_eq!(
        i.channel.as_ref().unwrap()["sid"],
        json!(INTERACTION_CHANNEL)
    );
    assert_eq!(
        i.routing.as_ref().unwrap()["properties"]["workspace_sid"],
        json!(WORKSPACE)
    );
    assert!(i.links.as_ref().unwrap().contains_key("channels"));
    assert_eq!(i.date_updated, Some(date()));
}

fn web_channel_body() -> Value {
    json!({
        "sid": CHANNEL,
        "account_sid": ACCOUNT,
        "flex_flow_sid": FLEX_FLOW,
        "url": format!("https://flex-api.twilio.com/v1/WebChannels/{CHANNEL}"),
        "date_created": DATE,
        "date_updated": DATE
    })
}

fn assert_web_channel(w: &types::WebChannel) {
    assert_eq!(w.sid.as_deref(), Some(CHANNEL));
    assert_eq!(w.account_sid.as_ref().unwrap().as_str(), ACCOUNT);
    assert_eq!(w.flex_flow_sid.as_deref(), Some(FLEX_FLOW));
    assert_eq!(
        w.url.as_deref(),
        Some(&*format!(
            "https://flex-api.twilio.com/v1/WebChannels/{CHANNEL}"
        ))
    );
    assert_eq!(w.date_created, Some(date()));
}

// ---------------------------------------------------------------- Configuration

#[tokio::test]
async fn fetch_configuration() {
    let server = MockServer::start().await;
    mock(
        &server,
        "GET",
        "/v1/Configuration",
        200,
        Some(configuration_body()),
    )
    .await;

    let config = client(&server)
        .fetch_configuration()
        .ui_version("1.34.0")
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "GET", "/v1/Configuration", Some("UiVersion=1.34.0"));
    assert_auth(&req, TWILIO_AUTH);
    assert_eq!(header(&req, "accept").as_deref(), Some("application/json"));
    assert_no_body(&req);
    assert_configuration(&config);
}

#[tokio::test]
async fn fetch_configuration_without_query() {
    let server = MockServer::start().await;
    mock(
        &server,
        "GET",
        "/v1/Configuration",
        200,
        Some(configuration_body()),
    )
    .await;
    client(&server).fetch_configuration().send().await.unwrap();
    let req = only_request(&server).await;
    assert_target(&req, "GET", "/v1/Configuration", None);
}

#[tokio::test]
async fn update_configuration() {
    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        "/v1/Configuration",
        200,
        Some(configuration_body()),
    )
    .await;

    let attributes =
        json!({"theme": {"isLight": true}, "colorTheme": {"baseName": "BlueMediumTheme"}});
    let config = client(&server)
        .update_configuration()
        .ui_attributes(attributes.as_object().unwrap().clone())
        .ui_language("en")
        .ui_version("~1.34")
        .runtime_domain("example-1234.twil.io")
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "POST", "/v1/Configuration", None);
    assert_auth(&req, TWILIO_AUTH);
    assert_json_body(
        &req,
        &json!({
            "ui_attributes": attributes,
            "ui_language": "en",
            "ui_version": "~1.34",
            "runtime_domain": "example-1234.twil.io"
        }),
    );
    assert_configuration(&config);
}

// ---------------------------------------------------------------- Channels

#[tokio::test]
async fn list_channels() {
    let server = MockServer::start().await;
    let body = json!({
        "flex_chat_channels": [channel_body(CHANNEL)],
        "meta": {
            "page": 0,
            "page_size": 50,
            "first_page_url": "https://flex-api.twilio.com/v1/Channels?PageSize=50&Page=0",
            "previous_page_url": null,
            "next_page_url": null,
            "url": "https://flex-api.twilio.com/v1/Channels?PageSize=50&Page=0",
            "key": "flex_chat_channels"
        }
    });
    mock(&server, "GET", "/v1/Channels", 200, Some(body)).await;

    let page = client(&server)
        .list_channels()
        .page_size(50)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "GET", "/v1/Channels", Some("PageSize=50"));
    assert_auth(&req, TWILIO_AUTH);
    assert_no_body(&req);
    let channels = page.flex_chat_channels.as_ref().unwrap();
    assert_eq!(channels.len(), 1);
    assert_channel(&channels[0], CHANNEL);
    let meta = page.meta.as_ref().unwrap();
    assert_eq!(meta.page, Some(0));
    assert_eq!(meta.page_size, Some(50));
    assert_eq!(meta.next_page_url, None);
    assert_eq!(meta.key.as_deref(), Some("flex_chat_channels"));
}

#[tokio::test]
async fn create_channel() {
    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        "/v1/Channels",
        201,
        Some(channel_body(CHANNEL)),
    )
    .await;

    let channel = client(&server)
        .create_channel(FLEX_FLOW, "customer-42", "Jane Customer", "Support chat")
        .target("+15555550100")
        .chat_unique_name("support-42")
        .pre_engagement_data(r#"{"topic":"billing"}"#)
        .task_sid(TASK)
        .task_attributes(r#"{"priority":5}"#)
        .long_lived(false)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "POST", "/v1/Channels", None);
    assert_auth(&req, TWILIO_AUTH);
    assert_form_body(
        &req,
        &format!(
            "FlexFlowSid={FLEX_FLOW}\
             &Identity=customer-42\
             &ChatUserFriendlyName=Jane+Customer\
             &ChatFriendlyName=Support+chat\
             &Target=%2B15555550100\
             &ChatUniqueName=support-42\
             &PreEngagementData=%7B%22topic%22%3A%22billing%22%7D\
             &TaskSid={TASK}\
             &TaskAttributes=%7B%22priority%22%3A5%7D\
             &LongLived=false"
        ),
    );
    assert_channel(&channel, CHANNEL);
}

#[tokio::test]
async fn fetch_channel() {
    let server = MockServer::start().await;
    let p = format!("/v1/Channels/{CHANNEL}");
    mock(&server, "GET", &p, 200, Some(channel_body(CHANNEL))).await;

    // fetchChannel has no optional parameters.
    let channel = client(&server).fetch_channel(CHANNEL).send().await.unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "GET", &p, None);
    assert_auth(&req, TWILIO_AUTH);
    assert_no_body(&req);
    assert_channel(&channel, CHANNEL);
}

#[tokio::test]
async fn delete_channel() {
    let server = MockServer::start().await;
    let p = format!("/v1/Channels/{CHANNEL}");
    mock(&server, "DELETE", &p, 204, None).await;

    // deleteChannel has no optional parameters; 204 has no body.
    let result = client(&server).delete_channel(CHANNEL).send().await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "DELETE", &p, None);
    assert_auth(&req, TWILIO_AUTH);
    assert_no_body(&req);
}

// ---------------------------------------------------------------- Flex Flows

#[tokio::test]
async fn list_flex_flows() {
    let server = MockServer::start().await;
    let body = json!({
        "flex_flows": [flex_flow_body(FLEX_FLOW, "My Flow")],
        "meta": {
            "page": 0,
            "page_size": 20,
            "first_page_url": "https://flex-api.twilio.com/v1/FlexFlows?FriendlyName=My+Flow&PageSize=20&Page=0",
            "previous_page_url": null,
            "next_page_url": null,
            "url": "https://flex-api.twilio.com/v1/FlexFlows?FriendlyName=My+Flow&PageSize=20&Page=0",
            "key": "flex_flows"
        }
    });
    mock(&server, "GET", "/v1/FlexFlows", 200, Some(body)).await;

    let page = client(&server)
        .list_flex_flows()
        .friendly_name("My Flow")
        .page_size(20)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(
        &req,
        "GET",
        "/v1/FlexFlows",
        Some("FriendlyName=My+Flow&PageSize=20"),
    );
    assert_auth(&req, TWILIO_AUTH);
    assert_no_body(&req);
    let flows = page.flex_flows.as_ref().unwrap();
    assert_eq!(flows.len(), 1);
    assert_flex_flow(&flows[0], FLEX_FLOW, "My Flow");
    assert_eq!(
        page.meta.as_ref().unwrap().key.as_deref(),
        Some("flex_flows")
    );
}

#[tokio::test]
async fn create_flex_flow() {
    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        "/v1/FlexFlows",
        201,
        Some(flex_flow_body(FLEX_FLOW, "My Flow")),
    )
    .await;

    let flow = client(&server)
        .create_flex_flow(
            "My Flow",
            CHAT_SERVICE,
            types::CreateFlexFlowRequestChannelType::Web,
        )
        .contact_identity("+15555550100")
        .enabled(true)
        .integration_type(types::CreateFlexFlowRequestIntegrationType::Studio)
        .integration_flow_sid(STUDIO_FLOW)
        .long_lived(false)
        .janitor_enabled(true)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "POST", "/v1/FlexFlows", None);
    assert_auth(&req, TWILIO_AUTH);
    assert_form_body(
        &req,
        &format!(
            "FriendlyName=My+Flow\
             &ChatServiceSid={CHAT_SERVICE}\
             &ChannelType=web\
             &ContactIdentity=%2B15555550100\
             &Enabled=true\
             &IntegrationType=studio\
             &Integration.FlowSid={STUDIO_FLOW}\
             &LongLived=false\
             &JanitorEnabled=true"
        ),
    );
    assert_flex_flow(&flow, FLEX_FLOW, "My Flow");
}

#[tokio::test]
async fn fetch_flex_flow() {
    let server = MockServer::start().await;
    let p = format!("/v1/FlexFlows/{FLEX_FLOW}");
    mock(
        &server,
        "GET",
        &p,
        200,
        Some(flex_flow_body(FLEX_FLOW, "My Flow")),
    )
    .await;

    // fetchFlexFlow has no optional parameters.
    let flow = client(&server)
        .fetch_flex_flow(FLEX_FLOW)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "GET", &p, None);
    assert_auth(&req, TWILIO_AUTH);
    assert_no_body(&req);
    assert_flex_flow(&flow, FLEX_FLOW, "My Flow");
}

#[tokio::test]
async fn update_flex_flow() {
    let server = MockServer::start().await;
    let p = format!("/v1/FlexFlows/{FLEX_FLOW}");
    // The 200 response declares no content.
    mock(&server, "POST", &p, 200, None).await;

    let result = client(&server)
        .update_flex_flow(
            FLEX_FLOW,
            "Webhook Flow",
            CHAT_SERVICE,
            types::CreateFlexFlowRequestChannelType::Custom,
        )
        .enabled(false)
        .integration_type(types::CreateFlexFlowRequestIntegrationType::External)
        .integration_url("https://example.com/flex/webhook?x=1")
        .integration_workspace_sid(WORKSPACE)
        .integration_workflow_sid(WORKFLOW)
        .integration_channel("default")
        .send()
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "POST", &p, None);
    assert_auth(&req, TWILIO_AUTH);
    assert_form_body(
        &req,
        &format!(
            "FriendlyName=Webhook+Flow\
             &ChatServiceSid={CHAT_SERVICE}\
             &ChannelType=custom\
             &Enabled=false\
             &IntegrationType=external\
             &Integration.Url=https%3A%2F%2Fexample.com%2Fflex%2Fwebhook%3Fx%3D1\
             &Integration.WorkspaceSid={WORKSPACE}\
             &Integration.WorkflowSid={WORKFLOW}\
             &Integration.Channel=default"
        ),
    );
}

#[tokio::test]
async fn delete_flex_flow() {
    let server = MockServer::start().await;
    let p = format!("/v1/FlexFlows/{FLEX_FLOW}");
    mock(&server, "DELETE", &p, 204, None).await;

    let result = client(&server).delete_flex_flow(FLEX_FLOW).send().await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "DELETE", &p, None);
    assert_auth(&req, TWILIO_AUTH);
    assert_no_body(&req);
}

// ---------------------------------------------------------------- Interactions

#[tokio::test]
async fn create_interaction() {
    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        "/v1/Interactions",
        201,
        Some(interaction_body()),
    )
    .await;

    let channel_props = json!({"from": "+15555550100", "to": "+15555550199"});
    let channel = types::CreateInteractionRequestChannel::new(
        types::CreateInteractionRequestChannelType::Sms,
        types::CreateInteractionRequestChannelInitiatedBy::Customer,
        channel_props.as_object().unwrap().clone(),
    );
    // Optional nested fields of routing.properties.
    let mut props = types::CreateInteractionRequestRoutingProperties::new();
    props.workspace_sid = Some(WORKSPACE.to_owned());
    props.workflow_sid = Some(WORKFLOW.to_owned());
    props.task_channel_unique_name = Some("sms".to_owned());
    props.attributes = Some(
        json!({"customer_tier": "gold"})
            .as_object()
            .unwrap()
            .clone(),
    );
    let routing = types::CreateInteractionRequestRouting::new(props);

    let interaction = client(&server)
        .create_interaction(channel, routing)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "POST", "/v1/Interactions", None);
    assert_auth(&req, TWILIO_AUTH);
    assert_json_body(
        &req,
        &json!({
            "channel": {
                "type": "sms",
                "initiated_by": "customer",
                "properties": {"from": "+15555550100", "to": "+15555550199"}
            },
            "routing": {
                "properties": {
                    "workspace_sid": WORKSPACE,
                    "workflow_sid": WORKFLOW,
                    "task_channel_unique_name": "sms",
                    "attributes": {"customer_tier": "gold"}
                }
            }
        }),
    );
    assert_interaction(&interaction);
}

#[tokio::test]
async fn fetch_interaction() {
    let server = MockServer::start().await;
    let p = format!("/v1/Interactions/{INTERACTION}");
    mock(&server, "GET", &p, 200, Some(interaction_body())).await;

    let interaction = client(&server)
        .fetch_interaction(INTERACTION)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "GET", &p, None);
    assert_auth(&req, TWILIO_AUTH);
    assert_no_body(&req);
    assert_interaction(&interaction);
}

#[tokio::test]
async fn list_interaction_channels() {
    let server = MockServer::start().await;
    let p = format!("/v1/Interactions/{INTERACTION}/Channels");
    // The 200 response declares no content; whatever comes back is ignored.
    mock(&server, "GET", &p, 200, Some(json!({"channels": []}))).await;

    let result = client(&server)
        .list_interaction_channels(INTERACTION)
        .send()
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "GET", &p, None);
    assert_auth(&req, TWILIO_AUTH);
    assert_no_body(&req);
}

#[tokio::test]
async fn fetch_interaction_channel() {
    let server = MockServer::start().await;
    let p = format!("/v1/Interactions/{INTERACTION}/Channels/{INTERACTION_CHANNEL}");
    mock(&server, "GET", &p, 200, None).await;

    let result = client(&server)
        .fetch_interaction_channel(INTERACTION, INTERACTION_CHANNEL)
        .send()
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "GET", &p, None);
    assert_auth(&req, TWILIO_AUTH);
    assert_no_body(&req);
}

#[tokio::test]
async fn update_interaction_channel() {
    let server = MockServer::start().await;
    let p = format!("/v1/Interactions/{INTERACTION}/Channels/{INTERACTION_CHANNEL}");
    mock(&server, "POST", &p, 200, None).await;

    let routing = json!({"status": "closed", "reason": "resolved"});
    let result = client(&server)
        .update_interaction_channel(INTERACTION, INTERACTION_CHANNEL)
        .status(types::UpdateInteractionChannelRequestStatus::Wrapup)
        .routing(routing.as_object().unwrap().clone())
        .send()
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "POST", &p, None);
    assert_auth(&req, TWILIO_AUTH);
    assert_json_body(&req, &json!({"status": "wrapup", "routing": routing}));
}

// ---------------------------------------------------------------- Web Channels

#[tokio::test]
async fn create_web_channel() {
    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        "/v1/WebChannels",
        201,
        Some(web_channel_body()),
    )
    .await;

    let channel = client(&server)
        .create_web_channel(FLEX_FLOW, "visitor-7", "Jane Visitor", "Web chat")
        .chat_unique_name("web-7")
        .pre_engagement_data(r#"{"email":"jane@example.com"}"#)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "POST", "/v1/WebChannels", None);
    assert_auth(&req, TWILIO_AUTH);
    assert_form_body(
        &req,
        &format!(
            "FlexFlowSid={FLEX_FLOW}\
             &Identity=visitor-7\
             &CustomerFriendlyName=Jane+Visitor\
             &ChatFriendlyName=Web+chat\
             &ChatUniqueName=web-7\
             &PreEngagementData=%7B%22email%22%3A%22jane%40example.com%22%7D"
        ),
    );
    assert_web_channel(&channel);
}

#[tokio::test]
async fn fetch_web_channel() {
    let server = MockServer::start().await;
    let p = format!("/v1/WebChannels/{CHANNEL}");
    mock(&server, "GET", &p, 200, Some(web_channel_body())).await;

    let channel = client(&server)
        .fetch_web_channel(CHANNEL)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "GET", &p, None);
    assert_auth(&req, TWILIO_AUTH);
    assert_no_body(&req);
    assert_web_channel(&channel);
}

#[tokio::test]
async fn update_web_channel() {
    let server = MockServer::start().await;
    let p = format!("/v1/WebChannels/{CHANNEL}");
    mock(&server, "POST", &p, 200, None).await;

    let result = client(&server)
        .update_web_channel(CHANNEL)
        .chat_status(types::UpdateWebChannelRequestChatStatus::Inactive)
        .post_engagement_data(r#"{"rating":5}"#)
        .send()
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "POST", &p, None);
    assert_auth(&req, TWILIO_AUTH);
    assert_form_body(
        &req,
        "ChatStatus=inactive&PostEngagementData=%7B%22rating%22%3A5%7D",
    );
}

#[tokio::test]
async fn delete_web_channel() {
    let server = MockServer::start().await;
    let p = format!("/v1/WebChannels/{CHANNEL}");
    mock(&server, "DELETE", &p, 204, None).await;

    let result = client(&server).delete_web_channel(CHANNEL).send().await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "DELETE", &p, None);
    assert_auth(&req, TWILIO_AUTH);
    assert_no_body(&req);
}

// ---------------------------------------------------------------- Plugins

#[tokio::test]
async fn list_plugins() {
    let server = MockServer::start().await;
    mock(&server, "GET", "/v1/PluginService/Plugins", 200, None).await;

    let result = client(&server)
        .list_plugins()
        .flex_metadata("cli-version=5.1.0")
        .page_size(10)
        .send()
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(
        &req,
        "GET",
        "/v1/PluginService/Plugins",
        Some("PageSize=10"),
    );
    assert_auth(&req, TWILIO_AUTH);
    assert_eq!(
        header(&req, "flexmetadata").as_deref(),
        Some("cli-version=5.1.0")
    );
    assert_no_body(&req);
}

#[tokio::test]
async fn create_plugin() {
    let server = MockServer::start().await;
    mock(&server, "POST", "/v1/PluginService/Plugins", 201, None).await;

    let result = client(&server)
        .create_plugin("plugin-sample")
        .friendly_name("Sample Plugin")
        .description("Adds a CRM panel & notes")
        .send()
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "POST", "/v1/PluginService/Plugins", None);
    assert_auth(&req, TWILIO_AUTH);
    assert_form_body(
        &req,
        "UniqueName=plugin-sample&FriendlyName=Sample+Plugin&Description=Adds+a+CRM+panel+%26+notes",
    );
}

// ---------------------------------------------------------------- Insights

#[tokio::test]
async fn list_questionnaires() {
    let server = MockServer::start().await;
    let p = "/v1/Insights/QualityManagement/Questionnaires";
    mock(&server, "GET", p, 200, None).await;

    // The only parameter is the required Token header.
    let result = client(&server)
        .list_questionnaires("insights-token-123")
        .send()
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "GET", p, None);
    assert_auth(&req, TWILIO_AUTH);
    assert_eq!(header(&req, "token").as_deref(), Some("insights-token-123"));
    assert_no_body(&req);
}

#[tokio::test]
async fn create_questionnaire() {
    let server = MockServer::start().await;
    let p = "/v1/Insights/QualityManagement/Questionnaires";
    mock(&server, "POST", p, 201, None).await;

    let result = client(&server)
        .create_questionnaire("Call QA")
        .description("Quality review for voice calls")
        .active(true)
        .send()
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "POST", p, None);
    assert_auth(&req, TWILIO_AUTH);
    assert_form_body(
        &req,
        "Name=Call+QA&Description=Quality+review+for+voice+calls&Active=true",
    );
}

// ---------------------------------------------------------------- Pagination

fn flow_page(server: &MockServer, names: &[&str], page: u32, next: Option<&str>) -> Value {
    let flows: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, n)| flex_flow_body(&format!("FO{:032x}", page * 10 + i as u32), n))
        .collect();
    json!({
        "flex_flows": flows,
        "meta": {
            "page": page,
            "page_size": 2,
            "first_page_url": format!("{}/v1/FlexFlows?PageSize=2&Page=0", server.uri()),
            "next_page_url": next,
            "url": format!("{}/v1/FlexFlows?PageSize=2&Page={page}", server.uri()),
            "key": "flex_flows"
        }
    })
}

/// Three pages: [a, b] -> [c, d] -> [e]; links point at the mock server.
async fn mount_three_flow_pages(server: &MockServer) {
    let next1 = format!(
        "{}/v1/FlexFlows?PageSize=2&Page=1&PageToken=PT1",
        server.uri()
    );
    let next2 = format!(
        "{}/v1/FlexFlows?PageSize=2&Page=2&PageToken=PT2",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path("/v1/FlexFlows"))
        .and(query_param_is_missing("Page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(flow_page(
            server,
            &["a", "b"],
            0,
            Some(&next1),
        )))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/FlexFlows"))
        .and(query_param("Page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(flow_page(
            server,
            &["c", "d"],
            1,
            Some(&next2),
        )))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/FlexFlows"))
        .and(query_param("Page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(flow_page(server, &["e"], 2, None)))
        .mount(server)
        .await;
}

#[tokio::test]
async fn list_flex_flows_stream_follows_next_page_url() {
    let server = MockServer::start().await;
    mount_three_flow_pages(&server).await;

    let items: Vec<_> = client(&server)
        .list_flex_flows()
        .page_size(2)
        .stream()
        .collect()
        .await;
    let names: Vec<String> = items
        .into_iter()
        .map(|r| r.unwrap().friendly_name.unwrap())
        .collect();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);

    let requests = server.received_requests().await.unwrap();
    let targets: Vec<(String, Option<String>)> = requests
        .iter()
        .map(|r| (r.url.path().to_owned(), r.url.query().map(str::to_owned)))
        .collect();
    assert_eq!(
        targets,
        [
            ("/v1/FlexFlows".to_owned(), Some("PageSize=2".to_owned())),
            (
                "/v1/FlexFlows".to_owned(),
                Some("PageSize=2&Page=1&PageToken=PT1".to_owned())
            ),
            (
                "/v1/FlexFlows".to_owned(),
                Some("PageSize=2&Page=2&PageToken=PT2".to_owned())
            ),
        ]
    );
    for r in &requests {
        assert_eq!(r.method.as_str(), "GET");
        assert_auth(r, TWILIO_AUTH);
        assert_no_body(r);
    }
}

#[tokio::test]
async fn list_flex_flows_stream_limit_ends_mid_page() {
    let server = MockServer::start().await;
    mount_three_flow_pages(&server).await;

    let items: Vec<_> = client(&server)
        .list_flex_flows()
        .page_size(2)
        .limit(3)
        .stream()
        .collect()
        .await;
    let names: Vec<String> = items
        .into_iter()
        .map(|r| r.unwrap().friendly_name.unwrap())
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
    // The third page is never fetched.
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn list_channels_stream_maps_public_host_links_onto_base_url() {
    // Real Twilio pages link to https://flex-api.twilio.com/v1/...; behind a base
    // URL they must be followed on the configured host.
    let server = MockServer::start().await;
    let page = |sids: &[&str], next: Option<&str>| {
        json!({
            "flex_chat_channels": sids.iter().map(|s| channel_body(s)).collect::<Vec<_>>(),
            "meta": {"page_size": 1, "next_page_url": next, "key": "flex_chat_channels"}
        })
    };
    let ch1 = "CH00000000000000000000000000000001";
    let ch2 = "CH00000000000000000000000000000002";
    let ch3 = "CH00000000000000000000000000000003";
    Mock::given(method("GET"))
        .and(query_param_is_missing("Page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            &[ch1],
            Some("https://flex-api.twilio.com/v1/Channels?PageSize=1&Page=1&PageToken=PA1"),
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("Page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            &[ch2],
            Some("https://flex-api.twilio.com/v1/Channels?PageSize=1&Page=2&PageToken=PA2"),
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("Page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&[ch3], None)))
        .mount(&server)
        .await;

    let items: Vec<_> = client(&server)
        .list_channels()
        .page_size(1)
        .stream()
        .collect()
        .await;
    let sids: Vec<String> = items.into_iter().map(|r| r.unwrap().sid.unwrap()).collect();
    assert_eq!(sids, [ch1, ch2, ch3]);
    let queries: Vec<Option<String>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r.url.path(), "/v1/Channels");
            r.url.query().map(str::to_owned)
        })
        .collect();
    assert_eq!(
        queries,
        [
            Some("PageSize=1".to_owned()),
            Some("PageSize=1&Page=1&PageToken=PA1".to_owned()),
            Some("PageSize=1&Page=2&PageToken=PA2".to_owned()),
        ]
    );
}

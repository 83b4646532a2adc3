//! Wire tests for every operation of specs/front_channel.json.
//!
//! Server `https://api2.frontapp.com` (no path prefix). Auth: bearer token.
//! Request bodies are JSON except add-call-recording (multipart/form-data).
//! The spec has no response examples; bodies are written from the schemas.
//! Path parameter values use the spec's defaults (`cha_123`, `ext_123`).

mod common;

use common::*;
use front_channel::{types, Client};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

const SPEC: &str = "front_channel.json";
const TESTED: &[&str] = &[
    "update-channel",
    "sync-application-message-template",
    "update-application-message-template",
    "create-call",
    "update-call",
    "add-call-recording",
    "add-call-summary",
    "add-call-transcript",
    "update-external-message-status",
    "sync-inbound-message",
    "sync-outbound-message",
];

const CHANNEL: &str = "cha_123";
const EXTERNAL_ID: &str = "ext_123";
const CALL: &str = "call-2024-0001";

#[test]
fn every_operation_has_a_wire_test() {
    assert_all_operations_tested(SPEC, TESTED);
}

#[test]
fn path_defaults_used_here_are_the_specs() {
    let spec = load_spec(SPEC);
    let params = &spec["paths"]
        ["/channels/{channel_id}/application_message_templates/{external_id}"]["patch"]
        ["parameters"];
    assert_eq!(params[0]["schema"]["default"], CHANNEL);
    assert_eq!(params[1]["schema"]["default"], EXTERNAL_ID);
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .credentials(front_credentials())
        .base_url(server.uri())
        .build()
        .unwrap()
}

#[tokio::test]
async fn update_channel() {
    let server = MockServer::start().await;
    mount_once(
        &server,
        "PATCH",
        "/channels/cha_123",
        ResponseTemplate::new(204),
    )
    .await;

    let result = client(&server)
        .update_channel(CHANNEL)
        .status(types::UpdateChannelStatus::Offline)
        .send()
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "PATCH", "/channels/cha_123", None);
    assert_auth(&req, FRONT_AUTH);
    assert_eq!(header(&req, "accept").as_deref(), Some("application/json"));
    assert_json_body(&req, &json!({"status": "offline"}));
}

#[tokio::test]
async fn sync_application_message_template() {
    let server = MockServer::start().await;
    let p = "/channels/cha_123/application_message_templates";
    // template_id is `type: number` in the schema.
    mount_once(
        &server,
        "PUT",
        p,
        ResponseTemplate::new(200).set_body_json(json!({"template_id": 777})),
    )
    .await;

    // Every body field of ApplicationMessageTemplate is required; there is nothing optional to set.
    let mappings = vec![
        types::ApplicationMessageTemplateVariableMappingsItem::new("1", "first_name", "text"),
        types::ApplicationMessageTemplateVariableMappingsItem::new("2", "order_id", "text"),
    ];
    let response = client(&server)
        .sync_application_message_template(
            CHANNEL,
            "order_update",
            "Hi {{1}}, your order {{2}} has shipped.",
            false,
            "APPROVED",
            mappings,
            "Hi Jane, your order 12345 has shipped.",
            "wa_tpl_order_update",
        )
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "PUT", p, None);
    assert_auth(&req, FRONT_AUTH);
    assert_json_body(
        &req,
        &json!({
            "external_id": "wa_tpl_order_update",
            "name": "order_update",
            "blurb": "Hi {{1}}, your order {{2}} has shipped.",
            "is_disabled": false,
            "status_name": "APPROVED",
            "variable_mappings": [
                {"uid": "1", "name": "first_name", "type": "text"},
                {"uid": "2", "name": "order_id", "type": "text"}
            ],
            "template_preview": "Hi Jane, your order 12345 has shipped."
        }),
    );
    assert_eq!(response.template_id, Some(777.0));
}

#[tokio::test]
async fn update_application_message_template() {
    let server = MockServer::start().await;
    let p = "/channels/cha_123/application_message_templates/ext_123";
    mount_once(
        &server,
        "PATCH",
        p,
        ResponseTemplate::new(200).set_body_json(json!({"template_id": 778})),
    )
    .await;

    let response = client(&server)
        .update_application_message_template(CHANNEL, EXTERNAL_ID)
        .is_disabled(true)
        .status_name("REJECTED")
        .variable_mappings(vec![
            types::ApplicationMessageTemplateEditBlobVariableMappingsItem::new(
                "1",
                "first_name",
                "text",
            ),
        ])
        .template_preview("Hi Jane")
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "PATCH", p, None);
    assert_auth(&req, FRONT_AUTH);
    assert_json_body(
        &req,
        &json!({
            "is_disabled": true,
            "status_name": "REJECTED",
            "variable_mappings": [{"uid": "1", "name": "first_name", "type": "text"}],
            "template_preview": "Hi Jane"
        }),
    );
    assert_eq!(response.template_id, Some(778.0));
}

#[tokio::test]
async fn create_call() {
    let server = MockServer::start().await;
    mount_once(
        &server,
        "POST",
        "/channels/cha_123/calls",
        ResponseTemplate::new(202),
    )
    .await;

    let mut from = types::CallParty::new("+15555550100");
    from.name = Some("Jane Caller".to_owned());
    let mut inbound = types::CreateCallInbound::new(
        CALL,
        types::CreateCallInboundInitialStatus::Ringing,
        from,
        "call-2024-0000",
    );
    inbound.started_at = Some(1714566600000.0);
    inbound.agent_email_address = Some("agent@example.com".to_owned());

    let result = client(&server)
        .create_call(CHANNEL)
        .body(types::CreateCall::Inbound(inbound))
        .send()
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "POST", "/channels/cha_123/calls", None);
    assert_auth(&req, FRONT_AUTH);
    assert_json_body(
        &req,
        &json!({
            "direction": "inbound",
            "external_call_id": CALL,
            "initial_status": "ringing",
            "from": {"handle": "+15555550100", "name": "Jane Caller"},
            "started_at": 1714566600000.0,
            "parent_external_call_id": "call-2024-0000",
            "agent_email_address": "agent@example.com"
        }),
    );
}

#[tokio::test]
async fn create_call_outbound() {
    let server = MockServer::start().await;
    mount_once(
        &server,
        "POST",
        "/channels/cha_123/calls",
        ResponseTemplate::new(202),
    )
    .await;

    let outbound = types::CreateCallOutbound::new(
        CALL,
        types::CreateCallOutboundInitialStatus::Queued,
        types::CallParty::new("+15555550199"),
        "call-2024-0000",
    );
    client(&server)
        .create_call(CHANNEL)
        .body(types::CreateCall::Outbound(outbound))
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_json_body(
        &req,
        &json!({
            "direction": "outbound",
            "external_call_id": CALL,
            "initial_status": "queued",
            "to": {"handle": "+15555550199"},
            "parent_external_call_id": "call-2024-0000"
        }),
    );
}

#[tokio::test]
async fn update_call() {
    let server = MockServer::start().await;
    let p = format!("/channels/cha_123/calls/{CALL}");
    mount_once(&server, "PATCH", &p, ResponseTemplate::new(202)).await;

    let result = client(&server)
        .update_call(CHANNEL, CALL, types::UpdateCallCallStatus::Connected)
        .occurred_at(1714566615000.0)
        .agent_email_address("agent@example.com")
        .send()
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "PATCH", &p, None);
    assert_auth(&req, FRONT_AUTH);
    assert_json_body(
        &req,
        &json!({
            "call_status": "connected",
            "occurred_at": 1714566615000.0,
            "agent_email_address": "agent@example.com"
        }),
    );
}

#[tokio::test]
async fn add_call_recording() {
    let server = MockServer::start().await;
    let p = format!("/channels/cha_123/calls/{CALL}/recording");
    mount_once(&server, "POST", &p, ResponseTemplate::new(202)).await;

    let audio: Vec<u8> =
        b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x00 fake mp3 frame \r\n--not-a-boundary"
            .to_vec();
    // Both body fields are required; there is nothing optional to set.
    let result = client(&server)
        .add_call_recording(
            CHANNEL,
            CALL,
            sdk_runtime::FilePart::new(audio.clone())
                .file_name("recording.mp3")
                .content_type("audio/mpeg"),
            types::AddCallRecordingRequestRecordingType::Voicemail,
        )
        .send()
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "POST", &p, None);
    assert_auth(&req, FRONT_AUTH);
    let parts = multipart_parts(&req);
    assert_eq!(parts.len(), 2, "{parts:?}");
    let file = parts
        .iter()
        .find(|p| p.name == "attachments")
        .expect("attachments part");
    assert_eq!(file.filename.as_deref(), Some("recording.mp3"));
    assert_eq!(file.content_type.as_deref(), Some("audio/mpeg"));
    assert_eq!(file.body, audio);
    let kind = parts
        .iter()
        .find(|p| p.name == "recording_type")
        .expect("recording_type part");
    assert_eq!(kind.filename, None);
    assert_eq!(kind.body, b"voicemail");
}

#[tokio::test]
async fn add_call_summary() {
    let server = MockServer::start().await;
    let p = format!("/channels/cha_123/calls/{CALL}/summary");
    mount_once(&server, "POST", &p, ResponseTemplate::new(202)).await;

    // `content` is the only (required) field.
    let result = client(&server)
        .add_call_summary(
            CHANNEL,
            CALL,
            "Customer asked about a refund; agent issued one.",
        )
        .send()
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "POST", &p, None);
    assert_auth(&req, FRONT_AUTH);
    assert_json_body(
        &req,
        &json!({"content": "Customer asked about a refund; agent issued one."}),
    );
}

#[tokio::test]
async fn add_call_transcript() {
    let server = MockServer::start().await;
    let p = format!("/channels/cha_123/calls/{CALL}/transcript");
    mount_once(&server, "POST", &p, ResponseTemplate::new(202)).await;

    let lines = vec![
        types::TranscriptLine::new(
            "Agent Smith",
            "Thanks for calling, how can I help?",
            0.0,
            types::TranscriptLineSpeakerType::Internal,
        ),
        types::TranscriptLine::new(
            "Jane",
            "I need a refund.",
            3.5,
            types::TranscriptLineSpeakerType::External,
        ),
    ];
    let result = client(&server)
        .add_call_transcript(CHANNEL, CALL, lines)
        .send()
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "POST", &p, None);
    assert_auth(&req, FRONT_AUTH);
    assert_json_body(
        &req,
        &json!({"lines": [
            {"speaker_name": "Agent Smith", "content": "Thanks for calling, how can I help?", "start_time_seconds": 0.0, "speaker_type": "internal"},
            {"speaker_name": "Jane", "content": "I need a refund.", "start_time_seconds": 3.5, "speaker_type": "external"}
        ]}),
    );
}

#[tokio::test]
async fn update_external_message_status() {
    let server = MockServer::start().await;
    let p = "/channels/cha_123/conversations/conv-ext-9/messages/msg-ext-42/status";
    mount_once(&server, "PUT", p, ResponseTemplate::new(204)).await;

    let result = client(&server)
        .update_external_message_status(
            CHANNEL,
            "conv-ext-9",
            "msg-ext-42",
            types::UpdateExternalMessageStatusRequestStatus::Failed,
        )
        .reason("Carrier rejected the message")
        .send()
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");

    let req = only_request(&server).await;
    assert_target(&req, "PUT", p, None);
    assert_auth(&req, FRONT_AUTH);
    assert_json_body(
        &req,
        &json!({"status": "failed", "reason": "Carrier rejected the message"}),
    );
}

#[tokio::test]
async fn sync_inbound_message() {
    let server = MockServer::start().await;
    let p = "/channels/cha_123/inbound_messages";
    mount_once(
        &server,
        "POST",
        p,
        ResponseTemplate::new(202)
            .set_body_json(json!({"status": "accepted", "message_uid": "3b1q41d8"})),
    )
    .await;

    let mut sender = types::InboundMessageSender::new("+33612345678");
    sender.name = Some("Jeanne".to_owned());
    sender.email = Some("jeanne@example.com".to_owned());
    let mut metadata = types::InboundMessageMetadata::new("msg-ext-1", "conv-ext-9");
    metadata.referenced_message_external_id = Some("msg-ext-0".to_owned());

    let accepted = client(&server)
        .sync_inbound_message(CHANNEL, sender, "<p>Hello</p>", metadata)
        .subject("Order question")
        .delivered_at(1714566600)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "POST", p, None);
    assert_auth(&req, FRONT_AUTH);
    assert_json_body(
        &req,
        &json!({
            "sender": {"handle": "+33612345678", "name": "Jeanne", "email": "jeanne@example.com"},
            "subject": "Order question",
            "body": "<p>Hello</p>",
            "metadata": {
                "external_id": "msg-ext-1",
                "external_conversation_id": "conv-ext-9",
                "referenced_message_external_id": "msg-ext-0"
            },
            "delivered_at": 1714566600
        }),
    );
    assert_eq!(accepted.status.as_deref(), Some("accepted"));
    assert_eq!(accepted.message_uid.as_deref(), Some("3b1q41d8"));
}

#[tokio::test]
async fn sync_outbound_message() {
    let server = MockServer::start().await;
    let p = "/channels/cha_123/outbound_messages";
    mount_once(
        &server,
        "POST",
        p,
        ResponseTemplate::new(202)
            .set_body_json(json!({"status": "accepted", "message_uid": "9x8y7z"})),
    )
    .await;

    let mut to = types::OutboundMessageToItem::new("+15555550199");
    to.name = Some("Bob".to_owned());
    let metadata = types::OutboundMessageMetadata::new("msg-ext-2", "conv-ext-9");

    let accepted = client(&server)
        .sync_outbound_message(CHANNEL, vec![to], "Your order has shipped.", metadata)
        .sender_name("Acme Support")
        .subject("Shipping update")
        .author_id("tea_123")
        .delivered_at(1714566700)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_target(&req, "POST", p, None);
    assert_auth(&req, FRONT_AUTH);
    assert_json_body(
        &req,
        &json!({
            "sender_name": "Acme Support",
            "to": [{"handle": "+15555550199", "name": "Bob"}],
            "subject": "Shipping update",
            "author_id": "tea_123",
            "body": "Your order has shipped.",
            "metadata": {"external_id": "msg-ext-2", "external_conversation_id": "conv-ext-9"},
            "delivered_at": 1714566700
        }),
    );
    assert_eq!(accepted.status.as_deref(), Some("accepted"));
    assert_eq!(accepted.message_uid.as_deref(), Some("9x8y7z"));
}

#[tokio::test]
async fn front_error_envelope_is_parsed() {
    let server = MockServer::start().await;
    mount_once(
        &server,
        "PATCH",
        "/channels/cha_123",
        ResponseTemplate::new(404).set_body_json(json!({
            "_error": {"status": 404, "title": "Not found", "message": "Unknown channel"}
        })),
    )
    .await;
    let err = client(&server)
        .update_channel(CHANNEL)
        .send()
        .await
        .unwrap_err();
    let api = err.api_error().expect("Error::Api");
    assert_eq!(api.status.as_u16(), 404);
    let details = api.details.as_ref().unwrap();
    assert_eq!(details.title.as_deref(), Some("Not found"));
    assert_eq!(details.message.as_deref(), Some("Unknown channel"));
}

/// InboundMessage.attachments is `type: string, format: binary` and its description
/// says "Must use `Content-Type: multipart/form-data` if specified". The generated
/// builder instead base64-encodes the files into the JSON body.
#[tokio::test]
#[ignore = "generator bug (spec contradiction): attachments are sent base64 inside JSON; the spec requires multipart/form-data when attachments are given"]
async fn sync_inbound_message_with_attachments_uses_multipart() {
    let server = MockServer::start().await;
    mount_once(
        &server,
        "POST",
        "/channels/cha_123/inbound_messages",
        ResponseTemplate::new(202)
            .set_body_json(json!({"status": "accepted", "message_uid": "m1"})),
    )
    .await;
    let pdf = b"%PDF-1.4 fake".to_vec();
    client(&server)
        .sync_inbound_message(
            CHANNEL,
            types::InboundMessageSender::new("+33612345678"),
            "<p>See attached</p>",
            types::InboundMessageMetadata::new("msg-ext-3", "conv-ext-9"),
        )
        .attachments(vec![sdk_runtime::FilePart::new(pdf.clone())
            .file_name("invoice.pdf")
            .content_type("application/pdf")])
        .send()
        .await
        .unwrap();
    let req = only_request(&server).await;
    let parts = multipart_parts(&req);
    let file = parts
        .iter()
        .find(|p| p.filename.as_deref() == Some("invoice.pdf"))
        .expect("a file part for the attachment");
    assert!(file.name.starts_with("attachments"), "{}", file.name);
    assert_eq!(file.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(file.body, pdf);
    let body = parts.iter().find(|p| p.name == "body").expect("body field");
    assert_eq!(body.body, b"<p>See attached</p>");
}

//! The spans a call emits, as a collector would receive them: a `sdk.call` span with a
//! `sdk.attempt` child per HTTP request, attributes named by the OpenTelemetry HTTP client
//! conventions, and no credential or personal data in any of them. A small subscriber here
//! records every span and field the client emits.

mod common;
mod raw;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use common::*;
use raw::{json, RawServer};
use sdk_runtime::{ClientBuilder, Request};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

#[derive(Clone, Debug)]
struct Recorded {
    name: &'static str,
    parent: Option<u64>,
    fields: BTreeMap<String, String>,
}

/// Records every span with its fields; the current span is tracked per subscriber, which
/// is enough on the single thread a `#[tokio::test]` runs on.
#[derive(Default)]
struct Capture {
    spans: Mutex<Vec<Recorded>>,
    stack: Mutex<Vec<u64>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

struct Shared(Arc<Capture>);

impl Subscriber for Shared {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut fields = BTreeMap::new();
        attributes.record(&mut Fields(&mut fields));
        let parent = match attributes.parent() {
            Some(id) => Some(id.into_u64()),
            None if attributes.is_contextual() => self.0.stack.lock().unwrap().last().copied(),
            None => None,
        };
        let mut spans = self.0.spans.lock().unwrap();
        spans.push(Recorded {
            name: attributes.metadata().name(),
            parent,
            fields,
        });
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.0.spans.lock().unwrap();
        let recorded = &mut spans[span.into_u64() as usize - 1];
        values.record(&mut Fields(&mut recorded.fields));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, span: &Id) {
        self.0.stack.lock().unwrap().push(span.into_u64());
    }
    fn exit(&self, _: &Id) {
        self.0.stack.lock().unwrap().pop();
    }
}

const PHONE: &str = "+15551234567";

#[tokio::test]
async fn a_retried_call_is_one_call_span_with_an_attempt_span_per_request() {
    let capture = Arc::new(Capture::default());
    let _guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(Shared(capture.clone())));

    let server = RawServer::start(|n, _| match n {
        0 => json(503, "", r#"{"message":"busy"}"#),
        _ => json(200, "", "{}"),
    })
    .await;
    let client = twilio_client(&server.uri());
    let mut request = Request::new(&LIST);
    request.query("To", PHONE);
    client.execute(request).await.unwrap();

    let spans = capture.spans.lock().unwrap().clone();
    let calls: Vec<_> = spans
        .iter()
        .enumerate()
        .filter(|(_, s)| s.name == "sdk.call")
        .collect();
    assert_eq!(calls.len(), 1, "{spans:#?}");
    let (call_index, call) = calls[0];
    let field = |s: &Recorded, k: &str| s.fields.get(k).cloned().unwrap_or_default();
    assert_eq!(field(call, "sdk.operation"), "ListThings");
    assert_eq!(field(call, "sdk.api"), "twilio_test");
    assert_eq!(field(call, "http.request.method"), "GET");
    assert_eq!(field(call, "url.template"), "/Things");
    assert_eq!(field(call, "http.response.status_code"), "200");
    assert_eq!(field(call, "sdk.attempts"), "2");
    assert!(!call.fields.contains_key("error.type"));

    let attempts: Vec<&Recorded> = spans.iter().filter(|s| s.name == "sdk.attempt").collect();
    assert_eq!(attempts.len(), 2, "{spans:#?}");
    for attempt in &attempts {
        assert_eq!(attempt.parent, Some(call_index as u64 + 1), "{attempt:?}");
        assert_eq!(field(attempt, "otel.kind"), "client");
        assert_eq!(field(attempt, "server.address"), "127.0.0.1");
        assert_eq!(
            field(attempt, "server.port"),
            server.uri().rsplit(':').next().unwrap()
        );
        assert!(
            field(attempt, "url.full").ends_with("/v1/Things?To=REDACTED"),
            "{attempt:?}"
        );
    }
    assert_eq!(field(attempts[0], "http.response.status_code"), "503");
    assert_eq!(field(attempts[0], "error.type"), "503");
    assert!(!attempts[0].fields.contains_key("http.request.resend_count"));
    assert_eq!(field(attempts[1], "http.request.resend_count"), "1");
    assert_eq!(field(attempts[1], "http.response.status_code"), "200");

    let everything = format!("{spans:?}");
    for secret in [PASSWORD, BASIC_HEADER, PHONE, "%2B15551234567"] {
        assert!(!everything.contains(secret), "{secret} in {everything}");
    }
}

#[tokio::test]
async fn a_failed_call_names_what_failed() {
    let capture = Arc::new(Capture::default());
    let _guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(Shared(capture.clone())));
    let client = ClientBuilder::<TwilioClient>::new()
        .basic_auth(USER, PASSWORD)
        .base_url(format!("http://127.0.0.1:{}", closed_port()))
        .retry_policy(sdk_runtime::RetryPolicy::disabled())
        .build()
        .unwrap()
        .0;
    client.execute(Request::new(&LIST)).await.unwrap_err();
    let spans = capture.spans.lock().unwrap().clone();
    let call = spans.iter().find(|s| s.name == "sdk.call").unwrap();
    assert_eq!(
        call.fields.get("error.type").map(String::as_str),
        Some("transport")
    );
    assert!(!call.fields.contains_key("http.response.status_code"));
}

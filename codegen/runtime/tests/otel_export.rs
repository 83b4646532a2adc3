//! The spans of a call as an OpenTelemetry collector receives them: through the
//! `tracing-opentelemetry` layer and the OpenTelemetry SDK to an exporter, as a service
//! exports them in production. `telemetry.rs` checks the `tracing` fields; this checks what
//! survives the export: span names, kinds, parent links and typed attribute values, and
//! that no credential or personal data reaches the exporter.

mod common;
mod raw;

use std::sync::{Arc, Mutex};

use common::*;
use opentelemetry::trace::{SpanKind, TracerProvider as _};
use opentelemetry::Value;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{SdkTracerProvider, SpanData, SpanExporter};
use raw::{json, RawServer};
use sdk_runtime::Request;
use tracing_subscriber::layer::SubscriberExt;

/// An exporter that keeps what it is handed, as a collector would receive it.
#[derive(Clone, Debug, Default)]
struct Collector(Arc<Mutex<Vec<SpanData>>>);

impl SpanExporter for Collector {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        self.0.lock().unwrap().extend(batch);
        Ok(())
    }
}

fn attribute(span: &SpanData, key: &str) -> Option<Value> {
    span.attributes
        .iter()
        .find(|kv| kv.key.as_str() == key)
        .map(|kv| kv.value.clone())
}

const PHONE: &str = "+15551234567";

#[tokio::test]
async fn an_exporter_receives_a_call_span_and_an_attempt_span_per_request_by_the_http_conventions()
{
    let collector = Collector::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(collector.clone())
        .build();
    let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("otel-export-test"));
    let _guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(layer));

    let server = RawServer::start(|n, _| match n {
        0 => json(429, "retry-after: 1\r\n", r#"{"message":"slow down"}"#),
        _ => json(200, "", "{}"),
    })
    .await;
    let client = twilio_client(&server.uri());
    let mut request = Request::new(&LIST);
    request.query("To", PHONE);
    client.execute(request).await.unwrap();
    provider.force_flush().unwrap();

    let spans = collector.0.lock().unwrap().clone();
    assert_eq!(spans.len(), 3, "{spans:#?}");
    let call = spans
        .iter()
        .find(|s| s.name == "ListThings")
        .expect("the call span");
    assert_eq!(call.span_kind, SpanKind::Internal);
    assert_eq!(attribute(call, "sdk.operation"), Some("ListThings".into()));
    assert_eq!(attribute(call, "sdk.api"), Some("twilio_test".into()));
    assert_eq!(
        attribute(call, "http.response.status_code"),
        Some(200i64.into())
    );

    let attempts: Vec<&SpanData> = spans.iter().filter(|s| s.name == "GET /Things").collect();
    assert_eq!(attempts.len(), 2, "{spans:#?}");
    let port = i64::from(
        server
            .uri()
            .rsplit(':')
            .next()
            .unwrap()
            .parse::<u16>()
            .unwrap(),
    );
    for attempt in &attempts {
        assert_eq!(attempt.span_kind, SpanKind::Client);
        assert_eq!(attempt.parent_span_id, call.span_context.span_id());
        assert_eq!(
            attempt.span_context.trace_id(),
            call.span_context.trace_id()
        );
        assert_eq!(
            attribute(attempt, "http.request.method"),
            Some("GET".into())
        );
        assert_eq!(
            attribute(attempt, "server.address"),
            Some("127.0.0.1".into())
        );
        assert_eq!(attribute(attempt, "server.port"), Some(port.into()));
        let url = attribute(attempt, "url.full")
            .expect("url.full")
            .to_string();
        assert!(url.ends_with("/v1/Things?To=REDACTED"), "{url}");
    }
    // The exporter sees them as they end: the throttled attempt first.
    assert_eq!(
        attribute(attempts[0], "http.response.status_code"),
        Some(429i64.into())
    );
    assert_eq!(attribute(attempts[0], "error.type"), Some("429".into()));
    assert_eq!(attribute(attempts[0], "http.request.resend_count"), None);
    assert_eq!(
        attribute(attempts[1], "http.request.resend_count"),
        Some(1i64.into())
    );

    let everything = format!("{spans:?}");
    for secret in [PASSWORD, BASIC_HEADER, PHONE, "%2B15551234567"] {
        assert!(
            !everything.contains(secret),
            "{secret} reached the exporter"
        );
    }
}

//! Spans by the OpenTelemetry HTTP client conventions: one `sdk.call` span per call (the
//! operation, the API, the outcome) and one `sdk.attempt` child per HTTP request it sends
//! (method, server, redacted URL, status, `http.request.resend_count`). Attribute names come
//! from `opentelemetry-semantic-conventions`, so they match what collectors expect; a
//! `tracing-opentelemetry` layer exports both spans as they are (`otel.name`, `otel.kind`).

use opentelemetry_semantic_conventions::attribute as semconv;
use reqwest::{StatusCode, Url};
use tracing::field::Empty;

use crate::api::ApiInfo;
use crate::error::Error;
use crate::operation::Operation;

/// What query values become in `url.full`: any of them may be personal data (a phone number
/// in `To`) or a credential, so none is exported.
const REDACTED: &str = "REDACTED";

/// The span of a whole call, retries included.
pub(super) fn call_span(api: &ApiInfo, op: &Operation) -> tracing::Span {
    // Named by the operation, as aws-sdk-rust names its operation spans: the attempts below
    // carry the HTTP client name the conventions ask for.
    tracing::info_span!(
        "sdk.call",
        "otel.name" = op.id,
        "sdk.operation" = op.id,
        "sdk.api" = api.crate_name,
        { semconv::HTTP_REQUEST_METHOD } = %op.method,
        { semconv::URL_TEMPLATE } = op.path,
        { semconv::HTTP_RESPONSE_STATUS_CODE } = Empty,
        { semconv::ERROR_TYPE } = Empty,
        "sdk.attempts" = Empty,
    )
}

/// The span of attempt number `attempt` (from 1) of a call, a child of its call span.
pub(super) fn attempt_span(op: &Operation, url: &Url, attempt: u32) -> tracing::Span {
    let span = tracing::info_span!(
        "sdk.attempt",
        // `{method} {url.template}`: the conventions' name for an HTTP client span.
        "otel.name" = %format_args!("{} {}", op.method, op.path),
        "otel.kind" = "client",
        "sdk.operation" = op.id,
        { semconv::HTTP_REQUEST_METHOD } = %op.method,
        { semconv::SERVER_ADDRESS } = url.host_str().unwrap_or(""),
        { semconv::SERVER_PORT } = i64::from(url.port_or_known_default().unwrap_or(0)),
        { semconv::URL_FULL } = %redacted(url),
        { semconv::URL_TEMPLATE } = op.path,
        { semconv::HTTP_REQUEST_RESEND_COUNT } = Empty,
        { semconv::HTTP_RESPONSE_STATUS_CODE } = Empty,
        { semconv::ERROR_TYPE } = Empty,
    );
    if attempt > 1 {
        span.record(semconv::HTTP_REQUEST_RESEND_COUNT, i64::from(attempt - 1));
    }
    span
}

/// Records how a call or an attempt ended: the status it got, or the error.
///
/// Numbers go to spans as `i64`, the conventions' `int`: `tracing-opentelemetry` exports an
/// unsigned field as its text (`"200"`), which collectors then index as a string.
pub(super) fn record_outcome(span: &tracing::Span, outcome: Result<StatusCode, &Error>) {
    let status = match outcome {
        Ok(status) => Some(status),
        Err(error) => error.status(),
    };
    if let Some(status) = status {
        span.record(
            semconv::HTTP_RESPONSE_STATUS_CODE,
            i64::from(status.as_u16()),
        );
    }
    if let Err(error) = outcome {
        span.record(semconv::ERROR_TYPE, error_type(error));
    }
}

/// Records one attempt in the request-duration histogram of the OpenTelemetry HTTP client
/// conventions (`http.client.request.duration`, seconds), labelled like the attempt's span
/// but with `server.address` and no URL, and counts it in `sdk.client.retries` when it was a
/// retry. Through the `metrics` facade: whatever recorder the application installed
/// (Prometheus, OpenTelemetry) receives them; without one they cost next to nothing.
#[cfg(feature = "metrics")]
pub(super) fn record_attempt_metrics(
    op: &Operation,
    url: &Url,
    attempt: u32,
    took: std::time::Duration,
    outcome: Result<StatusCode, &Error>,
) {
    use metrics::Label;
    use opentelemetry_semantic_conventions::metric;
    let mut labels = vec![
        Label::new(semconv::HTTP_REQUEST_METHOD, op.method.to_string()),
        Label::new(
            semconv::SERVER_ADDRESS,
            url.host_str().unwrap_or("").to_owned(),
        ),
        Label::new("sdk.operation", op.id),
    ];
    let status = match outcome {
        Ok(status) => Some(status),
        Err(error) => {
            labels.push(Label::new(semconv::ERROR_TYPE, error_type(error)));
            error.status()
        }
    };
    if let Some(status) = status {
        labels.push(Label::new(
            semconv::HTTP_RESPONSE_STATUS_CODE,
            status.as_u16().to_string(),
        ));
    }
    if attempt > 1 {
        metrics::counter!("sdk.client.retries", labels[..3].to_vec()).increment(1);
    }
    metrics::histogram!(metric::HTTP_CLIENT_REQUEST_DURATION, labels).record(took.as_secs_f64());
}

/// `error.type`: the status for an HTTP error (as the conventions ask), else a short,
/// low-cardinality name of what failed.
fn error_type(error: &Error) -> String {
    match error {
        Error::Api(e) => e.status().as_u16().to_string(),
        Error::Transport { .. } => "transport".to_owned(),
        Error::Timeout { .. } => "timeout".to_owned(),
        Error::Decode { .. } => "decode".to_owned(),
        Error::InvalidInput { .. } => "invalid_input".to_owned(),
        Error::Auth { .. } => "auth".to_owned(),
        Error::Pagination { .. } => "pagination".to_owned(),
        Error::BodyTooLarge { .. } => "body_too_large".to_owned(),
        Error::Redirect { .. } => "redirect".to_owned(),
        Error::Interceptor { .. } => "interceptor".to_owned(),
        Error::Config(_) => "config".to_owned(),
    }
}

/// The URL without userinfo and with every query value replaced.
pub(crate) fn redacted(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    if url.query().is_some() {
        let pairs: Vec<String> = url
            .query_pairs()
            .map(|(name, _)| name.into_owned())
            .collect();
        shown
            .query_pairs_mut()
            .clear()
            .extend_pairs(pairs.iter().map(|name| (name.as_str(), REDACTED)));
    }
    shown.set_fragment(None);
    shown.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_userinfo_and_query_values() {
        let url =
            Url::parse("https://u:p@api.example.com/v1/Things?To=%2B15551234567&PageSize=5#x")
                .unwrap();
        assert_eq!(
            redacted(&url),
            "https://api.example.com/v1/Things?To=REDACTED&PageSize=REDACTED"
        );
        let plain = Url::parse("https://api.example.com/v1/Things").unwrap();
        assert_eq!(redacted(&plain), "https://api.example.com/v1/Things");
    }
}

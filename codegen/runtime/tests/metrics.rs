//! The request metrics (feature `metrics`): one `http.client.request.duration` sample per
//! attempt, labelled by the OpenTelemetry HTTP client conventions, and a retry counter; a
//! recorder here keeps what the client emits.
#![cfg(feature = "metrics")]

mod common;
mod raw;

use std::sync::{Arc, Mutex};

use common::*;
use metrics::{
    Counter, CounterFn, Gauge, Histogram, HistogramFn, Key, KeyName, Metadata, Recorder,
    SharedString, Unit,
};
use raw::{json, RawServer};
use sdk_runtime::Request;

type Samples = Arc<Mutex<Vec<(String, Vec<(String, String)>, f64)>>>;

/// Keeps every sample with its name and labels.
#[derive(Default)]
struct Keep(Samples);

struct Handle(Samples, Key);

impl HistogramFn for Handle {
    fn record(&self, value: f64) {
        self.sample(value);
    }
}

impl CounterFn for Handle {
    fn increment(&self, value: u64) {
        self.sample(value as f64);
    }
    fn absolute(&self, value: u64) {
        self.sample(value as f64);
    }
}

impl Handle {
    fn sample(&self, value: f64) {
        let labels = self
            .1
            .labels()
            .map(|l| (l.key().to_owned(), l.value().to_owned()))
            .collect();
        self.0
            .lock()
            .unwrap()
            .push((self.1.name().to_owned(), labels, value));
    }
}

impl Recorder for Keep {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        Counter::from_arc(Arc::new(Handle(self.0.clone(), key.clone())))
    }
    fn register_gauge(&self, _: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::noop()
    }
    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::from_arc(Arc::new(Handle(self.0.clone(), key.clone())))
    }
}

#[tokio::test]
async fn each_attempt_is_a_duration_sample_and_each_retry_is_counted() {
    let recorder = Keep::default();
    let samples = recorder.0.clone();
    let _guard = metrics::set_default_local_recorder(&recorder);
    let server = RawServer::start(|n, _| match n {
        0 => json(503, "", "{}"),
        _ => json(200, "", "{}"),
    })
    .await;
    let client = twilio_client(&server.uri());
    let mut request = Request::new(&LIST);
    request.query("To", "+15551234567");
    client.execute(request).await.unwrap();

    let samples = samples.lock().unwrap().clone();
    let durations: Vec<_> = samples
        .iter()
        .filter(|(name, ..)| name == "http.client.request.duration")
        .collect();
    assert_eq!(durations.len(), 2, "{samples:?}");
    let label = |labels: &[(String, String)], k: &str| {
        labels
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        label(&durations[0].1, "http.response.status_code").as_deref(),
        Some("503")
    );
    assert_eq!(label(&durations[0].1, "error.type").as_deref(), Some("503"));
    assert_eq!(
        label(&durations[1].1, "http.response.status_code").as_deref(),
        Some("200")
    );
    assert_eq!(label(&durations[1].1, "error.type"), None);
    for (_, labels, seconds) in &durations {
        assert_eq!(label(labels, "http.request.method").as_deref(), Some("GET"));
        assert_eq!(
            label(labels, "server.address").as_deref(),
            Some("127.0.0.1")
        );
        assert_eq!(
            label(labels, "sdk.operation").as_deref(),
            Some("ListThings")
        );
        assert!(*seconds >= 0.0 && *seconds < 10.0);
    }
    let retries: Vec<_> = samples
        .iter()
        .filter(|(name, ..)| name == "sdk.client.retries")
        .collect();
    assert_eq!(retries.len(), 1);
    let everything = format!("{samples:?}");
    assert!(!everything.contains("15551234567") && !everything.contains(PASSWORD));
}

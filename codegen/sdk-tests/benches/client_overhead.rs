//! Client overhead: the same requests through a generated client and through raw reqwest,
//! against a loopback server, with one shared `reqwest::Client`.
//!
//! Each pair (`generated` and `raw_reqwest`) sends byte-for-byte equivalent requests (method,
//! path, query, headers, auth, body encoding) and decodes the response into the same
//! generated type, so the difference is what the generated code and runtime add: builders,
//! encoding checks, retry bookkeeping, tracing span, decoding with error paths.
//!
//! `cargo bench -p sdk-tests --bench client_overhead` measures; `cargo test --benches` runs
//! each once. Server and client share one current-thread runtime: on a shared 2-core machine
//! that is steadier than waking another thread per request, and it is the same for both.

mod common;

use std::time::Duration;

use common::{CHAT_SERVICE, FRONT_CHANNEL, STUDIO_FLOW};
use divan::counter::ItemsCount;
use divan::Bencher;
use futures_util::StreamExt;
use sdk_runtime::reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use sdk_runtime::reqwest::{self, Method};
use tokio::runtime::Runtime;

fn main() {
    divan::main();
}

/// What the runtime sends by default: its per-request timeout, user agent `<crate>/<version>`,
/// and the credentials below (`Basic base64("ACxxx:secret")`, `Bearer token`).
const TIMEOUT: Duration = Duration::from_secs(60);
const TWILIO_AUTH: &str = "Basic QUN4eHg6c2VjcmV0";
const FRONT_AUTH: &str = "Bearer token";
/// Items the paginated benchmark streams, in pages of `PAGE_SIZE`.
const STREAM_ITEMS: usize = 200;
const PAGE_SIZE: i64 = 50;

struct Fixture {
    runtime: Runtime,
    base: String,
    http: reqwest::Client,
    flex: twilio_flex_v1::Client,
    front: front_channel::Client,
}

impl Fixture {
    fn new() -> Fixture {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let base = runtime.block_on(common::start(STREAM_ITEMS));
        // The settings the runtime's own default client uses.
        let http = sdk_runtime::transport::reqwest_builder()
            .unwrap()
            .connect_timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let flex = twilio_flex_v1::Client::builder()
            .basic_auth("ACxxx", "secret")
            .base_url(&base)
            .http_client(http.clone())
            .build()
            .unwrap();
        let front = front_channel::Client::builder()
            .bearer_auth("token")
            .base_url(&base)
            .http_client(http.clone())
            .build()
            .unwrap();
        Fixture {
            runtime,
            base,
            http,
            flex,
            front,
        }
    }

    /// A raw request with the headers the runtime sets on every request.
    fn raw(
        &self,
        method: Method,
        url: &str,
        user_agent: &'static str,
        auth: &'static str,
    ) -> reqwest::RequestBuilder {
        self.http
            .request(method, url)
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, user_agent)
            .header(AUTHORIZATION, auth)
            .timeout(TIMEOUT)
    }
}

/// Decodes a successful response's body as `T`, as a hand-written client would.
async fn decode<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> T {
    assert!(
        response.status().is_success(),
        "status {}",
        response.status()
    );
    let bytes = response.bytes().await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// `PUT /channels/{channel_id}/application_message_templates`: JSON body, JSON response.
mod json_op {
    use super::*;
    use front_channel::types;

    fn template() -> types::ApplicationMessageTemplate {
        let mappings = vec![types::ApplicationMessageTemplateVariableMappingsItem::new(
            "1",
            "first_name",
            "text",
        )];
        types::ApplicationMessageTemplate::new(
            "order_update",
            "Hi {{1}}",
            false,
            "APPROVED",
            mappings,
            "Hi Jane",
            "wa_tpl_order_update",
        )
    }

    #[divan::bench]
    fn generated(bencher: Bencher<'_, '_>) {
        let fx = Fixture::new();
        bencher.bench_local(|| {
            fx.runtime.block_on(async {
                let t = template();
                fx.front
                    .sync_application_message_template(
                        FRONT_CHANNEL,
                        front_channel::operations::SyncApplicationMessageTemplateRequired {
                            name: t.name,
                            blurb: t.blurb,
                            is_disabled: t.is_disabled,
                            status_name: t.status_name,
                            variable_mappings: t.variable_mappings,
                            template_preview: t.template_preview,
                            external_id: t.external_id,
                        },
                    )
                    .send()
                    .await
                    .unwrap()
            })
        });
    }

    #[divan::bench]
    fn raw_reqwest(bencher: Bencher<'_, '_>) {
        let fx = Fixture::new();
        let url = format!(
            "{}/channels/{FRONT_CHANNEL}/application_message_templates",
            fx.base
        );
        bencher.bench_local(|| {
            fx.runtime.block_on(async {
                let body = serde_json::to_vec(&template()).unwrap();
                let response = fx
                    .raw(Method::PUT, &url, "front_channel/0.1.0", FRONT_AUTH)
                    .header(CONTENT_TYPE, "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                decode::<types::ApplicationMessageTemplateResponse>(response).await
            })
        });
    }
}

/// `POST /v1/FlexFlows`: form body, JSON response.
mod form_op {
    use super::*;
    use twilio_flex_v1::types;

    #[divan::bench]
    fn generated(bencher: Bencher<'_, '_>) {
        let fx = Fixture::new();
        bencher.bench_local(|| {
            fx.runtime.block_on(async {
                fx.flex
                    .create_flex_flow(twilio_flex_v1::operations::CreateFlexFlowRequired {
                        friendly_name: "My Flow".into(),
                        chat_service_sid: CHAT_SERVICE.into(),
                        channel_type: types::CreateFlexFlowRequestChannelType::Web,
                    })
                    .contact_identity("+15555550100")
                    .enabled(true)
                    .integration_type(types::CreateFlexFlowRequestIntegrationType::Studio)
                    .integration_flow_sid(STUDIO_FLOW)
                    .send()
                    .await
                    .unwrap()
            })
        });
    }

    #[divan::bench]
    fn raw_reqwest(bencher: Bencher<'_, '_>) {
        let fx = Fixture::new();
        let url = format!("{}/v1/FlexFlows", fx.base);
        bencher.bench_local(|| {
            fx.runtime.block_on(async {
                let form = [
                    ("FriendlyName", "My Flow"),
                    ("ChatServiceSid", CHAT_SERVICE),
                    ("ChannelType", "web"),
                    ("ContactIdentity", "+15555550100"),
                    ("Enabled", "true"),
                    ("IntegrationType", "studio"),
                    ("Integration.FlowSid", STUDIO_FLOW),
                ];
                let response = fx
                    .raw(Method::POST, &url, "twilio_flex_v1/0.1.0", TWILIO_AUTH)
                    .form(&form)
                    .send()
                    .await
                    .unwrap();
                decode::<types::FlexFlow>(response).await
            })
        });
    }
}

/// `GET /v1/FlexFlows`, followed through `meta.next_page_url`: 200 items in 4 pages.
mod paginated_stream {
    use super::*;
    use twilio_flex_v1::types;

    #[divan::bench]
    fn generated(bencher: Bencher<'_, '_>) {
        let fx = Fixture::new();
        bencher
            .counter(ItemsCount::new(STREAM_ITEMS))
            .bench_local(|| {
                fx.runtime.block_on(async {
                    let mut stream = fx.flex.list_flex_flows().page_size(PAGE_SIZE).stream();
                    let mut items = 0;
                    while let Some(flow) = stream.next().await {
                        std::hint::black_box(flow.unwrap());
                        items += 1;
                    }
                    assert_eq!(items, STREAM_ITEMS);
                })
            });
    }

    #[divan::bench]
    fn raw_reqwest(bencher: Bencher<'_, '_>) {
        let fx = Fixture::new();
        let first = format!("{}/v1/FlexFlows?PageSize={PAGE_SIZE}", fx.base);
        bencher
            .counter(ItemsCount::new(STREAM_ITEMS))
            .bench_local(|| {
                fx.runtime.block_on(async {
                    let mut next = Some(first.clone());
                    let mut items = 0;
                    while let Some(url) = next.take() {
                        let response = fx
                            .raw(Method::GET, &url, "twilio_flex_v1/0.1.0", TWILIO_AUTH)
                            .send()
                            .await
                            .unwrap();
                        let page: types::FlexFlowList = decode(response).await;
                        next = page.meta.and_then(|m| m.next_page_url);
                        // Every item handed out one at a time, as the stream does.
                        for flow in page.flex_flows.unwrap_or_default() {
                            std::hint::black_box(flow);
                            items += 1;
                        }
                    }
                    assert_eq!(items, STREAM_ITEMS);
                })
            });
    }
}

//! Contract tests: every operation of every spec, called through the generated client,
//! against Prism (`@stoplight/prism-cli`), an independent OpenAPI mock server that validates
//! each request against the spec.
//!
//! Per spec and per Prism mode (static examples, `--dynamic` random data), one Prism
//! process is started and every operation is called twice through the generated driver
//! (`generated/sdk-calls`): with every input set, then with the required ones only, with
//! values that `common/values.rs` derives from the spec. The calls come from the model, so
//! a new operation is tested without a hand edit. The run then fails if Prism flagged any
//! request, answered one with an error, or if the client could not decode a 2xx answer —
//! unless Prism itself logs that very value as breaking the response schema (see
//! `contract/run.rs`). Raw negative controls per spec prove that Prism does reject invalid
//! requests, so the checks can fail.
//!
//! Needs Node.js (>= 20.19) and `npm ci --prefix .ci/tools/prism --no-audit --no-fund --ignore-scripts`
//! (`.ci/run` does it); without them the tests fail and say what to install.

mod common;
#[path = "contract/prism.rs"]
mod prism;
#[path = "contract/run.rs"]
mod run;

use common::values::{Operation, Spec, SpecValues};
use common::{front_auth, twilio_auth, FRONT_AUTH, TWILIO_AUTH};
use prism::Mode;
use run::ContractRun;
use sdk_calls::{Call, Driver, Inputs};
use sdk_runtime::RetryPolicy;

/// The operation whose body the negative controls break: the first with a JSON or form body
/// that has required fields, else the first with such a body.
fn negative_control_target<'s>(spec: &'s Spec, calls: &[Call]) -> Operation<'s> {
    let with_body: Vec<Operation<'s>> = calls
        .iter()
        .map(|c| spec.operation(c.operation))
        .filter(|op| {
            op.has_body()
                && matches!(
                    op.body_media_type(),
                    "application/json" | "application/x-www-form-urlencoded"
                )
        })
        .collect();
    let index = with_body
        .iter()
        .position(|op| !op.required_body_fields().is_empty())
        .unwrap_or(0);
    with_body
        .into_iter()
        .nth(index)
        .unwrap_or_else(|| panic!("{}: no operation with a JSON or form body", spec.file))
}

async fn contract(
    spec_file: &'static str,
    calls: &'static [Call],
    client: impl Driver,
    run: &ContractRun,
) {
    let values = SpecValues::new(&run.spec);
    for call in calls {
        let op = run.spec.operation(call.operation);
        run.call(&op, client.call(call, &values, Inputs::All)).await;
        run.call_required_only(&op, client.call(call, &values, Inputs::RequiredOnly))
            .await;
    }
    run.negative_controls(&negative_control_target(&run.spec, calls))
        .await;
    assert!(!calls.is_empty(), "{spec_file} has operations");
}

/// Starts Prism for a spec, builds the crate's client against it, and runs every call.
macro_rules! contract_test {
    ($name:ident, $krate:ident, $file:literal, $auth:expr, $raw_auth:expr, $mode:expr) => {
        #[tokio::test]
        async fn $name() {
            let run = ContractRun::start($file, $mode, $raw_auth);
            let client = $krate::Client::builder()
                .auth($auth)
                .server_url(run.url())
                // Retries would put extra requests into Prism's log; every call is one request.
                .retry_policy(RetryPolicy::disabled())
                .build()
                .unwrap();
            contract($file, sdk_calls::$krate::CALLS, client, &run).await;
            run.finish().await;
        }
    };
}

contract_test!(
    twilio_frontline_v1_against_prism_static,
    twilio_frontline_v1,
    "twilio_frontline_v1.yaml",
    twilio_auth(),
    TWILIO_AUTH,
    Mode::Static
);
contract_test!(
    twilio_frontline_v1_against_prism_dynamic,
    twilio_frontline_v1,
    "twilio_frontline_v1.yaml",
    twilio_auth(),
    TWILIO_AUTH,
    Mode::Dynamic
);
contract_test!(
    twilio_flex_v2_against_prism_static,
    twilio_flex_v2,
    "twilio_flex_v2.json",
    twilio_auth(),
    TWILIO_AUTH,
    Mode::Static
);
contract_test!(
    twilio_flex_v2_against_prism_dynamic,
    twilio_flex_v2,
    "twilio_flex_v2.json",
    twilio_auth(),
    TWILIO_AUTH,
    Mode::Dynamic
);
contract_test!(
    twilio_flex_v1_against_prism_static,
    twilio_flex_v1,
    "twilio_flex_v1.yaml",
    twilio_auth(),
    TWILIO_AUTH,
    Mode::Static
);
contract_test!(
    twilio_flex_v1_against_prism_dynamic,
    twilio_flex_v1,
    "twilio_flex_v1.yaml",
    twilio_auth(),
    TWILIO_AUTH,
    Mode::Dynamic
);
contract_test!(
    front_channel_against_prism_static,
    front_channel,
    "front_channel.json",
    front_auth(),
    FRONT_AUTH,
    Mode::Static
);
contract_test!(
    front_channel_against_prism_dynamic,
    front_channel,
    "front_channel.json",
    front_auth(),
    FRONT_AUTH,
    Mode::Dynamic
);

//! One contract run: one spec, one Prism mode, every operation called once through
//! the generated client, then Prism's log checked request by request.
//!
//! Requests are sent one after another, so the n-th request Prism logs belongs to
//! the n-th call. Prism logs each request as a block that starts with
//! `[HTTP SERVER] <method> <path> ... Request received`; inside it, a request that
//! breaks the spec shows `[VALIDATOR]` warnings/errors, and an answer that breaks the
//! spec (Prism's own sample data can) shows `Violation: response.body.<field>`.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::future::Future;
use std::time::Duration;

use serde_json::Value;

use super::prism::{Mode, Prism};
use crate::common::values::{Operation, Spec};
use crate::common::{operation_ids, spec_path};

/// How long Prism may take to log a request it has already answered.
const LOG_DEADLINE: Duration = Duration::from_secs(30);
/// A path no spec has; its log block marks the end of the previous request's block.
const END_MARKER_PATH: &str = "/__contract_test_end__";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// Prism finds nothing wrong with the request and the client decodes the answer.
    Accepted,
    /// A deliberately invalid request: Prism must answer 4xx and log a violation.
    Rejected,
}

enum Outcome {
    Client(Result<(), sdk_runtime::Error>),
    Raw { status: u16, body: String },
}

struct Call {
    label: String,
    method: String,
    path_template: String,
    expect: Expect,
    outcome: Outcome,
}

impl Call {
    /// Errors raised before anything is sent leave no block in Prism's log.
    fn reached_prism(&self) -> bool {
        !matches!(
            self.outcome,
            Outcome::Client(Err(
                sdk_runtime::Error::InvalidInput { .. } | sdk_runtime::Error::Config(_)
            ))
        )
    }
}

/// What Prism logged for one request.
#[derive(Debug, Default)]
struct RequestLog {
    method: String,
    path: String,
    request_violations: Vec<String>,
    /// Locations such as `response.body.sid`.
    response_violations: Vec<String>,
    lines: Vec<String>,
}

pub(crate) struct ContractRun {
    pub spec: Spec,
    prism: Prism,
    seed: Option<String>,
    /// `Authorization` header for raw requests (the generated client sets its own).
    raw_auth: &'static str,
    calls: RefCell<Vec<Call>>,
    /// Operations called through the generated client.
    called: RefCell<BTreeSet<String>>,
}

/// The spec file Prism serves: the spec itself, or, when it has an overlay, the overlaid
/// document (what the crate was generated from) written to a scratch file.
fn served_spec(spec_file: &str) -> std::path::PathBuf {
    if crate::common::overlays(spec_file).is_empty() {
        return spec_path(spec_file);
    }
    let overlaid = crate::common::load_spec(spec_file);
    let path = std::env::temp_dir().join(format!(
        "sdk-tests-{}-{spec_file}.overlaid.json",
        std::process::id()
    ));
    std::fs::write(&path, serde_json::to_vec_pretty(&overlaid).expect("JSON"))
        .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    path
}

impl ContractRun {
    /// Starts Prism for `spec_file` in `mode`. Dynamic mode uses `$PRISM_SEED` if
    /// set, else a fresh seed that failure messages print so a run can be replayed.
    pub(crate) fn start(spec_file: &'static str, mode: Mode, raw_auth: &'static str) -> Self {
        let seed = (mode == Mode::Dynamic).then(|| {
            std::env::var("PRISM_SEED").unwrap_or_else(|_| {
                use std::hash::{BuildHasher, RandomState};
                (RandomState::new().hash_one(0u8) % 1_000_000).to_string()
            })
        });
        let prism = Prism::start(&served_spec(spec_file), mode, seed.as_deref());
        ContractRun {
            spec: Spec::load(spec_file),
            prism,
            seed,
            raw_auth,
            calls: RefCell::default(),
            called: RefCell::default(),
        }
    }

    /// The URL to give the generated client's `server_url`.
    pub(crate) fn url(&self) -> &str {
        &self.prism.url
    }

    fn describe(&self) -> String {
        match &self.seed {
            Some(seed) => format!(
                "{} against prism mock --dynamic --seed {seed} (replay with PRISM_SEED={seed})",
                self.spec.file
            ),
            None => format!("{} against prism mock (static examples)", self.spec.file),
        }
    }

    /// Awaits one request made through the generated client with every input of the
    /// operation set (checked); judged in [`finish`](Self::finish).
    pub(crate) async fn call<T>(
        &self,
        op: &Operation<'_>,
        request: impl Future<Output = Result<T, sdk_runtime::Error>>,
    ) {
        let outcome = request.await.map(drop);
        // After the call: the driver asks for the values as it builds the request.
        op.assert_every_input_used();
        self.called.borrow_mut().insert(op.id.clone());
        self.record(
            op,
            op.id.clone(),
            Expect::Accepted,
            Outcome::Client(outcome),
        );
    }

    /// Like [`call`](Self::call), for a request with only the required inputs set:
    /// what the client sends for unset optional parameters and fields must be valid too.
    pub(crate) async fn call_required_only<T>(
        &self,
        op: &Operation<'_>,
        request: impl Future<Output = Result<T, sdk_runtime::Error>>,
    ) {
        let outcome = request.await.map(drop);
        let label = format!("{} (required inputs only)", op.id);
        self.record(op, label, Expect::Accepted, Outcome::Client(outcome));
    }

    /// Negative controls for `op`, sent raw so that nothing in our client can fix them:
    /// the complete synthesised body first (Prism must accept it, proving the raw
    /// requests are otherwise right), then that body without its first required field
    /// (if it has one) and with a content type the operation does not declare (both
    /// must be rejected). Shows that the contract checks can fail.
    pub(crate) async fn negative_controls(&self, op: &Operation<'_>) {
        let body = op.body();
        let media_type = op.body_media_type().to_owned();
        let complete = encode(&media_type, &body);
        self.raw(
            op,
            "complete body, sent raw",
            Expect::Accepted,
            &media_type,
            complete,
        )
        .await;

        if let Some(field) = op.required_body_fields().first() {
            let mut incomplete = body.clone();
            incomplete.as_object_mut().unwrap().remove(field);
            let label = format!("without required body field {field}");
            let encoded = encode(&media_type, &incomplete);
            self.raw(op, &label, Expect::Rejected, &media_type, encoded)
                .await;
        }

        let wrong_type = if media_type == "application/json" {
            "text/plain"
        } else {
            "application/json"
        };
        let label = format!("body sent as {wrong_type} instead of {media_type}");
        let json = serde_json::to_vec(&body).unwrap();
        self.raw(op, &label, Expect::Rejected, wrong_type, json)
            .await;
    }

    async fn raw(
        &self,
        op: &Operation<'_>,
        what: &str,
        expect: Expect,
        content_type: &str,
        body: Vec<u8>,
    ) {
        let method = sdk_runtime::reqwest::Method::from_bytes(op.method.as_bytes()).unwrap();
        let response = sdk_runtime::transport::reqwest_builder()
            .unwrap()
            .build()
            .unwrap()
            .request(method, format!("{}{}", self.url(), op.path()))
            .header("authorization", self.raw_auth)
            .header("accept", "application/json")
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: raw request failed: {e}", self.describe()));
        let status = response.status().as_u16();
        let body = response.text().await.unwrap_or_default();
        let label = format!("{} ({what})", op.id);
        self.record(op, label, expect, Outcome::Raw { status, body });
    }

    fn record(&self, op: &Operation<'_>, label: String, expect: Expect, outcome: Outcome) {
        self.calls.borrow_mut().push(Call {
            label,
            method: op.method.clone(),
            path_template: op.path_template.clone(),
            expect,
            outcome,
        });
    }

    /// Checks every call against Prism's log and fails listing every problem.
    pub(crate) async fn finish(self) {
        let calls = self.calls.take();
        let mut problems = Vec::new();

        let in_spec = operation_ids(self.spec.file);
        let called = self.called.take();
        let missing: Vec<_> = in_spec.difference(&called).collect();
        if !missing.is_empty() {
            problems.push(format!(
                "operations without a contract test: {missing:?} (call each through the client)"
            ));
        }

        let blocks = self
            .request_logs(calls.iter().filter(|c| c.reached_prism()).count())
            .await;
        let mut blocks = blocks.into_iter();
        let mut tolerated = Vec::new();
        for call in &calls {
            let log = if call.reached_prism() {
                blocks.next().unwrap_or_default()
            } else {
                RequestLog::default()
            };
            match judge(call, &log) {
                Ok(None) => {}
                Ok(Some(note)) => tolerated.push(format!("{}: {note}", call.label)),
                Err(problem) => problems.push(format!(
                    "{}: {problem}\n    Prism's log for it:\n      {}",
                    call.label,
                    log.lines.join("\n      ")
                )),
            }
        }

        let through_client = calls
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Client(_)))
            .count();
        println!(
            "{}: {through_client} calls through the client ({} operations), {} raw",
            self.describe(),
            called.len(),
            calls.len() - through_client,
        );
        for note in &tolerated {
            println!("  tolerated: {note}");
        }
        assert!(
            problems.is_empty(),
            "{}:\n  {}",
            self.describe(),
            problems.join("\n  ")
        );
    }

    /// Splits Prism's log into one block per request, once the log is complete.
    async fn request_logs(&self, expected: usize) -> Vec<RequestLog> {
        // Whatever Prism logs for the end marker comes after everything it logged
        // for the requests before it.
        let end = format!("{}{END_MARKER_PATH}", self.url());
        let http = sdk_runtime::transport::reqwest_builder()
            .unwrap()
            .build()
            .unwrap();
        let _ = http.get(end).send().await;
        let log = &self.prism.log;
        let complete = log.wait_until(LOG_DEADLINE, |lines| {
            lines
                .iter()
                .any(|l| is_block_start(l) && l.contains(END_MARKER_PATH))
        });
        let lines = log.lines();
        assert!(
            complete,
            "{}: Prism did not log the end marker within {LOG_DEADLINE:?}:\n{}",
            self.describe(),
            lines.join("\n")
        );
        let mut blocks = parse_request_logs(&lines);
        let end_block = blocks.pop().expect("the end marker's block");
        assert!(end_block.path.starts_with(END_MARKER_PATH));
        assert_eq!(
            blocks.len(),
            expected,
            "{}: Prism logged {} requests, the test sent {expected}:\n{}",
            self.describe(),
            blocks.len(),
            lines.join("\n")
        );
        blocks
    }
}

fn is_block_start(line: &str) -> bool {
    line.contains("[HTTP SERVER]") && line.ends_with("Request received")
}

fn parse_request_logs(lines: &[String]) -> Vec<RequestLog> {
    let mut blocks: Vec<RequestLog> = Vec::new();
    for line in lines {
        if is_block_start(line) {
            let after = line.split("[HTTP SERVER]").nth(1).unwrap_or_default();
            let mut words = after.split_whitespace();
            let method = words.next().unwrap_or_default().to_ascii_uppercase();
            let path = words.next().unwrap_or_default().to_owned();
            blocks.push(RequestLog {
                method,
                path,
                ..RequestLog::default()
            });
        }
        let Some(block) = blocks.last_mut() else {
            continue; // Start-up lines.
        };
        block.lines.push(line.clone());
        let Some(validator) = line.split("[VALIDATOR]").nth(1) else {
            continue;
        };
        if let Some(violation) = validator.split("Violation: response").nth(1) {
            let location = violation.split_whitespace().next().unwrap_or_default();
            block
                .response_violations
                .push(format!("response{location}"));
        } else if validator.contains('✖') || validator.contains('⚠') {
            block.request_violations.push(validator.trim().to_owned());
        }
    }
    blocks
}

/// `Ok(None)`: as expected; `Ok(Some(note))`: acceptable for a reason worth reporting.
fn judge(call: &Call, log: &RequestLog) -> Result<Option<String>, String> {
    if let Outcome::Client(Err(e)) = &call.outcome {
        if !call.reached_prism() {
            return Err(format!("the client refused to send it: {e}"));
        }
    }
    let path = log.path.split('?').next().unwrap_or_default();
    if log.method != call.method || !path_matches(&call.path_template, path) {
        return Err(format!(
            "Prism received {} {}, expected {} {}",
            log.method, log.path, call.method, call.path_template
        ));
    }
    match call.expect {
        Expect::Rejected => {
            let status = match &call.outcome {
                Outcome::Raw { status, .. } => *status,
                Outcome::Client(_) => unreachable!("negative controls are sent raw"),
            };
            if (400..500).contains(&status) && !log.request_violations.is_empty() {
                Ok(None)
            } else {
                Err(format!(
                    "the invalid request was not rejected: HTTP {status}, violations {:?}",
                    log.request_violations
                ))
            }
        }
        Expect::Accepted if !log.request_violations.is_empty() => Err(format!(
            "Prism flagged the request: {:?}",
            log.request_violations
        )),
        Expect::Accepted => match &call.outcome {
            Outcome::Client(Ok(())) => Ok(None),
            Outcome::Raw { status, .. } if (200..300).contains(status) => Ok(None),
            Outcome::Raw { status, body } => Err(format!("HTTP {status}: {body}")),
            Outcome::Client(Err(e)) => judge_client_error(e, log),
        },
    }
}

/// A decode error is right when Prism itself reports that very value as breaking the
/// response schema (its static samples for patterned strings do); anything else is a bug.
fn judge_client_error(
    error: &sdk_runtime::Error,
    log: &RequestLog,
) -> Result<Option<String>, String> {
    let mut message = error.to_string();
    if let sdk_runtime::Error::Decode {
        path,
        excerpt,
        source,
        ..
    } = error
    {
        let at = json_path_segments(path);
        let flagged = log
            .response_violations
            .iter()
            .any(|v| json_path_segments(v.strip_prefix("response.body").unwrap_or(v)) == at);
        if flagged {
            return Ok(Some(format!(
                "Prism's answer breaks the response schema at `{path}` (Prism logs it as a response violation) and the client rejects it: {source}"
            )));
        }
        let _ = write!(
            message,
            " ({source}); Prism's response violations: {:?}; body: {}",
            log.response_violations,
            excerpt.expose()
        );
    } else if let Some(api) = error.api_error() {
        let _ = write!(message, "; body: {}", api.text());
    }
    Err(message)
}

/// `a.b[0].c`, `.a.b.0.c` and `a/b/0/c` all give `["a", "b", "0", "c"]`.
fn json_path_segments(path: &str) -> Vec<&str> {
    path.split(['.', '[', ']', '/'])
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether a concrete request path fits a spec path template such as `/Users/{Sid}`.
fn path_matches(template: &str, path: &str) -> bool {
    let template: Vec<_> = template.split('/').collect();
    let path: Vec<_> = path.split('/').collect();
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(t, p)| t == p || (t.starts_with('{') && !p.is_empty()))
}

/// The body as the declared media type carries it (JSON or a flat form).
fn encode(media_type: &str, body: &Value) -> Vec<u8> {
    match media_type {
        "application/json" => serde_json::to_vec(body).unwrap(),
        "application/x-www-form-urlencoded" => {
            let fields = body.as_object().expect("a form body is an object");
            let mut form = String::new();
            for (name, value) in fields {
                let value = match value {
                    Value::String(s) => s.clone(),
                    Value::Bool(_) | Value::Number(_) => value.to_string(),
                    other => panic!("form field {name}: cannot encode {other} raw"),
                };
                if !form.is_empty() {
                    form.push('&');
                }
                form.push_str(&form_encode(name));
                form.push('=');
                form.push_str(&form_encode(&value));
            }
            form.into_bytes()
        }
        other => panic!("negative controls cannot encode {other}; pick a JSON or form operation"),
    }
}

/// `application/x-www-form-urlencoded` encoding of one name or value.
fn form_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

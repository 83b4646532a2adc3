//! In-process mocks behind the [`HttpClient`] seam (feature `test-util`): a test answers
//! the client's requests without a socket, a server or a sleep. Rules match an operation
//! (by method and path template, as the generated crate declares it) or any request;
//! answers are responses, sequences of them, or transport failures; every request is
//! recorded. Retries, redirects, pagination, timeouts and body limits run against a mock
//! exactly as against a server, so a test of them needs no network, and with a
//! [`ManualTimer`](crate::time::ManualTimer) no wall time.
//!
//! ```
//! # async fn run() -> Result<(), sdk_runtime::Error> {
//! use sdk_runtime::mock::{MockHttp, MockResponse};
//! # use sdk_runtime::{ApiClient, ApiInfo, AuthScheme, Client, ClientBuilder, ClientToken, Operation, Request};
//! # static API: ApiInfo = ApiInfo { crate_name: "x", crate_version: "0", servers: &["https://api.example.com"],
//! #     auth: AuthScheme::None, env: &[], hosts: None, request_id_header: None };
//! # struct X(Client);
//! # impl ApiClient for X { const API: &'static ApiInfo = &API; fn from_runtime(c: Client, _: ClientToken) -> Self { X(c) } }
//! # static FETCH: Operation = Operation { id: "FetchThing", method: sdk_runtime::http::Method::GET,
//! #     path: "/Things/{Sid}", server: 0, errors: &[] };
//! let mock = MockHttp::new();
//! mock.on(&FETCH)
//!     .answer(MockResponse::status(429).header("retry-after", "1"))
//!     .answer(MockResponse::json(200, &serde_json::json!({"sid": "TH1"})));
//! let X(client) = ClientBuilder::<X>::new()
//!     .transport(mock.clone())
//!     .timer(sdk_runtime::time::ManualTimer::new(std::time::SystemTime::UNIX_EPOCH))
//!     .build()?;
//! let mut request = Request::new(&FETCH);
//! request.path_param("Sid", "TH1");
//! let thing: serde_json::Value = client.execute(request).await?.json()?.into_body();
//! assert_eq!(thing["sid"], "TH1");
//! assert_eq!(mock.calls(&FETCH).len(), 2, "the 429 was retried");
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::{Method, StatusCode};

use crate::operation::Operation;
use crate::time::BoxFuture;
use crate::transport::{
    HttpClient, HttpRequest, HttpResponse, ResponseBody, TransportError, TransportErrorKind,
};

/// A mock transport: give a clone to [`ClientBuilder::transport`](crate::ClientBuilder::transport)
/// and keep one to add rules and read the requests. Clones share rules and records.
#[derive(Clone, Default)]
pub struct MockHttp {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    rules: Vec<Rule>,
    requests: Vec<Recorded>,
}

type Matcher = Box<dyn Fn(&HttpRequest) -> bool + Send + Sync>;

struct Rule {
    operation: Option<&'static str>,
    method: Option<Method>,
    /// Path template segments; `None` for a segment that is a `{parameter}`.
    template: Option<Vec<Option<String>>>,
    when: Vec<Matcher>,
    answers: VecDeque<MockResponse>,
    /// The last answer repeats once the others are used up.
    last: Option<MockResponse>,
}

/// A request the mock received, with the rule's operation if one matched.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// The operation id of the rule that answered (`None`: no rule matched).
    pub operation: Option<&'static str>,
    /// The request as sent.
    pub request: HttpRequest,
}

impl MockHttp {
    /// A mock with no rules: every request is answered with a transport error saying
    /// that nothing matched, so a test never talks to the network by accident.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A rule for requests of `operation`: its method and path template (any value in
    /// place of a `{parameter}`), on any server. Rules added later are tried first.
    pub fn on(&self, operation: &'static Operation) -> RuleBuilder<'_> {
        let template = operation
            .path
            .split('/')
            .filter(|segment| !segment.is_empty())
            .map(|segment| (!segment.starts_with('{')).then(|| segment.to_owned()))
            .collect();
        self.add(Rule {
            operation: Some(operation.id),
            method: Some(operation.method.clone()),
            template: Some(template),
            when: Vec::new(),
            answers: VecDeque::new(),
            last: None,
        })
    }

    /// A rule for every request (narrow it with [`RuleBuilder::when`]).
    pub fn on_any(&self) -> RuleBuilder<'_> {
        self.add(Rule {
            operation: None,
            method: None,
            template: None,
            when: Vec::new(),
            answers: VecDeque::new(),
            last: None,
        })
    }

    fn add(&self, rule: Rule) -> RuleBuilder<'_> {
        let mut state = self.lock();
        state.rules.push(rule);
        RuleBuilder {
            mock: self,
            index: state.rules.len() - 1,
        }
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    /// The requests of `operation`, in order.
    pub fn calls(&self, operation: &'static Operation) -> Vec<HttpRequest> {
        self.lock()
            .requests
            .iter()
            .filter(|r| r.operation == Some(operation.id))
            .map(|r| r.request.clone())
            .collect()
    }

    /// Records `request` and picks its answer: the newest matching rule's next one.
    fn answer(&self, request: HttpRequest) -> Option<MockResponse> {
        let mut state = self.lock();
        let rule = state.rules.iter_mut().rev().find(|r| r.matches(&request));
        let (operation, answer) = match rule {
            None => (None, None),
            Some(rule) => {
                let answer = match rule.answers.pop_front() {
                    Some(answer) => {
                        if rule.answers.is_empty() {
                            rule.last = Some(answer.clone());
                        }
                        Some(answer)
                    }
                    None => rule.last.clone(),
                };
                (rule.operation, answer)
            }
        };
        state.requests.push(Recorded { operation, request });
        answer
    }
}

impl Rule {
    fn matches(&self, request: &HttpRequest) -> bool {
        if self.method.as_ref().is_some_and(|m| *m != request.method) {
            return false;
        }
        if let Some(template) = &self.template {
            if !path_matches(template, request.url.path()) {
                return false;
            }
        }
        self.when.iter().all(|m| m(request))
    }
}

/// Whether `path` ends with the template's segments (a server adds a prefix such as
/// `/v1`); a `{parameter}` matches any one non-empty segment.
fn path_matches(template: &[Option<String>], path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some(start) = segments.len().checked_sub(template.len()) else {
        return false;
    };
    template
        .iter()
        .zip(&segments[start..])
        .all(|(want, got)| want.as_deref().is_none_or(|w| w == *got))
}

/// Adds matchers and answers to a rule.
pub struct RuleBuilder<'m> {
    mock: &'m MockHttp,
    index: usize,
}

impl RuleBuilder<'_> {
    fn with(self, f: impl FnOnce(&mut Rule)) -> Self {
        f(&mut self.mock.lock().rules[self.index]);
        self
    }

    /// Only requests for which `matcher` holds.
    pub fn when(self, matcher: impl Fn(&HttpRequest) -> bool + Send + Sync + 'static) -> Self {
        self.with(|r| r.when.push(Box::new(matcher)))
    }

    /// Answers the next matching request with `response`; answers are used in the order
    /// added, and the last one repeats.
    pub fn answer(self, response: MockResponse) -> Self {
        self.with(|r| r.answers.push_back(response))
    }
}

/// An answer: a response, or a transport failure.
#[derive(Clone)]
pub struct MockResponse {
    outcome: Result<(StatusCode, HeaderMap, Bytes), TransportErrorKind>,
}

impl MockResponse {
    /// An empty response with `status` (an invalid code becomes 500).
    pub fn status(status: u16) -> Self {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        MockResponse {
            outcome: Ok((status, HeaderMap::new(), Bytes::new())),
        }
    }

    /// A JSON response: `body` serialised, with its content type.
    pub fn json(status: u16, body: &impl serde::Serialize) -> Self {
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        Self::status(status)
            .header(CONTENT_TYPE.as_str(), "application/json")
            .body(bytes)
    }

    /// The request failed in the transport (a refused connection, a cut one, a timeout).
    pub fn transport_error(kind: TransportErrorKind) -> Self {
        MockResponse { outcome: Err(kind) }
    }

    /// Adds a header (a name or value that is not valid HTTP is left out).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let (Ok((_, headers, _)), Ok(name), Ok(value)) = (
            &mut self.outcome,
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.append(name, value);
        }
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        if let Ok((_, _, bytes)) = &mut self.outcome {
            *bytes = body.into();
        }
        self
    }
}

impl fmt::Debug for MockResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.outcome {
            Ok((status, _, body)) => f
                .debug_struct("MockResponse")
                .field("status", status)
                .field("body_len", &body.len())
                .finish_non_exhaustive(),
            Err(kind) => f
                .debug_tuple("MockResponse::transport_error")
                .field(kind)
                .finish(),
        }
    }
}

impl fmt::Debug for MockHttp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("MockHttp")
            .field("rules", &state.rules.len())
            .field("requests", &state.requests.len())
            .finish()
    }
}

impl HttpClient for MockHttp {
    fn send(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        let answer = self.answer(request);
        let outcome = match answer {
            None => Err(TransportError::new(
                TransportErrorKind::Connect,
                "the mock has no rule for this request",
            )),
            Some(MockResponse { outcome: Err(kind) }) => Err(TransportError::new(
                kind,
                "a failure the mock was told to give",
            )),
            Some(MockResponse {
                outcome: Ok((status, headers, body)),
            }) => Ok(HttpResponse::new(
                status,
                headers,
                ResponseBody::from_bytes(body),
            )),
        };
        Box::pin(std::future::ready(outcome))
    }
}

/// A rule of one operation with its types, as a generated crate's `mock` module hands it
/// out: match on the decoded request body, answer with the response type.
pub struct Typed<'m, In, Out> {
    rule: RuleBuilder<'m>,
    decode: fn(&HttpRequest) -> Option<In>,
    encode: fn(&Out) -> MockResponse,
}

impl<'m, In: 'static, Out> Typed<'m, In, Out> {
    /// A typed rule over `rule`: generated code makes these.
    #[doc(hidden)]
    pub fn new(
        rule: RuleBuilder<'m>,
        decode: fn(&HttpRequest) -> Option<In>,
        encode: fn(&Out) -> MockResponse,
    ) -> Self {
        Typed {
            rule,
            decode,
            encode,
        }
    }

    /// Only requests whose body decodes as the operation's request type and satisfies
    /// `matcher` (for an operation without a body, `In` is `()`).
    pub fn when(self, matcher: impl Fn(&In) -> bool + Send + Sync + 'static) -> Self {
        let decode = self.decode;
        Typed {
            rule: self
                .rule
                .when(move |r| decode(r).is_some_and(|input| matcher(&input))),
            ..self
        }
    }

    /// Only requests for which `matcher` holds, seen as sent (path, query, headers).
    pub fn when_request(
        self,
        matcher: impl Fn(&HttpRequest) -> bool + Send + Sync + 'static,
    ) -> Self {
        Typed {
            rule: self.rule.when(matcher),
            ..self
        }
    }

    /// Answers with `value`, as the operation's success response.
    pub fn respond(self, value: Out) -> Self {
        let answer = (self.encode)(&value);
        self.answer(answer)
    }

    /// Answers with any response: an error status, headers, a transport failure.
    pub fn answer(self, response: MockResponse) -> Self {
        Typed {
            rule: self.rule.answer(response),
            ..self
        }
    }
}

/// For an operation without a body to match on.
#[doc(hidden)]
pub fn no_input(_: &HttpRequest) -> Option<()> {
    Some(())
}

/// A JSON request body, decoded.
#[doc(hidden)]
pub fn json_input<T: serde::de::DeserializeOwned>(request: &HttpRequest) -> Option<T> {
    serde_json::from_slice(&request.body).ok()
}

/// A form request body, decoded.
#[doc(hidden)]
pub fn form_input<T: serde::de::DeserializeOwned>(request: &HttpRequest) -> Option<T> {
    serde_html_form::from_bytes(&request.body).ok()
}

/// A JSON success response.
#[doc(hidden)]
pub fn json_answer<T: serde::Serialize>(value: &T) -> MockResponse {
    MockResponse::json(200, value)
}

/// A text success response.
#[doc(hidden)]
#[allow(
    clippy::ptr_arg,
    reason = "its type is `Typed`'s `fn(&Out)` for the `String` a text operation returns"
)]
pub fn text_answer(value: &String) -> MockResponse {
    MockResponse::status(200)
        .header(CONTENT_TYPE.as_str(), "text/plain; charset=utf-8")
        .body(value.clone())
}

/// A success without a body.
#[doc(hidden)]
pub fn empty_answer(_: &()) -> MockResponse {
    MockResponse::status(204)
}

impl MockHttp {
    /// A builder of a client of `C` that sends to this mock, with no credentials (the mock
    /// asks for none) and on a [`ManualTimer`](crate::time::ManualTimer) at 2023-11-14,
    /// so that retries take no time.
    pub fn client_builder<C: crate::ApiClient>(&self) -> crate::ClientBuilder<C> {
        let start = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        crate::ClientBuilder::new()
            .auth(crate::auth::NoAuth)
            .transport(self.clone())
            .timer(crate::time::ManualTimer::new(start))
    }
}

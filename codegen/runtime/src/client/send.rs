//! A call from start to end: the request gets its URL and credentials, goes through the
//! transport as often as the [`retry`](crate::retry) rules allow,
//! within the call's timeout, in a tracing span; the answer becomes a [`RawResponse`] or
//! an [`Error`].

use std::borrow::Cow;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use reqwest::{StatusCode, Url};
use tracing::Instrument as _;

use super::interceptor::{Interceptor, InterceptorError, RequestContext, ResponseContext};
use super::streaming::Streaming;
use super::{telemetry, CallOptions, Client};
use crate::auth::{AuthHeaders, AuthRequest};
use crate::encoding::{Body, Encoded, Request};
use crate::error::{ApiError, Error};
use crate::response::{Metadata, RawResponse};
use crate::retry;
use crate::transport::{
    self, Exchange, HttpResponse, Limits, Outgoing, Prepared, Received, ResponseBody,
};

impl Client {
    /// Sends a request: encodes it, asks the auth provider for credentials, and retries
    /// as the [`RetryPolicy`](crate::RetryPolicy) allows. Any 2xx is `Ok`; anything else
    /// is [`Error::Api`].
    ///
    /// Generated builders call this; it is public for requests built by hand (a
    /// builder's `request()`), whose response the spec does not type.
    pub async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        self.execute_with(request, &CallOptions::default()).await
    }

    /// [`execute`](Self::execute) with per-call settings (timeouts, retry policy, extra
    /// headers) that beat the client's for this call.
    pub async fn execute_with(
        &self,
        request: Request,
        options: &CallOptions,
    ) -> Result<RawResponse, Error> {
        let prepared = self.prepare(request.encode()?, options)?;
        self.send(&prepared, options).await
    }

    /// Sends a request like [`execute_with`](Self::execute_with), but hands back a
    /// successful response as soon as its head arrives, its body a stream read in constant
    /// memory (no body limit applies; each chunk must arrive within the attempt timeout).
    /// Retries end once a 2xx head is in; an error status is read and returned as always.
    pub async fn execute_streaming(
        &self,
        request: Request,
        options: &CallOptions,
    ) -> Result<Streaming, Error> {
        let prepared = self.prepare(request.encode()?, options)?;
        self.send(&prepared, options).await
    }

    pub(crate) fn prepare(
        &self,
        encoded: Encoded,
        options: &CallOptions,
    ) -> Result<Prepared, Error> {
        let op = encoded.op;
        let server = self.server_url(op.server).ok_or_else(|| {
            Error::Config(format!("{}: no server with index {}", op.id, op.server))
        })?;
        let mut url = Url::parse(&format!("{server}{}", encoded.path)).map_err(|e| {
            Error::Config(format!(
                "{}: cannot form a URL from server {server:?} (set a base URL?): {e}",
                op.id
            ))
        })?;
        if !encoded.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &encoded.query {
                pairs.append_pair(name, value);
            }
        }
        let mut headers = encoded.headers;
        headers
            .entry(ACCEPT)
            .or_insert(HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, self.config.user_agent.clone());
        for (name, value) in options.headers().into_iter().flatten() {
            headers.insert(name.clone(), value.clone());
        }
        if let Body::Bytes { content_type, .. } = &encoded.body {
            // A `Content-Type` the caller chose among the spec's (a header input) is kept.
            headers
                .entry(CONTENT_TYPE)
                .or_insert_with(|| content_type.clone());
        }
        // With interceptors, credentials go on per attempt, after `before_signing`.
        let fixed = match self.config.interceptors.is_empty() {
            true => self.config.auth.fixed_headers(),
            false => None,
        };
        let ask_auth = match fixed {
            Some(Ok(fixed)) => {
                for (name, value) in fixed.iter() {
                    headers.insert(name.clone(), value.clone());
                }
                false
            }
            Some(Err(source)) => {
                return Err(Error::Auth {
                    operation: op.id,
                    source,
                })
            }
            None => true,
        };
        Ok(Prepared {
            op,
            method: op.method.clone(),
            url,
            path_params: encoded.path_params,
            headers,
            ask_auth,
            body: encoded.body,
        })
    }

    /// Sends a prepared request, with retries, in a tracing span, within the call timeout.
    pub(crate) async fn send<T: Receive>(
        &self,
        request: &Prepared,
        options: &CallOptions,
    ) -> Result<T, Error> {
        let op = request.op;
        let config = &self.config;
        let span = telemetry::call_span(config.api, op);
        let attempts = std::sync::atomic::AtomicU32::new(0);
        let limits = match options.attempt_timeout() {
            Some(attempt_timeout) => Cow::Owned(Limits {
                attempt_timeout,
                ..config.limits.clone()
            }),
            None => Cow::Borrowed(&config.limits),
        };
        let limits = &*limits;
        // Boxed: the call's future holds every layer below it (retries, the exchange, the
        // transport's), and each caller up to the runtime's `block_on` would otherwise move
        // all of it by value.
        let call = Box::pin(
            retry::run(
                options.retry().unwrap_or(&config.retry),
                &config.retry_budget,
                &*config.timer,
                op.is_idempotent(),
                |attempt| {
                    attempts.store(attempt, std::sync::atomic::Ordering::Relaxed);
                    let attempt_span = telemetry::attempt_span(op, &request.url, attempt);
                    let recorded = attempt_span.clone();
                    async move {
                        #[cfg(feature = "metrics")]
                        let started = std::time::Instant::now();
                        let outcome = self.attempt::<T>(request, attempt, limits).await;
                        telemetry::record_outcome(&recorded, outcome.as_ref().map(T::status));
                        #[cfg(feature = "metrics")]
                        telemetry::record_attempt_metrics(
                            op,
                            &request.url,
                            attempt,
                            started.elapsed(),
                            outcome.as_ref().map(T::status),
                        );
                        outcome
                    }
                    .instrument(attempt_span)
                },
            )
            .instrument(span.clone()),
        );
        let outcome = match options.call_timeout_override().or(config.call_timeout) {
            Some(limit) => tokio::time::timeout(limit, call)
                .await
                .unwrap_or(Err(Error::Timeout { operation: op.id })),
            None => call.await,
        };
        span.record("sdk.attempts", i64::from(attempts.into_inner()));
        telemetry::record_outcome(&span, outcome.as_ref().map(T::status));
        outcome
    }

    /// One attempt: interceptors, credentials, the exchange, and, when a provider whose
    /// credentials can be renewed sees them refused with 401, one more exchange with fresh
    /// ones.
    async fn attempt<T: Receive>(
        &self,
        request: &Prepared,
        attempt: u32,
        limits: &Limits,
    ) -> Result<T, Error> {
        let config = &self.config;
        let mut exchange = self.exchange(request, attempt, limits, T::STREAM).await?;
        if exchange.response.status() == StatusCode::UNAUTHORIZED {
            let refused = exchange.credentials.as_ref();
            if refused.is_some_and(|a| config.auth.rejected(a)) {
                tracing::debug!("credentials refused with 401; asking the provider once more");
                exchange = self.exchange(request, attempt, limits, T::STREAM).await?;
            }
        }
        match exchange.response {
            Received::Whole(whole) => T::whole(self.answer(request, whole)?),
            Received::Head(head) => Ok(T::head(self.metadata(request, &head), head, limits)),
        }
    }

    /// One exchange with interceptors around it: before and after signing, after the
    /// response.
    async fn exchange(
        &self,
        request: &Prepared,
        attempt: u32,
        limits: &Limits,
        stream: bool,
    ) -> Result<Signed, Error> {
        let config = &self.config;
        let op = request.op.id;
        // Borrowed unless an interceptor or the auth provider changes them.
        let mut url = Cow::Borrowed(&request.url);
        let mut headers = Cow::Borrowed(&request.headers);
        let intercept = |hook: fn(
            &dyn Interceptor,
            &mut RequestContext<'_>,
        ) -> Result<(), InterceptorError>,
                         url: &mut reqwest::Url,
                         headers: &mut HeaderMap| {
            let mut context = RequestContext {
                operation: op,
                attempt,
                method: &request.method,
                url,
                headers,
                body: match &request.body {
                    Body::Bytes { bytes, .. } => Some(bytes),
                    Body::Empty | Body::Multipart(_) => None,
                },
            };
            config
                .interceptors
                .iter()
                .try_for_each(|i| hook(&**i, &mut context))
        };
        let failed = |source| Error::Interceptor {
            operation: op,
            source,
        };
        let intercepted = !config.interceptors.is_empty();
        if intercepted {
            intercept(|i, c| i.before_signing(c), url.to_mut(), headers.to_mut())
                .map_err(failed)?;
        }
        let (credentials, auth) = self.authorize(request, &url, &mut headers).await?;
        if intercepted {
            intercept(|i, c| i.after_signing(c), url.to_mut(), headers.to_mut()).map_err(failed)?;
        }
        let outgoing = Outgoing {
            request,
            url: &url,
            headers,
            credentials: &credentials,
        };
        let mut response =
            transport::exchange(&*config.http, outgoing, limits, &*config.timer, stream).await?;
        // A streamed body is not read here: the hook sees it empty, and a body it sets is
        // not used.
        let mut unread = Bytes::new();
        let (status, headers, body) = match &mut response {
            Received::Whole(w) => (&mut w.status, &mut w.headers, &mut w.body),
            Received::Head(h) => (&mut h.status, &mut h.headers, &mut unread),
        };
        let mut context = ResponseContext {
            operation: op,
            attempt,
            status,
            headers,
            body,
        };
        config
            .interceptors
            .iter()
            .try_for_each(|i| i.after_response(&mut context))
            .map_err(failed)?;
        Ok(Signed {
            response,
            credentials: auth,
        })
    }

    /// Adds the provider's credentials to `headers`, when it must be asked for each attempt;
    /// returns the names of every credential header, and what the provider gave.
    async fn authorize<'p>(
        &'p self,
        request: &Prepared,
        url: &reqwest::Url,
        headers: &mut Cow<'_, HeaderMap>,
    ) -> Result<(Cow<'p, [HeaderName]>, Option<AuthHeaders>), Error> {
        let config = &self.config;
        if !request.ask_auth {
            // The names were taken once, when the client was built.
            return Ok((Cow::Borrowed(&config.fixed_credentials), None));
        }
        let auth_request = AuthRequest {
            operation: request.op.id,
            method: &request.method,
            url,
            path_params: &request.path_params,
            now: config.timer.now(),
            http: &config.http,
        };
        let auth = config
            .auth
            .authorize(&auth_request)
            .await
            .map_err(|source| Error::Auth {
                operation: request.op.id,
                source,
            })?;
        let mut names = Vec::new();
        let headers = headers.to_mut();
        for (name, value) in auth.iter() {
            headers.insert(name.clone(), value.clone());
            names.push(name.clone());
        }
        Ok((Cow::Owned(names), Some(auth)))
    }

    /// The metadata of a streamed response's head.
    fn metadata(&self, request: &Prepared, head: &HttpResponse) -> Metadata {
        Metadata::new(
            request.op.id,
            head.status,
            head.headers.clone(),
            self.config.api.request_id_header,
        )
    }

    /// A 2xx as a response, anything else as an [`ApiError`] with its typed body.
    fn answer(&self, request: &Prepared, exchange: Exchange) -> Result<RawResponse, Error> {
        let config = &self.config;
        let op = request.op.id;
        let Exchange {
            status,
            headers,
            body,
        } = exchange;
        let request_id_header = config.api.request_id_header;
        if status.is_success() {
            return Ok(RawResponse::new(
                op,
                status,
                headers,
                body,
                request_id_header,
            ));
        }
        let schema = request
            .op
            .errors
            .iter()
            .filter_map(|e| Some((e.rank(status.as_u16())?, e)))
            .max_by_key(|(rank, _)| *rank)
            .map(|(_, e)| e);
        let typed = schema.and_then(|e| (e.decode)(&body));
        let mut error = ApiError::received(
            op,
            status,
            headers,
            body,
            request_id_header,
            config.timer.now(),
        );
        error.set_typed(typed);
        error.set_pii(schema.map_or(&[], |e| e.pii));
        Err(error.into())
    }
}

/// An exchange's response, and the credentials the provider gave for it.
struct Signed {
    response: Received,
    credentials: Option<AuthHeaders>,
}

/// What a call hands back: a whole response, or a streamed one.
pub(crate) trait Receive: Sized + Send {
    /// Whether a successful response's body is left to stream.
    const STREAM: bool;

    /// From a response read whole (always, for a call that does not stream).
    fn whole(response: RawResponse) -> Result<Self, Error>;

    /// From a successful response's head (only for a call that streams).
    fn head(metadata: Metadata, head: HttpResponse, limits: &Limits) -> Self;

    fn status(&self) -> StatusCode;
}

impl Receive for RawResponse {
    const STREAM: bool = false;

    fn whole(response: RawResponse) -> Result<Self, Error> {
        Ok(response)
    }

    fn head(metadata: Metadata, head: HttpResponse, _: &Limits) -> Self {
        // Not reached: a call that does not stream is always read whole. Should it be, the
        // head is kept and the unread body is empty rather than the process stopped.
        let _ = head;
        RawResponse::from_parts(metadata, Bytes::new())
    }

    fn status(&self) -> StatusCode {
        RawResponse::status(self)
    }
}

impl Receive for Streaming {
    const STREAM: bool = true;

    fn whole(response: RawResponse) -> Result<Self, Error> {
        let (metadata, body) = response.into_parts();
        Ok(Streaming::new(
            metadata,
            ResponseBody::from_bytes(body),
            std::time::Duration::MAX,
        ))
    }

    fn head(metadata: Metadata, head: HttpResponse, limits: &Limits) -> Self {
        Streaming::new(metadata, head.body, limits.attempt_timeout)
    }

    fn status(&self) -> StatusCode {
        self.metadata().status()
    }
}

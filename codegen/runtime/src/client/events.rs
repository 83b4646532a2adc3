//! Server-sent events (`text/event-stream`, the WHATWG HTML "event stream" format): a
//! streamed response read as typed events, each event's `data` decoded as the spec's schema.
//! The parser is total over any bytes: lines end in LF, CRLF or CR (also when a chunk ends
//! between the CR and the LF), comments and unknown fields are skipped, and an event or a
//! line larger than the limit ends the stream with [`Error::BodyTooLarge`] instead of
//! growing without bound: a server that never ends a line cannot exhaust memory.

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Buf as _, BytesMut};
use futures_core::Stream;
use serde::de::DeserializeOwned;

use super::streaming::Streaming;
use super::{CallOptions, Client};
use crate::encoding::Request;
use crate::error::Error;
use crate::response::{decode, Metadata};

/// The largest event (its `data` lines together) or line an [`EventStream`] takes by default:
/// 1 MiB, well above any chat or transcription delta, small enough to hold in memory.
pub const DEFAULT_MAX_EVENT_SIZE: u64 = 1 << 20;

/// The data with which OpenAI and the APIs that copy its streaming end a stream: it is not
/// JSON, so it ends the stream instead of failing to decode.
const DONE: &str = "[DONE]";

/// The `retry` field is a reconnection time in milliseconds: a day at most, so that no
/// number a server sends makes a `Duration` that overflows whatever adds it to a clock.
const MAX_RETRY_MS: u64 = 24 * 60 * 60 * 1000;

impl Client {
    /// Sends a request like [`execute_streaming`](Self::execute_streaming), asking for
    /// `text/event-stream`, and reads the successful response as server-sent events, each
    /// event's `data` decoded as `T`, none larger than [`DEFAULT_MAX_EVENT_SIZE`] (for
    /// another limit, build an [`EventStream`] from `execute_streaming`'s body). A response
    /// of another content type is [`Error::Decode`]: a server that ignored the `Accept`
    /// header answered with something other than events.
    pub async fn execute_events<T: DeserializeOwned>(
        &self,
        mut request: Request,
        options: &CallOptions,
    ) -> Result<EventStream<T>, Error> {
        request.header("accept", "text/event-stream");
        let body = self.execute_streaming(request, options).await?;
        let content_type = body
            .metadata()
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        if let Some(content_type) = content_type {
            let media_type = content_type.split(';').next().unwrap_or_default().trim();
            if !media_type.eq_ignore_ascii_case("text/event-stream") {
                return Err(Error::Decode {
                    operation: body.metadata().operation(),
                    status: body.metadata().status().as_u16(),
                    path: ".".to_owned(),
                    excerpt: crate::Secret::new(String::new()),
                    source: serde::de::Error::custom(format_args!(
                        "expected a text/event-stream response, got {content_type:?}"
                    )),
                });
            }
        }
        Ok(EventStream::new(body, DEFAULT_MAX_EVENT_SIZE))
    }
}

/// One server-sent event: its fields as sent, its `data` decoded.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The `event` field (the event type), if the server named one.
    pub event: Option<String>,
    /// The last `id` seen, this event's or an earlier one's (the stream's last event id).
    pub id: Option<String>,
    /// The reconnection time the server asked for (`retry`), if it did.
    pub retry: Option<Duration>,
    /// The event's `data`, decoded.
    pub data: T,
}

/// A successful `text/event-stream` response: its metadata at once, then its events as they
/// arrive, each decoded as `T`. The stream ends when the server closes it or sends the data
/// `[DONE]`; the first error ends it too. Each chunk must arrive within the attempt timeout,
/// as for [`Streaming`].
#[must_use = "the events are not read unless polled"]
pub struct EventStream<T> {
    metadata: Metadata,
    body: Option<Streaming>,
    parser: Parser,
    ready: VecDeque<RawEvent>,
    data: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> EventStream<T> {
    /// Reads `body` as events, none larger than `max_event_size` bytes.
    pub fn new(body: Streaming, max_event_size: u64) -> Self {
        EventStream {
            metadata: body.metadata().clone(),
            body: Some(body),
            parser: Parser::new(max_event_size),
            ready: VecDeque::new(),
            data: PhantomData,
        }
    }

    /// Status, headers and request id.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// The next event, or `None` once the stream has ended: the [`Stream`] without a
    /// `futures` import.
    pub async fn next_event(&mut self) -> Option<Result<Event<T>, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    fn decode(&self, raw: RawEvent) -> Result<Event<T>, Error> {
        Ok(Event {
            data: decode(&self.metadata, raw.data.as_bytes())?,
            event: raw.event,
            id: raw.id,
            retry: raw.retry,
        })
    }

    fn too_large(&self) -> Error {
        Error::BodyTooLarge {
            operation: self.metadata.operation(),
            status: self.metadata.status().as_u16(),
            limit: self.parser.limit,
            retry_after: None,
        }
    }
}

impl<T: DeserializeOwned> Stream for EventStream<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(raw) = self.ready.pop_front() {
                if raw.data == DONE {
                    self.end();
                    return Poll::Ready(None);
                }
                let event = self.decode(raw);
                if event.is_err() {
                    self.end();
                }
                return Poll::Ready(Some(event));
            }
            let Some(body) = self.body.as_mut() else {
                return Poll::Ready(None);
            };
            match Pin::new(body).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                // An event the stream did not end with a blank line is dropped, as the
                // format says: it may be cut short.
                Poll::Ready(None) => self.end(),
                Poll::Ready(Some(Err(e))) => {
                    self.end();
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Some(Ok(chunk))) => {
                    let this = &mut *self;
                    if this.parser.push(&chunk, &mut this.ready).is_err() {
                        let error = this.too_large();
                        this.end();
                        return Poll::Ready(Some(Err(error)));
                    }
                }
            }
        }
    }
}

impl<T> EventStream<T> {
    /// Drops the body (closing the connection) and anything not yet handed out.
    fn end(&mut self) {
        self.body = None;
        self.ready.clear();
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("metadata", &self.metadata)
            .field("ended", &self.body.is_none())
            .finish_non_exhaustive()
    }
}

/// An event as parsed, before its data is decoded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct RawEvent {
    event: Option<String>,
    id: Option<String>,
    retry: Option<Duration>,
    data: String,
}

/// A line or an event past the limit.
#[derive(Debug, PartialEq, Eq)]
struct TooLarge;

/// The event-stream parser: bytes in, complete events out.
#[derive(Debug)]
struct Parser {
    limit: u64,
    /// The start of a line whose end has not arrived.
    line: BytesMut,
    /// The last byte was a CR, so an LF at the start of the next chunk ends nothing.
    after_cr: bool,
    /// The stream's start, where a byte-order mark is skipped.
    at_start: bool,
    /// Whether any `data` field came since the last event: an event with none is not one.
    has_data: bool,
    data: String,
    event: Option<String>,
    id: Option<String>,
    retry: Option<Duration>,
}

impl Parser {
    fn new(limit: u64) -> Self {
        Parser {
            limit,
            line: BytesMut::new(),
            after_cr: false,
            at_start: true,
            has_data: false,
            data: String::new(),
            event: None,
            id: None,
            retry: None,
        }
    }

    /// Takes a chunk; every event it completes goes to `out`.
    fn push(&mut self, mut chunk: &[u8], out: &mut VecDeque<RawEvent>) -> Result<(), TooLarge> {
        if chunk.is_empty() {
            // Nothing arrived: a CR before it may still be followed by its LF.
            return Ok(());
        }
        if self.after_cr && chunk.first() == Some(&b'\n') {
            chunk.advance(1);
        }
        self.after_cr = false;
        while let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.fits(end)?;
            self.line.extend_from_slice(&chunk[..end]);
            let line = self.line.split();
            self.line_ended(&line, out)?;
            let crlf = chunk[end] == b'\r' && chunk.get(end + 1) == Some(&b'\n');
            if chunk[end] == b'\r' && end + 1 == chunk.len() {
                self.after_cr = true;
            }
            chunk.advance(end + if crlf { 2 } else { 1 });
        }
        self.fits(chunk.len())?;
        self.line.extend_from_slice(chunk);
        Ok(())
    }

    /// Whether `more` bytes of line still keep the event within the limit.
    fn fits(&self, more: usize) -> Result<(), TooLarge> {
        let held = self.line.len() as u64 + self.data.len() as u64 + more as u64;
        if held > self.limit {
            return Err(TooLarge);
        }
        Ok(())
    }

    fn line_ended(&mut self, line: &[u8], out: &mut VecDeque<RawEvent>) -> Result<(), TooLarge> {
        let mut line = line;
        if std::mem::take(&mut self.at_start) {
            line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
        }
        if line.is_empty() {
            self.dispatch(out);
            return Ok(());
        }
        if line[0] == b':' {
            return Ok(());
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        let value = String::from_utf8_lossy(value);
        match field {
            b"data" => {
                self.fits(value.len() + 1)?;
                self.data.push_str(&value);
                self.data.push('\n');
                self.has_data = true;
            }
            b"event" => self.event = Some(value.into_owned()),
            b"id" if !value.contains('\0') => self.id = Some(value.into_owned()),
            b"retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // All digits, so only too many of them fails to parse: that is a long time.
                let ms = value.parse::<u64>().unwrap_or(u64::MAX).min(MAX_RETRY_MS);
                self.retry = Some(Duration::from_millis(ms));
            }
            _ => {}
        }
        Ok(())
    }

    /// A blank line: the event so far, if it had data, goes out; the event type and data
    /// start again, the last id stays.
    fn dispatch(&mut self, out: &mut VecDeque<RawEvent>) {
        let event = self.event.take();
        let retry = self.retry.take();
        if !std::mem::take(&mut self.has_data) {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop(); // the LF after the last data line
        out.push_back(RawEvent {
            event,
            id: self.id.clone(),
            retry,
            data,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(chunks: &[&[u8]], limit: u64) -> Result<Vec<RawEvent>, TooLarge> {
        let mut parser = Parser::new(limit);
        let mut out = VecDeque::new();
        for chunk in chunks {
            parser.push(chunk, &mut out)?;
        }
        Ok(out.into())
    }

    fn data(text: &str) -> RawEvent {
        RawEvent {
            data: text.to_owned(),
            ..RawEvent::default()
        }
    }

    #[test]
    fn fields_lines_and_comments_as_the_format_defines_them() {
        let stream = b"\xef\xbb\xbf: a comment\nevent: delta\nid: 7\ndata: {\"a\":\ndata:1}\n\ndata\n\nretry: 2500\ndata: x\nunknown: y\n\n";
        let events = parse(&[stream], 1024).unwrap();
        assert_eq!(
            events,
            [
                RawEvent {
                    event: Some("delta".into()),
                    id: Some("7".into()),
                    retry: None,
                    data: "{\"a\":\n1}".into(),
                },
                RawEvent {
                    id: Some("7".into()),
                    ..data("")
                },
                RawEvent {
                    id: Some("7".into()),
                    retry: Some(Duration::from_millis(2500)),
                    ..data("x")
                },
            ]
        );
    }

    #[test]
    fn an_event_with_no_data_is_not_dispatched_and_a_cut_off_event_is_dropped() {
        assert_eq!(parse(&[b"event: ping\n\ndata: cut"], 1024), Ok(vec![]));
    }

    #[test]
    fn cr_lf_and_crlf_end_lines_also_across_chunks() {
        let expected = vec![data("a"), data("b"), data("c")];
        assert_eq!(
            parse(&[b"data: a\r\n\r\ndata: b\r\rdata: c\n\n"], 64),
            Ok(expected.clone())
        );
        assert_eq!(
            parse(
                &[
                    b"data: a\r",
                    b"",
                    b"\n\r",
                    b"\ndata: b\r",
                    b"\r",
                    b"data: c\n",
                    b"\n"
                ],
                64
            ),
            Ok(expected)
        );
    }

    #[test]
    fn a_line_or_an_event_past_the_limit_is_an_error_not_a_buffer() {
        let endless = vec![b'x'; 100];
        assert_eq!(parse(&[b"data: ", &endless, &endless], 150), Err(TooLarge));
        assert_eq!(
            parse(&[b"data: 0123456789\n", b"data: 0123456789\n"], 24),
            Err(TooLarge)
        );
        assert_eq!(
            parse(&[b"data: 0123456789\n\n"], 24),
            Ok(vec![data("0123456789")])
        );
    }

    #[test]
    fn retry_is_range_checked_and_needs_digits_only() {
        let events = parse(
            &[b"retry: 99999999999999999999999\ndata: a\n\nretry: 1s\ndata: b\n\n"],
            1024,
        )
        .unwrap();
        assert_eq!(events[0].retry, Some(Duration::from_millis(MAX_RETRY_MS)));
        assert_eq!(events[1].retry, None);
    }

    proptest! {
        /// Any bytes, cut anywhere: no panic, never more held than the limit, and the same
        /// events whatever the chunking.
        #[test]
        fn any_bytes_in_any_chunks_parse_the_same(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'\n'), Just(b'\r'), Just(b':'), Just(b' '), b'a'..=b'e', any::<u8>()],
                0..400,
            ),
            cut in any::<prop::sample::Index>(),
            limit in 1u64..200,
        ) {
            let whole = parse(&[&bytes], limit);
            let at = cut.index(bytes.len() + 1);
            let (head, tail) = bytes.split_at(at);
            let split = parse(&[head, tail], limit);
            match (&whole, &split) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Err(_), Err(_)) => {}
                // A chunk boundary can only make the line held at once shorter, never
                // longer, so it never turns a failure into a success or back.
                _ => prop_assert!(false, "{whole:?} vs {split:?}"),
            }
            if let Ok(events) = whole {
                for event in events {
                    prop_assert!(event.data.len() as u64 <= limit);
                }
            }
        }
    }
}

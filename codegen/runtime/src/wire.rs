//! Numbers and names read from response headers: `Retry-After`, rate limits, request ids.
//! Everything a server sends is untrusted, so every parser here is total: any header value
//! gives a bounded answer or `None`, never a panic or an overflow further on. The bottom
//! layer: no I/O, and it imports nothing of the crate.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// Response headers that carry a request id when the vendor has no header of its own.
const REQUEST_ID_HEADERS: &[&str] = &["x-request-id", "request-id"];

/// The longest wait a server can ask for that this crate will represent. Longer ones are
/// saturated to it, so that adding the wait to a clock reading can never overflow; a retry
/// policy gives up long before (see [`RetryPolicy`](crate::RetryPolicy)).
pub(crate) const MAX_SERVER_DELAY: Duration = Duration::from_secs(366 * 24 * 3600);

/// The request id in `headers`: the vendor's header first, then the common ones.
pub(crate) fn request_id<'h>(headers: &'h HeaderMap, vendor: Option<&str>) -> Option<&'h str> {
    vendor
        .into_iter()
        .chain(REQUEST_ID_HEADERS.iter().copied())
        .find_map(|name| headers.get(name)?.to_str().ok())
}

/// Scheme, host and port: what decides whether credentials may go to a URL (a redirect's
/// target, a next-page link).
pub(crate) fn origin(url: &reqwest::Url) -> (&str, Option<&str>, Option<u16>) {
    (url.scheme(), url.host_str(), url.port_or_known_default())
}

/// Reads `Retry-After` as delta-seconds or an HTTP-date (RFC 9110, 10.2.3; RFC 2822 parses
/// the IMF-fixdate form servers send). A date in the past means "now"; any value beyond
/// [`MAX_SERVER_DELAY`] (`18446744073709551615` seconds, a date in the year 9999) is
/// saturated to it. Anything else is `None`.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // All digits: only the size can fail to parse, and a huge number is a long wait.
        let secs = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs).min(MAX_SERVER_DELAY));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    // Compared as whole seconds, not as chrono times: a clock beyond chrono's range (a
    // test's or a broken one) must not panic the conversion.
    let now_secs = match now.duration_since(UNIX_EPOCH) {
        Ok(after) => i128::from(after.as_secs()),
        Err(before) => -i128::from(before.duration().as_secs()),
    };
    let wait =
        (i128::from(date.timestamp()) - now_secs).clamp(0, i128::from(MAX_SERVER_DELAY.as_secs()));
    Some(Duration::from_secs(u64::try_from(wait).unwrap_or(0)))
}

/// The first of `names` that holds a plain non-negative integer (surrounding spaces
/// allowed); values beyond `u64` are `None`, not wrapped.
pub(crate) fn header_u64(headers: &HeaderMap, names: &[&str]) -> Option<u64> {
    names
        .iter()
        .find_map(|n| headers.get(*n)?.to_str().ok()?.trim().parse::<u64>().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use reqwest::header::HeaderValue;

    fn with(name: &'static str, value: &[u8]) -> Option<HeaderMap> {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_bytes(value).ok()?);
        Some(h)
    }

    fn now() -> SystemTime {
        // Wed, 21 Oct 2015 07:28:00 GMT
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480)
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let at = |v: &str| retry_after(&with("retry-after", v.as_bytes()).unwrap(), now());
        assert_eq!(at("7"), Some(Duration::from_secs(7)));
        assert_eq!(at(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(
            at("Wed, 21 Oct 2015 07:29:40 GMT"),
            Some(Duration::from_secs(100))
        );
        assert_eq!(at("Wed, 21 Oct 2015 07:27:00 GMT"), Some(Duration::ZERO));
        assert_eq!(at("soon"), None);
        assert_eq!(at("-5"), None);
        assert_eq!(at("1.5"), None);
    }

    #[test]
    fn retry_after_saturates_numbers_no_duration_can_hold_safely() {
        let at = |v: &str| retry_after(&with("retry-after", v.as_bytes()).unwrap(), now());
        assert_eq!(at("18446744073709551615"), Some(MAX_SERVER_DELAY));
        assert_eq!(at("99999999999999999999999999"), Some(MAX_SERVER_DELAY));
        assert_eq!(at("Fri, 31 Dec 9999 23:59:59 GMT"), Some(MAX_SERVER_DELAY));
    }

    proptest! {
        /// Any header value, at any clock reading: an answer within bounds, and one that a
        /// clock can be moved by without overflowing.
        #[test]
        fn retry_after_is_total_and_bounded(
            value in proptest::collection::vec(any::<u8>(), 0..40),
            secs in any::<u64>(),
            before_epoch in any::<bool>(),
        ) {
            // Any clock a SystemTime can hold, far past chrono's range included.
            let offset = Duration::from_secs(secs);
            let now = if before_epoch { UNIX_EPOCH.checked_sub(offset) } else { UNIX_EPOCH.checked_add(offset) };
            let Some(now) = now else { return Ok(()) };
            if let Some(h) = with("retry-after", &value) {
                if let Some(wait) = retry_after(&h, now) {
                    prop_assert!(wait <= MAX_SERVER_DELAY);
                    prop_assert!(now.checked_add(wait).is_some());
                }
            }
        }

        #[test]
        fn retry_after_reads_every_delta_seconds(secs in any::<u64>()) {
            let h = with("retry-after", secs.to_string().as_bytes()).unwrap();
            let expected = Duration::from_secs(secs).min(MAX_SERVER_DELAY);
            prop_assert_eq!(retry_after(&h, now()), Some(expected));
        }

        #[test]
        fn header_numbers_read_every_u64_and_nothing_else(
            n in any::<u64>(),
            junk in "[a-zA-Z.,;:+/-]{1,8}",
            pad in " {0,3}",
        ) {
            let read = |text: &str| header_u64(&with("x-ratelimit-limit", text.as_bytes())?, &["x-ratelimit-limit"]);
            prop_assert_eq!(read(&format!("{pad}{n}{pad}")), Some(n));
            prop_assert_eq!(read(&format!("{n}{junk}")), None);
            let beyond = u128::from(n) + u128::from(u64::MAX) + 1;
            prop_assert_eq!(read(&beyond.to_string()), None, "beyond u64 is not wrapped");
        }
    }
}

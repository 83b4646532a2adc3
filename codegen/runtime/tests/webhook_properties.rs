//! Webhook verification over arbitrary requests: it never panics, and what it accepts is
//! what was signed (a request it accepts carries the signed parameters, URL and body).

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use proptest::prelude::*;
use sdk_runtime::extensions::front::webhook::{Delivery, WebhookVerifier};
use sdk_runtime::extensions::twilio::RequestValidator;
use sdk_runtime::reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use sdk_runtime::reqwest::Method;
use sdk_runtime::time::ManualTimer;
use sdk_runtime::{Inbound, Rejection};
use sha2::{Digest, Sha256};

const NOW_MS: u64 = 1_700_000_000_000;

fn front() -> WebhookVerifier<serde_json::Value> {
    let clock = ManualTimer::new(UNIX_EPOCH + Duration::from_millis(NOW_MS));
    WebhookVerifier::new("front-secret")
        .timer(Arc::new(clock))
        .events()
}

/// Any header value bytes `HeaderValue` accepts (visible ASCII, and obs-text above 0x7f).
fn header_value() -> impl Strategy<Value = HeaderValue> {
    prop::collection::vec(prop_oneof![0x20u8..0x7f, 0x80u8..=0xff], 0..40)
        .prop_map(|bytes| HeaderValue::from_bytes(&bytes).unwrap())
}

fn any_headers() -> impl Strategy<Value = HeaderMap> {
    let names = prop::sample::select(vec![
        "x-twilio-signature",
        "x-front-signature",
        "x-front-request-timestamp",
        "x-front-challenge",
        "content-type",
        "host",
    ]);
    prop::collection::vec((names, header_value()), 0..6).prop_map(|pairs| {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(HeaderName::from_static(name), value);
        }
        map
    })
}

fn form_encode(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    percent_encode(s.as_bytes())
}

fn percent_encode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                (*b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A JSON object's text, as a vendor would send it.
fn json_text() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::btree_map("\\PC{0,8}", "\\PC{0,12}", 0..5)
        .prop_map(|fields| serde_json::to_vec(&fields).unwrap())
}

/// The hex SHA-256 Twilio puts in `bodySHA256`.
fn sha256_hex(body: &[u8]) -> String {
    Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn sorted_unique(mut params: Vec<(String, String)>) -> Vec<(String, String)> {
    params.sort();
    params.dedup();
    params
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn verification_never_panics(
        url in prop_oneof![
            "\\PC{0,60}",
            "(?i:https?)://[a-z0-9@:.\\[\\]%]{0,16}[/?#]?\\PC{0,20}",
        ],
        headers in any_headers(),
        body in prop::collection::vec(any::<u8>(), 0..200),
        post in any::<bool>(),
    ) {
        let method = if post { Method::POST } else { Method::DELETE };
        let inbound = Inbound::new(&method, &url, &headers, &body);
        let _ = RequestValidator::new("token").validate(&inbound);
        let _ = front().verify(&inbound);
    }

    #[test]
    fn twilio_accepts_exactly_the_signed_parameters(
        host in "[a-z]{1,10}\\.example",
        path in "(/[a-zA-Z0-9._~-]{0,8}){0,3}",
        params in prop::collection::vec(("[A-Za-z.]{1,6}", "\\PC{0,12}"), 0..6),
        forged in prop::collection::vec(("[A-Za-z.]{1,6}", "\\PC{0,12}"), 0..6),
    ) {
        let url = format!("https://{host}{path}");
        let validator = RequestValidator::new("token");
        let borrowed = params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        let signature = validator.signature(&url, borrowed);
        let mut headers = HeaderMap::new();
        headers.insert("x-twilio-signature", HeaderValue::from_str(&signature).unwrap());
        headers.insert("content-type", HeaderValue::from_static("application/x-www-form-urlencoded"));

        let body = form_encode(&params);
        let accepted = validator
            .validate(&Inbound::new(&Method::POST, &url, &headers, body.as_bytes()))
            .unwrap();
        prop_assert_eq!(accepted.params(), &params[..]);

        // Other parameters under the same signature pass only if they sign the same.
        let body = form_encode(&forged);
        let verdict = validator.validate(&Inbound::new(&Method::POST, &url, &headers, body.as_bytes()));
        prop_assert_eq!(
            verdict.is_ok(),
            sorted_unique(forged.clone()) == sorted_unique(params.clone()),
            "forged {:?} vs signed {:?}", forged, params
        );
        // And never for another path.
        let elsewhere = format!("https://{host}{path}/x");
        let body = form_encode(&params);
        prop_assert!(validator
            .validate(&Inbound::new(&Method::POST, &elsewhere, &headers, body.as_bytes()))
            .is_err());
    }

    #[test]
    fn front_accepts_exactly_the_signed_body(
        body in prop::collection::vec(any::<u8>(), 1..200),
        flip in any::<prop::sample::Index>(),
        bit in 0u8..8,
        skew in -299_000i64..299_000,
    ) {
        let verifier = front();
        let timestamp = (NOW_MS as i64 + skew).to_string();
        let signature = verifier.signature(&timestamp, &body);
        let mut headers = HeaderMap::new();
        headers.insert("x-front-signature", HeaderValue::from_str(&signature).unwrap());
        headers.insert("x-front-request-timestamp", HeaderValue::from_str(&timestamp).unwrap());
        let url = "https://hooks.example.com/front";
        prop_assert!(verifier.check(&Inbound::new(&Method::POST, url, &headers, &body)).is_ok());

        let mut tampered = body.clone();
        tampered[flip.index(body.len())] ^= 1 << bit;
        prop_assert!(verifier.check(&Inbound::new(&Method::POST, url, &headers, &tampered)).is_err());
    }

    #[test]
    fn twilio_json_bodies_pass_only_signed_and_untouched(
        host in "[a-z]{1,10}\\.example",
        path in "(/[a-zA-Z0-9._~-]{0,8}){0,3}",
        body in prop_oneof![json_text(), prop::collection::vec(any::<u8>(), 0..200)],
        flip in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let url = format!("https://{host}{path}?bodySHA256={}", sha256_hex(&body));
        let validator = RequestValidator::new("token");
        let send = |url: &str, signature: &str, body: &[u8]| {
            let mut headers = HeaderMap::new();
            headers.insert("x-twilio-signature", HeaderValue::from_str(signature).unwrap());
            headers.insert("content-type", HeaderValue::from_static("application/json"));
            validator.validate(&Inbound::new(&Method::POST, url, &headers, body))
        };
        let signature = validator.signature(&url, []);
        let accepted = send(&url, &signature, &body).unwrap();
        prop_assert_eq!(
            accepted.json::<serde_json::Value>().ok(),
            serde_json::from_slice::<serde_json::Value>(&body).ok()
        );

        // The body changed under the signed hash.
        if !body.is_empty() {
            let mut tampered = body.clone();
            tampered[flip.index(body.len())] ^= 1 << bit;
            prop_assert_eq!(send(&url, &signature, &tampered), Err(Rejection::BodyHashMismatch));
        }
        // Another token's signature, or the hash of another body in the URL.
        let other = RequestValidator::new("other-token").signature(&url, []);
        let got = send(&url, &other, &body);
        prop_assert!(matches!(got, Err(Rejection::SignatureMismatch { .. })), "{:?}", got);
        let mut swapped = body.clone();
        swapped.push(b' ');
        let swapped_url = format!("https://{host}{path}?bodySHA256={}", sha256_hex(&swapped));
        let got = send(&swapped_url, &signature, &swapped);
        prop_assert!(matches!(got, Err(Rejection::SignatureMismatch { .. })), "{:?}", got);
        // Without the hash in the URL nothing signed a body.
        let bare = format!("https://{host}{path}");
        let bare_signature = validator.signature(&bare, []);
        prop_assert_eq!(
            send(&bare, &bare_signature, &body).is_ok(),
            body.is_empty()
        );
    }

    #[test]
    fn front_verify_decodes_exactly_the_signed_body(
        body in prop_oneof![json_text(), prop::collection::vec(any::<u8>(), 1..200)],
        skew in -299_000i64..299_000,
        shift in prop_oneof![-1_000i64..0, 1i64..1_000],
    ) {
        let verifier = front();
        let timestamp = (NOW_MS as i64 + skew).to_string();
        let signature = verifier.signature(&timestamp, &body);
        let send = |timestamp: &str| {
            let mut headers = HeaderMap::new();
            headers.insert("x-front-signature", HeaderValue::from_str(&signature).unwrap());
            headers.insert("x-front-request-timestamp", HeaderValue::from_str(timestamp).unwrap());
            verifier.verify(&Inbound::new(&Method::POST, "https://hooks.example.com/front", &headers, &body))
        };
        match (send(&timestamp), serde_json::from_slice::<serde_json::Value>(&body)) {
            (Ok(Delivery::Event(event)), Ok(expected)) => prop_assert_eq!(event, expected),
            (Err(rejection @ Rejection::Body { .. }), Err(_)) => {
                prop_assert_eq!(rejection.status().as_u16(), 400)
            }
            (got, json) => prop_assert!(false, "verify {:?} but JSON {:?}", got, json.ok()),
        }

        // Another signing time, still within the tolerance, or the same time written
        // differently: the timestamp's text is signed.
        let moved = (NOW_MS as i64 + skew + shift).to_string();
        let got = send(&moved);
        prop_assert!(matches!(got, Err(Rejection::SignatureMismatch { .. })), "{:?}", got);
        let padded = format!("0{timestamp}");
        let got = send(&padded);
        prop_assert!(matches!(got, Err(Rejection::SignatureMismatch { .. })), "{:?}", got);
    }
}

//! Memory under bodies that are too large, measured, not guessed: the process's peak
//! resident set (`VmHWM`, reset before each scenario through `/proc/self/clear_refs`), and
//! beside it every allocation of this test binary counted. The counter is pessimistic: a
//! `realloc` that moves the buffer counts old and new at once, though Linux moves large
//! blocks with `mremap`, never holding both. One test, its scenarios in turn, so nothing
//! else allocates meanwhile.

mod common;
mod raw;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use raw::{RawServer, Reply};
use sdk_runtime::{ClientBuilder, Error, Request};

/// Counts the bytes allocated now and the most ever allocated at once.
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = CURRENT.fetch_add(by, Ordering::SeqCst) + by;
    PEAK.fetch_max(now, Ordering::SeqCst);
}

#[allow(
    unsafe_code,
    reason = "a GlobalAlloc is an unsafe trait; this one only counts and forwards to System"
)]
// SAFETY: every method forwards to `System` with the caller's arguments unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: forwarded as received.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
        // SAFETY: forwarded as received.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as received.
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        if moved != ptr {
            // Counted as if both blocks lived at once, the worst case.
            grew(new_size);
            CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
        } else if new_size >= layout.size() {
            grew(new_size - layout.size());
        } else {
            CURRENT.fetch_sub(layout.size() - new_size, Ordering::SeqCst);
        }
        moved
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// A field of `/proc/self/status`, in bytes.
fn status_bytes(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    let kib: usize = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

/// How much `scenario` raised the peak resident set, and the counted allocations' peak,
/// above where each stood before it.
async fn peak_growth(scenario: impl std::future::Future<Output = ()>) -> (usize, usize) {
    // "5" resets the peak resident set to the current one (Linux 4.0 and later).
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let rss = status_bytes("VmRSS:");
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    scenario.await;
    let resident = status_bytes("VmHWM:").saturating_sub(rss);
    (resident, PEAK.load(Ordering::SeqCst) - base)
}

fn endless_body(status: u16, declared: Option<u64>) -> Reply {
    let length = declared.map_or_else(
        || "transfer-encoding: chunked\r\n".to_owned(),
        |n| format!("content-length: {n}\r\n"),
    );
    Reply::Stream {
        head: format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{length}\r\n"),
        chunk: vec![b' '; 64 << 10],
        total: declared.unwrap_or(u64::MAX),
        chunked: declared.is_none(),
    }
}

async fn too_large(status: u16, declared: Option<u64>, limit: Option<u64>) -> (usize, usize) {
    let server = RawServer::start(move |_, _| endless_body(status, declared)).await;
    let mut builder = ClientBuilder::<TwilioClient>::new()
        .basic_auth(USER, PASSWORD)
        .base_url(server.uri());
    if let Some(limit) = limit {
        builder = builder.max_body_size(limit).max_error_body_size(limit);
    }
    let client = builder.build().unwrap().0;
    // Warm up the connection machinery, so its one-off allocations are not counted.
    let _ = client.execute(Request::new(&LIST)).await;
    let growth = peak_growth(async {
        let err = client.execute(Request::new(&LIST)).await.unwrap_err();
        assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");
    })
    .await;
    drop(server);
    growth
}

const MIB: usize = 1 << 20;

/// Streams a `total`-byte download through `execute_streaming`, dropping each chunk.
async fn streamed(total: u64) -> (usize, usize) {
    use futures_util::StreamExt as _;
    let server = RawServer::start(move |_, _| Reply::Stream {
        head: "HTTP/1.1 200 OK\r\ncontent-type: video/mp4\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_owned(),
        chunk: vec![b'x'; 64 << 10],
        total,
        chunked: true,
    })
    .await;
    let client = ClientBuilder::<TwilioClient>::new()
        .basic_auth(USER, PASSWORD)
        .base_url(server.uri())
        .build()
        .unwrap()
        .0;
    let options = sdk_runtime::CallOptions::new();
    let _ = client
        .execute_streaming(Request::new(&LIST), &options)
        .await;
    peak_growth(async {
        let mut download = client
            .execute_streaming(Request::new(&LIST), &options)
            .await
            .unwrap();
        let mut read = 0u64;
        while let Some(chunk) = download.next().await {
            read += chunk.unwrap().len() as u64;
        }
        assert_eq!(read, total);
    })
    .await
}

#[tokio::test]
async fn bodies_past_the_limit_cost_at_most_the_limit_and_a_mebibyte() {
    tokio::time::timeout(Duration::from_secs(60), async {
        let mut shown = Vec::new();
        for (what, status, declared, limit, bound) in [
            // A 512 MiB error body that says so: refused before a byte is read.
            ("declared 512 MiB error", 500, Some(512 << 20), None, MIB),
            // A 1 GiB error body, chunked: read up to the 8 MiB error limit, no further.
            ("chunked endless error", 500, None, None, 9 * MIB),
            // A success body that never ends, at the default 64 MiB limit.
            ("chunked endless success", 200, None, None, 65 * MIB),
            // A lower limit lowers the cost with it.
            (
                "endless success, 2 MiB limit",
                200,
                None,
                Some(2 << 20),
                3 * MIB,
            ),
        ] {
            let (resident, counted) = too_large(status, declared, limit).await;
            assert!(
                resident <= bound,
                "{what}: resident set grew {resident} bytes"
            );
            // Worst case as counted: the last doubling's old and new buffer at once.
            assert!(counted <= 2 * bound, "{what}: {counted} bytes counted");
            shown.push(format!(
                "{what}: resident +{resident} B, counted {counted} B"
            ));
        }
        let (resident, counted) = streamed(1 << 30).await;
        assert!(
            resident <= 4 * MIB,
            "streaming 1 GiB grew the resident set {resident} bytes"
        );
        assert!(
            counted <= 4 * MIB,
            "streaming 1 GiB: {counted} bytes counted"
        );
        shown.push(format!(
            "streamed 1 GiB: resident +{resident} B, counted {counted} B"
        ));
        println!("{}", shown.join("\n"));
    })
    .await
    .expect("the scenarios did not end within 60 s");
}

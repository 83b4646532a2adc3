//! Memory under bodies that are too large: every allocation of this test binary is counted,
//! so the peak a huge or endless body costs is measured, not guessed. One test, its
//! scenarios in turn, so nothing else allocates meanwhile.

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
        // Counted as the allocator does it: in place where it can, so the growth alone.
        match new_size.checked_sub(layout.size()) {
            Some(more) => grew(more),
            None => {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::SeqCst);
            }
        }
        // SAFETY: forwarded as received.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// The peak allocation above what was allocated before `scenario` ran.
async fn peak_growth(scenario: impl std::future::Future<Output = ()>) -> usize {
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    scenario.await;
    PEAK.load(Ordering::SeqCst) - base
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

async fn too_large(status: u16, declared: Option<u64>, limit: Option<u64>) -> usize {
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

#[tokio::test]
async fn bodies_past_the_limit_cost_at_most_the_limit_and_a_mebibyte() {
    tokio::time::timeout(Duration::from_secs(60), async {
        // A 512 MiB error body that says so: refused before a byte is read.
        let declared = too_large(500, Some(512 << 20), None).await;
        assert!(
            declared < MIB,
            "{declared} bytes for a refused 512 MiB body"
        );
        // A 1 GiB error body, chunked: read up to the 8 MiB error limit, no further.
        let chunked_error = too_large(500, None, None).await;
        assert!(chunked_error <= 9 * MIB, "{chunked_error} bytes");
        // A success body that never ends, at the default 64 MiB limit.
        let endless = too_large(200, None, None).await;
        assert!(endless <= 65 * MIB, "{endless} bytes");
        // A lower limit lowers the cost with it.
        let small = too_large(200, None, Some(2 << 20)).await;
        assert!(small <= 3 * MIB, "{small} bytes");
        println!(
            "peak growth: declared 512 MiB error {declared} B; chunked error {chunked_error} B; \
             endless success {endless} B (limit 64 MiB); endless, limit 2 MiB {small} B"
        );
    })
    .await
    .expect("the scenarios did not end within 60 s");
}

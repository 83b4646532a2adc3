//! Pagination memory: streaming 100,000 items served in pages of 1,000 must hold one page at
//! a time, so peak heap stays flat however many items have gone by.
//!
//! A counting global allocator tracks live heap bytes (server included: it runs in this
//! process) and their peak. The report is printed, and flatness asserted, before divan times
//! the same stream. Flatness is about memory, not time, so it is checked in test mode too
//! (`cargo test --benches`).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use divan::counter::ItemsCount;
use divan::Bencher;
use futures_util::StreamExt;

const TOTAL_ITEMS: usize = 100_000;
const PAGE_SIZE: i64 = 1_000;
const CHECKPOINTS: [usize; 3] = [10_000, 50_000, 100_000];

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting live bytes and their high-water mark.
struct CountingAllocator;

impl CountingAllocator {
    fn grew(by: usize) {
        let live = LIVE.fetch_add(by, Ordering::Relaxed) + by;
        PEAK.fetch_max(live, Ordering::Relaxed);
    }

    fn shrank(by: usize) {
        LIVE.fetch_sub(by, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to `System` unchanged; only counters are updated around it.
#[allow(
    unsafe_code,
    reason = "counting heap bytes takes a GlobalAlloc, an unsafe trait; it only forwards to System"
)]
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            Self::grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            Self::grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        Self::shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            if new_size >= layout.size() {
                Self::grew(new_size - layout.size());
            } else {
                Self::shrank(layout.size() - new_size);
            }
        }
        p
    }
}

fn main() {
    memory_report();
    divan::main();
}

struct Fixture {
    runtime: tokio::runtime::Runtime,
    client: twilio_flex_v1::Client,
}

fn fixture() -> Fixture {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let base = runtime.block_on(common::start(TOTAL_ITEMS));
    let client = twilio_flex_v1::Client::builder()
        .basic_auth("ACxxx", "secret")
        .base_url(base)
        .build()
        .unwrap();
    Fixture { runtime, client }
}

fn mib(bytes: usize) -> String {
    format!("{:.2} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Streams every item, printing live and peak heap at each checkpoint.
fn memory_report() {
    let fx = fixture();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let peaks = fx.runtime.block_on(async {
        let mut stream = fx.client.list_flex_flows().page_size(PAGE_SIZE).stream();
        let mut seen = 0;
        let mut peaks = Vec::new();
        while let Some(flow) = stream.next().await {
            drop(flow.unwrap());
            seen += 1;
            if CHECKPOINTS.contains(&seen) {
                peaks.push((
                    seen,
                    LIVE.load(Ordering::Relaxed),
                    PEAK.load(Ordering::Relaxed),
                ));
            }
        }
        assert_eq!(seen, TOTAL_ITEMS);
        peaks
    });
    println!(
        "pagination memory: {TOTAL_ITEMS} items in pages of {PAGE_SIZE}; heap before streaming {}",
        mib(before)
    );
    println!("| items streamed | live heap | peak heap since the stream started |");
    println!("|---:|---:|---:|");
    for (seen, live, peak) in &peaks {
        println!("| {seen} | {} | {} |", mib(*live), mib(*peak));
    }
    // One page in flight, whatever the count: the peak after 100,000 items may exceed the
    // peak after 10,000 only by noise (buffer sizes vary with how reads split), not by pages.
    let (first, last) = (peaks[0].2, peaks[peaks.len() - 1].2);
    assert!(
        last <= first + first / 4,
        "peak heap grew from {} to {} while streaming: pages are being kept",
        mib(first),
        mib(last)
    );
}

/// Time to stream every item; divan's items/s is items per second.
#[divan::bench(sample_count = 10)]
fn stream_100k_items(bencher: Bencher<'_, '_>) {
    let fx = fixture();
    bencher
        .counter(ItemsCount::new(TOTAL_ITEMS))
        .bench_local(|| {
            fx.runtime.block_on(async {
                let stream = fx.client.list_flex_flows().page_size(PAGE_SIZE).stream();
                assert_eq!(stream.count().await, TOTAL_ITEMS);
            })
        });
}

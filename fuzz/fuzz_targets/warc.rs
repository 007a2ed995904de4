//! Bytes → WARC records, and each response's HTTP body decoded (chunked, gzip, brotli).
#![no_main]
use gleaner_batch::input::ReadLimits;
use gleaner_batch::input::warc::WarcItems;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = ReadLimits {
        max_page_bytes: 1 << 20,
        max_line_bytes: 1 << 20,
    };
    for item in WarcItems::new(data, "fuzz.warc".into(), &limits).take(1000) {
        if let gleaner_batch::input::Content::Page(p) = item.content {
            let _ = p.open(&limits);
        }
    }
});

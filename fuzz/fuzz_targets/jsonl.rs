//! Bytes → JSONL records.
#![no_main]
use gleaner_batch::input::ReadLimits;
use gleaner_batch::input::jsonl::JsonlItems;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = ReadLimits {
        max_page_bytes: 1 << 20,
        max_line_bytes: 1 << 16,
    };
    for item in JsonlItems::new(data, "fuzz.jsonl".into(), &limits).take(1000) {
        if let gleaner_batch::input::Content::Page(p) = item.content {
            let _ = p.open(&limits);
        }
    }
});

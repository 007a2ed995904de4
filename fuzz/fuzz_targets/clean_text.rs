//! Text → text: the plain-text cleaner, on text and on raw bytes.
#![no_main]
use gleaner::{Extractor, PageInfo};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static E: OnceLock<Extractor> = OnceLock::new();
    E.get_or_init(|| Extractor::new(gleaner::Config::default()).expect("default config"))
}

fuzz_target!(|data: &[u8]| {
    let e = extractor();
    let page = PageInfo::new();
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = e.clean_text(text, &page);
    }
    let _ = e.clean_text_bytes(data, &page);
});

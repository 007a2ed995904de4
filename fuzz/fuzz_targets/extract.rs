//! Bytes → article: the whole pipeline (decode, parse, clean, select, render, metadata).
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
    let page = PageInfo::new().url("https://example.com/2024/05/06/a-page.html");
    let _ = e.extract(data, &page);
    let _ = e.visible_text(data, &page);
});

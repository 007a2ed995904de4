//! Text → JSON-LD: the lenient parser and the reader of its values, then the whole metadata
//! pass over the text wrapped as a page's JSON-LD script.
#![no_main]
use gleaner::metadata::jsonld;
use gleaner::{Extractor, PageInfo};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static E: OnceLock<Extractor> = OnceLock::new();
    E.get_or_init(|| Extractor::new(gleaner::Config::default()).expect("default config"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let values = jsonld::parse_lenient(text);
    let _ = jsonld::from_values(&values);
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
        let _ = jsonld::from_values(std::slice::from_ref(&v));
    }
    let html = format!(
        "<html><head><script type=\"application/ld+json\">{text}</script></head>\
         <body><article><h1>Title</h1><p>Some words of text in a paragraph here.</p></article></body></html>"
    );
    let _ = extractor().extract_html(&html, &PageInfo::new().url("https://example.com/a"));
});

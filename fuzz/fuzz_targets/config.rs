//! Text → configuration: the library's config, its rule overrides, the batch settings.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) = gleaner::Config::from_toml("fuzz.toml", text) {
        let _ = gleaner::Extractor::new(config);
    }
    let _ = gleaner::Config::default().with_rules("fuzz-rules.toml", text);
    let _ = gleaner_batch::BatchConfig::from_toml("fuzz.toml", text);
});

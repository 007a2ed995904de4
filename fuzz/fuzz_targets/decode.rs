//! Bytes → text: the encoding sniffer and decoder, with and without a transport charset.
#![no_main]
use gleaner::decode::decode;
use gleaner::internals::rules;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// Built once: `Config::default()` parses the built-in rules, which cost more than a decode.
fn config() -> &'static gleaner::Config {
    static C: OnceLock<gleaner::Config> = OnceLock::new();
    C.get_or_init(gleaner::Config::default)
}

fuzz_target!(|data: &[u8]| {
    let cfg = &rules(config()).decode;
    let _ = decode(data, None, None, cfg);
    // The first byte picks a transport label, the rest is the body.
    if let Some((&pick, body)) = data.split_first() {
        const LABELS: [&str; 6] = [
            "utf-8",
            "shift_jis",
            "utf-16le",
            "x-user-defined",
            "iso-2022-jp",
            "bogus",
        ];
        let label = LABELS[pick as usize % LABELS.len()];
        let _ = decode(body, Some(label), Some("http://example.jp/"), cfg);
    }
});

//! Golden tests for plain-text cleaning: every `corpus/text/NAME.txt` must clean to
//! `NAME.expected.txt` (judged by hand; see corpus/text/README.md).

use gleaner::{Config, Extractor};

#[test]
fn text_corpus_matches_expected() {
    let extractor = Extractor::new(Config::default()).unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/text");
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".txt") || name.ends_with(".expected.txt") {
            continue;
        }
        let input = std::fs::read_to_string(&path).unwrap();
        let expected = std::fs::read_to_string(path.with_extension("expected.txt")).unwrap();
        let got = extractor.extract_text(&input).unwrap().text;
        if got.trim_end() != expected.trim_end() {
            failures.push(format!(
                "{name}:\n--- got ---\n{got}\n--- expected ---\n{expected}"
            ));
        }
        checked += 1;
    }
    assert!(checked >= 2, "the text corpus is missing");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

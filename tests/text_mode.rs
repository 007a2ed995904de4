//! Golden tests for plain-text cleaning: every `corpus/text/NAME.txt` must clean to
//! `NAME.expected.txt` (judged by hand; see corpus/text/README.md).

use gleaner::{Config, Extractor, PageInfo};

#[test]
fn text_corpus_matches_expected() {
    let extractor = Extractor::new(Config::default()).unwrap();
    let dir = crate::support::in_workspace("corpus/text");
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
        let got = extractor.clean_text(&input, &PageInfo::new()).unwrap().text;
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

#[test]
fn a_line_that_comes_back_far_below_its_first_appearance_comes_out_once() {
    // Short lines between story paragraphs are kept by their neighbours; the same line again
    // six blocks later is a carousel's clone (`extract.repeat_min_distance`), not the story's.
    let extractor = Extractor::new(Config::default()).unwrap();
    let quotes = [
        "The staff are always kind to us and never rush us out the door.",
        "Booking online took a minute and the wait was short each time.",
        "Our children look forward to their check-ups at the clinic now.",
    ];
    let mut parts = Vec::new();
    for n in 0..6 {
        parts.push(format!(
            "Paragraph {n} of the report says the clinic opened its new wing on Monday, adding \
             examination rooms and a playroom, and that waiting times should fall by half."
        ));
        parts.push(quotes[n % 3].to_string());
    }
    let got = extractor
        .clean_text(&parts.join("\n\n"), &PageInfo::new())
        .unwrap()
        .text;
    assert!(got.contains("Paragraph 5 of the report"), "{got}");
    assert_eq!(got.matches(quotes[0]).count(), 1, "{got}");
}

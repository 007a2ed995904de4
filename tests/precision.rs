//! Clutter that stands inside the article's own container: author bio boxes, captions,
//! prompts. Each test puts the clutter next to a story and checks that the clutter goes and
//! the story stays.

use gleaner::{Config, Extractor};

const STORY: &str = "<p>The council voted on Tuesday to close the old bridge to traffic, citing a \
    report that found serious corrosion in its steel supports and cracks in two of its piers.</p>\
    <p>Repairs are expected to take at least eighteen months, and a temporary footbridge will \
    open in the spring for people who walk or cycle across the river every day.</p>";

fn extract(body: &str) -> String {
    let html = format!(
        "<html><body><article><h1>Bridge to close</h1>{STORY}{body}</article></body></html>"
    );
    Extractor::new(Config::default())
        .unwrap()
        .extract_str(&html, None)
        .unwrap()
        .text
}

#[test]
fn author_bio_boxes_named_by_their_class_go() {
    for class in [
        "author-info",
        "entry-author-info",
        "author-description",
        "author-profile",
    ] {
        let text = extract(&format!(
            "<div class=\"{class}\"><p>Jake is the co-founder of a Rust consultancy and writes \
             about systems programming. He lives in Pittsburgh with his family.</p></div>"
        ));
        assert!(text.contains("temporary footbridge"), "{class}: {text}");
        assert!(!text.contains("co-founder"), "{class}: {text}");
    }
}

#[test]
fn a_paragraph_about_an_author_in_the_story_stays() {
    let text = extract(
        "<p>Jake is the co-founder of a Rust consultancy and told the council that the steel \
         could be repaired in place rather than replaced.</p>",
    );
    assert!(text.contains("co-founder"), "{text}");
}

//! Golden metadata tests: every page in `corpus/metadata/` against its hand-written
//! `.expected.json` (all metadata fields; `page_url` in that file is the URL the page is
//! extracted with, not an expectation), and the page type of the main corpus pages.
//! See corpus/metadata/README.md for what each page covers.

use std::path::{Path, PathBuf};

use gleaner::{Config, Extractor, PageInfo, PageType};
use gleaner_batch::input::{Source, read};
use serde_json::Value;

fn metadata_pages() -> Vec<PathBuf> {
    let dir = crate::support::in_workspace("corpus/metadata");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus/metadata/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    pages
}

fn extract(page: &Path, url: Option<&str>) -> gleaner::Extraction {
    let bytes = read(&Source::File(page.to_path_buf()), usize::MAX - 1).unwrap();
    Extractor::new(Config::default())
        .unwrap()
        .extract(&bytes, &PageInfo::new().url(url))
        .unwrap()
}

#[test]
fn metadata_pages_match_their_golden_metadata() {
    let pages = metadata_pages();
    assert!(
        pages.len() >= 12,
        "corpus/metadata holds the metadata pages"
    );
    let mut failures = Vec::new();
    for page in &pages {
        let expected_path = page.with_extension("expected.json");
        let text = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        let mut want: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        let url = want["page_url"].as_str().map(str::to_string);
        want.as_object_mut().unwrap().remove("page_url");
        let got = serde_json::to_value(extract(page, url.as_deref()).metadata).unwrap();
        for (field, want_value) in want.as_object().unwrap() {
            if got[field] != *want_value {
                failures.push(format!(
                    "{}: {field} is {}, expected {want_value}",
                    page.display(),
                    got[field]
                ));
            }
        }
        // Every field is judged: a new field needs its expectation written down.
        for field in got.as_object().unwrap().keys() {
            if !want.as_object().unwrap().contains_key(field) {
                failures.push(format!("{}: no expectation for {field}", page.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn main_corpus_pages_have_their_page_type() {
    let dir = crate::support::in_workspace("corpus");
    let cases = [
        ("listing-homepage.html", PageType::Listing),
        ("forum-thread.html", PageType::Forum),
        ("product-page.html", PageType::Product),
        ("docs-page.html.gz", PageType::Documentation),
        ("jsonld-article.html", PageType::Article),
        ("ghost-post.html", PageType::Article),
    ];
    let mut failures = Vec::new();
    for (name, want) in cases {
        let got = extract(&dir.join(name), None).metadata.page_type;
        if got != want {
            failures.push(format!("{name}: {got:?}, expected {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// The command line: metadata in JSON records, Markdown front matter, --with-metadata.

use crate::support::BIN;

fn run(args: &[&str]) -> String {
    let out = std::process::Command::new(BIN)
        .args(args)
        .output()
        .expect("run gleaner");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn corpus_page(name: &str) -> String {
    crate::support::in_workspace("corpus/metadata")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn json_records_carry_the_metadata() {
    let page = corpus_page("byline-german.html");
    let record: Value =
        serde_json::from_str(&run(&["extract", "--format", "json", &page])).unwrap();
    assert_eq!(record["title"], "Bürgerbus fährt ab Februar auch sonntags");
    assert_eq!(
        record["authors"],
        serde_json::json!(["Anna Schmidt", "Jonas Weber"])
    );
    assert_eq!(record["date"], "2024-01-05");
    assert_eq!(record["language"], "de");
    assert_eq!(record["page_type"], "article");
    assert!(
        record["text"]
            .as_str()
            .unwrap()
            .starts_with("Der Bürgerbus")
    );
}

#[test]
fn markdown_starts_with_yaml_front_matter() {
    let page = corpus_page("jsonld-graph.html");
    let md = run(&["extract", "--format", "markdown", &page]);
    let expected_head = "---\n\
        title: \"Volunteers map every hedgerow in Wexcombe parish\"\n\
        date: \"2024-07-16T09:30:00+01:00\"\n\
        date_modified: \"2024-07-17T14:05:00+01:00\"\n\
        sitename: \"The Wexcombe Courier\"\n";
    assert!(md.starts_with(expected_head), "{md}");
    assert!(md.contains("\nauthors: [\"Eleanor Pryce\"]\n"), "{md}");
    assert!(
        md.contains(
            "\ntags: [\"hedgerows\", \"wildlife\", \"volunteering\"]\n---\n\nForty volunteers"
        ),
        "{md}"
    );
}

#[test]
fn with_metadata_prefixes_plain_text_with_title_and_date_lines() {
    let page = corpus_page("spanish-date.html");
    let text = run(&["extract", "--with-metadata", &page]);
    let head = "title: El mercado central estrena horario de tarde\n\
                author: Lucía Romero\n\
                date: 2024-01-05\n\n";
    assert!(text.starts_with(head), "{text}");
    let plain = run(&["extract", &page]);
    assert_eq!(
        &text[head.len()..],
        plain,
        "the text follows the header unchanged"
    );
    assert!(plain.contains("El mercado central abrirá"), "{plain}");
}

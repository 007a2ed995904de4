//! Golden tests: every page in `corpus/` against its hand-judged `.expected.txt` (the text)
//! and `.expected.title` (the headline). See corpus/README.md for what each page covers.

use std::path::{Path, PathBuf};

use gleaner::{Config, Extractor, PageInfo};
use gleaner_batch::input::{Source, read};

fn corpus_pages() -> Vec<PathBuf> {
    let dir = crate::support::in_workspace("corpus");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus/ exists")
        .map(|e| e.unwrap().path())
        // Subfolders (corpus/metadata/) have their own tests.
        .filter(|p| p.is_file())
        .filter(|p| {
            // corpus/text/ holds the plain-text cases, tested on their own.
            let name = p.to_string_lossy();
            p.is_file() && !name.contains(".expected.") && !name.ends_with(".md")
        })
        .collect();
    pages.sort();
    pages
}

/// `corpus/x.html.gz` → `corpus/x.expected.<kind>`.
fn expected(page: &Path, kind: &str) -> String {
    let id = Source::File(page.to_path_buf()).id();
    let path = page.with_file_name(format!("{id}.expected.{kind}"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn normalise(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim_matches('\n').to_string()
}

#[test]
fn corpus_pages_match_their_golden_text_and_title() {
    let extractor = Extractor::new(Config::default()).unwrap();
    let pages = corpus_pages();
    assert!(pages.len() >= 25, "the corpus holds at least 25 pages");
    let mut failures = Vec::new();
    for page in &pages {
        let bytes = read(&Source::File(page.clone()), usize::MAX - 1).unwrap();
        let got = extractor.extract(&bytes, &PageInfo::new()).unwrap();
        let want_text = normalise(&expected(page, "txt"));
        let want_title = expected(page, "title").trim().to_string();
        let got_text = normalise(&got.text);
        if got_text != want_text {
            failures.push(format!(
                "{}: text differs\n{}",
                page.display(),
                diff(&want_text, &got_text)
            ));
        }
        if got.title.as_deref().unwrap_or("") != want_title {
            failures.push(format!(
                "{}: title {:?}, expected {want_title:?}",
                page.display(),
                got.title
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} checks failed:\n\n{}",
        failures.len(),
        pages.len() * 2,
        failures.join("\n\n")
    );
}

/// Lines only in the expected text (-) and only in the output (+).
fn diff(want: &str, got: &str) -> String {
    let w: Vec<&str> = want.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let mut out = String::new();
    for l in w.iter().filter(|l| !l.is_empty() && !g.contains(l)) {
        out.push_str(&format!("  - {l}\n"));
    }
    for l in g.iter().filter(|l| !l.is_empty() && !w.contains(l)) {
        out.push_str(&format!("  + {l}\n"));
    }
    if out.is_empty() {
        out.push_str("  (same lines, different order or spacing)\n");
    }
    out
}

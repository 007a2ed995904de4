//! Bounded memory: the `gleaner` binary on pathological pages, with default settings, must
//! stay under the README's bound (Robustness): peak resident memory at most
//! `PER_BYTE` × the page's size plus `FIXED_MB`. Peak memory is the kernel's maxrss of
//! exactly that child, as GNU time reports it (`/usr/bin/time -f %M`, from wait4); the
//! test's own process and its other children do not count.

use std::path::Path;
use std::process::Command;

use crate::support::{BIN, TempDir};

/// Resident bytes allowed per byte of page (html5ever's tree through scraper costs about
/// 140 bytes a node, our flat copy 28 more).
const PER_BYTE: u64 = 25;
/// What the binary holds before its first page (rules, compiled patterns, threads, and the
/// allocator's retained pages): 39 MB measured on a one-line page.
const FIXED_MB: u64 = 64;

const GNU_TIME: &str = "/usr/bin/time";

/// Runs `gleaner extract page` and returns its peak resident memory in bytes and its output.
fn peak_rss(page: &Path) -> (u64, Vec<u8>) {
    assert!(
        Path::new(GNU_TIME).exists(),
        "the memory test needs GNU time at {GNU_TIME} (Debian: apt-get install time)"
    );
    let out = Command::new(GNU_TIME)
        .args(["-f", "peak-rss-kb %M", BIN, "extract"])
        .arg(page)
        .output()
        .expect("run gleaner under GNU time");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "gleaner failed: {err}");
    let kb: u64 = err
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("peak-rss-kb "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak-rss-kb line in {err:?}"));
    (kb * 1024, out.stdout)
}

/// Writes `body` as a page, runs gleaner on it, and checks the bound and that text came out.
fn check(name: &str, body: &str, must_contain: &str) {
    let dir = TempDir::new(&format!("memory-{name}"));
    let html = format!("<html><head><title>T</title></head><body>{body}</body></html>");
    let path = dir.write("page.html", html.as_bytes());
    let (peak, text) = peak_rss(Path::new(&path));
    let bound = PER_BYTE * html.len() as u64 + (FIXED_MB << 20);
    let mb = |b: u64| b as f64 / (1 << 20) as f64;
    eprintln!(
        "{name}: {:.1} MB page, {:.1} MB peak, bound {:.1} MB",
        mb(html.len() as u64),
        mb(peak),
        mb(bound)
    );
    assert!(
        peak <= bound,
        "{name}: peak {:.1} MB over the bound {:.1} MB ({PER_BYTE} × {:.1} MB + {FIXED_MB} MB)",
        mb(peak),
        mb(bound),
        mb(html.len() as u64)
    );
    let text = String::from_utf8_lossy(&text);
    assert!(
        text.contains(must_contain),
        "{name}: no {must_contain:?} in the text"
    );
}

#[test]
fn a_million_spans() {
    let body = "<div>".to_string() + &"<span>word </span>".repeat(1_000_000) + "</div>";
    check("spans", &body, "word word word");
}

#[test]
fn a_hundred_thousand_paragraphs() {
    let body: String = (0..100_000)
        .map(|i| format!("<p>Line {i} of the log.</p>"))
        .collect();
    check("paragraphs", &body, "Line 99999 of the log.");
}

#[test]
fn two_hundred_thousand_links() {
    let body: String = (0..200_000)
        .map(|i| format!("<a href=\"/p/{i}\">link {i}</a> "))
        .collect();
    check("links", &body, "link 199999");
}

#[test]
fn a_hundred_thousand_nested_divs() {
    let body = "<div>".repeat(100_000) + "deep text" + &"</div>".repeat(100_000);
    check("nesting", &body, "deep text");
}

#[test]
fn a_fifty_megabyte_page() {
    let paragraph = "The council met on Tuesday to hear the residents of the outer districts, \
                     who asked for a night bus every thirty minutes between midnight and five.";
    let mut body = String::with_capacity(50 << 20);
    let mut i = 0;
    while body.len() < 50 << 20 {
        body.push_str(&format!("<p>Section {i}. {paragraph}</p>\n"));
        i += 1;
    }
    check("50 MB", &body, "Section 0. The council met");
}

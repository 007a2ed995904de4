//! CLI: runs the built `gleaner` binary on temporary files and directories and checks what a
//! user sees: one record per page file, ids, errors that name what went wrong, exit codes
//! (0 all ok, 1 some input failed, 2 a usage or config error), stdin, and the output formats.
//! Run with `cargo test --release --test tests cli::`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::{BIN, TempDir, gleaner, in_workspace, stderr, stdout};

fn jsonl(o: &std::process::Output) -> Vec<Value> {
    crate::support::jsonl(&o.stdout)
}

// ---------------------------------------------------------------------------------------------
// Pages

/// A small realistic article: nav links, a headline and three paragraphs of running text,
/// each sentence starting with `lead` so that pages are told apart.
fn article(lead: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{lead} – The Daily Ledger</title></head>
<body>
<nav class="site-nav"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a> <a href="/about">About us</a></nav>
<article>
<h1>{lead}</h1>
<p>{lead}: the city council voted on Tuesday to extend the night bus network to the three outer districts, ending a two-year campaign by residents who said the last train left them stranded after late shifts at the hospital.</p>
<p>Under the plan, four new routes will run every thirty minutes between midnight and five in the morning from September, paid for by a small rise in the parking levy that is expected to raise about two million a year.</p>
<p>Opposition members argued that the money would be better spent on daytime services, which they said were unreliable and overcrowded, but the motion passed by twenty-nine votes to eleven after a long debate.</p>
</article>
<footer><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>
"#
    )
}

/// An article with a subheading and a bulleted list, for the Markdown output.
fn article_with_list() -> String {
    r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>How to repot a fern</title></head>
<body>
<nav><a href="/">Home</a> <a href="/garden">Garden</a> <a href="/kitchen">Kitchen</a></nav>
<article>
<h1>How to repot a fern</h1>
<p>Ferns outgrow their pots every two or three years, and the signs are easy to read once you know them: roots circling the bottom of the pot, water running straight through, and fronds that yellow even though you water them regularly.</p>
<h2>What you will need</h2>
<ul>
<li>A pot one size larger than the old one, with drainage holes in the bottom.</li>
<li>Fresh peat-free compost mixed with a handful of fine bark for drainage.</li>
<li>A blunt knife to loosen the root ball from the sides of the old pot.</li>
</ul>
<p>Water the fern the day before, ease it out of the old pot, tease the outer roots loose with your fingers, and set it in the new pot at the same depth as before, filling around it with compost and firming gently.</p>
</article>
</body></html>
"#
    .to_string()
}

const SENTENCE: &str = "the city council voted on Tuesday to extend the night bus network";

// ---------------------------------------------------------------------------------------------
// (a) a directory of good and bad pages

#[test]
fn directory_jsonl_gives_one_record_per_page_file_in_path_order() {
    let dir = TempDir::new("dir");
    dir.write_gz("a_first.html.gz", article("Alpha report").as_bytes());
    dir.write_gz("b_second.html.gz", article("Bravo report").as_bytes());
    // gzip magic and header, then garbage instead of a deflate stream
    let mut corrupt = vec![0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03];
    corrupt.extend_from_slice(b"\xff\xff\xff this is not deflate data at all \xff\xfe\xfd");
    dir.write("c_corrupt.html.gz", &corrupt);
    dir.write("d_empty.html", b"");
    let mut binary = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    binary.extend((0u32..2048).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
    dir.write("e_binary.html", &binary);
    dir.write("m_sub/nested.html", article("Mike report").as_bytes());
    dir.write("notes.txt", article("Not a page").as_bytes());
    dir.write("p_plain.htm", article("Papa report").as_bytes());

    let out = gleaner(&["extract", "--format", "jsonl", &dir.arg()]);
    let records = jsonl(&out);
    assert_eq!(
        records.len(),
        7,
        "one record per page file:\n{}",
        stdout(&out)
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "some inputs failed: {}",
        stderr(&out)
    );

    for r in &records {
        for field in ["id", "source", "url", "title", "text", "error"] {
            assert!(r.get(field).is_some(), "record without {field}: {r}");
        }
    }

    // Sorted by path; the .txt file is not walked.
    let sources: Vec<PathBuf> = records
        .iter()
        .map(|r| PathBuf::from(r["source"].as_str().unwrap()))
        .collect();
    let mut sorted = sources.clone();
    sorted.sort();
    assert_eq!(sources, sorted, "records are not in path order");
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "a_first",
            "b_second",
            "c_corrupt",
            "d_empty",
            "e_binary",
            "nested",
            "p_plain"
        ]
    );
    assert!(
        sources[5].ends_with("m_sub/nested.html"),
        "{:?}",
        sources[5]
    );
    assert!(
        !stdout(&out).contains("Not a page"),
        "notes.txt was extracted"
    );

    let by_id = |id: &str| records.iter().find(|r| r["id"] == id).unwrap();
    for (id, lead) in [
        ("a_first", "Alpha report"),
        ("b_second", "Bravo report"),
        ("nested", "Mike report"),
        ("p_plain", "Papa report"),
    ] {
        let r = by_id(id);
        assert_eq!(r["error"], Value::Null, "{id}: {r}");
        let text = r["text"].as_str().unwrap();
        assert!(
            text.contains(&format!("{lead}: {SENTENCE}")),
            "{id}: {text:?}"
        );
        assert!(
            !text.contains("About us"),
            "{id}: navigation kept: {text:?}"
        );
        // The headline, confirmed by the <title>, without the site name.
        assert_eq!(r["title"].as_str(), Some(lead), "{id}: {r}");
    }
    for (id, names) in [
        ("c_corrupt", "gzip"),
        ("d_empty", "empty"),
        ("e_binary", "binary"),
    ] {
        let r = by_id(id);
        assert_eq!(r["text"], "", "{id}: {r}");
        let error = r["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{id}: no error: {r}"));
        assert!(
            error.to_lowercase().contains(names),
            "{id}: error {error:?} should say {names}"
        );
    }
}

#[test]
fn directory_of_good_pages_exits_zero() {
    // The control for the exit code above: 1 only because some inputs failed.
    let dir = TempDir::new("good");
    dir.write_gz("one.html.gz", article("One").as_bytes());
    dir.write("two.htm", article("Two").as_bytes());
    let out = gleaner(&["extract", "--format", "jsonl", &dir.arg()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(jsonl(&out).len(), 2);
}

// ---------------------------------------------------------------------------------------------
// (b) a missing file

#[test]
fn nonexistent_file_gives_one_record_with_an_error_and_exit_1() {
    let dir = TempDir::new("missing");
    let missing = dir.path("no-such-page.html");
    let out = gleaner(&["extract", "--format", "jsonl", &missing]);
    let records = jsonl(&out);
    assert_eq!(records.len(), 1, "{}", stdout(&out));
    assert_eq!(out.status.code(), Some(1));
    let r = &records[0];
    assert_eq!(r["id"], "no-such-page");
    assert_eq!(r["text"], "");
    let error = r["error"].as_str().expect("an error");
    assert!(error.contains("cannot read input"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// (c) stdin

#[test]
fn stdin_page_prints_its_text() {
    let mut child = Command::new(BIN)
        .args(["extract", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gleaner");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(article("Stdin report").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("Stdin report: {SENTENCE}")),
        "{text:?}"
    );
    assert!(text.contains("passed by twenty-nine votes"), "{text:?}");
    assert!(
        !text.contains("About us") && !text.contains("<p>"),
        "{text:?}"
    );
    assert!(
        !text.contains("==>"),
        "a single input has no header: {text:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// (d) Markdown

#[test]
fn markdown_format_renders_headings_and_lists() {
    let dir = TempDir::new("md");
    let page = dir.write("fern.html", article_with_list().as_bytes());
    let out = gleaner(&["extract", "--format", "markdown", &page]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    let lines: Vec<&str> = md.lines().collect();
    assert!(lines.contains(&"## What you will need"), "{md}");
    assert!(
        lines
            .contains(&"- Fresh peat-free compost mixed with a handful of fine bark for drainage."),
        "{md}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("- ")).count(),
        3,
        "{md}"
    );
}

// ---------------------------------------------------------------------------------------------
// (e) JSON

#[test]
fn json_format_one_file_is_one_object() {
    let dir = TempDir::new("json1");
    let page = dir.write("one.html", article("Solo report").as_bytes());
    let out = gleaner(&["extract", "--format", "json", &page]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("one JSON document");
    assert!(v.is_object(), "{v}");
    assert_eq!(v["id"], "one");
    assert!(v["text"].as_str().unwrap().contains(SENTENCE), "{v}");
}

#[test]
fn json_format_two_files_is_an_array() {
    let dir = TempDir::new("json2");
    let a = dir.write("a.html", article("First report").as_bytes());
    let b = dir.write("b.html", article("Second report").as_bytes());
    let out = gleaner(&["extract", "--format", "json", &a, &b]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("one JSON document");
    let items = v.as_array().unwrap_or_else(|| panic!("not an array: {v}"));
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], "a");
    assert_eq!(items[1]["id"], "b");
    assert!(
        items[1]["text"].as_str().unwrap().contains("Second report"),
        "{v}"
    );
}

#[test]
fn json_format_on_an_empty_directory_is_an_empty_array() {
    let dir = TempDir::new("json0");
    let out = gleaner(&["extract", "--format", "json", &dir.arg()]);
    let v: Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", stdout(&out)));
    assert_eq!(v, Value::Array(Vec::new()));
}

// ---------------------------------------------------------------------------------------------
// (f) config and mode

#[test]
fn config_file_with_unknown_key_exits_2_naming_the_file() {
    let dir = TempDir::new("config");
    let config = dir.write("bad-config.toml", b"[extract]\nmoed = \"recall\"\n");
    let page = dir.write("page.html", article("Config report").as_bytes());
    let out = gleaner(&["extract", "--config", &config, &page]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&config), "{err}");
    assert!(
        err.contains("moed"),
        "the error should name the unknown key: {err}"
    );
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
}

#[test]
fn config_file_with_a_valid_override_is_accepted() {
    let dir = TempDir::new("config-ok");
    let config = dir.write("good.toml", b"[extract]\nmode = \"recall\"\n");
    let page = dir.write("page.html", article("Config report").as_bytes());
    let out = gleaner(&["extract", "--config", &config, &page]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains(SENTENCE));
}

#[test]
fn mode_precision_is_accepted() {
    let dir = TempDir::new("mode");
    let page = dir.write("page.html", article("Precise report").as_bytes());
    let out = gleaner(&["extract", "--mode", "precision", &page]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("Precise report: {SENTENCE}")),
        "{}",
        stdout(&out)
    );
}

#[test]
fn unknown_mode_is_a_usage_error() {
    let dir = TempDir::new("badmode");
    let page = dir.write("page.html", article("Report").as_bytes());
    let out = gleaner(&["extract", "--mode", "sloppy", &page]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("sloppy"), "{}", stderr(&out));
}

// ---------------------------------------------------------------------------------------------
// (g) --url

#[test]
fn url_with_two_inputs_exits_2() {
    let dir = TempDir::new("url");
    let a = dir.write("a.html", article("First").as_bytes());
    let b = dir.write("b.html", article("Second").as_bytes());
    let out = gleaner(&["extract", "--url", "https://example.com/news/1", &a, &b]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--url"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
}

#[test]
fn url_with_one_input_is_reported_in_the_record() {
    let dir = TempDir::new("url1");
    let a = dir.write("a.html", article("First").as_bytes());
    let out = gleaner(&[
        "extract",
        "--format",
        "jsonl",
        "--url",
        "https://example.com/news/1",
        &a,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let records = jsonl(&out);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["url"], "https://example.com/news/1");
}

/// `--learned` switches block decisions to the learned model: on a section front (a listing
/// page) it keeps the teaser headlines and summaries, which the rules drop (README: Quality).
#[test]
fn learned_model_keeps_a_listing_pages_items_where_the_rules_keep_none() {
    let page = in_workspace("corpus/listing-homepage.html")
        .display()
        .to_string();
    let headline = "Volunteers count record number of barn owls in county survey";
    let rules = gleaner(&["extract", &page]);
    let learned = gleaner(&["extract", "--learned", &page]);
    assert!(
        rules.status.success() && learned.status.success(),
        "{}",
        stderr(&learned)
    );
    assert!(!stdout(&rules).contains(headline), "{}", stdout(&rules));
    assert!(stdout(&learned).contains(headline), "{}", stdout(&learned));
    assert!(stdout(&learned).contains("More than 140 breeding pairs"));
}

// ---------------------------------------------------------------------------------------------
// Faults around the run

#[test]
fn a_full_disk_is_a_clear_error_and_a_failing_exit_code() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let corpus = crate::support::in_workspace("corpus");
    let corpus = corpus.to_str().unwrap();
    for format in ["text", "jsonl"] {
        let out = gleaner(&["extract", corpus, "--format", format, "-o", "/dev/full"]);
        assert_eq!(out.status.code(), Some(2), "{format}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("cannot write the output"),
            "{format}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_closed_stdout_stops_the_run_without_a_panic() {
    let corpus = crate::support::in_workspace("corpus");
    let mut child = Command::new(BIN)
        .args(["extract", corpus.to_str().unwrap(), "--format", "jsonl"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gleaner");
    // `| head -c 100`: read a little, then close the pipe.
    let mut first = [0u8; 100];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(out.status.code().is_some(), "killed by a signal: {err}");
}

//! Batch: the `gleaner` binary on WARC and JSONL inputs, as a preprocessing pipeline runs
//! it. WARC files are built here (gzip per record with flate2, as Common Crawl writes them),
//! with the damage real crawls have: non-HTML payloads, request and metadata records, a
//! corrupt gzip member, a truncated last record. Checks the counts, that every record comes
//! out once and in order, pass-through fields, resume after a kill, dedup, and the time
//! budget. Run with `cargo test --release --test tests batch::`.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{BIN, TempDir, gleaner_with_stdin as gleaner, gzip, jsonl, stderr};

/// The summary line's counts: read, extracted, empty, skipped, failed.
fn counts(o: &Output) -> [u64; 5] {
    let err = stderr(o);
    let line = err
        .lines()
        .find(|l| l.contains("records read:"))
        .unwrap_or_else(|| panic!("no summary line in {err:?}"));
    let number_before = |word: &str| -> u64 {
        let at = line
            .find(word)
            .unwrap_or_else(|| panic!("{word} in {line:?}"));
        line[..at]
            .split_whitespace()
            .last()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("number before {word} in {line:?}"))
    };
    [
        number_before("records read"),
        number_before("extracted"),
        number_before("empty"),
        number_before("skipped"),
        number_before("failed"),
    ]
}

/// A small article whose sentences start with `lead`, with navigation around it.
fn article(lead: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{lead}</title></head><body>\
<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a> <a href=\"/about\">About us</a></nav><article><h1>{lead}</h1>\
<p>{lead}: the council voted on Tuesday to extend the night bus network to the three outer districts, after a long campaign by residents.</p>\
<p>Four new routes will run every thirty minutes between midnight and five in the morning from September, paid for by the parking levy.</p>\
</article><footer><a href=\"/privacy\">Privacy</a></footer></body></html>"
    )
}

// ---------------------------------------------------------------------------------------------
// WARC building

fn warc_record(kind: &str, id: &str, url: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Date: 2026-01-01T00:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Target-URI: {url}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn response(id: &str, url: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut http = format!("HTTP/1.1 200 OK\r\n{headers}\r\n").into_bytes();
    http.extend_from_slice(body);
    warc_record(
        "response",
        id,
        url,
        "application/http; msgtype=response",
        &http,
    )
}

fn request(id: &str, url: &str) -> Vec<u8> {
    let block = b"GET /news HTTP/1.1\r\nHost: example.org\r\n\r\n";
    warc_record(
        "request",
        id,
        url,
        "application/http; msgtype=request",
        block,
    )
}

fn metadata(id: &str, url: &str) -> Vec<u8> {
    warc_record(
        "metadata",
        id,
        url,
        "application/warc-fields",
        b"fetchTimeMs: 120\r\n",
    )
}

/// A gzip member whose deflate data is garbled in the middle.
fn broken_member(record: &[u8]) -> Vec<u8> {
    let mut member = gzip(record);
    let mid = member.len() / 2;
    for b in &mut member[mid..mid + 64] {
        *b ^= 0xa5;
    }
    member
}

/// The damaged crawl of the issue: 4 HTML pages (one windows-1252 declared only in the HTTP
/// header, one gzip + chunked), a PDF, request and metadata records, a corrupt gzip member
/// and a truncated last record.
fn damaged_crawl() -> Vec<u8> {
    let mut w = Vec::new();
    w.extend(gzip(&warc_record(
        "warcinfo",
        "info",
        "",
        "application/warc-fields",
        b"software: test\r\n",
    )));
    for n in 1..=2 {
        let url = format!("https://news.example/{n}");
        w.extend(gzip(&request(&format!("req-{n}"), &url)));
        let page = article(&format!("Page {n} report"));
        w.extend(gzip(&response(
            &format!("page-{n}"),
            &url,
            "Content-Type: text/html\r\n",
            page.as_bytes(),
        )));
        w.extend(gzip(&metadata(&format!("meta-{n}"), &url)));
    }
    // windows-1252, declared only by the HTTP header (the page's <meta> says nothing).
    let latin = article("Caf\u{e9} report").replace("<meta charset=\"utf-8\">", "");
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(&latin);
    w.extend(gzip(&response(
        "page-3",
        "https://news.example/3",
        "Content-Type: text/html; charset=windows-1252\r\n",
        &latin,
    )));
    w.extend(gzip(&response(
        "pdf",
        "https://news.example/report.pdf",
        "Content-Type: application/pdf\r\n",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n",
    )));
    // Corrupt gzip member in the middle of the file.
    w.extend(broken_member(&response(
        "broken",
        "https://news.example/broken",
        "Content-Type: text/html\r\n",
        article("Broken report").repeat(20).as_bytes(),
    )));
    // gzip Content-Encoding and chunked transfer, as a raw capture stores them.
    let page = gzip(article("Page 4 report").as_bytes());
    let mut chunked = format!("{:x}\r\n", page.len()).into_bytes();
    chunked.extend(&page);
    chunked.extend(b"\r\n0\r\n\r\n");
    w.extend(gzip(&response(
        "page-4",
        "https://news.example/4",
        "Content-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
        &chunked,
    )));
    // The last record, cut off in the middle (a crawl killed while writing).
    let last = gzip(&response(
        "truncated",
        "https://news.example/last",
        "Content-Type: text/html\r\n",
        article("Last report").repeat(20).as_bytes(),
    ));
    w.extend(&last[..last.len() / 2]);
    w
}

#[test]
fn damaged_warc_gives_the_right_counts_and_finishes() {
    let dir = TempDir::new("warc");
    let warc = dir.write("crawl.warc.gz", &damaged_crawl());
    let out = gleaner(&["extract", &warc], b"");
    assert_eq!(
        out.status.code(),
        Some(1),
        "some records failed: {}",
        stderr(&out)
    );
    // warcinfo, 2 × (request, response, metadata), latin page, PDF, broken, page 4, truncated
    assert_eq!(counts(&out), [12, 4, 0, 6, 2], "{}", stderr(&out));

    let records = jsonl(&out.stdout);
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "<urn:uuid:page-1>",
            "<urn:uuid:page-2>",
            "<urn:uuid:page-3>",
            "<urn:uuid:broken>",
            "<urn:uuid:page-4>",
            "<urn:uuid:truncated>",
        ],
        "pages and failures, in file order; skipped records are not written"
    );
    for (r, lead) in records
        .iter()
        .zip(["Page 1", "Page 2", "Café", "", "Page 4"])
    {
        if lead.is_empty() {
            continue;
        }
        assert_eq!(r["error"], Value::Null, "{r}");
        let text = r["text"].as_str().unwrap();
        assert!(
            text.starts_with(&format!("{lead} report: the council voted")),
            "{text:?}"
        );
        assert!(!text.contains("About us"), "{text:?}");
        assert_eq!(r["source"], warc.as_str());
    }
    assert_eq!(records[0]["url"], "https://news.example/1");
    assert_eq!(records[0]["status"], 200, "the HTTP status of the response");
    assert_eq!(
        records[0]["fetched_at"], "2026-01-01T00:00:00Z",
        "WARC-Date"
    );
    assert_eq!(
        records[2]["encoding"], "windows-1252",
        "HTTP charset honoured"
    );
    for failed in [&records[3], &records[5]] {
        let error = failed["error"].as_str().expect("an error");
        assert!(error.contains("WARC record at byte"), "{error}");
        assert_eq!(failed["text"], "");
    }
    assert!(
        records[5]["error"].as_str().unwrap().contains("truncated"),
        "{}",
        records[5]
    );
}

#[test]
fn include_skipped_writes_a_record_for_each_with_the_reason() {
    let dir = TempDir::new("skipped");
    let warc = dir.write("crawl.warc.gz", &damaged_crawl());
    let out = gleaner(&["extract", "--include-skipped", &warc], b"");
    assert_eq!(counts(&out), [12, 4, 0, 6, 2]);
    let records = jsonl(&out.stdout);
    assert_eq!(records.len(), 12, "one record per input record");
    let skipped: Vec<(&str, &str)> = records
        .iter()
        .filter_map(|r| Some((r["id"].as_str()?, r["skipped"].as_str()?)))
        .collect();
    assert_eq!(
        skipped,
        [
            ("<urn:uuid:info>", "WARC warcinfo record"),
            ("<urn:uuid:req-1>", "WARC request record"),
            ("<urn:uuid:meta-1>", "WARC metadata record"),
            ("<urn:uuid:req-2>", "WARC request record"),
            ("<urn:uuid:meta-2>", "WARC metadata record"),
            ("<urn:uuid:pdf>", "not HTML: application/pdf"),
        ]
    );
    // Extracted records say they were not skipped.
    assert_eq!(records[2]["skipped"], Value::Null);
}

#[test]
fn plain_warc_from_stdin() {
    let mut warc = Vec::new();
    for n in 1..=3 {
        let url = format!("https://plain.example/{n}");
        warc.extend(request(&format!("r{n}"), &url));
        warc.extend(response(
            &format!("p{n}"),
            &url,
            "Content-Type: text/html; charset=utf-8\r\n",
            article(&format!("Plain {n}")).as_bytes(),
        ));
    }
    let out = gleaner(&["extract", "--input-format", "warc", "-"], &warc);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(counts(&out), [6, 3, 0, 3, 0]);
    let records = jsonl(&out.stdout);
    assert_eq!(records.len(), 3);
    assert!(
        records[2]["text"]
            .as_str()
            .unwrap()
            .starts_with("Plain 3: the council")
    );
    assert_eq!(records[2]["source"], "-");
}

// ---------------------------------------------------------------------------------------------
// JSONL

/// `n` JSONL lines with `id`, `url`, the page (every fifth as `html_base64`) and fields to
/// pass through, one of them named like an output field.
fn jsonl_input(n: usize, host: &str) -> Vec<u8> {
    use base64::Engine;
    let mut out = Vec::new();
    for i in 0..n {
        let page = article(&format!("Item {i}"));
        let mut line = json!({
            "id": format!("doc-{i}"),
            "url": format!("https://{host}/item/{i}"),
            "n": i,
            "crawl": {"segment": i % 7, "tags": ["a", "b"]},
            "title": format!("their title {i}"),
        });
        if i % 5 == 0 {
            line["html_base64"] = json!(base64::engine::general_purpose::STANDARD.encode(&page));
        } else {
            line["html"] = json!(page);
        }
        serde_json::to_writer(&mut out, &line).unwrap();
        out.push(b'\n');
    }
    out
}

#[test]
fn jsonl_thousand_lines_in_order_with_pass_through() {
    let input = jsonl_input(1000, "jsonl.example");
    let out = gleaner(
        &["extract", "--input-format", "jsonl", "--jobs", "2", "-"],
        &input,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(counts(&out), [1000, 1000, 0, 0, 0]);
    let records = jsonl(&out.stdout);
    assert_eq!(records.len(), 1000);
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r["id"], format!("doc-{i}"), "order");
        assert_eq!(r["url"], format!("https://jsonl.example/item/{i}"));
        assert_eq!(r["n"], i, "pass-through");
        assert_eq!(r["crawl"], json!({"segment": i % 7, "tags": ["a", "b"]}));
        // An input field named like an output field is kept under another name.
        assert_eq!(r["input_title"], format!("their title {i}"));
        assert_eq!(r["title"], format!("Item {i}"));
        let text = r["text"].as_str().unwrap();
        assert!(
            text.starts_with(&format!("Item {i}: the council voted")),
            "{i}: {text:?}"
        );
        assert!(r.get("html").is_none() && r.get("html_base64").is_none());
    }
}

#[test]
fn unordered_writes_the_same_records() {
    let input = jsonl_input(200, "u.example");
    let ordered = gleaner(&["extract", "--input-format", "jsonl", "-"], &input);
    let unordered = gleaner(
        &["extract", "--input-format", "jsonl", "--unordered", "-"],
        &input,
    );
    let mut a: Vec<String> = String::from_utf8(ordered.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let mut b: Vec<String> = String::from_utf8(unordered.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(a.len(), 200);
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

#[test]
fn bad_jsonl_lines_are_error_records_and_the_rest_goes_on() {
    let dir = TempDir::new("badjsonl");
    let mut input = jsonl_input(2, "bad.example");
    input.extend(b"{this is not json\n\n[1, 2]\n{\"id\": \"no-page\", \"keep\": 1}\n");
    input.extend(jsonl_input(1, "bad.example"));
    let path = dir.write("pages.jsonl", &input);
    let out = gleaner(&["extract", &path], b"");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(counts(&out), [6, 3, 0, 0, 3]);
    let records = jsonl(&out.stdout);
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["doc-0", "doc-1", "3", "5", "no-page", "doc-0"]);
    assert!(
        records[2]["error"]
            .as_str()
            .unwrap()
            .contains("JSONL line 3: invalid JSON")
    );
    assert!(
        records[3]["error"]
            .as_str()
            .unwrap()
            .contains("not a JSON object")
    );
    assert!(
        records[4]["error"]
            .as_str()
            .unwrap()
            .contains("no \"html\"")
    );
    assert_eq!(records[4]["keep"], 1, "pass-through survives an error");
}

#[test]
fn gzipped_jsonl_file_by_extension() {
    let dir = TempDir::new("jsonlgz");
    let path = dir.write("pages.jsonl.gz", &gzip(&jsonl_input(20, "gz.example")));
    let out = gleaner(&["extract", &path], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(jsonl(&out.stdout).len(), 20);
}

#[test]
fn plain_text_inputs_are_cleaned_as_text() {
    let story = "The council voted on Tuesday to close the old bridge to traffic, citing a report \
                 that found serious corrosion in its steel supports.";
    let scraped = format!("{story}\n\nRecent Posts\n\nAnother headline\n\n12 hours ago\n");
    // A .txt file, and the same text on stdin with --input-format text.
    let dir = TempDir::new("text");
    let path = dir.write("scraped.txt", scraped.as_bytes());
    let out = gleaner(&["extract", &path], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), story);
    let out = gleaner(
        &["extract", "--input-format", "text", "-"],
        scraped.as_bytes(),
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), story);
    // A JSONL record that carries `text` instead of `html`.
    let line = serde_json::json!({"id": "t1", "text": scraped, "lang": "en"}).to_string();
    let out = gleaner(
        &["extract", "--input-format", "jsonl", "-"],
        line.as_bytes(),
    );
    let records = jsonl(&out.stdout);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["text"], story);
    assert_eq!(records[0]["lang"], "en");
}

// ---------------------------------------------------------------------------------------------
// Resume

#[test]
fn resume_after_a_kill_gives_the_same_file_as_an_uninterrupted_run() {
    let dir = TempDir::new("resume");
    let input = dir.write("pages.jsonl", &jsonl_input(300, "resume.example"));
    let full = dir.path("full.jsonl");
    let out = gleaner(&["extract", &input, "-o", &full], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let expected = std::fs::read(&full).unwrap();
    assert_eq!(jsonl(&expected).len(), 300);

    // A kill leaves whole lines and one partial line: cut the file in the middle of a line.
    for cut in [0, expected.len() / 3, expected.len() - 10] {
        assert_ne!(expected.get(cut.wrapping_sub(1)), Some(&b'\n'));
        let killed = dir.path(&format!("killed-{cut}.jsonl"));
        std::fs::write(&killed, &expected[..cut]).unwrap();
        let out = gleaner(&["extract", &input, "-o", &killed, "--resume"], b"");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(
            std::fs::read(&killed).unwrap() == expected,
            "resumed from byte {cut}: not the same file"
        );
        let whole_lines = expected[..cut].iter().filter(|&&b| b == b'\n').count();
        assert!(
            stderr(&out).contains(&format!("{whole_lines} already in the output"))
                || whole_lines == 0,
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn resume_after_a_real_kill() {
    let dir = TempDir::new("kill");
    let input = dir.write("pages.jsonl", &jsonl_input(3000, "kill.example"));
    let full = dir.path("full.jsonl");
    assert_eq!(
        gleaner(&["extract", &input, "-o", &full], b"")
            .status
            .code(),
        Some(0)
    );
    let expected = std::fs::read(&full).unwrap();

    let killed = dir.path("killed.jsonl");
    // Kill it (SIGKILL: no cleanup) once some output is on disk; if it finishes first, the
    // resume below has nothing left to do, which must work too.
    let mut child = start_and_wait_for_output(&input, &killed, &[], 100_000);
    let _ = child.kill();
    let _ = child.wait();
    let out = gleaner(&["extract", &input, "-o", &killed, "--resume"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        std::fs::read(&killed).unwrap() == expected,
        "not the same file after resume"
    );
}

/// Starts `gleaner extract input -o output --jobs 1 [more]` and waits until `min_bytes` of
/// output are on disk (or it has finished).
fn start_and_wait_for_output(
    input: &str,
    output: &str,
    more: &[&str],
    min_bytes: u64,
) -> std::process::Child {
    let mut child = Command::new(BIN)
        .args(["extract", input, "-o", output, "--jobs", "1"])
        .args(more)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while std::fs::metadata(output).map_or(0, |m| m.len()) < min_bytes
        && start.elapsed() < Duration::from_secs(60)
        && child.try_wait().unwrap().is_none()
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    child
}

/// Starts a run on 3000 pages, sends `signal` once some output is on disk, and checks the
/// graceful stop: the signal's shell status, the summary line counting exactly the records
/// in the file (whole lines, a prefix of the uninterrupted run's), the message naming the
/// signal and `--resume`; then that `--resume` gives a file byte-identical to an
/// uninterrupted run.
fn stop_mid_run_then_resume(signal: &str, status: i32) {
    let dir = TempDir::new(&format!("sig{}", signal.to_lowercase()));
    let input = dir.write("pages.jsonl", &jsonl_input(3000, "term.example"));
    let full = dir.path("full.jsonl");
    assert_eq!(
        gleaner(&["extract", &input, "-o", &full], b"")
            .status
            .code(),
        Some(0)
    );
    let expected = std::fs::read(&full).unwrap();

    let stopped = dir.path("stopped.jsonl");
    let child = start_and_wait_for_output(&input, &stopped, &[], 100_000);
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    // An exit, not a death by the signal: in-flight records written, then the summary.
    assert_eq!(out.status.code(), Some(status), "{err}");
    let written = std::fs::read(&stopped).unwrap();
    assert!(
        written.len() < expected.len() && expected.starts_with(&written),
        "not a proper prefix of the uninterrupted run's output"
    );
    assert!(
        written.ends_with(b"\n"),
        "a graceful stop leaves no cut line"
    );
    let lines = written.iter().filter(|&&b| b == b'\n').count() as u64;
    assert_eq!(
        counts(&out)[0],
        lines,
        "the summary counts what was written: {err}"
    );
    assert!(
        err.contains(&format!("interrupted by SIG{signal}"))
            && err.contains("stopped before the end of the input")
            && err.contains("with --resume to continue"),
        "{err}"
    );

    let out = gleaner(&["extract", &input, "-o", &stopped, "--resume"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("{lines} already in the output")),
        "{}",
        stderr(&out)
    );
    assert!(
        std::fs::read(&stopped).unwrap() == expected,
        "not the same file after SIG{signal} and resume"
    );
}

#[test]
fn sigterm_mid_run_stops_gracefully_then_resume_gives_the_same_file() {
    stop_mid_run_then_resume("TERM", 143);
}

#[test]
fn sigint_mid_run_stops_gracefully_with_status_130() {
    stop_mid_run_then_resume("INT", 130);
}

/// Whether process `pid` has a thread named `name` (Linux: /proc/PID/task/*/comm).
fn has_thread(pid: u32, name: &str) -> bool {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return false;
    };
    tasks
        .flatten()
        .any(|t| std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim() == name))
}

/// Runs `gleaner extract ARGS -o OUT -` on a pipe that gives `first` and then stays silent
/// (its end held open, so stdin never ends), sends SIGTERM once gleaner waits on stdin with
/// the records of `first` on disk, and returns the output, what is on disk, and how long the
/// stop took.
fn sigterm_on_silent_stdin(args: &[&str], first: &[u8]) -> (Output, Vec<u8>, Duration) {
    use std::io::Write;
    let dir = TempDir::new("silent-stdin");
    let out_path = dir.path("out.jsonl");
    let mut child = Command::new(BIN)
        .arg("extract")
        .args(args)
        .args(["-o", &out_path, "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(first).unwrap();
    pipe.flush().unwrap();
    let lines = first.iter().filter(|&&b| b == b'\n').count();
    let ready = || {
        // The stdin thread starts at the first read, after the signal handlers are in.
        has_thread(child.id(), "gleaner-stdin")
            && std::fs::read(&out_path)
                .is_ok_and(|o| o.iter().filter(|&&b| b == b'\n').count() >= lines)
    };
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "gleaner never read stdin"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let sent = Instant::now();
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(kill.success());
    while child.try_wait().unwrap().is_none() {
        if sent.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("still blocked on stdin 10 s after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let took = sent.elapsed();
    let out = child.wait_with_output().unwrap();
    drop(pipe);
    (out, std::fs::read(&out_path).unwrap(), took)
}

#[test]
fn sigterm_while_stdin_is_silent_stops_at_once_with_the_summary() {
    let one_line = format!(
        "{}\n",
        json!({"id": "first", "html": article("The only line")})
    );
    let cases: [(&[&str], &[u8], &[&str]); 3] = [
        (&["--format", "jsonl"], b"", &[]),
        (
            &["--input-format", "jsonl"],
            one_line.as_bytes(),
            &["first"],
        ),
        (&["--input-format", "warc"], b"", &[]),
    ];
    for (args, first, ids) in cases {
        let (out, written, took) = sigterm_on_silent_stdin(args, first);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(143), "{args:?}: {err}");
        assert!(took < Duration::from_secs(3), "{args:?}: took {took:?}");
        assert!(
            err.contains("interrupted by SIGTERM (stopped before the end of the input)"),
            "{args:?}: {err}"
        );
        // The record that was in flight is written and counted; the silent one is neither.
        let got: Vec<String> = jsonl(&written)
            .iter()
            .map(|r| r["id"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(got, ids, "{args:?}");
        assert_eq!(counts(&out)[0], ids.len() as u64, "{args:?}: {err}");
    }
}

#[test]
fn an_input_file_that_vanishes_mid_run_is_an_error_record_naming_it() {
    let dir = TempDir::new("vanish");
    let n = 3000;
    for i in 0..n {
        dir.write(
            &format!("pages/p{i:05}.html"),
            article(&format!("Item {i}")).as_bytes(),
        );
    }
    let out_path = dir.path("out.jsonl");
    // The directory is walked up front; delete the last file once pages are being written.
    let mut child =
        start_and_wait_for_output(&dir.path("pages"), &out_path, &["--format", "jsonl"], 1);
    let last = format!("p{:05}", n - 1);
    std::fs::remove_file(dir.path(&format!("pages/{last}.html"))).unwrap();
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run finished before the file was deleted: make the test bigger"
    );
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "a failed record is exit code 1");
    let records = jsonl(&std::fs::read(&out_path).unwrap());
    assert_eq!(records.len(), n, "every input yields one record");
    let gone = records.last().unwrap();
    assert_eq!(gone["id"], last.as_str());
    let error = gone["error"]
        .as_str()
        .expect("an error on the vanished file");
    assert!(error.contains("cannot read input"), "{error}");
    let source = gone["source"].as_str().unwrap();
    assert!(
        source.ends_with(&format!("{last}.html")),
        "the record names the file: {source}"
    );
    assert!(records[n - 2]["error"].is_null(), "{}", records[n - 2]);
}

#[test]
fn resume_needs_an_output_file_and_refuses_a_foreign_one() {
    let dir = TempDir::new("resume-usage");
    let input = dir.write("pages.jsonl", &jsonl_input(2, "x.example"));
    let out = gleaner(&["extract", &input, "--resume"], b"");
    assert_eq!(out.status.code(), Some(2));
    let foreign = dir.write("notes.txt", b"my shopping list\n");
    let out = gleaner(&["extract", &input, "-o", &foreign, "--resume"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not JSON"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&foreign).unwrap(),
        b"my shopping list\n",
        "left alone"
    );
}

// ---------------------------------------------------------------------------------------------
// Dedup

/// Pages of one host that all end with the same newsletter pitch.
fn pages_with_boilerplate(n: usize) -> Vec<u8> {
    let pitch = "Get the Harbour Gazette in your inbox: the week's stories from the waterfront, the fish market and the ferry, every Friday morning, free.";
    let mut out = Vec::new();
    for i in 0..n {
        let page = article(&format!("Story {i}"))
            .replace("</article>", &format!("<p>{pitch}</p></article>"));
        let line = json!({"id": i.to_string(), "url": format!("https://gazette.example/{i}"), "html": page});
        serde_json::to_writer(&mut out, &line).unwrap();
        out.push(b'\n');
    }
    out
}

#[test]
fn dedup_drops_a_paragraph_repeated_across_a_host() {
    let input = pages_with_boilerplate(6);
    let plain = jsonl(&gleaner(&["extract", "--input-format", "jsonl", "-"], &input).stdout);
    assert!(
        plain
            .iter()
            .all(|r| r["text"].as_str().unwrap().contains("Harbour Gazette"))
    );
    let out = gleaner(
        &["extract", "--input-format", "jsonl", "--dedup", "-"],
        &input,
    );
    let records = jsonl(&out.stdout);
    let has_pitch: Vec<bool> = records
        .iter()
        .map(|r| r["text"].as_str().unwrap().contains("Harbour Gazette"))
        .collect();
    assert_eq!(has_pitch, [true, true, true, false, false, false]);
    assert!(
        records[5]["text"]
            .as_str()
            .unwrap()
            .contains("Story 5: the council voted")
    );
}

#[test]
fn resume_with_dedup_matches_an_uninterrupted_run() {
    let dir = TempDir::new("dedup-resume");
    let input = dir.write("pages.jsonl", &pages_with_boilerplate(8));
    let full = dir.path("full.jsonl");
    gleaner(&["extract", &input, "--dedup", "-o", &full], b"");
    let expected = std::fs::read(&full).unwrap();
    // Killed after two pages: the resumed run must still know the pitch was seen twice.
    let cut = expected
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .unwrap()
        .0
        + 20;
    let killed = dir.path("killed.jsonl");
    std::fs::write(&killed, &expected[..cut]).unwrap();
    gleaner(
        &["extract", &input, "--dedup", "-o", &killed, "--resume"],
        b"",
    );
    assert!(std::fs::read(&killed).unwrap() == expected);
}

// ---------------------------------------------------------------------------------------------
// Time budget

#[test]
fn a_page_over_its_time_budget_still_gives_its_text_marked_degraded() {
    let dir = TempDir::new("budget");
    for n in 1..=4 {
        dir.write(
            &format!("page{n}.html"),
            article(&format!("Page {n}")).as_bytes(),
        );
    }
    // Two million elements: seconds of extraction, far over a quarter-second budget.
    let slow = format!(
        "<html><body><div>{}</div><p>The last words of the slow page.</p></body></html>",
        "<b>a</b>".repeat(2_000_000)
    );
    dir.write("page3-slow.html", slow.as_bytes());
    let config = dir.write("budget.toml", b"[limits]\ntime_budget_ms = 250\n");
    let out = gleaner(
        &[
            "extract",
            "--format",
            "jsonl",
            "--config",
            &config,
            &dir.arg(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(counts(&out), [5, 5, 0, 0, 0]);
    let records = jsonl(&out.stdout);
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["page1", "page2", "page3-slow", "page3", "page4"]);
    assert_eq!(records[2]["error"], Value::Null, "{}", records[2]);
    assert_eq!(records[2]["degraded"], true);
    let text = records[2]["text"].as_str().unwrap();
    assert!(
        text.contains("The last words of the slow page."),
        "{text:.200}"
    );
    for i in [0, 1, 3, 4] {
        assert_eq!(records[i]["error"], Value::Null, "{}", records[i]);
        assert_eq!(records[i]["degraded"], false);
        assert!(
            records[i]["text"]
                .as_str()
                .unwrap()
                .contains("the council voted")
        );
    }
}

#[test]
fn a_passed_deadline_gives_the_degraded_fallback_text() {
    use gleaner::{Config, Deadline, Extractor, PageInfo};
    let extractor = Extractor::new(Config::default()).unwrap();
    let page = article("Deadline");
    let passed = Deadline::after(Duration::from_millis(1));
    std::thread::sleep(Duration::from_millis(5));
    let late = extractor
        .extract(page.as_bytes(), &PageInfo::new().deadline(passed))
        .unwrap();
    assert!(late.degraded);
    assert!(late.text.contains("the council voted"), "{}", late.text);
    let later = Deadline::after(Duration::from_secs(600));
    let ok = extractor
        .extract(page.as_bytes(), &PageInfo::new().deadline(later))
        .unwrap();
    assert!(!ok.degraded);
    assert!(ok.text.starts_with("Deadline: the council voted"));
}

#[test]
fn url_with_a_warc_is_a_usage_error() {
    let dir = TempDir::new("url-warc");
    let warc = dir.write(
        "x.warc",
        &response(
            "1",
            "https://a.example/",
            "Content-Type: text/html\r\n",
            b"<p>x</p>",
        ),
    );
    let out = gleaner(&["extract", "--url", "https://b.example/", &warc], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--url"));
}

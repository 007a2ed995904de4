//! Fetcher: every test starts its own HTTP servers on 127.0.0.1 (a small hand-rolled server
//! below: thread per connection, one request per connection, a request log with arrival
//! times) and checks what the fetcher does against them: robots.txt, politeness measured from
//! the server's log, retries, redirects, limits, content types, charsets, content codings,
//! many hosts, the WARC archive, and the command line (URL inputs, --urls, --keep-order,
//! Ctrl-C). No outside network. Run with `cargo test --release --test fetch`.
//!
//! The benchmark (fetch + extract against extraction alone) is an ignored test:
//! `cargo test --release --test fetch -- --ignored --nocapture bench`.

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gleaner::{Config, Extractor, PageInfo};
use gleaner_batch::output::Record;
use gleaner_fetch::{self as fetch, FetchConfig, RunOptions};

// ---------------------------------------------------------------------------------------------
// A tiny HTTP/1.1 server

/// A request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    path: String,
    headers: HashMap<String, String>,
    at: Instant,
}

/// What the server answers.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Wait this long before answering (a slow server).
    delay: Duration,
}

impl Reply {
    fn new(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    fn html(body: impl Into<Vec<u8>>) -> Reply {
        Reply::new(200)
            .header("Content-Type", "text/html; charset=utf-8")
            .body(body)
    }

    fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    fn body(mut self, body: impl Into<Vec<u8>>) -> Reply {
        self.body = body.into();
        self
    }

    fn delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    fn redirect(status: u16, to: &str) -> Reply {
        Reply::new(status).header("Location", to)
    }
}

type Handler = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

struct Server {
    port: u16,
    log: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Starts a server; `handler` gets each request and how many earlier requests had the
    /// same path.
    fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let log: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let server_log = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                // One request per connection: the connection's arrival is the request's.
                let at = Instant::now();
                let log = server_log.clone();
                let handler = handler.clone();
                std::thread::spawn(move || serve(stream, at, &log, &*handler));
            }
        });
        Server { port, log }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Arrival times of the requests for `path`.
    fn hits(&self, path: &str) -> Vec<Instant> {
        let log = self.log.lock().unwrap();
        log.iter()
            .filter(|s| s.path == path)
            .map(|s| s.at)
            .collect()
    }

    fn requests(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }
}

fn serve(mut stream: TcpStream, at: Instant, log: &Mutex<Vec<Seen>>, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    // A TLS ClientHello (first byte 0x16) gets a plain-HTTP answer, as from any HTTP server.
    let mut first = [0u8; 1];
    if stream.peek(&mut first).is_ok_and(|n| n == 1) && first[0] == 0x16 {
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        return;
    }
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line.trim().is_empty() => break,
            Ok(_) => {
                if let Some((name, value)) = line.split_once(':') {
                    headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
                }
            }
        }
    }
    let seen = Seen { path, headers, at };
    let earlier = {
        let mut log = log.lock().unwrap();
        let earlier = log.iter().filter(|s| s.path == seen.path).count();
        log.push(seen.clone());
        earlier
    };
    let reply = handler(&seen, earlier);
    std::thread::sleep(reply.delay);
    let mut head = format!("HTTP/1.1 {} X\r\n", reply.status);
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        reply.body.len()
    ));
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&reply.body);
    let _ = stream.flush();
}

/// No robots.txt (404): everything allowed.
fn no_robots(seen: &Seen) -> Option<Reply> {
    (seen.path == "/robots.txt").then(|| Reply::new(404))
}

/// An article page whose text is `text` (a paragraph long enough to be kept).
fn article(title: &str, text: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body>\
         <nav><a href=/>Home</a> <a href=/about>About</a></nav>\
         <article><h1>{title}</h1><p>{text}</p></article></body></html>"
    )
}

fn sentence(n: usize) -> String {
    format!(
        "Page number {n} tells a long story about orchards, apples and the people who tend \
         them through the seasons, year after year."
    )
}

// ---------------------------------------------------------------------------------------------
// Running the fetcher

/// Settings for tests: no delay, quick backoff, short timeouts (each test adds its own).
const FAST: &str = "[fetch]\nper_host_delay_secs = 0.0\nbackoff_base_secs = 0.02\n\
                    backoff_max_secs = 0.1\ntimeout_secs = 5.0\nconnect_timeout_secs = 2.0\n";

fn config(extra: &str) -> FetchConfig {
    // Keys given in `extra` replace FAST's (TOML forbids a key twice in one table).
    let mut toml = String::new();
    let extra_keys: Vec<&str> = extra
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
        .collect();
    for line in FAST.lines() {
        let key = line.split_once('=').map(|(k, _)| k.trim());
        if key.is_none_or(|k| !extra_keys.contains(&k)) {
            toml.push_str(line);
            toml.push('\n');
        }
    }
    for line in extra.lines().filter(|l| !l.trim().starts_with("[fetch]")) {
        toml.push_str(line);
        toml.push('\n');
    }
    FetchConfig::from_toml("test", &toml).expect("test config")
}

fn run_with(urls: &[String], config: FetchConfig, mut options: RunOptions) -> Vec<Record> {
    let extractor = Arc::new(Extractor::new(Config::default()).unwrap());
    options.config = config;
    let mut records = Vec::new();
    let summary = fetch::run(urls.to_vec(), extractor, &options, |r| {
        records.push(r);
        Ok(())
    })
    .expect("run");
    assert_eq!(summary.counts.read, urls.len() as u64);
    assert_eq!(summary.warc_error, None);
    records
}

fn run(urls: &[String], extra_config: &str) -> Vec<Record> {
    run_with(urls, config(extra_config), RunOptions::default())
}

/// The record whose id is `url` (exactly one).
fn record<'a>(records: &'a [Record], url: &str) -> &'a Record {
    let found: Vec<&Record> = records.iter().filter(|r| r.id == url).collect();
    assert_eq!(found.len(), 1, "one record for {url}: {records:#?}");
    found[0]
}

fn error(r: &Record) -> &str {
    r.error
        .as_deref()
        .unwrap_or_else(|| panic!("expected an error: {r:#?}"))
}

fn ok(r: &Record) -> &Record {
    assert_eq!(r.error, None, "{r:#?}");
    r
}

/// Gaps between consecutive times, in order.
fn gaps(mut times: Vec<Instant>) -> Vec<Duration> {
    times.sort();
    times.windows(2).map(|w| w[1] - w[0]).collect()
}

/// The client spaces request *starts* by at least the delay; the server logs *arrivals*,
/// which lag the starts by a few milliseconds that differ from request to request on a
/// loaded machine. This margin absorbs that; a fetcher that does not wait at all gives gaps
/// near zero and still fails.
const ARRIVAL_JITTER: Duration = Duration::from_millis(50);

// ---------------------------------------------------------------------------------------------
// robots.txt

#[test]
fn robots_txt_disallows_and_is_fetched_once_per_host() {
    let server = Server::start(|seen, _| {
        match seen.path.as_str() {
        "/robots.txt" => Reply::new(200).header("Content-Type", "text/plain").body(
            "User-agent: *\nDisallow: /private\n\nUser-agent: gleaner\nDisallow: /private\nDisallow: /not-for-gleaner\n",
        ),
        path => Reply::html(article("Open", &sentence(path.len()))),
    }
    });
    let urls: Vec<String> = [
        "/public/1",
        "/public/2",
        "/private/secret",
        "/not-for-gleaner/x",
    ]
    .iter()
    .map(|p| server.url(p))
    .collect();
    let records = run(&urls, "");
    assert_eq!(records.len(), 4);
    ok(record(&records, &urls[0]));
    ok(record(&records, &urls[1]));
    for disallowed in &urls[2..] {
        let r = record(&records, disallowed);
        assert_eq!(error(r), "disallowed by robots.txt");
        assert_eq!(r.status, None);
    }
    assert!(
        server.hits("/private/secret").is_empty(),
        "a disallowed URL is never requested"
    );
    assert!(server.hits("/not-for-gleaner/x").is_empty());
    assert_eq!(
        server.hits("/robots.txt").len(),
        1,
        "robots.txt is cached per host"
    );
    // The user agent names gleaner and its version.
    let ua = &server.requests()[0].headers["user-agent"];
    assert!(
        ua.starts_with(&format!("gleaner/{}", env!("CARGO_PKG_VERSION"))),
        "{ua}"
    );
}

#[test]
fn ignore_robots_fetches_disallowed_pages() {
    let server = Server::start(|seen, _| match seen.path.as_str() {
        "/robots.txt" => Reply::new(200).body("User-agent: *\nDisallow: /\n"),
        _ => Reply::html(article("Open", &sentence(1))),
    });
    let urls = vec![server.url("/page")];
    let records = run(&urls, "obey_robots = false");
    ok(&records[0]);
    assert!(server.hits("/robots.txt").is_empty());
}

#[test]
fn robots_txt_server_errors_keep_the_site_unfetched() {
    let server = Server::start(|seen, _| match seen.path.as_str() {
        "/robots.txt" => Reply::new(503),
        _ => Reply::html(article("Open", &sentence(1))),
    });
    let urls = vec![server.url("/page")];
    let records = run(&urls, "");
    assert!(
        error(&records[0]).contains("robots.txt unreachable (HTTP 503)"),
        "{records:?}"
    );
    assert!(server.hits("/page").is_empty());
}

#[test]
fn crawl_delay_from_robots_txt_spaces_requests() {
    let server = Server::start(|seen, _| match seen.path.as_str() {
        "/robots.txt" => Reply::new(200).body("User-agent: *\nCrawl-delay: 0.4\nDisallow:\n"),
        path => Reply::html(article("Delayed", &sentence(path.len()))),
    });
    let urls: Vec<String> = (0..4).map(|i| server.url(&format!("/page/{i}"))).collect();
    // Our own delay is shorter: the Crawl-delay wins.
    let records = run(&urls, "per_host_delay_secs = 0.05");
    assert!(records.iter().all(|r| r.error.is_none()), "{records:#?}");
    let times = server.requests().iter().map(|s| s.at).collect();
    for gap in gaps(times) {
        assert!(
            gap >= Duration::from_millis(400) - ARRIVAL_JITTER,
            "requests {gap:?} apart, Crawl-delay is 0.4 s"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Politeness

#[test]
fn requests_to_one_host_are_spaced_by_the_delay_while_hosts_run_in_parallel() {
    let handler = |seen: &Seen, _: usize| {
        no_robots(seen)
            .unwrap_or_else(|| Reply::html(article("Polite", &sentence(seen.path.len()))))
    };
    let a = Server::start(handler);
    let b = Server::start(handler);
    let mut urls = Vec::new();
    for i in 0..5 {
        urls.push(a.url(&format!("/a/{i}")));
    }
    for i in 0..5 {
        urls.push(b.url(&format!("/b/{i}")));
    }
    let delay = Duration::from_millis(250);
    let records = run(
        &urls,
        "per_host_delay_secs = 0.25\nper_host_concurrency = 2",
    );
    assert_eq!(records.len(), 10);
    assert!(records.iter().all(|r| r.error.is_none()), "{records:#?}");
    for server in [&a, &b] {
        let log = server.requests();
        assert_eq!(log.len(), 6, "robots.txt and five pages");
        for gap in gaps(log.iter().map(|s| s.at).collect()) {
            assert!(
                gap >= delay - ARRIVAL_JITTER,
                "two requests to one host {gap:?} apart"
            );
        }
    }
    // The hosts were served side by side, not one after the other: b started before a ended.
    let first_b = b.requests().iter().map(|s| s.at).min().unwrap();
    let last_a = a.requests().iter().map(|s| s.at).max().unwrap();
    assert!(first_b < last_a, "host b waited for host a");
}

// ---------------------------------------------------------------------------------------------
// Retries and failures

#[test]
fn too_many_requests_with_retry_after_is_retried_after_the_wait() {
    let server = Server::start(|seen, earlier| {
        if let Some(r) = no_robots(seen) {
            return r;
        }
        match earlier {
            0 => Reply::new(429).header("Retry-After", "1"),
            _ => Reply::html(article("Patience", &sentence(7))),
        }
    });
    let urls = vec![server.url("/busy")];
    let records = run(&urls, "");
    let r = ok(&records[0]);
    assert_eq!(r.status, Some(200));
    assert!(r.text.contains("Page number 7"), "{r:#?}");
    let hits = server.hits("/busy");
    assert_eq!(hits.len(), 2);
    // The backoff here is 20 ms: a gap of a second is the Retry-After being honoured.
    assert!(
        hits[1] - hits[0] >= Duration::from_secs(1) - ARRIVAL_JITTER,
        "{:?}",
        hits[1] - hits[0]
    );
}

#[test]
fn server_errors_are_tried_three_times_then_recorded() {
    let server = Server::start(|seen, _| {
        no_robots(seen).unwrap_or_else(|| match seen.path.as_str() {
            "/missing" => Reply::new(404),
            _ => Reply::new(500).body("oops"),
        })
    });
    let urls = vec![server.url("/broken"), server.url("/missing")];
    let records = run(&urls, "");
    let broken = record(&records, &urls[0]);
    assert_eq!(error(broken), "HTTP 500");
    assert_eq!(broken.status, Some(500));
    assert!(broken.fetched_at.is_some());
    assert_eq!(server.hits("/broken").len(), 3, "three tries");
    let missing = record(&records, &urls[1]);
    assert_eq!(error(missing), "HTTP 404");
    assert_eq!(server.hits("/missing").len(), 1, "a 404 is not retried");
}

#[test]
fn connection_failures_are_records_that_name_them() {
    // A port with nothing listening: bind, note the port, close.
    let closed_port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    // An https URL on a plain-HTTP server: the TLS handshake fails.
    let plain = Server::start(|_, _| Reply::html("<p>plain</p>"));
    let urls = vec![
        format!("http://127.0.0.1:{closed_port}/page"),
        format!("https://127.0.0.1:{}/page", plain.port),
        "not a url at all".to_string(),
        "ftp://127.0.0.1/file".to_string(),
    ];
    for extra in ["", "obey_robots = false"] {
        let records = run(&urls, extra);
        assert_eq!(records.len(), 4);
        let refused = error(record(&records, &urls[0]));
        assert!(
            refused.contains(&format!("connection refused by 127.0.0.1:{closed_port}")),
            "{refused}"
        );
        let tls = error(record(&records, &urls[1]));
        assert!(tls.contains("TLS error with 127.0.0.1"), "{tls}");
        assert!(error(record(&records, &urls[2])).starts_with("not a valid URL"));
        assert!(error(record(&records, &urls[3])).contains("not an http(s) URL"));
    }
}

// ---------------------------------------------------------------------------------------------
// Redirects

#[test]
fn redirect_chains_are_followed_across_hosts() {
    let target = Server::start(|seen, _| {
        no_robots(seen).unwrap_or_else(|| Reply::html(article("Arrived", &sentence(42))))
    });
    let final_url = target.url("/final");
    let start = Server::start(move |seen, _| {
        no_robots(seen).unwrap_or_else(|| match seen.path.as_str() {
            "/r1" => Reply::redirect(301, "/r2"),
            "/r2" => Reply::redirect(302, &final_url),
            _ => Reply::new(404),
        })
    });
    let urls = vec![start.url("/r1")];
    let records = run(&urls, "");
    let r = ok(&records[0]);
    assert_eq!(r.id, urls[0], "the id is the URL as given");
    assert_eq!(
        r.url.as_deref(),
        Some(target.url("/final").as_str()),
        "url is the final URL"
    );
    assert_eq!(r.status, Some(200));
    assert!(r.text.contains("Page number 42"));
    assert_eq!(
        target.hits("/robots.txt").len(),
        1,
        "each hop's host is asked"
    );
}

#[test]
fn redirect_loops_and_endless_chains_fail() {
    let server = Server::start(|seen, _| {
        no_robots(seen).unwrap_or_else(|| {
            let path = seen.path.as_str();
            match path {
                "/loop-a" => Reply::redirect(302, "/loop-b"),
                "/loop-b" => Reply::redirect(302, "/loop-a"),
                _ => {
                    let n: usize = path.trim_start_matches("/hop/").parse().unwrap_or(0);
                    Reply::redirect(302, &format!("/hop/{}", n + 1))
                }
            }
        })
    });
    let urls = vec![server.url("/loop-a"), server.url("/hop/0")];
    let records = run(&urls, "");
    let looped = error(record(&records, &urls[0]));
    assert!(looped.starts_with("redirect loop:"), "{looped}");
    assert_eq!(server.hits("/loop-a").len(), 1);
    let endless = error(record(&records, &urls[1]));
    assert_eq!(endless, "too many redirects (more than 10)");
    let hops = server
        .requests()
        .iter()
        .filter(|s| s.path.starts_with("/hop/"))
        .count();
    assert_eq!(hops, 11, "the first request and ten redirects");
}

// ---------------------------------------------------------------------------------------------
// Limits and content types

#[test]
fn a_body_over_the_cap_is_cut_and_reported() {
    let big = {
        let mut page = String::from("<html><body><article>");
        for i in 0..3000 {
            page.push_str(&format!("<p>{}</p>", sentence(i)));
        }
        page.push_str("</article></body></html>");
        page
    };
    let full_len = big.len();
    let server =
        Server::start(move |seen, _| no_robots(seen).unwrap_or_else(|| Reply::html(big.clone())));
    let urls = vec![server.url("/big")];
    let records = run(&urls, "max_body_bytes = 100_000");
    assert!(full_len > 300_000);
    let r = ok(&records[0]);
    assert!(r.truncated, "a cut body is reported");
    assert!(r.text.contains("Page number 0 "));
    assert!(
        !r.text.contains("Page number 2999 "),
        "the text stops at the cap"
    );
}

#[test]
fn a_slow_server_times_out_and_is_not_retried() {
    let server = Server::start(|seen, _| {
        no_robots(seen).unwrap_or_else(|| {
            Reply::html(article("Slow", &sentence(1))).delay(Duration::from_secs(3))
        })
    });
    let urls = vec![server.url("/slow")];
    let started = Instant::now();
    let records = run(&urls, "timeout_secs = 0.5");
    let e = error(&records[0]);
    assert!(e.starts_with("timed out after 0.5 s"), "{e}");
    assert_eq!(server.hits("/slow").len(), 1);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the run did not wait for the server"
    );
}

#[test]
fn other_content_types_are_skipped_and_untyped_html_is_sniffed() {
    let server = Server::start(|seen, _| {
        no_robots(seen).unwrap_or_else(|| match seen.path.as_str() {
            "/doc.pdf" => Reply::new(200)
                .header("Content-Type", "application/pdf")
                .body("%PDF-1.7 ..."),
            "/untyped" => Reply::new(200).body(article("Untyped", &sentence(5))),
            "/data" => Reply::new(200).body("{\"not\": \"html\"}"),
            _ => Reply::new(200)
                .header("Content-Type", "application/xhtml+xml")
                .body(article("XHTML", &sentence(6))),
        })
    });
    let urls = vec![
        server.url("/doc.pdf"),
        server.url("/untyped"),
        server.url("/data"),
        server.url("/page.xhtml"),
    ];
    let records = run(&urls, "");
    let pdf = record(&records, &urls[0]);
    assert_eq!(error(pdf), "skipped: content-type application/pdf");
    assert_eq!(pdf.status, Some(200));
    assert!(
        ok(record(&records, &urls[1]))
            .text
            .contains("Page number 5")
    );
    assert!(error(record(&records, &urls[2])).starts_with("skipped: content-type missing"));
    assert!(
        ok(record(&records, &urls[3]))
            .text
            .contains("Page number 6")
    );
}

#[test]
fn the_header_charset_reaches_the_decoder() {
    let text = "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。";
    let page = format!("<html><body><article><p>{text}</p></article></body></html>");
    let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&page);
    assert!(!unmappable);
    let sjis = sjis.into_owned();
    let server = Server::start(move |seen, _| {
        no_robots(seen).unwrap_or_else(|| {
            let label = if seen.path == "/sjis" {
                "Shift_JIS"
            } else {
                "windows-1252"
            };
            Reply::new(200)
                .header("Content-Type", &format!("text/html; charset={label}"))
                .body(sjis.clone())
        })
    });
    let urls = vec![server.url("/sjis"), server.url("/mislabelled")];
    let records = run(&urls, "");
    let right = ok(record(&records, &urls[0]));
    assert_eq!(right.encoding, Some("Shift_JIS"));
    assert_eq!(right.text, text);
    // The same bytes labelled windows-1252 decode as that: the label, not a guess, decides.
    let wrong = ok(record(&records, &urls[1]));
    assert_eq!(wrong.encoding, Some("windows-1252"));
    assert_ne!(wrong.text, text);
}

#[test]
fn gzip_and_brotli_bodies_are_decoded() {
    let page = article("Compressed", &sentence(99));
    let gzipped = {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(page.as_bytes()).unwrap();
        enc.finish().unwrap()
    };
    let brotlied = {
        let mut out = Vec::new();
        let mut enc = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        enc.write_all(page.as_bytes()).unwrap();
        drop(enc);
        out
    };
    assert_ne!(gzipped, page.as_bytes());
    let server = Server::start(move |seen, _| {
        no_robots(seen).unwrap_or_else(|| {
            let (coding, body) = match seen.path.as_str() {
                "/gzip" => ("gzip", gzipped.clone()),
                _ => ("br", brotlied.clone()),
            };
            Reply::html(body).header("Content-Encoding", coding)
        })
    });
    let urls = vec![server.url("/gzip"), server.url("/br")];
    let records = run(&urls, "");
    for url in &urls {
        let r = ok(record(&records, url));
        assert!(r.text.contains("Page number 99"), "{r:#?}");
    }
    let asked = &server.requests()[1].headers["accept-encoding"];
    assert!(asked.contains("gzip") && asked.contains("br"), "{asked}");
}

// ---------------------------------------------------------------------------------------------
// Many hosts

#[test]
fn two_hundred_urls_on_ten_hosts_give_two_hundred_records() {
    let servers: Vec<Server> = (0..10)
        .map(|_| {
            Server::start(|seen, _| {
                no_robots(seen).unwrap_or_else(|| {
                    let n: usize = seen.path.rsplit('/').next().unwrap().parse().unwrap();
                    Reply::html(article("Many", &sentence(n)))
                })
            })
        })
        .collect();
    let urls: Vec<String> = (0..200)
        .map(|n| servers[n % 10].url(&format!("/p/{n}")))
        .collect();
    let records = run(&urls, "concurrency = 16");
    assert_eq!(records.len(), 200);
    let ids: BTreeSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, urls.iter().map(String::as_str).collect());
    for (n, url) in urls.iter().enumerate() {
        let r = ok(record(&records, url));
        assert!(r.text.contains(&format!("Page number {n} ")), "{r:#?}");
    }
    for server in &servers {
        assert_eq!(
            server.requests().len(),
            21,
            "robots.txt once and 20 pages per host"
        );
    }
}

#[test]
fn keep_order_hands_records_over_in_input_order() {
    // The first page is the slowest, so without buffering it would come out last.
    let server = Server::start(|seen, _| {
        no_robots(seen).unwrap_or_else(|| {
            let n: usize = seen.path.rsplit('/').next().unwrap().parse().unwrap();
            let slow = if n == 0 {
                Duration::from_millis(500)
            } else {
                Duration::ZERO
            };
            Reply::html(article("Ordered", &sentence(n))).delay(slow)
        })
    });
    let urls: Vec<String> = (0..6).map(|n| server.url(&format!("/o/{n}"))).collect();
    let options = RunOptions {
        keep_order: true,
        ..RunOptions::default()
    };
    let records = run_with(&urls, config("per_host_concurrency = 6"), options);
    let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, urls.iter().map(String::as_str).collect::<Vec<_>>());
}

// ---------------------------------------------------------------------------------------------
// WARC

/// A WARC record read back: its header fields and its block.
struct WarcRecord {
    fields: HashMap<String, String>,
    block: Vec<u8>,
}

/// Reads a `.warc.gz` file: gzip members, each a `WARC/1.1` header, a block of
/// Content-Length bytes, and CRLF CRLF.
fn read_warc(path: &std::path::Path) -> Vec<WarcRecord> {
    let mut data = Vec::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut data)
        .unwrap();
    let mut records = Vec::new();
    let mut rest = &data[..];
    while !rest.is_empty() {
        let head_end = find(rest, b"\r\n\r\n").expect("a WARC header");
        let head = std::str::from_utf8(&rest[..head_end]).unwrap();
        let mut lines = head.split("\r\n");
        assert_eq!(lines.next(), Some("WARC/1.1"));
        let fields: HashMap<String, String> = lines
            .map(|l| {
                let (k, v) = l.split_once(": ").unwrap();
                (k.to_string(), v.to_string())
            })
            .collect();
        let len: usize = fields["Content-Length"].parse().unwrap();
        let block_start = head_end + 4;
        let block = rest[block_start..block_start + len].to_vec();
        assert_eq!(&rest[block_start + len..block_start + len + 4], b"\r\n\r\n");
        rest = &rest[block_start + len + 4..];
        records.push(WarcRecord { fields, block });
    }
    records
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn the_warc_archive_reads_back_and_re_extracts_to_the_same_text() {
    let text = "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。";
    let sjis = encoding_rs::SHIFT_JIS
        .encode(&format!(
            "<html><body><article><p>{text}</p></article></body></html>"
        ))
        .0
        .into_owned();
    let gz_page = {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(article("Zipped", &sentence(3)).as_bytes())
            .unwrap();
        enc.finish().unwrap()
    };
    let server = Server::start(move |seen, _| {
        no_robots(seen).unwrap_or_else(|| match seen.path.as_str() {
            "/plain" => Reply::html(article("Plain", &sentence(1))),
            "/moved" => Reply::redirect(301, "/plain-2"),
            "/plain-2" => Reply::html(article("Plain two", &sentence(2))),
            "/zipped" => Reply::html(gz_page.clone()).header("Content-Encoding", "gzip"),
            _ => Reply::new(200)
                .header("Content-Type", "text/html; charset=Shift_JIS")
                .body(sjis.clone()),
        })
    });
    let urls = vec![
        server.url("/plain"),
        server.url("/moved"),
        server.url("/zipped"),
        server.url("/sjis"),
    ];
    let dir = std::env::temp_dir().join(format!("gleaner-fetch-warc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let warc = dir.join("crawl.warc.gz");
    let options = RunOptions {
        warc: Some(warc.clone()),
        ..RunOptions::default()
    };
    let records = run_with(&urls, config(""), options);
    let archived = read_warc(&warc);
    std::fs::remove_dir_all(&dir).unwrap();

    assert_eq!(archived[0].fields["WARC-Type"], "warcinfo");
    let of_type = |t: &str| {
        archived
            .iter()
            .filter(|r| r.fields["WARC-Type"] == t)
            .count()
    };
    // robots.txt, four pages and one redirect hop: six exchanges.
    assert_eq!(of_type("request"), 6);
    assert_eq!(of_type("response"), 6);

    let extractor = Extractor::new(Config::default()).unwrap();
    let mut re_extracted = 0;
    for r in archived
        .iter()
        .filter(|r| r.fields["WARC-Type"] == "response")
    {
        let target = &r.fields["WARC-Target-URI"];
        let split = find(&r.block, b"\r\n\r\n").unwrap();
        let head = std::str::from_utf8(&r.block[..split]).unwrap();
        let body = &r.block[split + 4..];
        if !head.starts_with("HTTP/1.1 200") || target.ends_with("/robots.txt") {
            continue;
        }
        let header = |name: &str| {
            head.lines()
                .find_map(|l| {
                    l.split_once(": ")
                        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                })
                .map(|(_, v)| v.to_string())
        };
        assert_eq!(header("Content-Length"), Some(body.len().to_string()));
        let charset = header("Content-Type")
            .and_then(|ct| ct.split_once("charset=").map(|(_, c)| c.to_string()));
        let again = extractor
            .extract(
                body,
                &PageInfo::new()
                    .url(target.as_str())
                    .charset(charset.as_deref()),
            )
            .unwrap();
        let fetched = records
            .iter()
            .find(|rec| rec.url.as_deref() == Some(target.as_str()))
            .unwrap_or_else(|| panic!("a record for {target}"));
        assert_eq!(again.text, fetched.text, "{target}");
        assert!(!again.text.is_empty());
        re_extracted += 1;
    }
    assert_eq!(re_extracted, 4, "every page re-extracted from the archive");
    assert_eq!(record(&records, &urls[3]).text, text);
}

// ---------------------------------------------------------------------------------------------
// Command line

use crate::support::BIN;

fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let path =
        std::env::temp_dir().join(format!("gleaner-fetch-{}-{n}-{name}", std::process::id()));
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn the_command_line_takes_urls_and_url_lists() {
    let server = Server::start(|seen, _| {
        no_robots(seen).unwrap_or_else(|| match seen.path.as_str() {
            "/gone" => Reply::new(404),
            path => {
                let n: usize = path.rsplit('/').next().unwrap().parse().unwrap();
                Reply::html(article("Listed", &sentence(n)))
            }
        })
    });
    let list = temp_file(
        "urls.txt",
        &format!(
            "# pages\n{}\n\n{}\n{}\n",
            server.url("/l/1"),
            server.url("/gone"),
            server.url("/l/2")
        ),
    );
    let config = temp_file("config.toml", FAST);
    let out = Command::new(BIN)
        .args(["extract", "--format", "jsonl", "--keep-order", "--config"])
        .arg(&config)
        .arg(server.url("/l/0"))
        .arg("--urls")
        .arg(&list)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    std::fs::remove_file(&list).unwrap();
    std::fs::remove_file(&config).unwrap();
    assert_eq!(out.status.code(), Some(1), "one URL failed: exit 1");
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = lines.iter().map(|v| v["id"].as_str().unwrap()).collect();
    let expected = [
        server.url("/l/0"),
        server.url("/l/1"),
        server.url("/gone"),
        server.url("/l/2"),
    ];
    assert_eq!(ids, expected.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(lines[0]["status"], 200);
    assert!(lines[0]["fetched_at"].as_str().unwrap().ends_with('Z'));
    assert!(lines[0]["text"].as_str().unwrap().contains("Page number 0"));
    assert_eq!(lines[2]["error"], "HTTP 404");
    assert_eq!(lines[2]["status"], 404);
}

#[test]
fn the_url_list_can_come_from_stdin() {
    let server = Server::start(|seen, _| {
        no_robots(seen).unwrap_or_else(|| Reply::html(article("Piped", &sentence(8))))
    });
    let config = temp_file("config.toml", FAST);
    let mut child = Command::new(BIN)
        .args(["extract", "--format", "jsonl", "--urls", "-", "--config"])
        .arg(&config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let list = format!("{}\n# done\n", server.url("/piped"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(list.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    std::fs::remove_file(&config).unwrap();
    assert_eq!(out.status.code(), Some(0));
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["id"], server.url("/piped"));
    assert!(line["text"].as_str().unwrap().contains("Page number 8"));
}

#[test]
fn ctrl_c_stops_the_run_and_flushes_a_record_for_every_url() {
    // One host, one page at a time, each taking a second: the run would take six seconds.
    let server = Server::start(|seen, _| {
        no_robots(seen).unwrap_or_else(|| {
            Reply::html(article("Slow", &sentence(seen.path.len()))).delay(Duration::from_secs(1))
        })
    });
    let urls: Vec<String> = (0..6).map(|n| server.url(&format!("/s/{n}"))).collect();
    let config = temp_file("config.toml", &format!("{FAST}per_host_concurrency = 1\n"));
    let mut child = Command::new(BIN)
        .args(["extract", "--format", "jsonl", "--config"])
        .arg(&config)
        .args(&urls)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Records stream out as pages finish: the first arrives while the run goes on. Then
    // press Ctrl-C.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.contains("/s/0"), "{first}");
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success(), "the run was still going");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let stdout = first + &rest;
    let status = child.wait().unwrap();
    std::fs::remove_file(&config).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6, "one record per URL: {stdout}");
    // The page in flight was finished; the rest were never requested and say so.
    assert!(lines.iter().any(|l| l["error"].is_null()), "{stdout}");
    let interrupted = lines
        .iter()
        .filter(|l| {
            l["error"]
                .as_str()
                .is_some_and(|e| e.contains("interrupted"))
        })
        .count();
    assert!(interrupted >= 3, "{stdout}");
    assert!(server.hits("/s/5").is_empty());
    assert_eq!(status.code(), Some(1));
}

// ---------------------------------------------------------------------------------------------
// Benchmark

/// Pages/s for 1,000 pages served from a local server, fetched and extracted, against
/// extraction alone on the same pages in memory. Pages come from GLEANER_BENCH_PAGES (a
/// directory of .html or .html.gz files; default: the bundled corpus), cycled up to 1,000.
#[test]
#[ignore = "benchmark: run with --ignored --nocapture"]
fn bench_fetch_and_extract_1000_pages() {
    let dir = std::env::var("GLEANER_BENCH_PAGES").unwrap_or_else(|_| "corpus".to_string());
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.to_string_lossy();
            name.ends_with(".html") || name.ends_with(".html.gz")
        })
        .collect();
    files.sort();
    let pages: Vec<Arc<Vec<u8>>> = files
        .iter()
        .take(1000)
        .map(|p| {
            Arc::new(
                gleaner_batch::input::read(&gleaner_batch::input::Source::File(p.clone()), 1 << 30)
                    .unwrap(),
            )
        })
        .collect();
    let n = 1000;
    let bytes: usize = (0..n).map(|i| pages[i % pages.len()].len()).sum();
    let served = pages.clone();
    let server = Server::start(move |seen, _| {
        no_robots(seen).unwrap_or_else(|| {
            let i: usize = seen.path.rsplit('/').next().unwrap().parse().unwrap();
            // No charset in the header, as extraction from memory has none either.
            Reply::new(200)
                .header("Content-Type", "text/html")
                .body(served[i % served.len()].as_slice())
        })
    });
    let urls: Vec<String> = (0..n).map(|i| server.url(&format!("/p/{i}"))).collect();

    // Best of three rounds of each, interleaved, so that load from other work on the machine
    // hits both alike.
    let extractor = Extractor::new(Config::default()).unwrap();
    let (mut extract_secs, mut fetch_secs) = (f64::MAX, f64::MAX);
    let (mut extract_cpu, mut fetch_cpu) = (f64::MAX, f64::MAX);
    let (mut texts, mut fetched_texts) = (0, 0);
    for _ in 0..3 {
        let (start, cpu) = (Instant::now(), cpu_secs());
        use rayon::prelude::*;
        texts = (0..n)
            .into_par_iter()
            .map(|i| {
                let page = &pages[i % pages.len()];
                extractor
                    .extract(page, &PageInfo::new())
                    .map_or(0, |x| x.text.len())
            })
            .sum();
        extract_secs = extract_secs.min(start.elapsed().as_secs_f64());
        extract_cpu = extract_cpu.min(cpu_secs() - cpu);

        let (start, cpu) = (Instant::now(), cpu_secs());
        let records = run(&urls, "concurrency = 32\nper_host_concurrency = 32");
        fetch_secs = fetch_secs.min(start.elapsed().as_secs_f64());
        fetch_cpu = fetch_cpu.min(cpu_secs() - cpu);
        assert_eq!(records.len(), n);
        assert!(records.iter().all(|r| r.error.is_none()), "no page failed");
        fetched_texts = records.iter().map(|r| r.text.len()).sum();
    }
    println!(
        "{n} pages ({} distinct, {:.1} MB) from {dir}, best of 3",
        pages.len(),
        bytes as f64 / 1e6
    );
    println!(
        "extraction only:   {extract_secs:.2} s, {:.0} pages/s; {extract_cpu:.2} CPU s",
        n as f64 / extract_secs
    );
    println!(
        "fetch + extract:   {fetch_secs:.2} s, {:.0} pages/s; {fetch_cpu:.2} CPU s (server included)",
        n as f64 / fetch_secs
    );
    assert_eq!(
        fetched_texts, texts,
        "the same text fetched as extracted from memory"
    );
}

/// CPU time (user + system) this process has used so far, from /proc (Linux); 0 elsewhere.
/// Unlike wall time it does not depend on what else the machine is running.
fn cpu_secs() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses): utime and stime are the
    // 12th and 13th, in clock ticks (100 per second on Linux).
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

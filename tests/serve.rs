//! `gleaner serve`: the real server on an ephemeral loopback port, spoken to over plain
//! TCP (HTTP/1.1 by hand, so the tests need no HTTP client crate).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::support::BIN;

/// A running server, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(BIN);
        cmd.args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start gleaner serve");
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        err.read_line(&mut line).unwrap();
        let addr = line
            .trim()
            .rsplit("http://")
            .next()
            .expect("the address line")
            .to_string();
        std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
        Server { child, addr }
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        s
    }

    /// Sends one request; returns the status and the body.
    fn request(&self, method: &str, path: &str, headers: &[&str], body: &[u8]) -> (u16, Vec<u8>) {
        let mut s = self.connect();
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n");
        for h in headers {
            head.push_str(h);
            head.push_str("\r\n");
        }
        if !headers
            .iter()
            .any(|h| h.to_lowercase().starts_with("content-length"))
        {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).unwrap();
        let _ = s.write_all(body);
        read_response(s)
    }

    /// Sends one request; returns the status, the head and the body.
    fn exchange(&self, method: &str, path: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
        let mut s = self.connect();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        read_full(s)
    }

    fn post(&self, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
        self.request("POST", path, &[], body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_response(s: TcpStream) -> (u16, Vec<u8>) {
    let (status, _, body) = read_full(s);
    (status, body)
}

/// Reads a whole response: its status, its head (lowercased) and its body.
fn read_full(mut s: TcpStream) -> (u16, String, Vec<u8>) {
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&raw[..end]).to_lowercase();
    let status = head[9..12].parse().unwrap();
    let mut body = raw[end + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        body = unchunk(&body);
    }
    (status, head, body)
}

fn unchunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let nl = b.windows(2).position(|w| w == b"\r\n").unwrap();
        let n = usize::from_str_radix(std::str::from_utf8(&b[..nl]).unwrap().trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[nl + 2..nl + 2 + n]);
        b = &b[nl + 4 + n..];
    }
}

fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(body)))
}

fn corpus_pages() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let mut pages: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.to_string_lossy();
            n.ends_with(".html") || n.ends_with(".html.gz")
        })
        .collect();
    pages.sort();
    pages
}

fn page_bytes(path: &std::path::Path) -> Vec<u8> {
    let raw = std::fs::read(path).unwrap();
    if path.to_string_lossy().ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .unwrap();
        out
    } else {
        raw
    }
}

#[test]
fn every_corpus_page_gives_the_command_lines_text() {
    let server = Server::start(&[], &[]);
    let pages = corpus_pages();
    assert!(pages.len() > 10);
    for page in pages {
        let cli = Command::new(BIN)
            .args(["extract", "--format", "json"])
            .arg(&page)
            .output()
            .unwrap();
        let cli = json(&cli.stdout);
        let (status, body) = server.post("/extract", &page_bytes(&page));
        let served = json(&body);
        assert_eq!(status, 200, "{page:?}");
        for field in ["text", "title", "error", "encoding", "language"] {
            assert_eq!(served[field], cli[field], "{page:?}: {field}");
        }
    }
}

#[test]
fn json_bodies_markdown_and_batch() {
    let server = Server::start(&[], &[]);
    let html = "<html><head><title>T</title></head><body><article><h1>Head</h1><p>Some running text, long enough to be kept by the extractor as a paragraph of the article.</p></article></body></html>";
    let body = serde_json::json!({ "html": html, "url": "https://example.com/a" }).to_string();
    let (status, got) = server.request(
        "POST",
        "/extract",
        &["Content-Type: application/json"],
        body.as_bytes(),
    );
    assert_eq!(status, 200);
    let got = json(&got);
    assert!(
        got["text"].as_str().unwrap().contains("Some running text"),
        "{got}"
    );
    assert_eq!(got["url"], "https://example.com/a");
    let (status, md) = server.post("/extract?format=markdown", html.as_bytes());
    assert_eq!(status, 200);
    assert!(
        json(&md)["text"].as_str().unwrap().contains("# Head"),
        "{}",
        String::from_utf8_lossy(&md)
    );
    let mut lines = String::new();
    for i in 0..20 {
        lines.push_str(&serde_json::json!({ "id": format!("p{i}"), "html": html }).to_string());
        lines.push('\n');
    }
    lines.push_str("not json\n");
    let (status, out) = server.post("/extract/batch", lines.as_bytes());
    assert_eq!(status, 200);
    let records: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| json(l.as_bytes()))
        .collect();
    assert_eq!(records.len(), 21);
    for (i, r) in records[..20].iter().enumerate() {
        assert_eq!(r["id"], format!("p{i}"));
        assert!(r["error"].is_null());
    }
    assert!(records[20]["error"].as_str().unwrap().contains("line 21"));
}

#[test]
fn bad_requests_are_named_and_limits_hold() {
    let server = Server::start(&["--max-body-bytes", "1000"], &[]);
    let (status, body) = server.request(
        "POST",
        "/extract",
        &["Content-Type: application/json"],
        b"{\"html\": 3",
    );
    assert_eq!(status, 400);
    assert!(json(&body)["error"].as_str().unwrap().contains("JSON"));
    let (status, body) = server.post("/extract?format=pdf", b"<p>x</p>");
    assert_eq!(status, 400);
    assert!(json(&body)["error"].as_str().unwrap().contains("format"));
    let (status, body) = server.post("/extract", b"");
    assert_eq!(status, 400);
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .contains("empty body")
    );
    let (status, body) = server.post("/extract?url=http://127.0.0.1/", b"");
    assert_eq!(status, 400, "fetching is off by default");
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .contains("allow-fetch")
    );
    let (status, body) = server.request("GET", "/nowhere", &[], b"");
    assert_eq!(status, 404);
    assert!(json(&body)["error"].as_str().unwrap().contains("/nowhere"));
    // 413 from Content-Length alone: the body is never sent. Its error is JSON like the rest.
    for path in ["/extract", "/extract/batch"] {
        let (status, body) = server.request("POST", path, &["Content-Length: 5000"], b"");
        assert_eq!(status, 413, "{path}");
        let message = json(&body)["error"].as_str().unwrap().to_string();
        assert!(message.contains("size limit (1000 bytes)"), "{message}");
    }
    let (status, body) = server.post("/extract", &[b'a'; 2000]);
    assert_eq!(status, 413);
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .contains("size limit")
    );
    // A method a path does not take: 405, its Allow header, a JSON error.
    let (status, head, body) = server.exchange("GET", "/extract", b"");
    assert_eq!(status, 405);
    assert!(head.contains("allow: post"), "{head}");
    assert!(head.contains("content-type: application/json"), "{head}");
    assert!(json(&body)["error"].as_str().unwrap().contains("GET"));
    let (status, body) = server.request("GET", "/health", &[], b"");
    assert_eq!((status, json(&body)["status"].clone()), (200, "ok".into()));
    let (_, metrics) = server.request("GET", "/metrics", &[], b"");
    let metrics = String::from_utf8(metrics).unwrap();
    for name in [
        "gleaner_requests_total{status=\"413\"}",
        "gleaner_extraction_seconds_bucket",
        "gleaner_bytes_in_total",
        "gleaner_pages_in_flight",
    ] {
        assert!(metrics.contains(name), "{name} in {metrics}");
    }
    let (status, spec) = server.request("GET", "/openapi.json", &[], b"");
    assert_eq!(status, 200);
    assert_eq!(json(&spec)["openapi"], "3.0.3");
}

#[test]
fn fetching_refuses_private_targets() {
    let server = Server::start(&["--allow-fetch"], &[]);
    let (status, body) = server.post("/extract?url=http://127.0.0.1:9/", b"");
    assert_eq!(status, 403);
    assert!(json(&body)["error"].as_str().unwrap().contains("loopback"));
}

#[test]
fn a_panic_costs_one_request_only() {
    let server = Server::start(&[], &[("GLEANER_SERVE_PANIC_URL", "http://panic.test/")]);
    let (status, body) = server.post("/extract?url=http://panic.test/", b"<p>boom</p>");
    assert_eq!(status, 500);
    assert!(json(&body)["error"].as_str().unwrap().contains("panic"));
    let (status, _) = server.post("/extract", b"<p>fine</p>");
    assert_eq!(status, 200);
}

#[test]
fn concurrent_requests_agree_and_a_full_queue_says_503() {
    let page = page_bytes(&corpus_pages()[0]);
    let server = std::sync::Arc::new(Server::start(&["--workers", "2", "--queue", "64"], &[]));
    let (_, first) = server.post("/extract", &page);
    let expected = json(&first)["text"].clone();
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let (server, page, expected) = (server.clone(), page.clone(), expected.clone());
            std::thread::spawn(move || {
                for _ in 0..4 {
                    let (status, body) = server.post("/extract", &page);
                    assert_eq!(status, 200);
                    assert_eq!(json(&body)["text"], expected);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    // One worker, no queue, a big page many times at once: some must be turned away.
    let big = page_bytes(
        &corpus_pages()
            .into_iter()
            .find(|p| p.to_string_lossy().contains("bignews"))
            .unwrap(),
    );
    let small = Server::start(&["--workers", "1", "--queue", "0"], &[]);
    let small = std::sync::Arc::new(small);
    let threads: Vec<_> = (0..12)
        .map(|_| {
            let (server, big) = (small.clone(), big.clone());
            std::thread::spawn(move || server.post("/extract", &big).0)
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "{statuses:?}"
    );
    assert!(statuses.contains(&200), "{statuses:?}");
}

#[test]
fn sigterm_finishes_requests_in_flight_and_exits_0() {
    let mut server = Server::start(&[], &[]);
    let page = b"<html><body><p>A request that was in flight when the server was told to stop, and still got its answer.</p></body></html>";
    let mut s = server.connect();
    let head = format!(
        "POST /extract HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        page.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(&page[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let killed = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    std::thread::sleep(Duration::from_millis(200));
    s.write_all(&page[10..]).unwrap();
    let (status, body) = read_response(s);
    assert_eq!(status, 200);
    assert!(
        json(&body)["text"]
            .as_str()
            .unwrap()
            .contains("still got its answer")
    );
    let exit = server.child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    assert!(
        TcpStream::connect(&server.addr).is_err(),
        "no longer accepting"
    );
}

/// An origin server for fetches through `gleaner serve`: a listener on `ip`, one thread per
/// connection, one request per connection; `answer(path)` gives the whole raw response. It
/// counts the connections it accepted.
struct Origin {
    port: u16,
    connections: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Origin {
    fn start(ip: &str, answer: impl Fn(&str) -> String + Send + Sync + 'static) -> Origin {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let listener = std::net::TcpListener::bind((ip, 0)).expect("bind the origin");
        let port = listener.local_addr().unwrap().port();
        let connections = std::sync::Arc::new(AtomicUsize::new(0));
        let (count, answer) = (connections.clone(), std::sync::Arc::new(answer));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                count.fetch_add(1, Ordering::SeqCst);
                let answer = answer.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut line = String::new();
                    let _ = reader.read_line(&mut line);
                    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                    loop {
                        let mut h = String::new();
                        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                            break;
                        }
                    }
                    let _ = (&stream).write_all(answer(&path).as_bytes());
                });
            }
        });
        Origin { port, connections }
    }

    fn connections(&self) -> usize {
        self.connections.load(std::sync::atomic::Ordering::SeqCst)
    }
}

fn page_response(text: &str) -> String {
    let body = format!(
        "<html><head><title>T</title></head><body><article><p>{text}</p></article></body></html>"
    );
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn redirect_response(to: &str) -> String {
    format!(
        "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
}

const NO_ROBOTS: &str = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

#[test]
fn redirects_to_private_addresses_are_refused_like_the_first_url() {
    // The trap: a loopback origin the server must never reach, by address or by name.
    let trap = Origin::start("127.0.0.1", |_| page_response("A secret from the inside."));
    let trap_port = trap.port;
    // The first hop: 127.0.0.2, loopback too, but allowed explicitly (--allow-address), so
    // it stands for a public host; every hop after it is checked again.
    let article =
        "An article that was reached through a redirect on the same allowed host, as it should be.";
    let first = Origin::start("127.0.0.2", move |path| match path {
        "/robots.txt" => NO_ROBOTS.to_string(),
        "/article" => page_response(article),
        "/same" => redirect_response("/article"),
        "/by-address" => redirect_response(&format!("http://127.0.0.1:{trap_port}/")),
        "/by-name" => redirect_response(&format!("http://localhost:{trap_port}/")),
        _ => NO_ROBOTS.to_string(),
    });
    let server = Server::start(&["--allow-fetch", "--allow-address", "127.0.0.2"], &[]);
    let url = |path: &str| format!("/extract?url=http://127.0.0.2:{}{path}", first.port);
    let (status, body) = server.post(&url("/same"), b"");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(
        json(&body)["text"]
            .as_str()
            .unwrap()
            .contains("same allowed host")
    );
    for (path, named) in [
        ("/by-address", "127.0.0.1 is 127.0.0.1"),
        ("/by-name", "localhost is"),
    ] {
        let (status, body) = server.post(&url(path), b"");
        assert_eq!(status, 403, "{path}: {}", String::from_utf8_lossy(&body));
        let message = json(&body)["error"].as_str().unwrap().to_string();
        assert!(
            message.contains(named) && message.contains("loopback"),
            "{path}: {message}"
        );
    }
    // The trap itself, named directly: an allowed address does not allow its neighbours.
    let (status, _) = server.post(&format!("/extract?url=http://127.0.0.1:{trap_port}/"), b"");
    assert_eq!(status, 403);
    assert_eq!(
        trap.connections(),
        0,
        "not even robots.txt was asked of the trap"
    );
    assert!(first.connections() >= 4, "the allowed host was fetched");
}

#[test]
fn a_full_queue_answers_503_with_retry_after() {
    // One worker, no queue: a fetch from an origin that answers after 3 s holds the only
    // slot, so a page posted meanwhile finds the pool full.
    let slow = Origin::start("127.0.0.2", |path| {
        if path == "/robots.txt" {
            return NO_ROBOTS.to_string();
        }
        std::thread::sleep(Duration::from_secs(3));
        page_response(
            "A page that was slow to come, long enough to hold the only slot of the pool.",
        )
    });
    let server = std::sync::Arc::new(Server::start(
        &[
            "--workers",
            "1",
            "--queue",
            "0",
            "--allow-fetch",
            "--allow-address",
            "127.0.0.2",
        ],
        &[],
    ));
    let fetching = {
        let (server, port) = (server.clone(), slow.port);
        std::thread::spawn(move || {
            server.post(&format!("/extract?url=http://127.0.0.2:{port}/p"), b"")
        })
    };
    std::thread::sleep(Duration::from_millis(1000));
    let (status, head, body) = server.exchange("POST", "/extract", b"<p>turned away</p>");
    assert_eq!(status, 503, "{}", String::from_utf8_lossy(&body));
    assert!(head.lines().any(|l| l.trim() == "retry-after: 1"), "{head}");
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .contains("queue is full")
    );
    let (status, body) = fetching.join().unwrap();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    // The slot is back: the same page is now extracted.
    let (status, _) = server.post("/extract", b"<p>welcome back</p>");
    assert_eq!(status, 200);
    let (_, metrics) = server.request("GET", "/metrics", &[], b"");
    let metrics = String::from_utf8(metrics).unwrap();
    assert!(
        metrics.contains("gleaner_requests_total{status=\"503\"} 1"),
        "{metrics}"
    );
}

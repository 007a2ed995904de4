//! A small load generator for `gleaner serve`: N keep-alive connections, each posting the
//! page to /extract in a loop until the total is reached; prints requests/s, p50/p99 latency
//! and errors. `serve_load ADDR PAGE CONNECTIONS REQUESTS`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: serve_load ADDR PAGE CONNECTIONS REQUESTS");
        std::process::exit(2);
    }
    let addr = args[1].clone();
    let page = Arc::new(std::fs::read(&args[2]).expect("read the page"));
    let conns: usize = args[3].parse().expect("CONNECTIONS");
    let total: usize = args[4].parse().expect("REQUESTS");
    let issued = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let threads: Vec<_> = (0..conns)
        .map(|_| {
            let (addr, page, issued) = (addr.clone(), page.clone(), issued.clone());
            std::thread::spawn(move || worker(&addr, &page, &issued, total))
        })
        .collect();
    let mut latencies = Vec::with_capacity(total);
    let mut errors = 0;
    for t in threads {
        let (l, e) = t.join().expect("a load thread");
        latencies.extend(l);
        errors += e;
    }
    let secs = started.elapsed().as_secs_f64();
    latencies.sort_unstable_by(f64::total_cmp);
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0)
    };
    println!(
        "requests {} errors {errors} seconds {secs:.1} requests/s {:.0} p50 {:.2} ms p99 {:.2} ms",
        latencies.len(),
        latencies.len() as f64 / secs,
        pct(0.50) * 1e3,
        pct(0.99) * 1e3
    );
}

/// One keep-alive connection; returns its latencies (seconds) and error count.
fn worker(addr: &str, page: &[u8], issued: &AtomicUsize, total: usize) -> (Vec<f64>, usize) {
    let mut latencies = Vec::new();
    let mut errors = 0;
    let head = format!(
        "POST /extract HTTP/1.1\r\nHost: load\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
        page.len()
    );
    let mut conn: Option<BufReader<TcpStream>> = None;
    while issued.fetch_add(1, Ordering::Relaxed) < total {
        let t = Instant::now();
        let reader = match &mut conn {
            Some(c) => c,
            None => match TcpStream::connect(addr) {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    conn.insert(BufReader::new(s))
                }
                Err(_) => {
                    errors += 1;
                    continue;
                }
            },
        };
        match exchange(reader, head.as_bytes(), page) {
            Ok(200) => latencies.push(t.elapsed().as_secs_f64()),
            Ok(_) => errors += 1,
            Err(_) => {
                errors += 1;
                conn = None;
            }
        }
    }
    (latencies, errors)
}

fn exchange(reader: &mut BufReader<TcpStream>, head: &[u8], page: &[u8]) -> std::io::Result<u16> {
    let s = reader.get_mut();
    s.write_all(head)?;
    s.write_all(page)?;
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(status)
}

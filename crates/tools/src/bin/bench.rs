//! Batch throughput benchmark: writes a Common Crawl-style WARC (gzip per record; a request,
//! a response and a metadata record per page) from a `../shared/bench/<dataset>` folder, then
//! measures pages/s and MB/s of page HTML for: reading the WARC alone (framing, gunzip, HTTP
//! decoding), html5ever's parse alone on one thread, and the whole `gleaner extract` pipeline
//! on that WARC with one worker thread and with all of them (output to /dev/null).
//!
//!     cargo run --release -p gleaner-tools --bin bench -- ../shared/bench/wcxb-dev
//!     cargo run --release -p gleaner-tools --bin bench -- ../shared/bench/wcxb-dev --repeat 16 \
//!         --warc /tmp/big.warc.gz --write-only
//!
//! The second writes a ~1 GB WARC (the pages 16 times over) for measuring peak memory of the
//! real binary: `/usr/bin/time -v target/release/gleaner extract /tmp/big.warc.gz -o /dev/null`.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::Parser;

use gleaner::{Config, Extractor};
use gleaner_batch::input::{Content, ReadLimits, warc::WarcItems};
use gleaner_batch::pipeline::{self, Options};
use gleaner_tools::bench_pages;

#[derive(Parser)]
struct Args {
    /// A benchmark folder holding html/<id>.html.gz (and truth.jsonl with the URLs).
    bench: PathBuf,
    /// Where to write the WARC (default: a temporary file, removed afterwards).
    #[arg(long)]
    warc: Option<PathBuf>,
    /// Write the pages this many times over (distinct record ids and URLs).
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    /// Only write the WARC.
    #[arg(long)]
    write_only: bool,
    /// Timing repetitions (the best is reported).
    #[arg(long, default_value_t = 3)]
    rounds: usize,
}

/// A bench page with the URL its WARC record names (a made-up one where truth has none).
struct Page {
    url: String,
    html: Vec<u8>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let pages: Vec<Page> = bench_pages::load(&args.bench)?
        .into_iter()
        .map(|p| Page {
            url: p
                .url
                .unwrap_or_else(|| format!("https://bench.example/{}", p.id)),
            html: p.bytes,
        })
        .collect();
    let (warc_path, temporary) = match &args.warc {
        Some(p) => (p.clone(), false),
        None => (
            std::env::temp_dir().join(format!("gleaner-bench-{}.warc.gz", std::process::id())),
            true,
        ),
    };
    let written = Instant::now();
    write_warc(&warc_path, &pages, args.repeat)?;
    let warc_mb = std::fs::metadata(&warc_path)?.len() as f64 / 1e6;
    eprintln!(
        "wrote {} ({:.1} MB, {} pages) in {:.1} s",
        warc_path.display(),
        warc_mb,
        pages.len() * args.repeat,
        written.elapsed().as_secs_f64()
    );
    if args.write_only {
        return Ok(());
    }
    let result = measure(&args, &pages, &warc_path);
    if temporary {
        let _ = std::fs::remove_file(&warc_path);
    }
    result
}

fn measure(args: &Args, pages: &[Page], warc: &Path) -> anyhow::Result<()> {
    let config = Config::default();
    let limits = ReadLimits::default();
    let extractor = Extractor::new(config.clone())?;
    let best =
        |f: &mut dyn FnMut() -> anyhow::Result<(u64, u64)>| -> anyhow::Result<(f64, u64, u64)> {
            let mut best = (f64::INFINITY, 0, 0);
            for _ in 0..args.rounds.max(1) {
                let t = Instant::now();
                let (n, bytes) = f()?;
                best = (best.0.min(t.elapsed().as_secs_f64()), n, bytes);
            }
            Ok(best)
        };

    // Reading alone: every record framed, every page's HTTP body decoded, nothing extracted.
    let read = best(&mut || {
        let file = std::fs::File::open(warc)?;
        let (mut n, mut bytes) = (0, 0);
        for item in WarcItems::new(file, "bench".into(), &limits) {
            if let Content::Page(pending) = item.content {
                let (html, _) = pending.open(&limits).page?;
                n += 1;
                bytes += html.len() as u64;
            }
        }
        Ok((n, bytes))
    })?;

    // html5ever alone, on one thread, over the same pages (decoded once, in memory).
    let texts: Vec<String> = pages
        .iter()
        .map(|p| {
            let decoded = gleaner::decode::decode(
                &p.html,
                None,
                Some(&p.url),
                &gleaner::internals::rules(&config).decode,
            );
            decoded.map(|d| d.text).unwrap_or_default()
        })
        .collect();
    let html_bytes: u64 = pages.iter().map(|p| p.html.len() as u64).sum::<u64>();
    let parse = best(&mut || {
        for _ in 0..args.repeat {
            for t in &texts {
                let doc = scraper::Html::parse_document(t);
                std::hint::black_box(doc.tree.nodes().len());
            }
        }
        Ok((
            (pages.len() * args.repeat) as u64,
            html_bytes * args.repeat as u64,
        ))
    })?;

    let pipeline = |jobs: Option<usize>| {
        let options = Options {
            inputs: vec![warc.display().to_string()],
            jobs,
            output: Some(PathBuf::from("/dev/null")),
            ..Options::default()
        };
        let extractor = &extractor;
        move || -> anyhow::Result<(u64, u64)> {
            let s = pipeline::run(extractor, &options)?;
            Ok((s.extracted + s.empty + s.failed, s.page_bytes))
        }
    };
    let one = best(&mut pipeline(Some(1)))?;
    let all = best(&mut pipeline(None))?;

    println!(
        "{} pages ({:.1} MB of HTML) in a {:.1} MB WARC, {} threads, best of {} rounds",
        pages.len() * args.repeat,
        html_bytes as f64 * args.repeat as f64 / 1e6,
        std::fs::metadata(warc)?.len() as f64 / 1e6,
        rayon::current_num_threads(),
        args.rounds
    );
    println!("| run | seconds | pages/s | MB/s |");
    println!("|---|---:|---:|---:|");
    let rows = [
        ("WARC reading alone (gunzip, framing, HTTP), 1 thread", read),
        ("html5ever parse alone, 1 thread", parse),
        ("full extraction from the WARC, 1 worker", one),
        ("full extraction from the WARC, all workers", all),
    ];
    for (name, (secs, n, bytes)) in rows {
        println!(
            "| {name} | {secs:.2} | {:.0} | {:.1} |",
            n as f64 / secs,
            bytes as f64 / 1e6 / secs
        );
    }
    let rate = |(secs, _, bytes): (f64, u64, u64)| bytes as f64 / secs;
    println!(
        "full extraction, 1 worker / parse alone: {:.2}; all workers / 1 worker: {:.2}",
        rate(one) / rate(parse),
        rate(all) / rate(one)
    );
    Ok(())
}

/// Writes the pages `repeat` times as request, response and metadata records, each record
/// its own gzip member, as Common Crawl does.
fn write_warc(path: &Path, pages: &[Page], repeat: usize) -> anyhow::Result<()> {
    let mut out = BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("{}: cannot write", path.display()))?,
    );
    let mut serial = 0u64;
    let mut member = |out: &mut BufWriter<std::fs::File>,
                      kind: &str,
                      url: &str,
                      content_type: &str,
                      block: &[u8]|
     -> std::io::Result<()> {
        serial += 1;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        write!(
            gz,
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: 2026-01-01T00:00:00Z\r\n\
             WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{serial:012}>\r\n\
             WARC-Target-URI: {url}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )?;
        gz.write_all(block)?;
        gz.write_all(b"\r\n\r\n")?;
        out.write_all(&gz.finish()?)
    };
    for round in 0..repeat {
        for page in pages {
            // Distinct URLs per round, as a crawl of many pages would have.
            let url = if round == 0 {
                page.url.clone()
            } else {
                format!("{}#copy{round}", page.url)
            };
            let request = b"GET / HTTP/1.1\r\nHost: bench.example\r\nUser-Agent: bench\r\n\r\n";
            member(
                &mut out,
                "request",
                &url,
                "application/http; msgtype=request",
                request,
            )?;
            let mut response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
                page.html.len()
            )
            .into_bytes();
            response.extend_from_slice(&page.html);
            member(
                &mut out,
                "response",
                &url,
                "application/http; msgtype=response",
                &response,
            )?;
            member(
                &mut out,
                "metadata",
                &url,
                "application/warc-fields",
                b"fetchTimeMs: 120\r\n",
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

//! Linear time: each pathological shape at size n and 4n, with no time budget. Work is
//! measured as wall time (the median of three runs; no instruction counter is available
//! without perf_event), so the bound is generous: 4n may take at most 8× the time of n.

use std::time::{Duration, Instant};

use gleaner::{Config, Deadline, Extractor, PageInfo};

fn shape(name: &str, n: usize) -> String {
    let body = match name {
        "paragraphs" => (0..n)
            .map(|i| format!("<p>Line {i} of the log.</p>"))
            .collect(),
        "spans" => "<div>".to_string() + &"<span>word </span>".repeat(n) + "</div>",
        "links" => (0..n)
            .map(|i| format!("<a href=\"/p/{i}\">link {i}</a> "))
            .collect(),
        "cells" => {
            "<table>".to_string() + &"<tr><td>a cell</td><td>b</td></tr>".repeat(n) + "</table>"
        }
        "nesting" => "<div>".repeat(n) + "deep text" + &"</div>".repeat(n),
        "attributes" => {
            let attrs: String = (0..n).map(|i| format!(" data-a{i}=\"v{i}\"")).collect();
            format!("<p{attrs}>One paragraph with many attributes.</p>")
        }
        "text node" => format!("<p>{}</p>", "word ".repeat(n)),
        _ => unreachable!(),
    };
    format!("<html><head><title>T</title></head><body>{body}</body></html>")
}

fn median_time(extractor: &Extractor, page: &str) -> Duration {
    let info = PageInfo::new().deadline(Deadline::NONE);
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let start = Instant::now();
            let x = extractor.extract(page.as_bytes(), &info).expect("extract");
            assert!(!x.degraded);
            start.elapsed()
        })
        .collect();
    times.sort();
    times[1]
}

#[test]
fn every_shape_takes_about_four_times_as_long_at_four_times_the_size() {
    let extractor = Extractor::new(Config::default()).unwrap();
    let shapes = [
        ("paragraphs", 5_000),
        ("spans", 20_000),
        ("links", 5_000),
        ("cells", 5_000),
        ("nesting", 2_000),
        ("attributes", 100_000),
        ("text node", 50_000),
    ];
    let mut report = Vec::new();
    for (name, n) in shapes {
        let small = median_time(&extractor, &shape(name, n));
        let large = median_time(&extractor, &shape(name, 4 * n));
        let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-4);
        report.push(format!("{name}: {small:?} → {large:?} ({ratio:.1}×)"));
        // Under a millisecond the clock says little: only bound the slower ones.
        if large > Duration::from_millis(20) {
            assert!(ratio <= 8.0, "superlinear: {}", report.join("; "));
        }
    }
    eprintln!("{}", report.join("\n"));
}

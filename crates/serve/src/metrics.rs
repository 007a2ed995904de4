//! Counters for `GET /metrics`, written in the Prometheus text format by hand (a handful of
//! atomics; no registry crate needed).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

/// Upper bounds (seconds) of the extraction latency buckets.
const BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

#[derive(Default)]
pub struct Metrics {
    by_status: Mutex<BTreeMap<u16, u64>>,
    buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_micros: AtomicU64,
    bytes_in: AtomicU64,
    pub in_flight: AtomicU64,
}

impl Metrics {
    pub fn request(&self, status: u16) {
        let mut map = self.by_status.lock().unwrap_or_else(|e| e.into_inner());
        *map.entry(status).or_default() += 1;
    }

    pub fn extraction(&self, took: Duration) {
        let secs = took.as_secs_f64();
        for (bound, count) in BUCKETS.iter().zip(&self.buckets) {
            if secs <= *bound {
                count.fetch_add(1, Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Relaxed);
        self.latency_sum_micros
            .fetch_add(took.as_micros() as u64, Relaxed);
    }

    pub fn bytes_in(&self, n: usize) {
        self.bytes_in.fetch_add(n as u64, Relaxed);
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP gleaner_requests_total HTTP requests answered, by status."
        );
        let _ = writeln!(out, "# TYPE gleaner_requests_total counter");
        let map = self
            .by_status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for (status, n) in map {
            let _ = writeln!(out, "gleaner_requests_total{{status=\"{status}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP gleaner_extraction_seconds Time to extract one page."
        );
        let _ = writeln!(out, "# TYPE gleaner_extraction_seconds histogram");
        for (bound, count) in BUCKETS.iter().zip(&self.buckets) {
            let _ = writeln!(
                out,
                "gleaner_extraction_seconds_bucket{{le=\"{bound}\"}} {}",
                count.load(Relaxed)
            );
        }
        let count = self.latency_count.load(Relaxed);
        let _ = writeln!(
            out,
            "gleaner_extraction_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let sum = self.latency_sum_micros.load(Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "gleaner_extraction_seconds_sum {sum}");
        let _ = writeln!(out, "gleaner_extraction_seconds_count {count}");
        let _ = writeln!(out, "# HELP gleaner_bytes_in_total Page bytes received.");
        let _ = writeln!(out, "# TYPE gleaner_bytes_in_total counter");
        let _ = writeln!(
            out,
            "gleaner_bytes_in_total {}",
            self.bytes_in.load(Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP gleaner_pages_in_flight Pages queued or being extracted."
        );
        let _ = writeln!(out, "# TYPE gleaner_pages_in_flight gauge");
        let _ = writeln!(
            out,
            "gleaner_pages_in_flight {}",
            self.in_flight.load(Relaxed)
        );
        out
    }
}

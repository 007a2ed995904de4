//! Hosts: the per-host gate every request passes through (page, redirect hop, retry and
//! robots.txt alike): at most `per_host_concurrency` requests in flight to one host, and at
//! least the host's delay between the starts of two requests to it.
//!
//! A host is a name and port (`example.org:443`, `127.0.0.1:8080`): servers on different
//! ports of one machine are different hosts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Url;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// The politeness key of a URL: `host:port`, the port made explicit.
pub fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// All hosts seen so far, each with its gate.
pub struct Hosts {
    gates: Mutex<HashMap<String, Arc<Gate>>>,
    per_host_concurrency: usize,
    delay: Duration,
}

impl Hosts {
    pub fn new(per_host_concurrency: usize, delay: Duration) -> Hosts {
        Hosts {
            gates: Mutex::new(HashMap::new()),
            per_host_concurrency,
            delay,
        }
    }

    /// The gate of `url`'s host, made on first use.
    pub fn gate(&self, url: &Url) -> Arc<Gate> {
        let mut gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        gates
            .entry(host_key(url))
            .or_insert_with(|| {
                Arc::new(Gate {
                    in_flight: Arc::new(Semaphore::new(self.per_host_concurrency)),
                    schedule: tokio::sync::Mutex::new(Schedule {
                        next_start: Instant::now(),
                        delay: self.delay,
                    }),
                })
            })
            .clone()
    }
}

/// One host's gate.
pub struct Gate {
    in_flight: Arc<Semaphore>,
    schedule: tokio::sync::Mutex<Schedule>,
}

struct Schedule {
    /// No request to this host starts before this instant.
    next_start: Instant,
    /// The least time between two request starts.
    delay: Duration,
}

impl Gate {
    /// Waits for a free request slot and for this host's next start time, and books the one
    /// after it. Hold the returned permit until the response body is read.
    pub async fn turn(&self) -> OwnedSemaphorePermit {
        let permit = self
            .in_flight
            .clone()
            .acquire_owned()
            .await
            .expect("the host semaphore is never closed");
        // The schedule stays locked while we sleep: waiters queue in order, and the next
        // start is booked from the moment this one really starts (timers can wake late).
        let mut schedule = self.schedule.lock().await;
        tokio::time::sleep_until(schedule.next_start).await;
        schedule.next_start = Instant::now() + schedule.delay;
        permit
    }

    /// Raises the delay between requests (a robots.txt Crawl-delay); never lowers it.
    pub async fn raise_delay(&self, delay: Duration) {
        let mut schedule = self.schedule.lock().await;
        if delay > schedule.delay {
            let last_start =
                (schedule.next_start.checked_sub(schedule.delay)).unwrap_or(schedule.next_start);
            schedule.next_start = last_start + delay;
            schedule.delay = delay;
        }
    }

    /// Holds every request to this host until `until` (the host answered 429 or 503 with a
    /// Retry-After: it is asking all of our requests to wait, not just that one).
    pub async fn hold_until(&self, until: Instant) {
        let mut schedule = self.schedule.lock().await;
        schedule.next_start = schedule.next_start.max(until);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_keys_include_the_port() {
        let key = |u: &str| host_key(&Url::parse(u).unwrap());
        assert_eq!(key("https://example.org/a"), "example.org:443");
        assert_eq!(key("http://example.org/a"), "example.org:80");
        assert_eq!(key("http://127.0.0.1:8080/"), "127.0.0.1:8080");
        assert_ne!(key("http://127.0.0.1:8080/"), key("http://127.0.0.1:8081/"));
    }

    #[tokio::test(start_paused = true)]
    async fn request_starts_are_spaced_by_the_delay() {
        let hosts = Hosts::new(2, Duration::from_millis(500));
        let url = Url::parse("http://a.test/").unwrap();
        let gate = hosts.gate(&url);
        let t0 = Instant::now();
        let mut starts = Vec::new();
        for _ in 0..3 {
            let _permit = gate.turn().await;
            starts.push(Instant::now() - t0);
        }
        assert_eq!(starts, [0, 500, 1000].map(Duration::from_millis).to_vec());
        gate.raise_delay(Duration::from_secs(2)).await;
        let _permit = gate.turn().await;
        assert_eq!(Instant::now() - t0, Duration::from_millis(3000));
    }
}

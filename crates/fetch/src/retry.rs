//! Retry: which answers are tried again, and how long to wait first (exponential backoff with
//! jitter, or the server's own `Retry-After` when it asks for longer).

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// When to try a request again.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    pub tries: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    pub max_retry_after: Duration,
}

/// A status worth trying again: the server is overloaded or failing, not refusing.
pub fn is_retryable_status(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

impl RetryPolicy {
    /// The wait after `failed` tries have failed (1 for the first): base * 2^(failed-1), capped,
    /// times a random factor in [0.5, 1) so that pages which failed together spread out.
    pub fn backoff(&self, failed: u32) -> Duration {
        let exponential = self
            .backoff_base
            .saturating_mul(2u32.saturating_pow(failed.saturating_sub(1)));
        exponential
            .min(self.backoff_max)
            .mul_f64(0.5 + fastrand::f64() / 2.0)
    }

    /// The wait before the next try of a response with `headers`: the backoff, or the
    /// server's Retry-After when longer. None when Retry-After asks for more than we wait.
    pub fn wait_for(&self, failed: u32, headers: &HeaderMap) -> Option<Duration> {
        let backoff = self.backoff(failed);
        match retry_after(headers, chrono::Utc::now()) {
            Some(asked) if asked > self.max_retry_after => None,
            Some(asked) => Some(asked.max(backoff)),
            None => Some(backoff),
        }
    }
}

/// Parses a `Retry-After` header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
pub fn retry_after(headers: &HeaderMap, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    // An HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT") is RFC 2822 syntax with GMT.
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (when.with_timezone(&chrono::Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            tries: 3,
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let p = policy();
        for _ in 0..100 {
            let first = p.backoff(1);
            assert!(first >= Duration::from_millis(500) && first < Duration::from_secs(1));
            let third = p.backoff(3);
            assert!(third >= Duration::from_secs(2) && third < Duration::from_secs(4));
            let late = p.backoff(40);
            assert!(late >= Duration::from_secs(15) && late < Duration::from_secs(30));
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        let now = chrono::DateTime::parse_from_rfc3339("2015-10-21T07:28:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:30 GMT"),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(30)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
    }

    #[test]
    fn long_retry_after_is_not_waited_for() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3600"));
        assert_eq!(policy().wait_for(1, &headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("5"));
        assert_eq!(policy().wait_for(1, &headers), Some(Duration::from_secs(5)));
    }

    #[test]
    fn only_overload_and_server_errors_are_retried() {
        assert!(is_retryable_status(StatusCode::TOO_MANY_REQUESTS));
        assert!(is_retryable_status(StatusCode::SERVICE_UNAVAILABLE));
        assert!(!is_retryable_status(StatusCode::NOT_FOUND));
        assert!(!is_retryable_status(StatusCode::FORBIDDEN));
    }
}

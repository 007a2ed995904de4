//! Settings: the `[fetch]` config checked once and turned into durations and limits, so that
//! a bad value (a negative delay, zero concurrency) is a clear error before any request.

use std::time::Duration;

use crate::config::FetchConfig;

/// The `[fetch]` settings, checked.
#[derive(Clone, Debug)]
pub struct Settings {
    pub user_agent: String,
    pub robots_agent: String,
    pub concurrency: usize,
    pub per_host_concurrency: usize,
    pub per_host_delay: Duration,
    pub max_crawl_delay: Duration,
    pub obey_robots: bool,
    pub max_robots_bytes: usize,
    pub tries: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    pub max_retry_after: Duration,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub max_body_bytes: usize,
    pub max_redirects: usize,
    pub content_types: Vec<String>,
}

impl Settings {
    pub fn new(cfg: &FetchConfig) -> Result<Settings, String> {
        let secs = |key: &str, value: f64| {
            Duration::try_from_secs_f64(value)
                .map_err(|_| format!("fetch.{key} = {value}: not a number of seconds >= 0"))
        };
        let positive = |key: &str, value: usize| {
            if value == 0 {
                Err(format!("fetch.{key} must be at least 1"))
            } else {
                Ok(value)
            }
        };
        let user_agent = cfg.user_agent();
        if reqwest::header::HeaderValue::from_str(&user_agent).is_err() {
            return Err(format!(
                "fetch.user_agent = {user_agent:?}: not a valid header value"
            ));
        }
        Ok(Settings {
            robots_agent: cfg.robots_agent(),
            user_agent,
            concurrency: positive("concurrency", cfg.concurrency)?,
            per_host_concurrency: positive("per_host_concurrency", cfg.per_host_concurrency)?,
            per_host_delay: secs("per_host_delay_secs", cfg.per_host_delay_secs)?,
            max_crawl_delay: secs("max_crawl_delay_secs", cfg.max_crawl_delay_secs)?,
            obey_robots: cfg.obey_robots,
            max_robots_bytes: cfg.max_robots_bytes,
            tries: positive("tries", cfg.tries as usize)? as u32,
            backoff_base: secs("backoff_base_secs", cfg.backoff_base_secs)?,
            backoff_max: secs("backoff_max_secs", cfg.backoff_max_secs)?,
            max_retry_after: secs("max_retry_after_secs", cfg.max_retry_after_secs)?,
            connect_timeout: secs("connect_timeout_secs", cfg.connect_timeout_secs)?,
            timeout: secs("timeout_secs", cfg.timeout_secs)?,
            max_body_bytes: cfg.max_body_bytes,
            max_redirects: cfg.max_redirects,
            content_types: cfg
                .content_types
                .iter()
                .map(|t| t.trim().to_ascii_lowercase())
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FetchConfig;

    #[test]
    fn defaults_are_valid() {
        let s = Settings::new(&FetchConfig::default()).unwrap();
        assert_eq!(s.concurrency, 32);
        assert_eq!(s.per_host_concurrency, 2);
        assert_eq!(s.per_host_delay, Duration::from_secs(1));
        assert_eq!(s.tries, 3);
        assert_eq!(s.max_body_bytes, 20 * 1024 * 1024);
        assert_eq!(s.max_redirects, 10);
    }

    #[test]
    fn bad_values_name_their_key() {
        let bad = |change: fn(&mut FetchConfig)| {
            let mut cfg = FetchConfig::default();
            change(&mut cfg);
            Settings::new(&cfg).unwrap_err()
        };
        assert!(bad(|c| c.per_host_delay_secs = -1.0).contains("per_host_delay_secs"));
        assert!(bad(|c| c.concurrency = 0).contains("concurrency"));
        assert!(bad(|c| c.timeout_secs = f64::NAN).contains("timeout_secs"));
    }
}

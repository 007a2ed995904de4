//! Config: the `[fetch]` table of config.toml, as written (see `settings` for it checked).

use serde::Deserialize;

/// Fetching URLs (`[fetch]` in config.toml): politeness, retries and limits.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct FetchConfig {
    /// The User-Agent header; `{version}` becomes gleaner's version. Its first word, up to
    /// the '/', is the name looked up in robots.txt. Default:
    /// `"gleaner/{version} (article text extractor)"`.
    pub user_agent: String,
    /// Pages in flight at once, over all hosts. Default: 32.
    pub concurrency: usize,
    /// Requests in flight at once to one host (a name and port). Default: 2.
    pub per_host_concurrency: usize,
    /// Seconds between the starts of two requests to one host (a larger robots.txt
    /// Crawl-delay wins, up to `max_crawl_delay_secs`). Default: 1.0.
    pub per_host_delay_secs: f64,
    /// A Crawl-delay above this is cut to it. Default: 30.0.
    pub max_crawl_delay_secs: f64,
    /// Fetch robots.txt once per host and obey it. Default: true.
    pub obey_robots: bool,
    /// robots.txt is read up to this many bytes. Default: 512,000.
    pub max_robots_bytes: usize,
    /// Tries per request, the first included (429, 5xx and connection failures are tried
    /// again). Default: 3.
    pub tries: u32,
    /// The wait before try n+1 is `backoff_base_secs * 2^(n-1)`, with jitter, at most
    /// `backoff_max_secs`. Defaults: 1.0 and 30.0.
    pub backoff_base_secs: f64,
    pub backoff_max_secs: f64,
    /// A Retry-After longer than this is not waited for. Default: 120.0.
    pub max_retry_after_secs: f64,
    /// Seconds to open a connection (DNS, TCP and TLS). Default: 10.0.
    pub connect_timeout_secs: f64,
    /// Seconds for a whole request, to the last byte of the body. Default: 30.0.
    pub timeout_secs: f64,
    /// Bodies are read up to this many bytes, after content decoding. Default: 20 MiB.
    pub max_body_bytes: usize,
    /// Redirects followed per page. Default: 10.
    pub max_redirects: usize,
    /// Content types that are extracted; others give a `skipped` record. Default:
    /// `["text/html", "application/xhtml+xml"]`.
    pub content_types: Vec<String>,
}

impl Default for FetchConfig {
    fn default() -> FetchConfig {
        FetchConfig {
            user_agent: "gleaner/{version} (article text extractor)".into(),
            concurrency: 32,
            per_host_concurrency: 2,
            per_host_delay_secs: 1.0,
            max_crawl_delay_secs: 30.0,
            obey_robots: true,
            max_robots_bytes: 512_000,
            tries: 3,
            backoff_base_secs: 1.0,
            backoff_max_secs: 30.0,
            max_retry_after_secs: 120.0,
            connect_timeout_secs: 10.0,
            timeout_secs: 30.0,
            max_body_bytes: 20 << 20,
            max_redirects: 10,
            content_types: vec!["text/html".into(), "application/xhtml+xml".into()],
        }
    }
}

impl FetchConfig {
    /// The `[fetch]` table of a config file; missing keys keep their defaults.
    pub fn from_toml(source_name: &str, text: &str) -> Result<FetchConfig, gleaner::Error> {
        gleaner_batch::settings::table(source_name, text, "fetch")
    }

    /// The User-Agent header, with `{version}` replaced by this build's version.
    pub fn user_agent(&self) -> String {
        self.user_agent
            .replace("{version}", env!("CARGO_PKG_VERSION"))
    }

    /// The name robots.txt groups are matched against: the user agent's first word, up to
    /// its '/' (RFC 9309 matches the product token, not the whole header).
    pub fn robots_agent(&self) -> String {
        let ua = self.user_agent();
        ua.split(|c: char| c == '/' || c.is_whitespace())
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_toml_is_the_defaults() {
        let text = include_str!("../../../config.toml");
        assert_eq!(
            FetchConfig::from_toml("config.toml", text).unwrap(),
            FetchConfig::default()
        );
    }

    #[test]
    fn default_user_agent_names_gleaner_and_its_version() {
        let fetch = FetchConfig::default();
        let ua = fetch.user_agent();
        assert!(
            ua.starts_with(&format!("gleaner/{}", env!("CARGO_PKG_VERSION"))),
            "{ua}"
        );
        assert_eq!(fetch.robots_agent(), "gleaner");
    }
}

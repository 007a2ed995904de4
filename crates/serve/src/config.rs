//! `[serve]` in config.toml: the address, limits, pool size and timeouts of `gleaner serve`.

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ServeConfig {
    /// The address to listen on. Default: 127.0.0.1:8080.
    pub listen: String,
    /// The largest request body, in bytes; a larger Content-Length is answered 413 before
    /// the body is read. Default: 64 MiB.
    pub max_body_bytes: usize,
    /// Extraction threads (0 = all cores). Default: 0.
    pub workers: usize,
    /// Pages waiting for a thread, beyond those being extracted; when full, 503 with
    /// Retry-After. Default: 64.
    pub queue: usize,
    /// Seconds a client has to send its request headers. Default: 10.
    pub header_timeout_secs: f64,
    /// Seconds a client may leave the body without sending a byte. Default: 30.
    pub body_timeout_secs: f64,
    /// Seconds, after SIGTERM or SIGINT, to finish the requests in flight. Default: 30.
    pub drain_timeout_secs: f64,
    /// Fetch `url` when a request has no body (off: a server that fetches what it is told
    /// is an SSRF hole). Default: false.
    pub allow_fetch: bool,
    /// With `allow_fetch`: also fetch loopback, private and link-local addresses.
    /// Default: false.
    pub allow_private: bool,
    /// With `allow_fetch`: loopback, private or link-local addresses and networks fetched
    /// all the same (`"10.0.0.7"`, `"10.1.0.0/16"`), on every hop. Default: none.
    pub allow_addresses: Vec<String>,
}

impl Default for ServeConfig {
    fn default() -> ServeConfig {
        ServeConfig {
            listen: "127.0.0.1:8080".to_string(),
            max_body_bytes: 64 << 20,
            workers: 0,
            queue: 64,
            header_timeout_secs: 10.0,
            body_timeout_secs: 30.0,
            drain_timeout_secs: 30.0,
            allow_fetch: false,
            allow_private: false,
            allow_addresses: Vec::new(),
        }
    }
}

impl ServeConfig {
    /// The `[serve]` table of a config file; missing keys keep their defaults.
    pub fn from_toml(source_name: &str, text: &str) -> Result<ServeConfig, gleaner::Error> {
        gleaner_batch::settings::table(source_name, text, "serve")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_toml_is_the_defaults() {
        let text = include_str!("../../../config.toml");
        assert_eq!(
            ServeConfig::from_toml("config.toml", text).unwrap(),
            ServeConfig::default()
        );
    }
}

//! Fetching through the server (`--allow-fetch`): the URL must be an absolute http(s) URL;
//! unless `allow_private`, the fetcher runs under a guard that reaches only public addresses
//! and those in `allow_addresses`, on every hop (robots.txt and redirects included).

use std::sync::Arc;

use gleaner_fetch::{Guard, Net};

/// Checks that `given` can be fetched at all (the fetcher's own URL check); Err names the
/// problem (a 400).
pub fn check_url(given: &str) -> Result<(), String> {
    gleaner_fetch::parse_url(given)
        .map(drop)
        .map_err(|e| format!("url {given:?}: {e}"))
}

/// `allow_addresses` parsed; Err names the bad entry.
pub fn allowed(addresses: &[String]) -> anyhow::Result<Vec<Net>> {
    addresses
        .iter()
        .map(|a| {
            a.parse()
                .map_err(|e| anyhow::anyhow!("serve.allow_addresses: {e}"))
        })
        .collect()
}

/// The guard of one fetch: none when every address is allowed.
pub fn guard(allow_private: bool, allowed: &[Net]) -> Option<Arc<Guard>> {
    (!allow_private).then(|| Arc::new(Guard::new(allowed.to_vec())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_http_urls_are_fetched() {
        assert!(check_url("https://example.com/a").is_ok());
        assert!(
            check_url("file:///etc/passwd")
                .unwrap_err()
                .contains("http")
        );
        assert!(check_url("not a url").is_err());
        assert!(check_url("http://").is_err());
    }

    #[test]
    fn allowed_addresses_parse_or_name_the_bad_one() {
        let ok = allowed(&["10.0.0.0/8".into(), "::1".into()]).unwrap();
        assert_eq!(ok.len(), 2);
        let bad = allowed(&["10.0.0.0/40".into()]).unwrap_err().to_string();
        assert!(
            bad.contains("allow_addresses") && bad.contains("10.0.0.0/40"),
            "{bad}"
        );
        assert!(guard(true, &ok).is_none());
        assert!(guard(false, &ok).is_some());
    }
}

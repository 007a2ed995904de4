//! Fetching through the server (`--allow-fetch`): the URL's host must resolve to public
//! addresses only, unless `allow_private`; then the polite fetcher gets it.

use std::net::IpAddr;

/// Checks `given` before it is fetched; Err names the problem.
pub async fn check_target(given: &str, allow_private: bool) -> Result<(), String> {
    let url = url::Url::parse(given).map_err(|e| format!("url {given:?}: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("url {given:?}: only http and https are fetched"));
    }
    let host = url
        .host_str()
        .ok_or_else(|| format!("url {given:?}: no host"))?;
    let port = url.port_or_known_default().unwrap_or(80);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<IpAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| format!("url {given:?}: cannot resolve {host}: {e}"))?
        .map(|a| a.ip())
        .collect();
    if allow_private {
        return Ok(());
    }
    match addrs.iter().find(|ip| !is_public(ip)) {
        Some(ip) => Err(format!(
            "url {given:?}: {host} resolves to {ip}, a loopback, private or link-local address (allow_private is off)"
        )),
        None => Ok(()),
    }
}

fn is_public(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || o[0] == 0
                || (o[0] == 100 && (o[1] & 0xc0) == 64))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(&IpAddr::V4(v4));
            }
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "169.254.169.254",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "100.64.0.1",
        ] {
            assert!(!is_public(&ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:2800:220:1::"] {
            assert!(is_public(&ip.parse().unwrap()), "{ip}");
        }
    }
}

//! Guard: which addresses a run may connect to (`gleaner serve --allow-fetch` fetches what
//! its clients name, an SSRF hole unless every connection is checked). Only public addresses
//! and those allowed explicitly pass. A host given as an IP address is checked as each hop
//! starts (robots.txt and every redirect included); a name is checked by the client's
//! resolver, on the very addresses the connection then uses, so a name cannot resolve to
//! one address when checked and another when connected (DNS rebinding).

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// An address or a network (`10.0.0.0/8`, `fd00::/8`) allowed though not public.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Net {
    ip: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for Net {
    type Err = String;

    fn from_str(s: &str) -> Result<Net, String> {
        let bad = || format!("{s:?}: not an IP address or network (10.0.0.7, 10.0.0.0/8)");
        let (ip, prefix) = s.trim().split_once('/').unwrap_or((s.trim(), ""));
        let ip: IpAddr = ip.parse().map_err(|_| bad())?;
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            "" => max,
            p => p.parse().ok().filter(|p| *p <= max).ok_or_else(bad)?,
        };
        Ok(Net { ip, prefix })
    }
}

impl Net {
    fn contains(&self, ip: IpAddr) -> bool {
        let (net, addr, width) = match (self.ip, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => (u32::from(n).into(), u32::from(a).into(), 32),
            (IpAddr::V6(n), IpAddr::V6(a)) => (u128::from(n), u128::from(a), 128),
            _ => return false,
        };
        // Compare the top `prefix` bits: shift the rest out (a shift by the width is /0).
        let shift = width - u32::from(self.prefix);
        net.checked_shr(shift).unwrap_or(0) == addr.checked_shr(shift).unwrap_or(0)
    }
}

/// The addresses a run may reach: public ones and `allowed`. Remembers the first refusal,
/// so that the caller can tell a refused target from a page that failed.
#[derive(Debug, Default)]
pub struct Guard {
    allowed: Vec<Net>,
    refused: Mutex<Option<String>>,
}

impl Guard {
    pub fn new(allowed: Vec<Net>) -> Guard {
        Guard {
            allowed,
            refused: Mutex::new(None),
        }
    }

    /// Checks one address `host` stands for; Err names it.
    pub fn check(&self, host: &str, ip: IpAddr) -> Result<(), String> {
        if is_public(ip) || self.allowed.iter().any(|n| n.contains(ip)) {
            return Ok(());
        }
        let why = format!(
            "{host} is {ip}, a loopback, private or link-local address (not allowed on this server)"
        );
        let mut first = self.refused.lock().unwrap_or_else(|e| e.into_inner());
        first.get_or_insert_with(|| why.clone());
        Err(why)
    }

    /// The check as a hop starts: a host that is an IP address (names are the resolver's).
    pub fn check_url(&self, url: &Url) -> Result<(), String> {
        let ip = match url.host() {
            Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
            _ => return Ok(()),
        };
        self.check(url.host_str().unwrap_or_default(), ip)
    }

    /// The first refusal of the run, if any.
    pub fn refusal(&self) -> Option<String> {
        self.refused
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// The client's resolver under a guard: the system's lookup, then every address checked
/// (one refused address refuses the name: the connection might pick it).
pub struct GuardedResolver(pub Arc<Guard>);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = self.0.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            for a in &addrs {
                guard.check(&host, a.ip())?;
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// Public: not loopback, private (RFC 1918, fc00::/7), link-local, CGNAT (100.64/10),
/// unspecified, broadcast, multicast or "this network" (0/8).
pub fn is_public(ip: IpAddr) -> bool {
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
                return is_public(IpAddr::V4(v4));
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

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn private_addresses_are_not_public() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "169.254.169.254",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "100.64.0.1",
            "0.1.2.3",
        ] {
            assert!(!is_public(ip(a)), "{a}");
        }
        for a in ["93.184.216.34", "2606:2800:220:1::", "100.128.0.1"] {
            assert!(is_public(ip(a)), "{a}");
        }
    }

    #[test]
    fn allowed_networks_let_their_addresses_through_and_no_others() {
        let guard = Guard::new(vec![
            "10.0.0.0/8".parse().unwrap(),
            "127.0.0.2".parse().unwrap(),
        ]);
        assert!(guard.check("a", ip("10.200.1.1")).is_ok());
        assert!(guard.check("a", ip("127.0.0.2")).is_ok());
        assert!(guard.refusal().is_none());
        let refused = guard.check("b.test", ip("127.0.0.1")).unwrap_err();
        assert!(refused.contains("b.test is 127.0.0.1"), "{refused}");
        assert!(guard.check("c", ip("11.0.0.1")).is_ok(), "public");
        assert!(guard.check("d", ip("192.168.1.1")).is_err());
        assert_eq!(guard.refusal(), Some(refused), "the first refusal is kept");
        let v6: Net = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        assert!(!v6.contains(ip("10.0.0.1")));
        let all: Net = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("127.0.0.1")) && !all.contains(ip("::1")));
        for bad in ["10.0.0.0/33", "example.com", "10.0.0.0/x", ""] {
            assert!(bad.parse::<Net>().is_err(), "{bad}");
        }
    }

    #[test]
    fn ip_hosts_are_checked_as_the_hop_starts_and_names_are_left_to_the_resolver() {
        let guard = Guard::default();
        let url = |s: &str| Url::parse(s).unwrap();
        assert!(guard.check_url(&url("http://127.0.0.1:9/")).is_err());
        assert!(guard.check_url(&url("http://[::1]/")).is_err());
        assert!(guard.check_url(&url("http://93.184.216.34/")).is_ok());
        assert!(guard.check_url(&url("http://localhost/")).is_ok());
    }

    #[tokio::test]
    async fn the_resolver_refuses_a_name_for_a_loopback_address() {
        let resolver = GuardedResolver(Arc::new(Guard::default()));
        let name: Name = "localhost".parse().unwrap();
        let err = resolver.resolve(name).await.err().expect("refused");
        assert!(err.to_string().contains("localhost is"), "{err}");
    }
}

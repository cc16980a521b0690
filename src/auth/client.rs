//! Who the client is, for throttling: the socket's peer, or — only when that peer is a proxy
//! the operator trusts — the address the proxies say they received the request from.
//!
//! Behind a TLS proxy every connection comes from the proxy, so keyed on the peer, one
//! visitor's failed logins would throttle every visitor. But `X-Forwarded-For` and
//! `Forwarded` are written by whoever sends the request: they are read only when the peer is
//! in a trusted range, and then from the right, skipping trusted hops, so that the first
//! address no trusted proxy vouches for is the client (a client cannot pick its own address
//! by sending a header, since its own proxy appends the real one to the right).

use std::net::IpAddr;

use axum::http::HeaderMap;

/// An address range such as `10.0.0.0/8` or `::1/128` (a bare address is a range of one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr =
            addr.parse().map_err(|_| format!("`{text}` is not an address range (like 10.0.0.0/8 or ::1/128)"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{text}`: the prefix length must be a number from 0 to {max}"))?,
        };
        Ok(Cidr { addr: canonical(addr), prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// `::ffff:10.0.0.1` is `10.0.0.1`: a dual-stack listener reports IPv4 peers that way.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The client's address: `peer` itself unless it is a trusted proxy; then the right-most
/// address of the forwarding headers that is not a trusted proxy (`Forwarded` when present,
/// else `X-Forwarded-For`). A hop that does not parse ends the walk at the last trusted hop:
/// whatever lies to its left was written by someone no trusted proxy vouches for.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &[Cidr]) -> IpAddr {
    let peer = canonical(peer);
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let hops = forwarded_hops(headers);
    let mut last = peer;
    for hop in hops.iter().rev() {
        match hop {
            Some(ip) if is_trusted(*ip) => last = *ip,
            Some(ip) => return *ip,
            None => return last,
        }
    }
    last
}

/// The forwarded-for addresses, left (the first proxy's view) to right (the last proxy's),
/// from every `Forwarded` header line if there is one, else from `X-Forwarded-For`. `None` for
/// a hop that is not an address (`unknown`, an obfuscated `_name`, garbage).
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let lines = |name: &str| -> Vec<String> {
        headers.get_all(name).iter().map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()).collect()
    };
    let forwarded = lines("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|line| line.split(','))
            .map(|element| {
                let value = element.split(';').find_map(|pair| {
                    let (k, v) = pair.split_once('=')?;
                    k.trim().eq_ignore_ascii_case("for").then(|| v.trim().trim_matches('"').to_owned())
                })?;
                parse_node(&value)
            })
            .collect();
    }
    lines("x-forwarded-for").iter().flat_map(|line| line.split(',')).map(|hop| parse_node(hop.trim())).collect()
}

/// `192.0.2.60`, `192.0.2.60:4711`, `[2001:db8::17]`, `[2001:db8::17]:4711` or `2001:db8::17`.
fn parse_node(text: &str) -> Option<IpAddr> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = text.strip_prefix('[') {
        let (inner, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.starts_with(':')) {
            return None;
        }
        return inner.parse::<IpAddr>().ok().map(canonical);
    }
    let (host, port) = text.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn ranges_parse_and_match() {
        let net = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(net.contains(ip("10.200.3.4")));
        assert!(net.contains(ip("::ffff:10.1.1.1")), "IPv4-mapped peers are IPv4");
        assert!(!net.contains(ip("11.0.0.1")));
        assert!(Cidr::parse("::1").unwrap().contains(ip("::1")));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(Cidr::parse("fd00::/8").unwrap().contains(ip("fd12::1")));
        for bad in ["10.0.0.0/33", "10.0.0/8", "proxy", "::1/129", "10.0.0.0/x", ""] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn headers_count_only_behind_a_trusted_proxy() {
        let trusted = [Cidr::parse("127.0.0.1").unwrap()];
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            client_addr(ip("198.51.100.7"), &h, &trusted),
            ip("198.51.100.7"),
            "a client cannot claim an address"
        );
        assert_eq!(client_addr(ip("127.0.0.1"), &h, &trusted), ip("203.0.113.9"));
        assert_eq!(client_addr(ip("127.0.0.1"), &HeaderMap::new(), &trusted), ip("127.0.0.1"));
        assert_eq!(client_addr(ip("127.0.0.1"), &h, &[]), ip("127.0.0.1"), "no trusted proxy: headers ignored");
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let trusted = [Cidr::parse("10.0.0.0/8").unwrap()];
        // The client forged a first hop; its proxy chain appended the real address.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.0.0.5")]);
        assert_eq!(client_addr(ip("10.0.0.2"), &h, &trusted), ip("203.0.113.9"));
        let h = headers(&[("x-forwarded-for", "1.2.3.4"), ("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(client_addr(ip("10.0.0.2"), &h, &trusted), ip("203.0.113.9"), "header lines are one list");
        let h = headers(&[("x-forwarded-for", "garbage, 10.0.0.7")]);
        assert_eq!(client_addr(ip("10.0.0.2"), &h, &trusted), ip("10.0.0.7"), "stops at the last trusted hop");
        let h = headers(&[("x-forwarded-for", "10.0.0.9, 10.0.0.7")]);
        assert_eq!(client_addr(ip("10.0.0.2"), &h, &trusted), ip("10.0.0.9"), "all trusted: the first");
    }

    #[test]
    fn forwarded_is_read_as_rfc_7239_writes_it() {
        let trusted = [Cidr::parse("10.0.0.0/8").unwrap()];
        let h = headers(&[
            ("forwarded", "for=198.51.100.1;proto=https, for=\"[2001:db8:cafe::17]:4711\";by=10.0.0.1"),
            ("x-forwarded-for", "192.0.2.99"),
        ]);
        assert_eq!(client_addr(ip("10.0.0.1"), &h, &trusted), ip("2001:db8:cafe::17"), "Forwarded wins");
        let h = headers(&[("forwarded", "for=192.0.2.60:8080")]);
        assert_eq!(client_addr(ip("10.0.0.1"), &h, &trusted), ip("192.0.2.60"));
        let h = headers(&[("forwarded", "for=unknown")]);
        assert_eq!(client_addr(ip("10.0.0.1"), &h, &trusted), ip("10.0.0.1"));
    }
}

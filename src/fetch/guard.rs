//! Which addresses the fetcher may connect to: public unicast only.
//!
//! A URL that verification follows comes from a badge, i.e. from whoever made the badge. Without
//! this guard, a crafted badge could make the server fetch `http://169.254.169.254/` (the cloud
//! metadata service and its credentials), the admin page of a router on the private network, or
//! certfolio itself on loopback (SSRF). The rule is a deny list built from IANA's special-purpose
//! registries (every range that is not globally reachable), plus the cloud metadata addresses that
//! sit inside public space, plus, for IPv6, everything outside global unicast `2000::/3`.
//!
//! IPv6 forms that carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible,
//! NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by the IPv4 address they carry: a host
//! stack or a translator on the path delivers `::ffff:127.0.0.1` to 127.0.0.1.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why an address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddrClass {
    Unspecified,
    Loopback,
    /// RFC 1918.
    Private,
    /// IPv6 unique local `fc00::/7` (RFC 4193).
    UniqueLocal,
    /// `100.64.0.0/10` (RFC 6598).
    SharedCgnat,
    LinkLocal,
    /// `fec0::/10`, deprecated by RFC 3879 but still routed inside some sites.
    SiteLocal,
    Multicast,
    Broadcast,
    /// `192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`, `2001:db8::/32`, `3fff::/20`.
    Documentation,
    /// `198.18.0.0/15`.
    Benchmarking,
    /// `0.0.0.0/8`: "this network", which Linux routes to the local host.
    ThisNetwork,
    /// `192.0.0.0/24` and `2001::/23` (Teredo, ORCHID, benchmarking and other protocol ranges).
    ProtocolAssignment,
    /// A metadata or platform service of a cloud provider.
    CloudMetadata,
    /// `240.0.0.0/4`, `192.88.99.0/24`, `100::/64`, `5f00::/16`, `64:ff9b:1::/48`, and IPv6
    /// outside global unicast.
    Reserved,
    /// `::a.b.c.d` with a public `a.b.c.d`: deprecated since 2006 (RFC 4291), so never a real
    /// server's address.
    DeprecatedIpv4Compatible,
}

impl AddrClass {
    pub fn describe(self) -> &'static str {
        match self {
            AddrClass::Unspecified => "an unspecified address",
            AddrClass::Loopback => "a loopback address",
            AddrClass::Private => "a private address",
            AddrClass::UniqueLocal => "a private (unique local) address",
            AddrClass::SharedCgnat => "a carrier-grade NAT (shared) address",
            AddrClass::LinkLocal => "a link-local address",
            AddrClass::SiteLocal => "a site-local address",
            AddrClass::Multicast => "a multicast address",
            AddrClass::Broadcast => "the broadcast address",
            AddrClass::Documentation => "a documentation address",
            AddrClass::Benchmarking => "a benchmarking address",
            AddrClass::ThisNetwork => "a \"this network\" address",
            AddrClass::ProtocolAssignment => "a special-purpose protocol address",
            AddrClass::CloudMetadata => "a cloud metadata address",
            AddrClass::Reserved => "a reserved address",
            AddrClass::DeprecatedIpv4Compatible => "a deprecated IPv4-compatible address",
        }
    }
}

/// How an IPv6 address carries the IPv4 address it was judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Embedding {
    Ipv4Mapped,
    Ipv4Compatible,
    Nat64,
    SixToFour,
}

impl Embedding {
    fn describe(self) -> &'static str {
        match self {
            Embedding::Ipv4Mapped => "an IPv4-mapped",
            Embedding::Ipv4Compatible => "an IPv4-compatible",
            Embedding::Nat64 => "a NAT64",
            Embedding::SixToFour => "a 6to4",
        }
    }
}

/// An address the fetcher will not connect to, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub class: AddrClass,
    /// Set when an IPv6 address was refused for the IPv4 address inside it.
    pub embedded: Option<(Embedding, Ipv4Addr)>,
}

impl fmt::Display for Refusal {
    /// "a loopback address", or "an IPv4-mapped form of 127.0.0.1, a loopback address".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.embedded {
            None => f.write_str(self.class.describe()),
            Some((how, v4)) => write!(f, "{} form of {v4}, {}", how.describe(), self.class.describe()),
        }
    }
}

/// `None` when the fetcher may connect to `ip`; otherwise why not.
pub fn check(ip: IpAddr) -> Option<Refusal> {
    match ip {
        IpAddr::V4(v4) => check_v4(v4).map(|class| Refusal { class, embedded: None }),
        IpAddr::V6(v6) => check_v6(v6),
    }
}

/// Cloud metadata and platform endpoints. Most are inside ranges refused anyway; they are named
/// first so that the message says what the address really is. Azure's 168.63.129.16 is public
/// space, and refused only because it is listed here.
const METADATA_V4: [Ipv4Addr; 6] = [
    Ipv4Addr::new(169, 254, 169, 254), // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle…
    Ipv4Addr::new(169, 254, 170, 2),   // AWS ECS task metadata
    Ipv4Addr::new(169, 254, 170, 23),  // AWS EKS pod identity
    Ipv4Addr::new(100, 100, 100, 200), // Alibaba Cloud
    Ipv4Addr::new(168, 63, 129, 16),   // Azure wire server
    Ipv4Addr::new(192, 0, 0, 192),     // Oracle Cloud (classic)
];
const METADATA_V6: [Ipv6Addr; 2] = [
    Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254), // AWS IMDS over IPv6
    Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23),  // AWS EKS pod identity over IPv6
];

fn in_v4(ip: Ipv4Addr, net: [u8; 4], prefix: u32) -> bool {
    let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - prefix) };
    u32::from(ip) & mask == u32::from(Ipv4Addr::from(net)) & mask
}

fn in_v6(ip: Ipv6Addr, net: [u16; 8], prefix: u32) -> bool {
    let mask = if prefix == 0 { 0 } else { u128::MAX << (128 - prefix) };
    u128::from(ip) & mask == u128::from(Ipv6Addr::from(net)) & mask
}

fn check_v4(ip: Ipv4Addr) -> Option<AddrClass> {
    use AddrClass::*;
    if METADATA_V4.contains(&ip) {
        return Some(CloudMetadata);
    }
    let ranges: [([u8; 4], u32, AddrClass); 17] = [
        ([0, 0, 0, 0], 32, Unspecified),
        ([0, 0, 0, 0], 8, ThisNetwork),
        ([127, 0, 0, 0], 8, Loopback),
        ([10, 0, 0, 0], 8, Private),
        ([172, 16, 0, 0], 12, Private),
        ([192, 168, 0, 0], 16, Private),
        ([100, 64, 0, 0], 10, SharedCgnat),
        ([169, 254, 0, 0], 16, LinkLocal),
        ([192, 0, 0, 0], 24, ProtocolAssignment),
        ([192, 0, 2, 0], 24, Documentation),
        ([198, 51, 100, 0], 24, Documentation),
        ([203, 0, 113, 0], 24, Documentation),
        ([198, 18, 0, 0], 15, Benchmarking),
        ([192, 88, 99, 0], 24, Reserved),
        ([255, 255, 255, 255], 32, Broadcast),
        ([224, 0, 0, 0], 4, Multicast),
        ([240, 0, 0, 0], 4, Reserved),
    ];
    ranges.iter().find(|(net, prefix, _)| in_v4(ip, *net, *prefix)).map(|(_, _, class)| *class)
}

fn check_v6(ip: Ipv6Addr) -> Option<Refusal> {
    use AddrClass::*;
    let plain = |class| Some(Refusal { class, embedded: None });
    if METADATA_V6.contains(&ip) {
        return plain(CloudMetadata);
    }
    if ip.is_unspecified() {
        return plain(Unspecified);
    }
    if ip.is_loopback() {
        return plain(Loopback);
    }
    let bits = u128::from(ip);
    // The IPv4 address in the low 32 bits (mapped, compatible, NAT64).
    let low32 = Ipv4Addr::from((bits & 0xffff_ffff) as u32);
    let embedded =
        |how: Embedding, v4: Ipv4Addr| check_v4(v4).map(|class| Refusal { class, embedded: Some((how, v4)) });
    if in_v6(ip, [0, 0, 0, 0, 0, 0xffff, 0, 0], 96) {
        return embedded(Embedding::Ipv4Mapped, low32);
    }
    if in_v6(ip, [0; 8], 96) {
        return embedded(Embedding::Ipv4Compatible, low32).or(plain(DeprecatedIpv4Compatible));
    }
    if in_v6(ip, [0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96) {
        return embedded(Embedding::Nat64, low32);
    }
    if in_v6(ip, [0x2002, 0, 0, 0, 0, 0, 0, 0], 16) {
        let v4 = Ipv4Addr::from(((bits >> 80) & 0xffff_ffff) as u32);
        return embedded(Embedding::SixToFour, v4);
    }
    let ranges: [([u16; 8], u32, AddrClass); 10] = [
        ([0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48, Reserved),
        ([0x100, 0, 0, 0, 0, 0, 0, 0], 64, Reserved),
        ([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32, Documentation),
        ([0x2001, 0, 0, 0, 0, 0, 0, 0], 23, ProtocolAssignment),
        ([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20, Documentation),
        ([0x5f00, 0, 0, 0, 0, 0, 0, 0], 16, Reserved),
        ([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7, UniqueLocal),
        ([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10, LinkLocal),
        ([0xfec0, 0, 0, 0, 0, 0, 0, 0], 10, SiteLocal),
        ([0xff00, 0, 0, 0, 0, 0, 0, 0], 8, Multicast),
    ];
    if let Some((_, _, class)) = ranges.iter().find(|(net, prefix, _)| in_v6(ip, *net, *prefix)) {
        return plain(*class);
    }
    // Outside global unicast, IPv6 is unallocated: no server of an issuer lives there.
    if !in_v6(ip, [0x2000, 0, 0, 0, 0, 0, 0, 0], 3) {
        return plain(Reserved);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(s: &str) -> Option<AddrClass> {
        check(s.parse().expect("address")).map(|r| r.class)
    }

    #[test]
    fn the_table_of_addresses() {
        use AddrClass::*;
        let table: &[(&str, Option<AddrClass>)] = &[
            // Public addresses are allowed.
            ("8.8.8.8", None),
            ("1.1.1.1", None),
            ("93.184.216.34", None),
            ("172.15.255.255", None),
            ("172.32.0.1", None),
            ("100.63.255.255", None),
            ("100.128.0.1", None),
            ("169.253.255.255", None),
            ("192.0.1.1", None),
            ("198.17.255.255", None),
            ("198.20.0.1", None),
            ("223.255.255.255", None),
            ("2606:4700:4700::1111", None),
            ("2a00:1450:4007:80b::200e", None),
            ("::ffff:8.8.8.8", None),
            ("64:ff9b::808:808", None),
            ("2002:808:808::1", None),
            // IPv4.
            ("0.0.0.0", Some(Unspecified)),
            ("0.1.2.3", Some(ThisNetwork)),
            ("127.0.0.1", Some(Loopback)),
            ("127.255.255.254", Some(Loopback)),
            ("10.0.0.1", Some(Private)),
            ("172.16.0.1", Some(Private)),
            ("172.31.255.255", Some(Private)),
            ("192.168.1.1", Some(Private)),
            ("100.64.0.1", Some(SharedCgnat)),
            ("100.127.255.255", Some(SharedCgnat)),
            ("169.254.0.1", Some(LinkLocal)),
            ("192.0.0.8", Some(ProtocolAssignment)),
            ("192.0.2.1", Some(Documentation)),
            ("198.51.100.7", Some(Documentation)),
            ("203.0.113.9", Some(Documentation)),
            ("198.18.0.1", Some(Benchmarking)),
            ("198.19.255.255", Some(Benchmarking)),
            ("192.88.99.1", Some(Reserved)),
            ("224.0.0.1", Some(Multicast)),
            ("239.255.255.250", Some(Multicast)),
            ("240.0.0.1", Some(Reserved)),
            ("255.255.255.255", Some(Broadcast)),
            // Cloud metadata.
            ("169.254.169.254", Some(CloudMetadata)),
            ("169.254.170.2", Some(CloudMetadata)),
            ("100.100.100.200", Some(CloudMetadata)),
            ("168.63.129.16", Some(CloudMetadata)),
            ("192.0.0.192", Some(CloudMetadata)),
            ("fd00:ec2::254", Some(CloudMetadata)),
            // IPv6.
            ("::", Some(Unspecified)),
            ("::1", Some(Loopback)),
            ("fc00::1", Some(UniqueLocal)),
            ("fd12:3456::1", Some(UniqueLocal)),
            ("fe80::1", Some(LinkLocal)),
            ("febf::1", Some(LinkLocal)),
            ("fec0::1", Some(SiteLocal)),
            ("ff02::1", Some(Multicast)),
            ("2001:db8::1", Some(Documentation)),
            ("3fff::1", Some(Documentation)),
            ("2001::1", Some(ProtocolAssignment)),
            ("2001:2::1", Some(ProtocolAssignment)),
            ("100::1", Some(Reserved)),
            ("5f00::1", Some(Reserved)),
            ("64:ff9b:1::1", Some(Reserved)),
            ("4000::1", Some(Reserved)),
            ("1::1", Some(Reserved)),
            // IPv4 inside IPv6.
            ("::ffff:127.0.0.1", Some(Loopback)),
            ("::ffff:10.1.2.3", Some(Private)),
            ("::ffff:169.254.169.254", Some(CloudMetadata)),
            ("::127.0.0.1", Some(Loopback)),
            ("::8.8.8.8", Some(DeprecatedIpv4Compatible)),
            ("64:ff9b::7f00:1", Some(Loopback)),
            ("64:ff9b::a9fe:a9fe", Some(CloudMetadata)),
            ("2002:7f00:1::", Some(Loopback)),
            ("2002:c0a8:101::1", Some(Private)),
        ];
        for (addr, expected) in table {
            assert_eq!(refused(addr), *expected, "{addr}");
        }
    }

    #[test]
    fn refusals_read_as_sentences() {
        let r = check("::ffff:127.0.0.1".parse().expect("address")).expect("refused");
        assert_eq!(r.to_string(), "an IPv4-mapped form of 127.0.0.1, a loopback address");
        let r = check("10.0.0.1".parse().expect("address")).expect("refused");
        assert_eq!(r.to_string(), "a private address");
    }
}

//! The one loopback predicate: which hosts count as "this machine".
//!
//! Every spelling of a loopback address is loopback: IPv4 127.0.0.0/8 in any notation URL
//! parsers accept (`127.1`, `0x7f000001`, `2130706433`, `0177.0.0.1`), `::1`, IPv4-mapped
//! `::ffff:127.x.x.x`, with or without brackets. Names (`localhost` included) are resolved
//! first and are loopback only when every address they resolve to is.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, ToSocketAddrs};

/// True for 127.0.0.0/8, `::1` and IPv4-mapped 127.0.0.0/8.
pub fn is_loopback_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// Parses a host that is an IP literal, in any spelling: bracketed or bare IPv6, dotted
/// IPv4 with 1 to 4 parts, each decimal, `0x` hex or leading-zero octal. `None` for names.
pub fn parse_ip(host: &str) -> Option<IpAddr> {
    let host = host.trim();
    if let Some(inner) = host.strip_prefix('[') {
        return inner.strip_suffix(']')?.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6);
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Some(ip);
    }
    parse_ipv4_loose(host).map(IpAddr::V4)
}

/// The IPv4 number forms of the WHATWG URL host parser (and of `inet_aton`).
fn parse_ipv4_loose(host: &str) -> Option<Ipv4Addr> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let parts: Vec<&str> = host.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let nums = parts.iter().map(|p| parse_ipv4_number(p)).collect::<Option<Vec<u64>>>()?;
    let (last, head) = nums.split_last()?;
    if head.iter().any(|n| *n > 255) || *last >= 1u64 << (8 * (5 - nums.len())) {
        return None;
    }
    let mut value = *last;
    for (i, n) in head.iter().enumerate() {
        value += n << (8 * (3 - i));
    }
    Some(Ipv4Addr::from(u32::try_from(value).ok()?))
}

fn parse_ipv4_number(part: &str) -> Option<u64> {
    if part.is_empty() {
        return None;
    }
    let (digits, radix) = if let Some(h) = part.strip_prefix("0x").or(part.strip_prefix("0X")) {
        (h, 16)
    } else if part.len() > 1 && part.starts_with('0') {
        (&part[1..], 8)
    } else {
        (part, 10)
    };
    if digits.is_empty() {
        // "0x" alone is zero, as URL parsers read it.
        return (radix == 16).then_some(0);
    }
    if !digits.chars().all(|c| c.is_digit(radix)) || digits.len() > 11 {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// The answer for one host: loopback, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostCheck {
    Loopback,
    /// The host is, or resolves to, this non-loopback address.
    NotLoopback(IpAddr),
    /// The name did not resolve (the resolver's message).
    Unresolved(String),
}

/// Resolves `host` (IP literals need no resolver) and decides.
pub fn check_host(host: &str) -> HostCheck {
    match resolve(host, 0) {
        Ok(addrs) if addrs.is_empty() => HostCheck::Unresolved("no address".into()),
        Ok(addrs) => match addrs.iter().find(|a| !is_loopback_ip(a.ip())) {
            Some(a) => HostCheck::NotLoopback(a.ip()),
            None => HostCheck::Loopback,
        },
        Err(e) => HostCheck::Unresolved(e.to_string()),
    }
}

/// True when `host` (no port) is, or resolves only to, loopback addresses.
pub fn is_loopback_host(host: &str) -> bool {
    check_host(host) == HostCheck::Loopback
}

/// True when `host[:port]` (an endpoint, `[v6]:port` bracketed) is loopback.
pub fn is_loopback_authority(authority: &str) -> bool {
    is_loopback_host(host_of_authority(authority))
}

/// The host part of `host[:port]`, `[v6][:port]` or a bare IPv6 address.
pub fn host_of_authority(authority: &str) -> &str {
    let a = authority.trim();
    if a.starts_with('[') {
        return a.find(']').map_or(a, |end| &a[..=end]);
    }
    if a.parse::<IpAddr>().is_ok() {
        return a;
    }
    match a.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => a,
    }
}

/// Blocking resolution with the system resolver; literals in any spelling skip it.
pub fn resolve(host: &str, port: u16) -> std::io::Result<Vec<SocketAddr>> {
    if let Some(ip) = parse_ip(host) {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let name = host.trim().trim_end_matches('.');
    if name.is_empty() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "empty host"));
    }
    Ok((name, port).to_socket_addrs()?.collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_loopback_and_nothing_else() {
        let loopback = [
            "127.0.0.1",
            "127.1",
            "127.0.1",
            "0x7f000001",
            "0X7F.1",
            "2130706433",
            "0177.0.0.1",
            "0x7f.0.0.1",
            "127.255.255.254",
            "127.0.0.1.",
            "::1",
            "[::1]",
            "0:0:0:0:0:0:0:1",
            "::ffff:127.0.0.1",
            "[::ffff:127.0.0.1]",
            "[::ffff:7f00:1]",
            "localhost",
            "LOCALHOST",
        ];
        for h in loopback {
            assert_eq!(check_host(h), HostCheck::Loopback, "{h}");
        }
        let not_loopback = [
            "10.0.0.1",
            "0.0.0.0",
            "128.0.0.1",
            "2130706431",
            "0x80000001",
            "::",
            "[::ffff:10.0.0.1]",
            "::127.0.0.1",
            "2001:db8::1",
            "[2001:db8::1]",
            "169.254.169.254",
        ];
        for h in not_loopback {
            assert!(matches!(check_host(h), HostCheck::NotLoopback(_)), "{h}");
        }
        for h in ["", "127.0.0.1.1.1", "256.256.256.256.1", "0x7g000001", "[::1", "pts.invalid"] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn loose_ipv4_forms_parse_like_url_hosts() {
        let table = [
            ("127.1", "127.0.0.1"),
            ("0x7f000001", "127.0.0.1"),
            ("2130706433", "127.0.0.1"),
            ("0177.0.0.1", "127.0.0.1"),
            ("1.2.3", "1.2.0.3"),
            ("1.65536", "1.1.0.0"),
            ("0x", "0.0.0.0"),
        ];
        for (host, want) in table {
            assert_eq!(parse_ip(host), Some(want.parse().unwrap()), "{host}");
        }
        for bad in ["1.2.3.256", "1.16777216", "08.0.0.1", "4294967296", "a.b.c.d", "1..2"] {
            assert_eq!(parse_ip(bad), None, "{bad}");
        }
    }

    #[test]
    fn authorities_split_off_their_port() {
        let table = [
            ("127.0.0.1:8080", "127.0.0.1", true),
            ("[::1]:9", "[::1]", true),
            ("::1", "::1", true),
            ("localhost:1", "localhost", true),
            ("127.1:80", "127.1", true),
            ("[::ffff:127.0.0.1]:80", "[::ffff:127.0.0.1]", true),
            ("10.0.0.1:80", "10.0.0.1", false),
            ("[2001:db8::1]:80", "[2001:db8::1]", false),
            ("example.invalid:127", "example.invalid", false),
        ];
        for (authority, host, loopback) in table {
            assert_eq!(host_of_authority(authority), host, "{authority}");
            assert_eq!(is_loopback_authority(authority), loopback, "{authority}");
        }
    }
}

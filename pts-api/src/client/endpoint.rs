//! Endpoint resolution: an explicit endpoint as given, else the central PTS endpoint.

/// The central PTS endpoint; the region id plays no part in it.
pub const CENTRAL_ENDPOINT: &str = "pts.aliyuncs.com";

/// `http` or `https` (the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protocol {
    Http,
    #[default]
    Https,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Https => "https",
        }
    }
}

impl std::str::FromStr for Protocol {
    type Err = String;
    /// `http` or `https`, any case (the SDK's config says `HTTP`/`HTTPS`).
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "http" => Ok(Protocol::Http),
            "https" => Ok(Protocol::Https),
            _ => Err(format!("unknown protocol {s:?} (expected http or https)")),
        }
    }
}

/// The host (`host` or `host:port`) requests go to:
/// 1. an explicit endpoint, used verbatim (it is also the `host` header);
/// 2. otherwise the central rule: `pts.aliyuncs.com`, or `pts-<network>.aliyuncs.com` when a
///    network other than `public` is set (`vpc` gives `pts-vpc.aliyuncs.com`).
///
/// PTS configures no region→endpoint map and the SDK's `suffix` setting is ignored, so the
/// region never changes the endpoint.
pub fn resolve_endpoint(endpoint: Option<&str>, network: Option<&str>) -> String {
    if let Some(e) = endpoint.filter(|e| !e.is_empty()) {
        return e.to_string();
    }
    match network.map(str::trim).filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case("public")) {
        Some(n) => format!("pts-{}.aliyuncs.com", n.to_ascii_lowercase()),
        None => CENTRAL_ENDPOINT.to_string(),
    }
}

/// Splits an endpoint a user may have written as a URL (`http://127.0.0.1:8080/`) into its
/// protocol and bare `host[:port]`. A bare endpoint is returned unchanged.
pub fn split_endpoint(endpoint: &str) -> (Option<Protocol>, &str) {
    let e = endpoint.trim();
    let (proto, rest) = if let Some(r) = e.strip_prefix("https://") {
        (Some(Protocol::Https), r)
    } else if let Some(r) = e.strip_prefix("http://") {
        (Some(Protocol::Http), r)
    } else {
        (None, e)
    };
    (proto, rest.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolution() {
        assert_eq!(resolve_endpoint(None, None), "pts.aliyuncs.com");
        assert_eq!(resolve_endpoint(None, Some("public")), "pts.aliyuncs.com");
        assert_eq!(resolve_endpoint(None, Some("vpc")), "pts-vpc.aliyuncs.com");
        assert_eq!(resolve_endpoint(Some("127.0.0.1:9"), Some("vpc")), "127.0.0.1:9");
        assert_eq!(split_endpoint("http://127.0.0.1:9/"), (Some(Protocol::Http), "127.0.0.1:9"));
        assert_eq!(split_endpoint("pts.aliyuncs.com"), (None, "pts.aliyuncs.com"));
    }
}

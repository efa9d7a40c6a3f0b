//! Target safety: every connection goes to loopback unless its host is allow-listed.
//!
//! Checked twice: before the run starts (`Safety::precheck`, the error names the host), and at
//! every new connection (`Safety::resolve`), because DNS answers can change during a run and
//! templated hosts (`http://${host}/`) are only known then.

use super::error::EngineError;
use pts_api::__private::net::{is_loopback_ip, parse_ip};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

pub(crate) use pts_api::rules::targets::norm_host;

#[derive(Debug, Clone, Default)]
pub(crate) struct Safety {
    allow: Vec<String>,
    bindings: HashMap<String, Vec<IpAddr>>,
}

impl Safety {
    pub(crate) fn new(allow: &[String], bindings: HashMap<String, Vec<IpAddr>>) -> Self {
        Safety { allow: allow.iter().map(|h| norm_host(h)).collect(), bindings }
    }

    fn allowed(&self, host: &str) -> bool {
        self.allow.iter().any(|a| a == host)
    }

    /// Pre-run check of one host (normalised). Resolves names with the system resolver.
    pub(crate) fn precheck(&self, host: &str, port: u16) -> Result<(), EngineError> {
        let deny =
            |reason: String| EngineError::TargetNotAllowed { host: host.to_string(), reason };
        if self.allowed(host) {
            return Ok(());
        }
        if let Some(ips) = self.bindings.get(host) {
            return match ips.iter().find(|ip| !is_loopback_ip(**ip)) {
                Some(ip) => Err(deny(format!(
                    "bound to {ip}, which is not loopback (use --allow-target {host})"
                ))),
                None => Ok(()),
            };
        }
        if let Some(ip) = parse_ip(host) {
            return if is_loopback_ip(ip) {
                Ok(())
            } else {
                Err(deny(format!("{ip} is not loopback (use --allow-target {host})")))
            };
        }
        let addrs: Vec<SocketAddr> = pts_api::__private::net::resolve(host, port)
            .map_err(|e| deny(format!("cannot be resolved: {e}")))?;
        if addrs.is_empty() {
            return Err(deny("resolves to no address".into()));
        }
        match addrs.iter().find(|a| !is_loopback_ip(a.ip())) {
            Some(a) => Err(deny(format!(
                "resolves to {}, which is not loopback (use --allow-target {host})",
                a.ip()
            ))),
            None => Ok(()),
        }
    }

    /// Connect-time resolution: the addresses to try, all checked. `Err((refused, message))`:
    /// `refused` is true when the safety rule (not the resolver) said no.
    pub(crate) async fn resolve(
        &self,
        host: &str,
        port: u16,
    ) -> Result<Vec<SocketAddr>, (bool, String)> {
        let allowed = self.allowed(host);
        let addrs: Vec<SocketAddr> = if let Some(ips) = self.bindings.get(host) {
            ips.iter().map(|ip| SocketAddr::new(*ip, port)).collect()
        } else if let Some(ip) = parse_ip(host) {
            vec![SocketAddr::new(ip, port)]
        } else {
            tokio::net::lookup_host((host, port))
                .await
                .map_err(|e| (false, format!("cannot resolve {host}: {e}")))?
                .collect()
        };
        if addrs.is_empty() {
            return Err((false, format!("{host} resolves to no address")));
        }
        if !allowed && let Some(a) = addrs.iter().find(|a| !is_loopback_ip(a.ip())) {
            return Err((
                true,
                format!("target {host} resolved to non-loopback {}; refused", a.ip()),
            ));
        }
        Ok(addrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_rules() {
        let s = Safety::new(&["Allowed.Example".into()], HashMap::new());
        assert!(s.precheck("allowed.example", 80).is_ok());
        let e = s.precheck("10.0.0.1", 80).unwrap_err();
        assert!(e.to_string().contains("10.0.0.1"), "{e}");
        assert!(s.precheck("127.0.0.1", 80).is_ok());
        for h in ["::1", "127.1", "0x7f000001", "2130706433", "0177.0.0.1", "::ffff:127.0.0.1"] {
            assert!(s.precheck(h, 80).is_ok(), "{h}");
        }
        assert!(s.precheck("0x0a000001", 80).is_err());
    }
}

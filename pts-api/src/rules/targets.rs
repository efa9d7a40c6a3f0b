//! Target hosts: domain bindings pin names to IP addresses; where load may only go to this
//! machine, every host known before the run must be loopback (by the one predicate of
//! `net`). Names that need the resolver, or come from variables, are checked when
//! the load engine connects.

use super::violation::{Violation, api_path};
use crate::net::{HostCheck, check_host, is_loopback_ip};
use crate::shapes::scene::Scene;
use std::net::IpAddr;

/// A host as written in a URL or a binding: without `[...]`, lower case.
pub fn norm_host(host: &str) -> String {
    host.trim().trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase()
}

/// The host of an absolute `http(s)://` URL without variables, if it has one.
pub fn static_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.contains("${") || authority.is_empty() {
        return None;
    }
    let host = crate::net::host_of_authority(authority.rsplit('@').next()?);
    Some(norm_host(host))
}

pub(super) fn check(s: &Scene, out: &mut Vec<Violation>) {
    for (k, b) in bindings(s).iter().enumerate() {
        if let (_, Err(m)) = b {
            out.push(Violation::new(format!("Scene.AdvanceSetting.DomainBindingList[{k}].Ips"), m));
        }
    }
}

type Binding = (String, Result<Vec<IpAddr>, String>);

/// Each domain binding: its normalised domain and its addresses (or why one is not an IP).
fn bindings(s: &Scene) -> Vec<Binding> {
    s.advance_setting
        .iter()
        .flat_map(|a| a.domain_binding_list.iter().flatten())
        .map(|b| {
            let domain = norm_host(b.domain.as_deref().unwrap_or(""));
            let ips = b
                .ips
                .iter()
                .flatten()
                .map(|ip| {
                    ip.trim()
                        .parse::<IpAddr>()
                        .map_err(|_| format!("must hold IP addresses (got {ip:?})"))
                })
                .collect();
            (domain, ips)
        })
        .collect()
}

/// Domain bindings with a domain and at least one address, for the load engine.
pub fn binding_map(s: &Scene) -> std::collections::HashMap<String, Vec<IpAddr>> {
    bindings(s)
        .into_iter()
        .filter_map(|(d, ips)| {
            Some((d, ips.ok()?)).filter(|(d, ips)| !d.is_empty() && !ips.is_empty())
        })
        .collect()
}

/// Where load may only go to this machine: every URL whose host is not loopback, not bound
/// to loopback addresses only, and not in `allow`. Names are resolved with the system
/// resolver; a host that cannot be read before the run (a variable) is refused too.
pub fn not_loopback(s: &Scene, allow: &[String]) -> Vec<Violation> {
    let allowed = |h: &str| allow.iter().any(|a| norm_host(a) == h);
    let bound = bindings(s);
    let mut out = Vec::new();
    for (i, r) in s.relation_list.iter().enumerate() {
        for (j, a) in r.api_list.iter().enumerate() {
            let why = match static_host(&a.url) {
                None => Some("cannot be read before the run".to_string()),
                Some(h) if allowed(&h) => None,
                Some(h) => match bound.iter().find(|(d, _)| *d == h) {
                    Some((_, Ok(ips)))
                        if !ips.is_empty() && ips.iter().all(|ip| is_loopback_ip(*ip)) =>
                    {
                        None
                    }
                    Some(_) => Some(format!("{h} is bound to an address that is not loopback")),
                    None => match check_host(&h) {
                        HostCheck::Loopback => None,
                        HostCheck::NotLoopback(ip) if ip.to_string() == h => {
                            Some(format!("{h} is not loopback"))
                        }
                        HostCheck::NotLoopback(ip) => Some(format!("{h} ({ip}) is not loopback")),
                        HostCheck::Unresolved(e) => Some(format!("{h} cannot be resolved ({e})")),
                    },
                },
            };
            if let Some(why) = why {
                out.push(Violation::new(
                    format!("{}.Url", api_path(i, j)),
                    format!("must target this machine (loopback, or a host given with --allow-target): {why}"),
                ));
            }
        }
    }
    out
}

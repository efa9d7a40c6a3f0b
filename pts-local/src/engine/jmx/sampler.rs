//! One HTTP sampler with its scope: constants substituted, URL built, body encoded.

use super::elements::Scope;
use super::types::JmxSampler;
use super::xml::{At, Consts, arguments, bool_prop, form_encode, prop_node, refs_in};
use crate::engine::error::EngineError;
use crate::engine::plan::parse_method;

/// One HTTP sampler with its scope: constants substituted, URL built, body encoded.
pub(super) fn sampler(
    at: &At<'_, '_>,
    scope: &Scope,
    c: &Consts,
) -> Result<JmxSampler, EngineError> {
    let e = at.node;
    if bool_prop(e, "HTTPSampler.image_parser") == Some(true) {
        return Err(
            at.err("HTTPSampler.image_parser", "downloading embedded resources is not supported")
        );
    }
    if prop_node(e, "HTTPsampler.Files")
        .is_some_and(|f| f.descendants().any(|d| d.attribute("elementType") == Some("HTTPFileArg")))
    {
        return Err(at.err("HTTPsampler.Files", "file uploads are not supported"));
    }
    if bool_prop(e, "HTTPSampler.DO_MULTIPART_POST") == Some(true) {
        return Err(at.err("HTTPSampler.DO_MULTIPART_POST", "multipart bodies are not supported"));
    }
    let mut refs = Vec::new();
    let get = |k: &str| {
        at.text(c, &format!("HTTPSampler.{k}"))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .or_else(|| scope.defaults.get(k).map(|v| c.subst(v)))
    };
    let method = get("method").unwrap_or_else(|| "GET".into()).to_ascii_uppercase();
    if method.contains("${") {
        return Err(at.err(
            "HTTPSampler.method",
            format!(
                "`{method}` must be known at load (a User Defined Variable), not set during the run"
            ),
        ));
    }
    parse_method(&method).map_err(|why| at.err("HTTPSampler.method", why))?;
    let protocol = get("protocol").unwrap_or_else(|| "http".into()).to_ascii_lowercase();
    let path_s = get("path").unwrap_or_else(|| "/".into());
    let domain = get("domain");
    let mut url = if path_s.contains("://") || (domain.is_none() && path_s.starts_with("${")) {
        // A full URL, or a variable that will hold one.
        refs_in(&path_s, "HTTPSampler.path", &mut refs);
        path_s
    } else {
        let domain = domain.ok_or_else(|| {
            at.err(
                "HTTPSampler.domain",
                "is empty and no HTTP Request Defaults or full URL in the path supply it",
            )
        })?;
        let port = get("port").map(|p| format!(":{p}")).unwrap_or_default();
        let slash = if path_s.starts_with('/') { "" } else { "/" };
        for (k, v) in
            [("protocol", &protocol), ("domain", &domain), ("port", &port), ("path", &path_s)]
        {
            refs_in(v, &format!("HTTPSampler.{k}"), &mut refs);
        }
        format!("{protocol}://{domain}{port}{slash}{path_s}")
    };
    let args: Vec<(String, String)> = prop_node(e, "HTTPsampler.Arguments")
        .map(arguments)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (c.subst(&k), c.subst(&v)))
        .collect();
    for (k, v) in &args {
        refs_in(&format!("{k}{v}"), "HTTPsampler.Arguments", &mut refs);
    }
    let raw = bool_prop(e, "HTTPSampler.postBodyRaw").unwrap_or(false);
    let mut body = None;
    let mut content_type = None;
    let query_method = matches!(method.as_str(), "GET" | "HEAD" | "DELETE" | "OPTIONS");
    if raw {
        body = Some(args.iter().map(|(_, v)| v.as_str()).collect::<String>());
    } else if !args.is_empty() {
        let enc = args
            .iter()
            .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        if query_method {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&enc);
        } else {
            body = Some(enc);
            content_type = Some("application/x-www-form-urlencoded".to_string());
        }
    }
    for (n, v) in &scope.headers {
        refs_in(v, &format!("HeaderManager header `{n}`"), &mut refs);
    }
    let follow = bool_prop(e, "HTTPSampler.follow_redirects").unwrap_or(false)
        || bool_prop(e, "HTTPSampler.auto_redirects").unwrap_or(false);
    let ms = |k: &str| -> Result<u64, EngineError> {
        let v = get(k).unwrap_or_default();
        if v.is_empty() {
            return Ok(0);
        }
        v.parse::<i64>()
            .map(|n| n.max(0) as u64)
            .map_err(|_| at.err(&format!("HTTPSampler.{k}"), format!("`{v}` is not a number")))
    };
    let total = ms("connect_timeout")? + ms("response_timeout")?;
    Ok(JmxSampler {
        name: e.attribute("testname").unwrap_or("HTTP Request").to_string(),
        at: at.describe(),
        method,
        url,
        headers: scope.headers.clone(),
        body,
        content_type,
        follow_redirects: follow,
        timeout_ms: (total > 0).then_some(total),
        think_ms: scope.think_ms,
        timers: scope.timers.clone(),
        checks: scope.checks.clone(),
        extractors: scope.extractors.clone(),
        refs,
    })
}

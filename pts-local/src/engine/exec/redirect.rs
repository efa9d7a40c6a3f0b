//! Following redirects: the next hop's request and the exchange's progress across hops.

use crate::engine::http::{Pool, Resp, Timing, XErr};
use crate::engine::jmx::cookies::CookieJar;
use crate::engine::plan::{ApiPlan, PrepareError, Prepared, prepare};
use crate::engine::safety::Safety;
use crate::engine::stats::FailureReason;
use http::{Method, StatusCode};

fn redirect(prev: &Prepared, status: StatusCode, location: &str) -> Result<Prepared, PrepareError> {
    let loc = location.trim();
    let url = if loc.contains("://") {
        loc.to_string()
    } else if let Some(rest) = loc.strip_prefix("//") {
        format!("{}://{rest}", if prev.tls { "https" } else { "http" })
    } else {
        let after = prev.url.find("://").map(|i| i + 3).unwrap_or(0);
        let auth_end = prev.url[after..].find('/').map(|e| e + after).unwrap_or(prev.url.len());
        let origin = &prev.url[..auth_end];
        if loc.starts_with('/') {
            format!("{origin}{loc}")
        } else {
            let path = prev.uri.path();
            let dir = &path[..path.rfind('/').map(|i| i + 1).unwrap_or(0)];
            format!("{origin}{dir}{loc}")
        }
    };
    let to_get = status == StatusCode::SEE_OTHER && prev.method != Method::HEAD
        || (matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND)
            && prev.method == Method::POST);
    let method = if to_get { Method::GET } else { prev.method.clone() };
    let headers: Vec<(&str, &str)> = prev
        .headers
        .iter()
        .filter(|(n, _)| {
            *n != http::header::HOST
                && !(to_get
                    && (*n == http::header::CONTENT_TYPE || *n == http::header::CONTENT_LENGTH))
        })
        .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?)))
        .collect();
    let body = if to_get { None } else { std::str::from_utf8(&prev.body).ok() };
    prepare(&method, &url, &headers, body, None)
}

/// Progress of one exchange across redirect hops.
#[derive(Default)]
pub(super) struct Hops {
    pub(super) timing: Timing,
    pub(super) count: u8,
    pub(super) bytes_out: u64,
}

pub(super) async fn follow(
    pool: &mut Pool,
    safety: &Safety,
    api: &ApiPlan,
    first: &Prepared,
    cap: Option<usize>,
    st: &mut Hops,
    mut jar: Option<&mut CookieJar>,
) -> Result<Box<Resp>, XErr> {
    // Redirect hops own their request; boxed to keep this future small on the hot path.
    let mut hop: Option<Box<Prepared>> = None;
    loop {
        let cur: &Prepared = hop.as_deref().unwrap_or(first);
        st.bytes_out += cur.bytes_out;
        let resp = pool.send(cur, safety, cap, &mut st.timing).await?;
        // JMeter Cookie Manager: every hop's cookies are kept, and sent on the next hop.
        if let Some(j) = jar.as_deref_mut() {
            j.store(cur, &resp.headers);
        }
        let location = (api.max_redirects > 0 && resp.status.is_redirection())
            .then(|| resp.headers.get(http::header::LOCATION).and_then(|v| v.to_str().ok()))
            .flatten();
        let Some(loc) = location else {
            return Ok(resp);
        };
        if st.count >= api.max_redirects {
            return Err((
                FailureReason::TooManyRedirects,
                format!("more than {} redirects", api.max_redirects),
            ));
        }
        st.count += 1;
        let next = redirect(cur, resp.status, loc)
            .map_err(|e| (FailureReason::InvalidRequest, format!("redirect: {}", e.message())))?;
        hop = Some(Box::new(match jar.as_deref() {
            Some(j) => j.apply(next),
            None => next,
        }));
    }
}

//! One API exchange: send, redirects, timeout, exports, checkpoints, sample log.

use super::deadline::with_deadline;
use super::redirect::{Hops, follow};
use super::vu::{Limits, SampleCtx, Vu};
use crate::engine::check::{
    ExportKind, SizeOf, Subject, boundary_extract, eval, json_lookup, regex_extract,
};
use crate::engine::plan::{ApiPlan, Plan, Prepared, render};
use crate::engine::safety::Safety;
use crate::engine::sample::{CheckOutcome, ExportOutcome, SampleHeader, SampleLog, truncate};
use crate::engine::stats::{FailureReason, Outcome};
use crate::ids::now_ms;
use std::time::Instant;

/// Runs API `api` once. `intended`: the scheduled send time (RPS mode) latency is measured from.
pub(crate) async fn exec(
    vu: &mut Vu,
    plan: &Plan,
    safety: &Safety,
    api: &ApiPlan,
    intended: Option<Instant>,
    limits: Limits,
    sample: Option<SampleCtx<'_>>,
) -> (Outcome, Option<SampleLog>) {
    let start = Instant::now();
    let base = intended.filter(|t| *t < start).unwrap_or(start);
    let ts = if sample.is_some() { now_ms() } else { 0 };
    let imports: Vec<(String, Option<String>)> = match &sample {
        Some(_) => api
            .imports
            .iter()
            .map(|(id, name)| (name.clone(), vu.vars.get(*id as usize).cloned().flatten()))
            .collect(),
        None => Vec::new(),
    };
    let owned: Box<Prepared>;
    let prep: &Prepared = match &api.fixed {
        Some(p) => p,
        None => match render(api, &vu.vars) {
            Ok(p) => {
                owned = Box::new(p);
                &owned
            }
            Err(e) => {
                let o = Outcome {
                    reason: Some(FailureReason::InvalidRequest),
                    rt_us: base.elapsed().as_micros() as u64,
                    ..Outcome::default()
                };
                let s = sample.map(|c| {
                    let mut s = blank_sample(&c, vu, api, ts, imports);
                    s.url = api.url.render(&vu.vars);
                    s.failure = o.reason;
                    s.fail_message = Some(e.message());
                    s
                });
                return (o, s);
            }
        },
    };
    let want_body = api.needs_body || sample.is_some();
    let cap = want_body.then(|| {
        if sample.is_some() { limits.inspect.max(limits.sample_body) } else { limits.inspect }
    });
    // JMeter Cookie Manager: the virtual user's cookies for this host and path.
    let with_cookies: Box<Prepared>;
    let prep: &Prepared = match vu.cookies.as_ref().and_then(|j| j.with_cookies(prep)) {
        Some(p) => {
            with_cookies = Box::new(p);
            &with_cookies
        }
        None => prep,
    };
    let mut st = Hops::default();
    st.timing.measure = sample.is_some();
    vu.deadline.arm(start + api.timeout);
    let res = with_deadline(
        &vu.deadline,
        follow(&mut vu.pool, safety, api, prep, cap, &mut st, vu.cookies.as_mut()),
    )
    .await;
    vu.deadline.disarm();
    let done = Instant::now();
    let rt_us = done.saturating_duration_since(base).as_micros() as u64;
    let mut out =
        Outcome { rt_us, done: Some(done), bytes_out: st.bytes_out, ..Outcome::default() };
    let mut fail_msg = None;
    let resp = match res {
        None if vu.deadline.cancelled.get() => {
            vu.pool.clear();
            out.reason = Some(FailureReason::Cancelled);
            fail_msg = Some("cancelled in flight: the run stopped".into());
            None
        }
        None => {
            vu.pool.clear();
            out.reason = Some(FailureReason::Timeout);
            fail_msg = Some(format!("no response within {} s", api.timeout.as_secs_f64()));
            None
        }
        Some(Err((reason, msg))) => {
            out.reason = Some(reason);
            fail_msg = Some(msg);
            None
        }
        Some(Ok(resp)) => Some(resp),
    };
    let mut exports_out = Vec::new();
    let mut checks_out = Vec::new();
    if let Some(r) = &resp {
        let status = r.status.as_u16();
        out.status = status;
        out.bytes_in = r.head_len + r.body_len;
        if !plan.is_success(status, api.max_redirects > 0) {
            out.reason = Some(FailureReason::HttpStatus);
            fail_msg = Some(format!("status {status} is not a success"));
        }
        let text = r.body.as_deref().map(String::from_utf8_lossy);
        let text = text
            .as_deref()
            .map(|t| if t.len() > limits.inspect { &t[..floor(t, limits.inspect)] } else { t });
        let mut json: Option<Option<serde_json::Value>> = None;
        let mut export_failed = false;
        for ex in &api.exports {
            let value = match &ex.kind {
                ExportKind::StatusCode => Some(status.to_string()),
                ExportKind::Header(h) => {
                    r.headers.get(h.as_str()).and_then(|v| v.to_str().ok()).map(str::to_string)
                }
                ExportKind::BodyText(re, which) => {
                    text.and_then(|t| regex_extract(re, *which, t, &mut vu.rng))
                }
                ExportKind::BodyJson(path) => json
                    .get_or_insert_with(|| text.and_then(|t| serde_json::from_str(t).ok()))
                    .as_ref()
                    .and_then(|v| json_lookup(v, path)),
                ExportKind::HeadersText(re, which) => {
                    regex_extract(re, *which, &header_lines(&r.headers), &mut vu.rng)
                }
                ExportKind::Boundary { left, right, which, headers } => {
                    let lines;
                    let t = if *headers {
                        lines = header_lines(&r.headers);
                        Some(lines.as_str())
                    } else {
                        text
                    };
                    t.and_then(|t| boundary_extract(t, left, right, *which, &mut vu.rng))
                }
            };
            if ex.soft && value.is_none() {
                if let Some(d) = &ex.default {
                    vu.vars[ex.var as usize] = Some(d.clone());
                }
                continue;
            }
            export_failed |= value.is_none();
            if sample.is_some() {
                exports_out.push(ExportOutcome {
                    name: ex.name.clone(),
                    export_type: ex.type_name.clone(),
                    expression: ex.expr.clone(),
                    count: ex.count.clone(),
                    value: value.clone(),
                });
            }
            vu.vars[ex.var as usize] = value;
        }
        let mut check_failed = false;
        for g in &api.checks {
            let mut any = false;
            let mut all = true;
            for c in &g.checks {
                let status_s;
                let all_headers;
                let real: Option<&str> = match &c.subject {
                    Subject::StatusCode => {
                        status_s = status.to_string();
                        Some(&status_s)
                    }
                    Subject::Header(h) => r.headers.get(h.as_str()).and_then(|v| v.to_str().ok()),
                    Subject::BodyText => Some(text.unwrap_or("")),
                    Subject::ExportedParam(id) => {
                        id.and_then(|i| vu.vars.get(i as usize)).and_then(|v| v.as_deref())
                    }
                    Subject::AllHeaders => {
                        all_headers = header_lines(&r.headers);
                        Some(&all_headers)
                    }
                    Subject::StatusMessage => r.status.canonical_reason().or(Some("")),
                    Subject::ElapsedMs => {
                        status_s = (rt_us / 1000).to_string();
                        Some(&status_s)
                    }
                    Subject::Size(of) => {
                        status_s = match of {
                            SizeOf::Whole => r.head_len + r.body_len,
                            SizeOf::Body => r.body_len,
                            SizeOf::Headers => r.head_len,
                        }
                        .to_string();
                        Some(&status_s)
                    }
                    Subject::BodyJson(path) => {
                        let found = json
                            .get_or_insert_with(|| text.and_then(|t| serde_json::from_str(t).ok()))
                            .as_ref()
                            .and_then(|v| json_lookup(v, path));
                        match found {
                            Some(v) => {
                                all_headers = v;
                                Some(all_headers.as_str())
                            }
                            None => None,
                        }
                    }
                };
                let hit = eval(&c.op, real, &c.expect);
                any |= hit;
                all &= hit;
                if sample.is_some() {
                    checks_out.push(CheckOutcome {
                        check_type: c.type_name.clone(),
                        check_point: c.point.clone(),
                        operator: c.op_name.clone(),
                        expect: c.expect.clone(),
                        real_value: real.map(|v| truncate(v, 1024).0),
                        hit,
                    });
                }
            }
            check_failed |= if g.any { !any } else { !all };
        }
        if out.reason.is_none() {
            if check_failed {
                out.reason = Some(FailureReason::CheckpointFailed);
                fail_msg = Some("checkpoint failed".into());
            } else if export_failed {
                out.reason = Some(FailureReason::ExportFailed);
                fail_msg = Some("export found nothing".into());
            }
        }
    }
    let sample = sample.map(|c| {
        let mut s = blank_sample(&c, vu, api, ts, imports);
        s.url = prep.url.clone();
        s.request_headers = prep
            .headers
            .iter()
            .map(|(n, v)| SampleHeader::new(n.as_str(), v.to_str().unwrap_or("")))
            .collect();
        let (b, t) = truncate(&String::from_utf8_lossy(&prep.body), limits.sample_body);
        s.request_body = b;
        s.request_body_truncated = t;
        if let Some(r) = &resp {
            s.status = Some(r.status.as_u16());
            s.reason_phrase = r.status.canonical_reason().map(str::to_string);
            s.response_headers = r
                .headers
                .iter()
                .map(|(n, v)| SampleHeader::new(n.as_str(), v.to_str().unwrap_or("")))
                .collect();
            let body = r.body.as_deref().unwrap_or(&[]);
            let (b, t) = truncate(&String::from_utf8_lossy(body), limits.sample_body);
            s.response_body = b;
            s.response_body_truncated = t || r.body_len as usize > body.len();
        }
        s.failure = out.reason;
        s.fail_message = fail_msg;
        s.success = out.reason.is_none();
        s.rt_ms = rt_us as f64 / 1000.0;
        s.connect_us = st.timing.connect_us;
        s.tls_us = st.timing.tls_us;
        s.first_byte_us = st.timing.first_byte_us;
        s.redirects = st.count;
        s.bytes_in = out.bytes_in;
        s.bytes_out = out.bytes_out;
        s.exports = exports_out;
        s.checks = checks_out;
        s
    });
    (out, sample)
}

/// All headers as `Name: value` lines (what JMeter's header fields see).
fn header_lines(h: &http::HeaderMap) -> String {
    h.iter().map(|(n, v)| format!("{}: {}\n", n, v.to_str().unwrap_or(""))).collect()
}

fn floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn blank_sample(
    c: &SampleCtx<'_>,
    vu: &Vu,
    api: &ApiPlan,
    ts: i64,
    imports: Vec<(String, Option<String>)>,
) -> SampleLog {
    let rel = &c.plan.relations[c.relation_index];
    SampleLog {
        timestamp_ms: ts,
        relation_index: c.relation_index,
        relation_id: rel.id.clone(),
        relation_name: rel.name.clone(),
        api_index: c.api_index,
        api_id: api.id.clone(),
        api_name: api.name.clone(),
        thread: vu.thread.clone(),
        method: api.method.as_str().to_string(),
        url: String::new(),
        request_headers: Vec::new(),
        request_body: String::new(),
        request_body_truncated: false,
        status: None,
        reason_phrase: None,
        response_headers: Vec::new(),
        response_body: String::new(),
        response_body_truncated: false,
        failure: None,
        fail_message: None,
        success: false,
        rt_ms: 0.0,
        connect_us: None,
        tls_us: None,
        first_byte_us: 0,
        redirects: 0,
        bytes_out: 0,
        bytes_in: 0,
        imports,
        exports: Vec::new(),
        checks: Vec::new(),
    }
}

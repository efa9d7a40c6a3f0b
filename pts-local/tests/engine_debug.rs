//! Debug runs: every request kept as a sample, secrets redacted, GetPtsDebugSampleLogs shape.

mod engine_support;

use engine_support::*;
use pts_api::shapes::scene::AdvanceSetting;
use pts_local::engine::{self, NoFiles, StopReason, sample::REDACTED};
use std::time::Duration;

#[test]
fn debug_run_keeps_full_samples_with_redaction() {
    let big = "x".repeat(40_000);
    let target = Target::start(true, move |r| match r.path.as_str() {
        "/login" => Reply::ok(r#"{"token":"t-1"}"#)
            .header("Set-Cookie", "sid=secret-session")
            .header("X-Request-Id", "rid-9"),
        _ => Reply::ok(&big).status(201),
    });
    let login = with_body(
        with_headers(
            api("login", "POST", &target.url("/login")),
            &[
                ("Authorization", "Bearer very-secret"),
                ("Cookie", "a=b"),
                ("X-Acs-Security-Token", "sts"),
                ("X-Api-Key", "k"),
                ("X-Client-Secret", "s"),
                ("X-Trace", "visible"),
            ],
        ),
        "application/json",
        r#"{"user":"u"}"#,
    );
    let mut login = login;
    login.export_list = Some(vec![export("tok", "BODY_JSON", "token", None)]);
    login.check_point_list = Some(vec![check("STATUS_CODE", "", "eq", "200")]);
    let mut page = with_headers(api("page", "GET", &target.url("/page")), &[("X-Token", "${tok}")]);
    page.check_point_list = Some(vec![check("STATUS_CODE", "", "eq", "200")]);
    let r2 = relation("second", vec![api("other", "GET", &target.url("/other"))]);
    let mut scene = conc_scene(vec![relation("first", vec![login, page]), r2], 10, 1);
    scene.advance_setting =
        Some(pts_api::make!(AdvanceSetting { success_code: Some("201".into()) }));
    let run = engine::start_debug(&scene, &NoFiles, &cfg(60.0)).unwrap();
    let report = run.wait_timeout(Duration::from_secs(20)).unwrap();
    assert_eq!(report.stop_reason, StopReason::Completed);
    assert!(report.debug);
    // One pass over each relation, one virtual user each, every request sampled.
    assert_eq!(report.scene.count, 3);
    assert_eq!(target.count(), 3);
    assert_eq!(report.samples.len(), 3);
    assert_eq!(run.samples().len(), 3);
    let login_s = report.samples.iter().find(|s| s.api_name == "login").unwrap();
    assert_eq!(login_s.relation_name, "first");
    assert_eq!(login_s.relation_id.as_deref(), Some("RELfirst"));
    assert_eq!(login_s.method, "POST");
    assert_eq!(login_s.url, target.url("/login"));
    assert_eq!(login_s.request_body, r#"{"user":"u"}"#);
    assert_eq!(login_s.status, Some(200));
    assert!(login_s.success);
    let h = |name: &str| {
        login_s.request_headers.iter().find(|h| h.name.eq_ignore_ascii_case(name)).unwrap()
    };
    for secret in
        ["authorization", "cookie", "x-acs-security-token", "x-api-key", "x-client-secret"]
    {
        assert!(h(secret).sensitive, "{secret}");
        assert_eq!(h(secret).value, REDACTED, "{secret}");
    }
    assert_eq!(h("x-trace").value, "visible");
    assert!(!h("x-trace").sensitive);
    let set_cookie = login_s.response_headers.iter().find(|h| h.name == "set-cookie").unwrap();
    assert_eq!(set_cookie.value, REDACTED);
    assert!(
        login_s.response_headers.iter().any(|h| h.name == "x-request-id" && h.value == "rid-9")
    );
    assert_eq!(login_s.response_body, r#"{"token":"t-1"}"#);
    assert_eq!(login_s.exports[0].value.as_deref(), Some("t-1"));
    assert!(login_s.checks[0].hit);
    assert!(login_s.connect_us.is_some());
    // The token header of the next request is redacted too, though it came from an export.
    let page_s = report.samples.iter().find(|s| s.api_name == "page").unwrap();
    let tok = page_s.request_headers.iter().find(|h| h.name == "x-token").unwrap();
    assert_eq!(tok.value, REDACTED);
    assert_eq!(page_s.imports, vec![("tok".to_string(), Some("t-1".to_string()))]);
    // Bodies are truncated to the documented cap (16 KiB by default).
    assert_eq!(page_s.response_body.len(), 16 * 1024);
    assert!(page_s.response_body_truncated);
    assert_eq!(page_s.status, Some(201));
    assert!(!page_s.checks[0].hit, "201 != 200");
    // GetPtsDebugSampleLogs items: JSON-in-string fields are valid JSON.
    let log = login_s.to_sampling_log();
    assert_eq!(log.chain_name.as_deref(), Some("first"));
    assert_eq!(log.http_response_status.as_deref(), Some("200"));
    assert_eq!(log.node_id.as_deref(), Some("APIlogin"));
    for field in [
        &log.http_request_headers,
        &log.http_response_headers,
        &log.http_timing,
        &log.export_config,
        &log.export_content,
        &log.import_content,
        &log.check_result,
    ] {
        let v: serde_json::Value = serde_json::from_str(field.as_deref().unwrap()).unwrap();
        assert!(v.is_array() || v.is_object());
    }
    let headers: serde_json::Value =
        serde_json::from_str(log.http_request_headers.as_deref().unwrap()).unwrap();
    let auth = headers.as_array().unwrap().iter().find(|h| h["name"] == "authorization").unwrap();
    assert_eq!(auth["sensitive"], true);
    assert_eq!(auth["value"], REDACTED);
    assert!(!log.http_request_headers.unwrap().contains("very-secret"));
    let checks: serde_json::Value =
        serde_json::from_str(log.check_result.as_deref().unwrap()).unwrap();
    assert_eq!(checks[0]["checker"]["realValue"], "200");
    assert_eq!(report.pts_sampling_logs().len(), 3);
    let jm: serde_json::Value = serde_json::from_str(&login_s.to_jmeter_sample_json()).unwrap();
    assert_eq!(jm["responseCode"], "200");
}

//! The verifier's routing rules: parameters verify wherever they travel (query, form body,
//! split), and only signed input names the operation (`pts_api::__private::wire::select`).

use pts_api::__private::wire::encode::form_pairs;
use pts_api::__private::wire::{
    DecodedRequest, Place, RpcRequestParts, SignatureVersion, SigningKey, VerifyError,
    build_signed_request, v1, v3, verify,
};

const ID: &str = "LTAI5tSELECTTESTKEY";
const SECRET: &str = "Select/Secret+1=";
const DATE: &str = "2024-06-01T12:00:00Z";

fn key() -> SigningKey<'static> {
    SigningKey { access_key_id: ID, access_key_secret: SECRET, security_token: None }
}

fn check(req: &DecodedRequest) -> Result<pts_api::__private::wire::Verified, VerifyError> {
    verify(&req.view(), |id| (id == ID).then_some(SECRET))
}

/// A GetPtsScene-like v1 request as the client builds it, every parameter in the query.
fn v1_request() -> DecodedRequest {
    let query = [("SceneId", "SCENE01".to_owned())];
    let parts = RpcRequestParts {
        host: "127.0.0.1:1",
        action: "GetPtsScene",
        version: "2020-10-20",
        query: &query,
        form: &[],
        user_agent: "ua",
        credentials_provider: "static_ak",
        retry: None,
    };
    let wire = build_signed_request(&parts, &key(), SignatureVersion::V1, "nonce-1", DATE);
    DecodedRequest::from_wire(&wire)
}

/// Re-sends `req`'s parameters with `place(i, name)` deciding where each one travels.
fn replace_params(req: &DecodedRequest, place: impl Fn(usize, &str) -> Place) -> DecodedRequest {
    let all = req.pairs(Place::Query).into_iter().chain(req.pairs(Place::Form));
    let (mut query, mut form) = (Vec::new(), Vec::new());
    for (i, (k, v)) in all.enumerate() {
        match place(i, &k) {
            Place::Query => query.push((k, v)),
            Place::Form => form.push((k, v)),
        }
    }
    let enc = |p: &[(String, String)]| form_pairs(p.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let mut headers: Vec<(String, String)> =
        req.headers.iter().filter(|(n, _)| n != "content-type").cloned().collect();
    if !form.is_empty() {
        headers.push(("content-type".into(), "application/x-www-form-urlencoded".into()));
    }
    DecodedRequest::from_raw(&req.method, "/", &enc(&query), headers, enc(&form).into_bytes())
}

/// Recomputes the v1 `Signature` over the request's current parameters.
fn resign_v1(req: &mut DecodedRequest) {
    let params = req.params.iter().filter(|p| p.name != "Signature");
    let sig = v1::signature_only(SECRET, &req.method, params.map(|p| (&*p.name, &*p.value)));
    req.params.iter_mut().find(|p| p.name == "Signature").unwrap().value = sig;
}

/// Decides where the i-th parameter, by name, travels.
type PlaceFn = dyn Fn(usize, &str) -> Place;

#[test]
fn v1_parameters_verify_in_the_query_the_body_or_split() {
    let base = v1_request();
    let placements: [(&str, &PlaceFn); 4] = [
        ("query", &|_, _| Place::Query),
        ("body", &|_, _| Place::Form),
        ("alternating", &|i, _| if i % 2 == 0 { Place::Query } else { Place::Form }),
        ("signature in body", &|_, n| if n == "Signature" { Place::Form } else { Place::Query }),
    ];
    for (what, place) in placements {
        let req = replace_params(&base, place);
        let ok = check(&req).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!((ok.action.as_str(), ok.version.as_str()), ("GetPtsScene", "2020-10-20"));
        // A wrong secret is a mismatch wherever the signature travelled.
        let wrong = verify(&req.view(), |_| Some("wrong"));
        assert!(matches!(wrong, Err(VerifyError::SignatureMismatch { .. })), "{what}: {wrong:?}");
    }
}

#[test]
fn v1_header_that_disagrees_with_the_signed_action_is_refused() {
    let mut req = v1_request();
    req.headers.retain(|(n, _)| n != "x-acs-action");
    req.headers.push(("x-acs-action".into(), "DeletePtsScene".into()));
    let err = check(&req).unwrap_err();
    assert!(
        matches!(&err, VerifyError::ConflictingSelector { name: "Action", chosen, other, .. }
            if chosen == "GetPtsScene" && other == "DeletePtsScene"),
        "{err:?}"
    );
    // The same with Action in the body: still signed, still the only thing that selects.
    let mut in_body = replace_params(&v1_request(), |_, _| Place::Form);
    in_body.headers.retain(|(n, _)| n != "x-acs-action");
    in_body.headers.push(("x-acs-action".into(), "DeletePtsScene".into()));
    assert!(matches!(check(&in_body), Err(VerifyError::ConflictingSelector { .. })));
    // A version header that disagrees is refused too.
    let mut req = v1_request();
    req.headers.retain(|(n, _)| n != "x-acs-version");
    req.headers.push(("x-acs-version".into(), "2019-01-01".into()));
    assert!(matches!(check(&req), Err(VerifyError::ConflictingSelector { name: "Version", .. })));
}

#[test]
fn v1_action_only_in_a_header_never_selects() {
    let mut req = v1_request();
    req.params.retain(|p| p.name != "Action");
    resign_v1(&mut req);
    assert_eq!(
        check(&req),
        Err(VerifyError::UnsignedSelector { name: "Action", header: "x-acs-action" })
    );
    req.headers.retain(|(n, _)| n != "x-acs-action");
    assert_eq!(check(&req), Err(VerifyError::MissingSelector("Action")));
}

#[test]
fn v1_action_named_twice_differently_is_refused() {
    let mut req = replace_params(&v1_request(), |_, _| Place::Query);
    let extra = pts_api::__private::wire::Param {
        name: "Action".into(),
        value: "DeletePtsScene".into(),
        place: Place::Form,
    };
    req.params.push(extra);
    resign_v1(&mut req);
    assert!(matches!(check(&req), Err(VerifyError::ConflictingSelector { name: "Action", .. })));
}

/// A v3 request signed over `signed` headers (plus host), with `query` signed and `unsigned`
/// headers added after signing.
fn v3_request(
    signed: &[(&str, &str)],
    query: &[(&str, &str)],
    unsigned: &[(&str, &str)],
) -> DecodedRequest {
    let mut headers: Vec<(&str, &str)> = vec![("host", "h"), ("x-acs-date", DATE)];
    headers.extend_from_slice(signed);
    let sig = v3::sign(SECRET, "POST", "/", query.iter().copied(), headers.iter().copied(), b"");
    let auth = sig.authorization(ID);
    headers.extend_from_slice(unsigned);
    headers.push(("authorization", &auth));
    let raw_query = form_pairs(query.iter().copied());
    DecodedRequest::from_raw("POST", "/", &raw_query, headers, Vec::new())
}

const V3_OP: [(&str, &str); 2] = [("x-acs-action", "GetPtsScene"), ("x-acs-version", "2020-10-20")];

#[test]
fn v3_signed_headers_select_and_a_disagreeing_parameter_is_refused() {
    let ok = check(&v3_request(&V3_OP, &[("SceneId", "S")], &[])).unwrap();
    assert_eq!(ok.action, "GetPtsScene");
    // An agreeing Action parameter is fine, a disagreeing one is refused.
    let same = v3_request(&V3_OP, &[("Action", "GetPtsScene"), ("SceneId", "S")], &[]);
    assert_eq!(check(&same).unwrap().action, "GetPtsScene");
    let other = v3_request(&V3_OP, &[("Action", "DeletePtsScene"), ("SceneId", "S")], &[]);
    let err = check(&other).unwrap_err();
    assert!(
        matches!(&err, VerifyError::ConflictingSelector { name: "Action", other, .. } if other == "DeletePtsScene"),
        "{err:?}"
    );
    let version = v3_request(&V3_OP, &[("Version", "2019-01-01")], &[]);
    assert!(matches!(
        check(&version),
        Err(VerifyError::ConflictingSelector { name: "Version", .. })
    ));
}

#[test]
fn v3_unsigned_or_missing_action_header_never_selects() {
    let unsigned = v3_request(
        &[("x-acs-version", "2020-10-20")],
        &[("SceneId", "S")],
        &[("x-acs-action", "DeletePtsScene")],
    );
    assert_eq!(check(&unsigned), Err(VerifyError::UnsignedHeader("x-acs-action".into())));
    // Signed Action in the query but no header: under v3 the header names the operation.
    let missing = v3_request(&[("x-acs-version", "2020-10-20")], &[("Action", "GetPtsScene")], &[]);
    assert_eq!(check(&missing), Err(VerifyError::MissingSelector("Action")));
}

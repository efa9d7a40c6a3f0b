//! Server-side verification: round trips through `build_signed_request`, one test per
//! rejection reason, and `Debug` output that never shows a secret or an STS token.

#[path = "wire_support.rs"]
mod support;

use pts_api::__private::wire::verify::StringToSign;
use pts_api::__private::wire::{
    DecodedRequest, RetryInfo, RpcRequestParts, SignatureVersion, SigningKey, VerifyError,
    WireRequest, build_signed_request, v3, verify,
};
use support::one_key;

const ID: &str = "LTAI5tTESTACCESSKEYID";
const SECRET: &str = "TestSecret/With+Special=Chars";
const TOKEN: &str = "CAIS+TOKEN-xyzzy/with=special&chars~*";
const NONCE: &str = "3f5c2a1e9b8d4c7f8e6a5b4c3d2e1f00";
const DATE: &str = "2024-06-01T12:00:00Z";

fn ak() -> SigningKey<'static> {
    SigningKey { access_key_id: ID, access_key_secret: SECRET, security_token: None }
}

fn sts() -> SigningKey<'static> {
    SigningKey { security_token: Some(TOKEN), ..ak() }
}

/// A ListPtsReports-like call with a query param and a form body, so both are covered.
fn signed(
    key: SigningKey<'_>,
    version: SignatureVersion,
    retry: Option<RetryInfo>,
) -> DecodedRequest {
    DecodedRequest::from_wire(&wire(key, version, retry))
}

fn wire(key: SigningKey<'_>, version: SignatureVersion, retry: Option<RetryInfo>) -> WireRequest {
    let query = [("SceneId", "DYYPZIH".to_owned())];
    let form = [("Keyword", "a b+c&d=e 压测".to_owned()), ("PageNumber", "1".to_owned())];
    let parts = RpcRequestParts {
        host: "127.0.0.1:18080",
        action: "ListPtsReports",
        version: "2020-10-20",
        query: &query,
        form: &form,
        user_agent: "AlibabaCloud (Linux; x86_64) Rust/1.90 pts/0.1.0 TeaDSL/2",
        credentials_provider: if key.security_token.is_some() { "static_sts" } else { "static_ak" },
        retry,
    };
    build_signed_request(&parts, &key, version, NONCE, DATE)
}

fn check(req: &DecodedRequest) -> Result<pts_api::__private::wire::Verified, VerifyError> {
    verify(&req.view(), one_key(ID, SECRET))
}

fn set_header(req: &mut DecodedRequest, name: &str, value: &str) {
    let slot = req.headers.iter_mut().find(|(n, _)| n == name).expect("header present");
    slot.1 = value.to_owned();
}

fn set_param(req: &mut DecodedRequest, name: &str, value: &str) {
    let slot = req.params.iter_mut().find(|p| p.name == name).expect("param present");
    slot.value = value.to_owned();
}

fn is_mismatch(r: &Result<pts_api::__private::wire::Verified, VerifyError>) -> bool {
    matches!(r, Err(VerifyError::SignatureMismatch { .. }))
}

const BOTH: [SignatureVersion; 2] = [SignatureVersion::V3, SignatureVersion::V1];

#[test]
fn round_trip_reports_key_scheme_nonce_date_and_token() {
    for version in BOTH {
        for key in [ak(), sts()] {
            let got =
                check(&signed(key, version, None)).unwrap_or_else(|e| panic!("{version:?}: {e:?}"));
            assert_eq!(got.access_key_id, ID);
            assert_eq!(got.scheme, version);
            assert_eq!(got.nonce.as_deref(), Some(NONCE));
            assert_eq!(got.timestamp.as_deref(), Some(DATE));
            assert_eq!(got.security_token.as_deref(), key.security_token);
        }
    }
}

#[test]
fn retry_headers_are_sent_and_signed_in_v3() {
    let retry = Some(RetryInfo { attempts: 2, delay_ms: 1500 });
    for version in BOTH {
        let req = wire(ak(), version, retry);
        assert_eq!(req.header("x-acs-retry-attempts"), Some("2"));
        assert_eq!(req.header("x-acs-retry-delay"), Some("1500"));
        let mut decoded = DecodedRequest::from_wire(&req);
        check(&decoded).unwrap_or_else(|e| panic!("{version:?}: {e:?}"));
        set_header(&mut decoded, "x-acs-retry-delay", "0");
        // v1 signs no headers, so only v3 notices.
        assert_eq!(is_mismatch(&check(&decoded)), version == SignatureVersion::V3, "{version:?}");
    }
    let auth = wire(ak(), SignatureVersion::V3, retry).header("authorization").unwrap().to_owned();
    assert!(auth.contains(";x-acs-retry-attempts;x-acs-retry-delay;"), "{auth}");
}

#[test]
fn tampered_query_param_is_a_signature_mismatch() {
    for version in BOTH {
        let mut req = signed(ak(), version, None);
        set_param(&mut req, "SceneId", "OTHER");
        assert!(is_mismatch(&check(&req)), "{version:?}");
    }
}

#[test]
fn tampered_form_param_is_rejected() {
    // v1 signs the decoded form params themselves.
    let mut req = signed(ak(), SignatureVersion::V1, None);
    set_param(&mut req, "PageNumber", "2");
    assert!(is_mismatch(&check(&req)));
    // v3 signs the body bytes; changing them is caught by the content hash first...
    let mut req = signed(ak(), SignatureVersion::V3, None);
    req.body = b"Keyword=x&PageNumber=2".to_vec();
    assert!(matches!(check(&req), Err(VerifyError::ContentHashMismatch { .. })));
    // ...and by the signature when the attacker also fixes the (signed) hash header.
    let hash = v3::hashed_payload(&req.body);
    set_header(&mut req, "x-acs-content-sha256", &hash);
    assert!(is_mismatch(&check(&req)));
}

#[test]
fn wrong_secret_is_a_signature_mismatch_keeping_the_string_to_sign() {
    let client = v3::sign(
        SECRET,
        "POST",
        "/",
        [("SceneId", "DYYPZIH")],
        [
            ("host", "h"),
            ("x-acs-date", DATE),
            ("x-acs-action", "GetPtsScene"),
            ("x-acs-version", "v"),
        ],
        b"",
    );
    let auth = client.authorization(ID);
    let headers = [
        ("host", "h"),
        ("x-acs-date", DATE),
        ("x-acs-action", "GetPtsScene"),
        ("x-acs-version", "v"),
        ("authorization", auth.as_str()),
    ];
    let mut req = DecodedRequest::from_raw("POST", "/", "SceneId=DYYPZIH", headers, Vec::new());
    check(&req).expect("signed by the right secret");
    let got = verify(&req.view(), one_key(ID, "another-secret"));
    let want = VerifyError::SignatureMismatch {
        scheme: SignatureVersion::V3,
        expected_string_to_sign: StringToSign(client.string_to_sign.clone()),
    };
    assert_eq!(got, Err(want));
    set_header(&mut req, "host", "other");
    assert!(is_mismatch(&check(&req)));

    let v1 = signed(ak(), SignatureVersion::V1, None);
    assert!(is_mismatch(&verify(&v1.view(), one_key(ID, "another-secret"))));
}

#[test]
fn unknown_key_id() {
    for version in BOTH {
        let req = signed(ak(), version, None);
        let got = verify(&req.view(), one_key("SOMEONE-ELSE", SECRET));
        assert_eq!(got, Err(VerifyError::UnknownKey(ID.to_owned())), "{version:?}");
    }
}

#[test]
fn changed_signed_header_is_a_signature_mismatch() {
    for name in
        ["user-agent", "accept", "x-acs-date", "x-acs-signature-nonce", "x-acs-security-token"]
    {
        let mut req = signed(sts(), SignatureVersion::V3, None);
        set_header(&mut req, name, "changed");
        assert!(is_mismatch(&check(&req)), "{name}");
    }
}

#[test]
fn body_hash_mismatch() {
    let mut req = signed(ak(), SignatureVersion::V3, None);
    set_header(&mut req, "x-acs-content-sha256", v3::EMPTY_BODY_SHA256);
    let Err(VerifyError::ContentHashMismatch { header, computed }) = check(&req) else {
        panic!("expected ContentHashMismatch");
    };
    assert_eq!(header, v3::EMPTY_BODY_SHA256);
    assert_eq!(computed, v3::hashed_payload(&req.body));
}

#[test]
fn missing_auth() {
    let mut req = signed(ak(), SignatureVersion::V3, None);
    req.headers.retain(|(n, _)| n != "authorization");
    assert_eq!(check(&req), Err(VerifyError::MissingAuth));
    let mut req = signed(ak(), SignatureVersion::V1, None);
    req.params.retain(|p| p.name != "Signature");
    assert_eq!(check(&req), Err(VerifyError::MissingAuth));
}

#[test]
fn malformed_or_unsupported_authorization() {
    let good = signed(ak(), SignatureVersion::V3, None);
    let auth = good.view().header("authorization").unwrap().to_owned();
    let malformed = [
        "ACS3-HMAC-SHA256".to_owned(),
        auth.replace(",Signature=", ",Sig="),
        auth.replace("Credential=", "Credential"),
        format!("{auth},Signature=00"),
        auth.replace(&format!("Credential={ID},"), ""),
    ];
    for value in malformed {
        let mut req = good.clone();
        set_header(&mut req, "authorization", &value);
        assert!(matches!(check(&req), Err(VerifyError::MalformedAuth(_))), "{value}");
    }
    let mut req = good.clone();
    set_header(&mut req, "authorization", &auth.replace("ACS3-HMAC-SHA256", "ACS3-HMAC-SM3"));
    assert_eq!(check(&req), Err(VerifyError::UnsupportedAlgorithm("ACS3-HMAC-SM3".into())));

    let mut v1 = signed(ak(), SignatureVersion::V1, None);
    set_param(&mut v1, "SignatureMethod", "HMAC-SHA256");
    assert_eq!(check(&v1), Err(VerifyError::UnsupportedAlgorithm("HMAC-SHA256".into())));
}

#[test]
fn verifier_uses_the_received_signed_headers_list() {
    // Signed set chosen by the client: no `accept`, plus a custom header, names in mixed case.
    let headers = [
        ("Host", "h"),
        ("X-Custom", " v "),
        ("x-acs-signature-nonce", NONCE),
        ("X-Acs-Action", "GetAllRegions"),
        ("x-acs-version", "v"),
    ];
    let client = v3::sign(SECRET, "POST", "/", [], headers, b"");
    assert_eq!(
        client.signed_headers,
        "host;x-acs-action;x-acs-signature-nonce;x-acs-version;x-custom"
    );
    let mut all: Vec<(&str, &str)> = headers.to_vec();
    let auth = client.authorization(ID);
    all.extend([("authorization", auth.as_str()), ("accept", "*/*"), ("content-length", "0")]);
    let req = DecodedRequest::from_raw("POST", "/", "", all, Vec::new());
    let ok = check(&req).expect("verifies against its own SignedHeaders");
    assert_eq!(ok.nonce.as_deref(), Some(NONCE));
    assert_eq!(ok.timestamp, None);
    assert_eq!((ok.action.as_str(), ok.version.as_str()), ("GetAllRegions", "v"));
}

#[test]
fn unsigned_or_missing_headers_are_rejected() {
    let good = signed(sts(), SignatureVersion::V3, None);
    // Transport headers may be added freely...
    let mut req = good.clone();
    req.headers.extend(
        [("content-length", "41"), ("connection", "close")].map(|(n, v)| (n.into(), v.into())),
    );
    check(&req).expect("unsigned transport headers are fine");
    // ...but an x-acs-* header outside SignedHeaders could smuggle an unsigned token or date.
    req.headers.push(("x-acs-extra".into(), "1".into()));
    assert_eq!(check(&req), Err(VerifyError::UnsignedHeader("x-acs-extra".into())));
    // A signed header that did not arrive.
    let mut req = good.clone();
    req.headers.retain(|(n, _)| n != "user-agent");
    assert_eq!(check(&req), Err(VerifyError::MissingSignedHeader("user-agent".into())));
}

#[test]
fn debug_output_never_shows_secret_or_token() {
    let key = sts();
    let key_dbg = format!("{key:?}");
    assert!(key_dbg.contains(ID) && key_dbg.contains("<redacted>"), "{key_dbg}");

    let v1 = signed(key, SignatureVersion::V1, None);
    let mismatch = verify(&v1.view(), one_key(ID, "another-secret")).unwrap_err();
    let VerifyError::SignatureMismatch { expected_string_to_sign, .. } = &mismatch else {
        panic!("expected a mismatch, got {mismatch:?}");
    };
    // The exact text stays available for debugging; only Debug hides the token.
    assert!(expected_string_to_sign.as_str().contains("SecurityToken%3DCAIS%252BTOKEN-xyzzy"));
    let outputs = [
        key_dbg,
        format!("{:?}", wire(key, SignatureVersion::V3, None)),
        format!("{:?}", wire(key, SignatureVersion::V1, None)),
        format!("{:?}", signed(key, SignatureVersion::V3, None)),
        format!("{v1:?}"),
        format!("{:?}", check(&v1)),
        format!("{mismatch:?}"),
        mismatch.to_string(),
    ];
    for out in outputs {
        for secret in [SECRET, "TestSecret", "TOKEN-xyzzy"] {
            assert!(!out.contains(secret), "{secret} leaked into {out}");
        }
    }
}

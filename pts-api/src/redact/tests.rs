use super::*;
use serde_json::json;

#[test]
fn names() {
    for n in ["Authorization", "cookie", "X-Api-Key", "x-auth-token", "AccessKeySecret", "passwd"] {
        assert!(looks_secret(n), "{n}");
    }
    assert!(!looks_secret("Accept") && !looks_secret("Content-Type"));
    assert!(is_credential_key("SecurityToken") && is_credential_key("Password"));
    assert!(!is_credential_key("AccessKeyId") && !is_credential_key("KeyWord"));
}

#[test]
fn json_pairs_keys_urls_and_bodies() {
    let mut v = json!({
        "KeyWord": "checkout",
        "AccessKeySecret": "s3cr3t",
        "SecurityToken": "tok",
        "HeaderList": [
            {"HeaderName": "Authorization", "HeaderValue": "Bearer abc"},
            {"HeaderName": "X-Api-Key", "HeaderValue": "k-123"},
            {"HeaderName": "Accept", "HeaderValue": "text/html"}
        ],
        "GlobalParameterList": [{"ParamName": "api_token", "ParamValue": "gp-1"}],
        "Url": "http://127.0.0.1:8/p?token=u-1&page=2",
        "Body": {"ContentType": "application/json",
                 "BodyValue": "{\"user\":\"u\",\"password\":\"pw-1\"}"},
        "Form": "user=u&password=pw-2&x=1",
    });
    redact_json(&mut v);
    let text = v.to_string();
    for secret in ["s3cr3t", "tok\"", "Bearer abc", "k-123", "gp-1", "u-1", "pw-1", "pw-2"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    let mut flags = json!({"SecurityToken": true, "AccessKeySecret": "****", "Password": null});
    let before = flags.clone();
    redact_json(&mut flags);
    assert_eq!(flags, before, "flags, masks and nulls hide nothing");
    for kept in ["checkout", "text/html", "page=2", "user=u", "\\\"user\\\":\\\"u\\\""] {
        assert!(text.contains(kept), "{kept} lost: {text}");
    }
}

#[test]
fn free_text() {
    let table = [
        ("Authorization: Bearer abc", "Authorization: <redacted>"),
        ("sent header Bearer abc.def now", "sent header Bearer <redacted> now"),
        ("basic dXNlcjpw", "basic <redacted>"),
        ("GET /p?a=1&token=t-9&b=2", "GET /p?a=1&token=<redacted>&b=2"),
        ("--password=p", "--password=<redacted>"),
        ("plain text: nothing here", "plain text: nothing here"),
        ("~ A.HeaderValue: \"x\"", "~ A.HeaderValue: \"x\""),
    ];
    for (input, want) in table {
        assert_eq!(redact_text(input), want, "{input}");
    }
    assert!(matches!(redact_text("a=1 b=2"), Cow::Borrowed(_)));
}

#[test]
fn command_lines() {
    let cmd: Vec<String> =
        ["pts", "--access-key-secret", "s", "--SecurityToken=t", "--access-key-secret-stdin"]
            .map(String::from)
            .into();
    assert_eq!(
        redact_command(&cmd),
        [
            "pts",
            "--access-key-secret",
            REDACTED,
            "--SecurityToken=<redacted>",
            "--access-key-secret-stdin"
        ]
    );
}

//! Shared by the conformance tests `local_client_pts` and `local_client_jmeter`: an
//! in-process pts-local and a client for it, and call helpers that return the typed body or
//! the (HTTP status, Code) of an expected error.
#![allow(dead_code)]

use pts_api::__private::wire::SignatureVersion;
use pts_api::client::Protocol;
use pts_api::{CallOptions, Client, Operation, RetryPolicy};
use pts_local::{Config, Key, RunningServer, Server};
use serde_json::{Value, json};

pub const AK: &str = "LTAI5tConformanceKey01";
pub const SK: &str = "Conformance/Secret+With=Chars";

/// One scene minute = one real second.
pub async fn start(dir: &std::path::Path) -> RunningServer {
    let config = Config::new(dir).with_keys(vec![
        Key::new(AK, SK),
        Key::sts("STS.LocalTemp01", "StsSecret", "CAIS+token/x=y"),
    ]);
    // The NullEngine: these tests pin the control plane (records, states, errors) and assert
    // that nothing is measured; real load is covered by pts-local's engine_service_* tests.
    Server::start(config.with_time_scale(60.0).with_null_engine()).await.expect("server starts")
}

pub fn client(server: &RunningServer, v: SignatureVersion) -> Client {
    Client::builder()
        .endpoint(server.endpoint())
        .protocol(Protocol::Http)
        .env_proxy(false)
        .static_credentials(AK, SK, None)
        .signature_version(v)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

/// Calls `O` with a request given as JSON (wire names); the client validates first.
pub async fn call<O: Operation>(c: &Client, v: Value) -> O::Response {
    let req: O::Request = serde_json::from_value(v.clone())
        .unwrap_or_else(|e| panic!("{} request {v}: {e}", O::NAME));
    match c.send::<O>(req).await {
        Ok(out) => out.body,
        Err(e) => panic!("{} failed: {e}", O::NAME),
    }
}

/// Sends `O` without client-side validation and returns (HTTP status, Code) of the error.
pub async fn fail<O: Operation>(c: &Client, v: Value) -> (u16, String) {
    let e = c
        .send_json_unchecked(O::meta(), v, &CallOptions::default())
        .await
        .expect_err(&format!("{} should fail", O::NAME));
    (e.status().unwrap_or(0), e.code().unwrap_or("").to_string())
}

pub fn is_id(s: &str) -> bool {
    s.len() == 8 && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

pub fn pts_scene(name: &str, minutes: i32) -> Value {
    json!({
        "SceneName": name,
        "RelationList": [{
            "RelationName": "chain",
            "ApiList": [
                {"ApiName": "home", "Url": "http://127.0.0.1:9/", "Method": "GET", "RedirectCountLimit": 10, "TimeoutInSecond": 5},
                {"ApiName": "detail", "Url": "http://127.0.0.1:9/d", "Method": "POST", "RedirectCountLimit": 0,
                 "Body": {"ContentType": "application/json", "BodyValue": "{}"}}
            ]
        }],
        "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": minutes,
                       "Configuration": {"AllConcurrencyBegin": 1, "AllConcurrencyLimit": 2}},
        "AdvanceSetting": {"LogRate": 1},
        "FileParameterList": [{"FileName": "users.csv", "FileOssAddress": "https://b.oss-cn-shanghai.aliyuncs.com/users.csv"}],
        "GlobalParameterList": [{"ParamName": "g", "ParamValue": "1"}]
    })
}

//! Helpers shared by pts-local's integration tests: an in-process server on an ephemeral
//! loopback port and pts-api clients for it.
#![allow(dead_code)]

pub mod child;

use pts_api::__private::wire::SignatureVersion;
use pts_api::client::Protocol;
use pts_api::{Client, RetryPolicy};
use pts_local::{Config, Key, RunningServer, Server};
use std::path::Path;
use std::time::Duration;

pub const AK: &str = "LTAI5tTestLocalKey0001";
pub const SK: &str = "TestSecret/With+Special=Chars";

pub async fn start(dir: &Path, time_scale: f64) -> RunningServer {
    let config = Config::new(dir).with_keys(vec![Key::new(AK, SK)]).with_time_scale(time_scale);
    Server::start(config).await.expect("server starts")
}

pub fn client_for(
    endpoint: &str,
    id: &str,
    secret: &str,
    token: Option<&str>,
    v: SignatureVersion,
) -> Client {
    Client::builder()
        .endpoint(endpoint)
        .protocol(Protocol::Http)
        .env_proxy(false)
        .static_credentials(id, secret, token.map(str::to_string))
        .signature_version(v)
        .retry_policy(RetryPolicy::disabled())
        .read_timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

pub fn client(server: &RunningServer) -> Client {
    client_for(&server.endpoint(), AK, SK, None, SignatureVersion::V3)
}

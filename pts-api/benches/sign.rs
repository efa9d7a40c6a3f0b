//! Cost of signing one typical request end to end (`build_signed_request` for GetPtsScene:
//! params, headers, canonical strings, hashes, HMAC). Run: `cargo bench -p pts-api --bench sign`.
//! Plain `Instant` loop over many short rounds (a few ms each, shorter than a scheduler
//! slice), reporting the best and the median round so a busy machine distorts little.

use pts_api::__private::wire::{
    RpcRequestParts, SignatureVersion, SigningKey, WireRequest, build_signed_request,
};
use std::hint::black_box;
use std::time::Instant;

const ITERS: u32 = 2_000;
const ROUNDS: usize = 300;

fn main() {
    let query = [("SceneId", "DYYPZIH".to_owned())];
    let parts = RpcRequestParts {
        host: "pts.aliyuncs.com",
        action: "GetPtsScene",
        version: "2020-10-20",
        query: &query,
        form: &[],
        user_agent: "AlibabaCloud (Linux; x86_64) Rust/1.90 pts/0.1.0 TeaDSL/2",
        credentials_provider: "static_ak",
        retry: None,
    };
    let key = SigningKey {
        access_key_id: "LTAI5tTESTACCESSKEYID",
        access_key_secret: "TestSecret/With+Special=Chars",
        security_token: None,
    };
    let sign = |version| {
        build_signed_request(
            black_box(&parts),
            black_box(&key),
            version,
            black_box("3f5c2a1e9b8d4c7f8e6a5b4c3d2e1f00"),
            black_box("2024-06-01T12:00:00Z"),
        )
    };
    for (label, version) in
        [("v3 ACS3-HMAC-SHA256", SignatureVersion::V3), ("v1 HMAC-SHA1", SignatureVersion::V1)]
    {
        let (best, median) = ns_per_op(|| sign(version));
        println!(
            "{label:<20} GetPtsScene build_signed_request: best {best:>5.0} ns/op, median {median:>5.0} ns/op"
        );
    }
}

fn ns_per_op(mut f: impl FnMut() -> WireRequest) -> (f64, f64) {
    for _ in 0..ITERS * 10 {
        black_box(f());
    }
    let mut rounds: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..ITERS {
                black_box(f());
            }
            start.elapsed().as_nanos() as f64 / f64::from(ITERS)
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    (rounds[0], rounds[ROUNDS / 2])
}

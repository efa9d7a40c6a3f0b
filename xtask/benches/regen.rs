//! Full regeneration from a file beside merely parsing the raw document, in the same run.
//! Goal: regen under 5x the parse, and under a second. `cargo bench -p xtask --bench regen`

use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let _ = f(); // warm up
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn main() {
    if std::env::var_os("BREAKDOWN").is_some() {
        let raw = std::fs::read(api_meta::snapshot::snapshot_path()).unwrap();
        breakdown(&raw);
    }
    let path = api_meta::snapshot::snapshot_path();
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let parse_raw = time(30, || api_meta::raw::ApiDocs::parse(&raw).unwrap());
    let parse_value = time(30, || serde_json::from_slice::<serde_json::Value>(&raw).unwrap());
    let regen = time(10, || xtask::regenerate(&raw).unwrap());
    let out = xtask::regenerate(&raw).unwrap();
    let lines: usize = out.files.values().map(|t| t.lines().count()).sum();
    let rust_lines: usize =
        out.files.iter().filter(|(k, _)| k.ends_with(".rs")).map(|(_, t)| t.lines().count()).sum();
    println!("document: {} bytes, {} operations", raw.len(), out.inventory.operations.len());
    println!("parse into the raw model: {parse_raw:?} (serde_json::Value: {parse_value:?})");
    println!("full regen (parse, normalize, overrides, model, emit, format): {regen:?}");
    println!(
        "ratio regen/parse: {:.1}x (goal < 5x); regen under 1 s: {}",
        regen.as_secs_f64() / parse_raw.as_secs_f64(),
        regen < Duration::from_secs(1)
    );
    println!("generated: {} files, {lines} lines ({rust_lines} lines of Rust)", out.files.len());
}

#[allow(dead_code)]
fn breakdown(raw: &[u8]) {
    let mut inv =
        api_meta::normalize::normalize_bytes(raw, api_meta::normalize::PTS_API_DOCS_URL).unwrap();
    let ov = codegen::overrides::committed().unwrap();
    codegen::overrides::apply_all(&mut inv, &ov).unwrap();
    let norm = time(10, || api_meta::normalize::normalize_bytes(raw, "x").unwrap());
    let model = time(10, || codegen::model::build(&inv));
    let m = codegen::model::build(&inv);
    let emit = time(10, || codegen::emit::emit(&m));
    let md = time(10, || api_meta::markdown::render(&inv));
    let refs = codegen::emit::meta::SharedRefs::default();
    let quote_only = time(10, || {
        m.ops.iter().map(|o| codegen::emit::operation::operation_file(o, &refs)).collect::<Vec<_>>()
    });
    let toks: Vec<_> =
        m.ops.iter().map(|o| codegen::emit::operation::operation_file(o, &refs)).collect();
    let syn_only = time(10, || {
        toks.iter().map(|t| syn::parse2::<syn::File>(t.clone()).unwrap()).collect::<Vec<_>>()
    });
    let files: Vec<syn::File> = toks.iter().map(|t| syn::parse2(t.clone()).unwrap()).collect();
    let pp = time(10, || files.iter().map(prettyplease::unparse).collect::<Vec<_>>());
    println!("ops: quote {quote_only:?} syn {syn_only:?} prettyplease {pp:?}");
    println!("normalize {norm:?} model {model:?} emit {emit:?} markdown {md:?}");
}

//! Regeneration from changed metadata always compiles. Ignored by default (it builds a copy
//! of the workspace); `.ci/run` runs it with `cargo test -p xtask -- --ignored`.
//!
//! The workspace (minus build output and VCS data) is copied to a temp dir, regenerated
//! there from the shared snapshot with an added operation, a new optional and a new
//! required parameter, a removed and an added response field, a changed type and new enum
//! values, then `pts-api` and `pts-cli` are built and the new operation is described by
//! name through `pts api describe`. The build shares one target dir under the system temp
//! dir, so reruns only rebuild the workspace crates.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

const NEW_OP: &str = "ListPtsSceneTags";

/// Everything that is source: build output, VCS data and local venvs are left behind.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if matches!(name.to_str(), Some("target" | ".git" | ".venv" | "node_modules")) {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

fn param(name: &str, ty: &str, required: bool) -> Value {
    json!({"name": name, "in": "query", "schema": {"type": ty, "required": required}})
}

fn params<'d>(doc: &'d mut Value, op: &str) -> &'d mut Vec<Value> {
    doc["apis"][op]["parameters"].as_array_mut().unwrap()
}

/// The snapshot with every kind of change a new metadata release can bring.
fn changed_metadata(doc: &mut Value) {
    let apis = doc["apis"].as_object_mut().unwrap();
    let mut new_op = apis["GetAllRegions"].clone();
    new_op["parameters"] = json!([
        param("SceneId", "string", true),
        {"name": "Kind", "in": "query",
         "schema": {"type": "string", "required": false, "enum": ["user", "system"]}}
    ]);
    new_op["responses"]["200"]["schema"]["properties"] = json!({
        "RequestId": {"type": "string"},
        "Tags": {"type": "array", "items": {"type": "object", "properties": {
            "Key": {"type": "string"}, "Value": {"type": "string"}}}}
    });
    apis.insert(NEW_OP.into(), new_op);
    // A new optional and a new required parameter.
    params(doc, "GetAllRegions").push(param("AcceptLanguage", "string", false));
    params(doc, "GetUserVpcSecurityGroup").push(param("ResourceGroupId", "string", true));
    // A removed and an added response field; a changed type.
    let props = &mut doc["apis"]["GetAllRegions"]["responses"]["200"]["schema"]["properties"];
    props.as_object_mut().unwrap().remove("Message").expect("Message exists");
    props["RegionCount"] = json!({"type": "integer", "format": "int32"});
    props["HttpStatusCode"] = json!({"type": "string"});
    // New enum values: a value set under an override, and one the metadata now states.
    let list = &mut doc["apis"]["ListPtsScene"]["responses"]["200"]["schema"]["properties"];
    list["SceneViewList"]["items"]["properties"]["Status"]["enum"] =
        json!(["Draft", "WaitStart", "Debugging", "Running", "Archived"]);
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    assert!(out.status.success(), "{cmd:?} failed:\n{}\n{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

#[test]
#[ignore = "builds a copy of the workspace; run in CI or on demand"]
fn regen_from_changed_metadata_compiles_and_describes_the_new_operation() {
    let Some(path) = api_meta::snapshot::require_shared(&api_meta::snapshot::snapshot_path())
    else {
        return;
    };
    let mut doc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    changed_metadata(&mut doc);

    let copy = tempfile::tempdir().unwrap();
    copy_tree(&api_meta::snapshot::workspace_root(), copy.path());
    let out = xtask::regenerate(doc.to_string().as_bytes()).expect("regenerates");
    assert!(out.inventory.operation(NEW_OP).is_some());
    xtask::write_output(copy.path(), &out).unwrap();
    let generated = copy.path().join(xtask::GENERATED_DIR);
    assert!(generated.join("operations/list_pts_scene_tags.rs").is_file());

    let target: PathBuf = std::env::temp_dir().join("pts-regen-compiles-target");
    let cargo = || {
        let mut c = Command::new(env!("CARGO"));
        // No debug info and no incremental cache: the copy's build stays small on disk.
        c.current_dir(copy.path())
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            .env("CARGO_INCREMENTAL", "0");
        c
    };
    // Building the `pts` binary checks pts-api and pts-cli (and the crates they use).
    run(cargo().args(["build", "--quiet", "-p", "pts-cli", "--bin", "pts"]));
    let pts = target.join("debug").join(format!("pts{}", std::env::consts::EXE_SUFFIX));
    let described = run(Command::new(pts)
        .args(["api", "describe", NEW_OP, "--output", "json"])
        .env("HOME", copy.path())
        .env_remove("PTS_PROFILE"));
    let d: Value = serde_json::from_str(&described).unwrap_or_else(|e| panic!("{e}: {described}"));
    let text = d.to_string();
    assert!(text.contains(NEW_OP) && text.contains("SceneId") && text.contains("Kind"), "{text}");
}

//! Golden tests: the code generated for a small "naming obstacle course" inventory is
//! committed under `tests/output/` and compiled by pts-api's unit tests (src/golden.rs).
//! Run with `UPDATE_GOLDEN=1` to accept a deliberate change.

use std::path::Path;

#[test]
fn generated_code_matches_the_golden_files() {
    let fixture = include_str!("fixtures/obstacles.json");
    let inv = api_meta::Inventory::from_json(fixture).expect("fixture parses");
    let files = codegen::generate(&inv);
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/output");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for module in ["get_jmeter_vswitch_logs", "save_thing"] {
        let generated = &files[&format!("operations/{module}.rs")];
        let path = out.join(format!("{module}.rs"));
        if update {
            std::fs::write(&path, generated).unwrap();
        }
        let golden = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            generated, &golden,
            "{module}.rs differs from tests/output; rerun with UPDATE_GOLDEN=1 if intended"
        );
    }
}

//! `pts api list` / `pts api describe`: offline, from the compiled-in metadata.

mod common;
use common::Pts;

#[test]
fn api_list_has_all_44_operations_with_access_and_paging() {
    let run = Pts::new().run(&["api", "list"]);
    run.assert_code(0);
    let ops = run.json();
    let ops = ops.as_array().unwrap();
    assert_eq!(ops.len(), 44);
    let list = ops.iter().find(|o| o["Operation"] == "ListPtsScene").unwrap();
    assert_eq!(list["Access"], "read");
    assert_eq!(list["Mutating"], false);
    assert_eq!(list["Paging"], "SceneViewList");
    let start = ops.iter().find(|o| o["Operation"] == "StartPtsScene").unwrap();
    assert_eq!(start["Mutating"], true);
}

#[test]
fn api_list_kind_filters() {
    let pts = Pts::new();
    let read = pts.run(&["api", "list", "--kind", "read"]).json();
    let mutating = pts.run(&["api", "list", "--kind", "mutating"]).json();
    let (read, mutating) = (read.as_array().unwrap(), mutating.as_array().unwrap());
    assert_eq!(read.len() + mutating.len(), 44);
    assert!(read.iter().all(|o| o["Mutating"] == false));
    assert!(mutating.iter().all(|o| o["Mutating"] == true));
    assert!(mutating.iter().any(|o| o["Operation"] == "DeletePtsScene"));
}

#[test]
fn api_describe_shows_params_constraints_response_and_example() {
    let run = Pts::new().run(&["api", "describe", "listptsscene"]);
    run.assert_code(0);
    let d = run.json();
    assert_eq!(d["Operation"], "ListPtsScene");
    let size =
        d["Parameters"].as_array().unwrap().iter().find(|p| p["Name"] == "PageSize").unwrap();
    assert_eq!(size["Type"], "int32");
    assert_eq!(size["Location"], "query");
    assert_eq!(size["Required"], true);
    assert!(size["Constraints"].to_string().contains("must be at least 10"), "{size}");
    assert!(d["Response"]["SceneViewList"].is_array());
    assert_eq!(d["Example"], "pts call ListPtsScene --PageNumber 1 --PageSize 10");
}

#[test]
fn api_describe_unknown_operation_suggests() {
    let run = Pts::new().run(&["api", "describe", "ListPtsScen"]);
    run.assert_code(2);
    assert!(run.stderr.contains("did you mean ListPtsScene"), "{}", run.stderr);
}

#[test]
fn api_list_as_table_and_yaml() {
    let pts = Pts::new();
    let t = pts.run(&["api", "list", "--output", "table"]);
    t.assert_code(0);
    assert!(t.stdout.contains("Operation") && t.stdout.contains("GetPtsScene"), "{}", t.stdout);
    let y = pts.run(&["-o", "yaml", "api", "describe", "GetPtsScene"]);
    y.assert_code(0);
    assert!(y.stdout.contains("Operation: GetPtsScene"), "{}", y.stdout);
}

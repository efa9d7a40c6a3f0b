//! Output: --paginate (merged, --max-items), --output table|yaml, --query, --output-file.

mod common;
use common::{Pts, Recorded, Server, ok, scenes};

/// ListPtsScene with 25 scenes in pages of the requested size.
fn paged_server() -> Server {
    Server::start(|r: &Recorded| {
        let page: usize = r.param("PageNumber").unwrap().parse().unwrap();
        let size: usize = r.param("PageSize").unwrap().parse().unwrap();
        let ids: Vec<String> =
            ((page - 1) * size..(page * size).min(25)).map(|i| format!("S{i:02}")).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut body = scenes(&refs);
        body["RequestId"] = format!("REQ-{page}").into();
        ok(body)
    })
}

fn pts(server: &Server) -> Pts {
    Pts::new().with_env_creds().env("PTS_ENDPOINT", &server.endpoint()).env("PTS_PROTOCOL", "http")
}

#[test]
fn paginate_merges_all_pages() {
    let s = paged_server();
    let run = pts(&s).run(&["call", "ListPtsScene", "--PageSize", "10", "--paginate"]);
    run.assert_code(0);
    let v = run.json();
    let list = v["SceneViewList"].as_array().unwrap();
    assert_eq!(list.len(), 25);
    assert_eq!(list[0]["SceneId"], "S00");
    assert_eq!(list[24]["SceneId"], "S24");
    assert_eq!(v["RequestId"], "REQ-3", "other fields come from the last page");
    let pages: Vec<_> =
        s.requests().iter().map(|r| r.param("PageNumber").unwrap().to_string()).collect();
    assert_eq!(pages, ["1", "2", "3"]);
    assert!(s.requests().iter().all(|r| r.verified.is_ok()));
}

#[test]
fn paginate_honours_max_items() {
    let s = paged_server();
    let run = pts(&s).run(&[
        "call",
        "ListPtsScene",
        "--PageSize",
        "10",
        "--paginate",
        "--max-items",
        "12",
    ]);
    run.assert_code(0);
    assert_eq!(run.json()["SceneViewList"].as_array().unwrap().len(), 12);
    assert_eq!(s.requests().len(), 2);
}

#[test]
fn table_yaml_and_query() {
    let s = Server::fixed(scenes(&["S1", "S2"]));
    let p = pts(&s);
    let args = ["call", "ListPtsScene", "--PageNumber", "1", "--PageSize", "10"];
    let t = p.run(&[&args[..], &["--output", "table"]].concat());
    t.assert_code(0);
    assert!(t.stdout.contains("SceneId") && t.stdout.contains("name-S2"), "{}", t.stdout);
    let y = p.run(&[&args[..], &["-o", "yaml"]].concat());
    y.assert_code(0);
    assert!(
        y.stdout.contains("RequestId: REQ-1") && y.stdout.contains("- SceneId: S1"),
        "{}",
        y.stdout
    );
    let q = p.run(&[&args[..], &["--query", "SceneViewList[].SceneId"]].concat());
    q.assert_code(0);
    assert_eq!(q.json(), serde_json::json!(["S1", "S2"]));
    let q = p.run(&[
        "--query",
        "SceneViewList[?SceneId=='S2'].SceneName | [0]",
        "--output",
        "json",
        "call",
        "ListPtsScene",
        "--PageNumber",
        "1",
        "--PageSize",
        "10",
    ]);
    assert_eq!(q.json(), "name-S2");
}

#[test]
fn output_file_creates_parent_dirs() {
    let s = Server::fixed(scenes(&["S1"]));
    let p = pts(&s);
    let path = p.home_path().join("out/aliyun-pts-manage/list.json");
    let run = p.run(&[
        "call",
        "ListPtsScene",
        "--PageNumber",
        "1",
        "--PageSize",
        "10",
        "--output-file",
        path.to_str().unwrap(),
    ]);
    run.assert_code(0);
    assert!(run.stdout.is_empty());
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["SceneViewList"][0]["SceneId"], "S1");
}

#[test]
fn offline_list_commands_print_tables_on_a_terminal_and_json_in_a_pipe() {
    if !common::terminal_available() {
        return;
    }
    let p = Pts::new();
    p.run_stdin(
        &[
            "configure",
            "--profile",
            "t",
            "--access-key-id",
            "LTAI5tListKey01",
            "--access-key-secret-stdin",
        ],
        Some("x\n"),
    )
    .assert_code(0);
    for (args, header) in [("api list", "Operation"), ("configure list", "AccessKeyId")] {
        let line = format!("{} {args}", env!("CARGO_BIN_EXE_pts"));
        let tty = p.run_program("/usr/bin/script", &["-qec", &line, "/dev/null"], None);
        tty.assert_code(0);
        let first = tty.stdout.lines().next().unwrap_or("");
        assert!(first.starts_with('┌'), "{args}: a table: {}", tty.stdout);
        assert!(tty.stdout.contains(header), "{args}: {}", tty.stdout);
        let words: Vec<&str> = args.split(' ').collect();
        let piped = p.run(&words);
        piped.assert_code(0);
        assert!(piped.json().is_array(), "{args}: JSON in a pipe: {}", piped.stdout);
    }
}

//! Progress indicators: on a terminal a wait longer than a second shows a spinner on
//! stderr; in a pipe and with `--quiet` nothing is drawn.

mod common;

use common::{Pts, Reply, Server, scenes};
use std::time::Duration;

/// A PTS whose every answer takes 1.5 s: longer than the spinner's one-second delay.
fn slow_server() -> Server {
    Server::start(|_| Reply {
        status: 200,
        body: scenes(&["S1"]).to_string(),
        delay: Duration::from_millis(1500),
    })
}

#[test]
fn waits_show_a_spinner_on_a_terminal_only() {
    if !common::terminal_available() {
        return;
    }
    let server = slow_server();
    let pts = Pts::new()
        .with_env_creds()
        .env("PTS_ENDPOINT", &server.endpoint())
        .env("PTS_PROTOCOL", "http")
        // A terminal has a TERM; without one the drawing library stays silent.
        .env("TERM", "xterm");
    let call = format!("{} call ListPtsScene --paginate", env!("CARGO_BIN_EXE_pts"));
    let on_terminal = |extra: &str| {
        let line = format!("{call}{extra}");
        pts.run_program("/usr/bin/script", &["-qec", &line, "/dev/null"], None)
    };

    let shown = on_terminal("");
    shown.assert_code(0);
    assert!(shown.stdout.contains("ListPtsScene: fetching page 1 (1s)"), "{}", shown.stdout);
    assert!(shown.stdout.contains("\"S1\""), "{}", shown.stdout);

    let hushed = on_terminal(" --quiet");
    hushed.assert_code(0);
    assert!(!hushed.stdout.contains("fetching"), "{}", hushed.stdout);
    assert!(hushed.stdout.contains("\"S1\""), "{}", hushed.stdout);

    let piped = pts.run(&["call", "ListPtsScene", "--paginate"]);
    piped.assert_code(0);
    assert!(piped.stderr.is_empty(), "{}", piped.stderr);
}

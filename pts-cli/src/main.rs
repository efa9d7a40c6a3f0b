fn main() {
    // `COMPLETE=SHELL pts -- WORDS` (what the completion scripts run) answers and exits.
    pts_cli::complete_if_asked();
    std::process::exit(pts_cli::run(std::env::args_os()));
}

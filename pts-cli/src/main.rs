fn main() {
    std::process::exit(pts_cli::run(std::env::args_os()));
}

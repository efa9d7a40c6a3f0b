fn main() {
    println!("pts {}", env!("CARGO_PKG_VERSION"));
}

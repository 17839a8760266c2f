//! Rebuilds the service when the built web client (`web/dist`, compiled in by `http::web`)
//! changes, files added to it included: rust-embed's generated code only tracks the files it
//! saw at the last build.
fn main() {
    println!("cargo:rerun-if-changed=../../web/dist");
}

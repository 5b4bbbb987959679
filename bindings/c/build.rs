//! Generates include/pagoefectivo.h (C) and include/pagoefectivo_ffi.h (plain declarations for PHP's FFI::cdef).

use std::path::PathBuf;

fn write_if_changed(path: &PathBuf, text: &str) {
    // Rewriting an unchanged header would make every build look dirty to editors and to cargo.
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
}

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml is valid");
    let bindings = cbindgen::Builder::new()
        .with_crate(&dir)
        .with_config(config)
        .generate()
        .expect("the C ABI can be described by cbindgen");
    let mut header = Vec::new();
    bindings.write(&mut header);
    let header = String::from_utf8(header).expect("cbindgen writes UTF-8");
    std::fs::create_dir_all(dir.join("include")).expect("include/ can be created");
    write_if_changed(&dir.join("include/pagoefectivo.h"), &header);
    // FFI::cdef reads declarations only: no #include, #ifndef or #define lines.
    let plain: String =
        header.lines().filter(|l| !l.trim_start().starts_with('#')).map(|l| format!("{l}\n")).collect();
    write_if_changed(&dir.join("include/pagoefectivo_ffi.h"), &plain);
}

//! uniffi's generator, pinned to the version the library is built with (the JVM build runs it in library mode).

fn main() {
    uniffi::uniffi_bindgen_main()
}

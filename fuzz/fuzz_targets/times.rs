//! Time text as callers, answers and report files write it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        pagoefectivo::fuzzing::times(text);
    }
});

//! JSON from a binding: CIP and refund requests, client options, wait options, every offline operation.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pagoefectivo::fuzzing::request_json(data));

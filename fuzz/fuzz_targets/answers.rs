//! An API answer body: the envelope (any case), the CIP, search, refund and report-page readers.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pagoefectivo::fuzzing::answer(data));

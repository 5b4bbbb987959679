//! A reconciliation CSV file, as orders and as a PagoEfectivo report.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pagoefectivo::fuzzing::csv(data));

//! A notification: body, PE-Signature header and secret all from the input (split at the first two 0xFF bytes).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == 0xff);
    let body = parts.next().unwrap_or_default();
    let signature = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let secret = String::from_utf8_lossy(parts.next().unwrap_or(b"k")).into_owned();
    pagoefectivo::fuzzing::notification(body, &signature, &secret);
});

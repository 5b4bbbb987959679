//! What crosses from another language: one set of rules every binding calls instead of copying.
//!
//! A binding converts its native values to JSON and back, and calls these;
//! it decides nothing itself. `input` reads values (CIP numbers, money, times,
//! counts, unknown keys), `requests` builds requests, `options` builds clients
//! and waits, `dedup` makes and drives deduplicators, `ops` runs any operation by name (the C ABI, the generic calls of
//! the other bindings and the conformance runners use it).

pub mod dedup;
pub mod input;
pub mod ops;
mod options;
mod requests;

pub use options::{ClientOptions, wait_options};
pub use requests::{CIP_REQUEST_FIELDS, REFUND_REQUEST_FIELDS};

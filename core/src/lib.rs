//! PagoEfectivo (Peru) payments: create and track CIP payment codes, verify
//! payment notifications, with retries, typed errors and redacted logging.
//!
//! ```no_run
//! # async fn demo() -> Result<(), pagoefectivo::Error> {
//! use pagoefectivo::{Client, Config, CreateCipRequest, Currency};
//! use std::time::Duration;
//!
//! let client = Client::new(Config::from_env()?)?;
//! let amount = "25.50".parse().unwrap();
//! let request = CreateCipRequest::new(Currency::PEN, amount, "ORDER-1001", "buyer@example.pe")
//!     .expires_in(Duration::from_secs(48 * 3600));
//! let cip = client.cips().create(&request).await?;
//! println!("pay code {} at {}", cip.cip, cip.cip_url);
//! # Ok(()) }
//! ```

mod attempt;
mod audit;
mod auth;
pub mod blocking;
pub mod boundary;
mod call;
mod cip;
mod cip_request;
mod cips;
mod client;
mod config;
mod config_input;
mod dedup;
mod envelope;
mod error;
pub mod fork;
#[doc(hidden)]
pub mod fuzzing;
mod http_client;
mod money;
mod payee;
mod poll;
pub mod reconcile;
mod refund;
mod refund_audit;
mod refunds;
mod request;
mod retry;
mod roots;
mod route;
pub mod runtime;
pub mod schema;
mod secret;
mod settings;
pub mod shared;
pub mod time;
mod transport;
pub mod webhook;
mod wire;

pub use audit::{AuditHook, Exchange, redact};
pub use auth::hash_string;
pub use cip::{Cip, CipInfo, CipStatus};
pub use cip_request::{CreateCipRequest, DocumentType};
pub use cips::Cips;
pub use client::Client;
pub use config::{Config, ConfigBuilder, Environment, Language, PRODUCTION_BASE_URL, SANDBOX_BASE_URL};
pub use dedup::{Begin, DedupStore, Deduplicator, LeaseStore, MemoryDedupStore, StoreFuture};
/// The error taxonomy as JSON, for bindings' exception trees.
pub use error::table as error_table;
pub use error::{Error, ErrorCode, Family, FieldError, Retryable};
pub use money::{Currency, amount_problem};
pub use payee::{cci_problem, cci_with_check_digits, document_problem, normalize_mobile, validate_cci};
pub use poll::WaitOptions;
pub use refund::{
    Beneficiary, CreateRefundRequest, Refund, RefundDestination, RefundEligibility, RefundStatus,
    idempotency_key,
};
pub use refund_audit::{JsonLinesAuditSink, RefundAuditRecord, RefundAuditSink};
pub use refunds::Refunds;
pub use retry::RetryPolicy;
pub use rust_decimal::Decimal;
pub use secret::Secret;
pub use webhook::{CipPaid, Event, OtherEvent, RefundEvent};
